"""Commands whose parser exists but whose client does not yet: `customers verify`, `verifications`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cybrid_tui.cli.errors import EXIT_USAGE, report

if TYPE_CHECKING:
    import argparse


def not_yet(args: argparse.Namespace) -> int:
    """Say plainly that the command is not available yet (exit 2: nothing was sent)."""
    command = " ".join(
        part for part in (getattr(args, "command", None), getattr(args, "action", None)) if part
    )
    return report(
        f"`{command}` is not available yet: it needs the identity-verification client. Nothing was sent.",
        as_json=getattr(args, "format", None) in ("json", "jsonl"),
        status=EXIT_USAGE,
    )
