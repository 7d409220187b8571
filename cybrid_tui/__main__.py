"""Command line: `cybrid-tui [--demo]` starts the app, `cybrid-tui mock-server` serves the mock backend.

Kept light on purpose: httpx, pydantic and the mock are imported only on the paths that need them, so the
app's first frame is not held up by imports (see the README's Performance section).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from cybrid_tui import __version__

LOG_LEVELS = ("debug", "info", "warning", "error")


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.2 < value <= 3600:
        raise argparse.ArgumentTypeError("must be more than 0.2 and at most 3600 seconds")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cybrid-tui",
        description=(
            "A keyboard-driven terminal app for the customers of a bank on the Cybrid platform. "
            "Reads CYBRID_CLIENT_ID, CYBRID_CLIENT_SECRET, CYBRID_ENVIRONMENT, CYBRID_BANK_URL, CYBRID_ID_URL "
            "and CYBRID_REFRESH_SECONDS from the environment or a .env file."
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="run against an embedded mock Cybrid backend with seeded data: no credentials, no network",
    )
    parser.add_argument(
        "--refresh-seconds",
        type=_positive_float,
        default=None,
        metavar="S",
        help="live refresh interval (default: CYBRID_REFRESH_SECONDS, or 5; 2 in demo mode)",
    )
    parser.add_argument(
        "--log-level",
        choices=LOG_LEVELS,
        default="info",
        help="level of the request log written to the user log directory (default: info)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    mock = subparsers.add_parser(
        "mock-server",
        help="serve the mock Cybrid backend over HTTP (for tests and other clients)",
        description="Serve the mock Cybrid backend (identity and bank paths on one origin) with uvicorn.",
    )
    from cybrid_tui.mock.cli import add_arguments

    add_arguments(mock)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "mock-server":
        from cybrid_tui.mock.cli import run

        return run(args)
    from cybrid_tui.launch import launch

    return launch(demo=args.demo, refresh_seconds=args.refresh_seconds, log_level=args.log_level)


if __name__ == "__main__":
    sys.exit(main())
