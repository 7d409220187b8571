"""`cybrid-tui completion bash|zsh`: the shell code that asks argcomplete for completions."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse


def print_script(args: argparse.Namespace) -> int:
    from argcomplete.shell_integration import shellcode

    sys.stdout.write(shellcode(["cybrid-tui"], shell=args.shell))
    return 0
