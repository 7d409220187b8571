"""Running one command: open the client, run the command's coroutine, turn every failure into an exit status.

Everything a command can fail with ends here as one line on stderr (see `errors`), never a traceback: the
client's `CybridError`, a `UsageProblem` (bad flags or body), Ctrl-C. A closed stdout (`| head`) is handled by
`cybrid_tui.__main__`, around everything.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from cybrid_tui.cli.errors import EXIT_INTERRUPTED, EXIT_USAGE, UsageProblem, report, report_client_error

if TYPE_CHECKING:
    import argparse
    from collections.abc import Awaitable, Callable

    from cybrid_tui.cli.connect import Connection


def wants_json(args: argparse.Namespace) -> bool:
    """Errors also as a JSON object on stderr: for `--json` and `--jsonl`."""
    return getattr(args, "format", None) in ("json", "jsonl")


def run_command(
    args: argparse.Namespace,
    command: Callable[[Connection, argparse.Namespace], Awaitable[int]],
    *,
    interrupted_status: int = EXIT_INTERRUPTED,
) -> int:
    """Run `command` against the client `args` names; returns the exit status."""
    from cybrid_tui.api.errors import CybridError
    from cybrid_tui.cli.connect import open_connection

    as_json = wants_json(args)
    try:
        _configure_logging(args)
        connection = open_connection(args)
    except CybridError as error:
        return report_client_error(error, as_json=as_json)
    except UsageProblem as problem:
        return report(str(problem), as_json=as_json, status=EXIT_USAGE)

    async def main() -> int:
        try:
            return await command(connection, args)
        finally:
            await connection.aclose()

    try:
        return asyncio.run(main())
    except CybridError as error:
        return report_client_error(error, as_json=as_json)
    except UsageProblem as problem:
        return report(str(problem), as_json=as_json, status=EXIT_USAGE)
    except KeyboardInterrupt:
        return interrupted_status


def _configure_logging(args: argparse.Namespace) -> None:
    """The request log goes to the same file as the app's (never to the terminal: stderr is for messages)."""
    import sys

    from cybrid_tui.logging_setup import start_file_logging

    problem = start_file_logging(getattr(args, "log_level", None) or "info")
    if problem is not None:  # the command still runs: its output matters more than the request log
        sys.stderr.write(f"cybrid-tui: {problem}\n")
