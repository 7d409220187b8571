"""The command line's commands (`cybrid-tui customers list`, ...): every action of the app as a command.

`parser` builds the commands (argparse, cheap to import); `dispatch` runs the one chosen. A handler is a
"module:function": `async def f(connection, args) -> int` runs against a client (`runner`), a plain
`def f(args) -> int` (completion, config) runs as it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse


def dispatch(args: argparse.Namespace) -> int:
    """Run the handler the parser chose; returns the exit status."""
    import importlib
    import inspect

    module_name, _, function_name = str(args.handler).partition(":")
    handler = getattr(importlib.import_module(module_name), function_name)
    if not inspect.iscoroutinefunction(handler):
        status: int = handler(args)
        return status
    from cybrid_tui.cli.errors import EXIT_INTERRUPTED, EXIT_OK
    from cybrid_tui.cli.runner import run_command

    # Ctrl-C is how a watch ends: a success. Anything else it interrupts did not finish.
    interrupted = EXIT_OK if function_name == "watch_customers" else EXIT_INTERRUPTED
    return run_command(args, handler, interrupted_status=interrupted)
