"""Command line: `cybrid-tui [--demo]` starts the app, `cybrid-tui mock-server` serves the mock backend.

Kept light on purpose: httpx, pydantic and the mock are imported only on the paths that need them, so the
app's first frame is not held up by imports (see the README's Performance section).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, NoReturn

from cybrid_tui import __version__
from cybrid_tui.defaults import (
    DEFAULT_REFRESH_SECONDS,
    DEFAULT_TIMEOUT_SECONDS,
    DEMO_REFRESH_SECONDS,
    MAX_REFRESH_SECONDS,
    MIN_REFRESH_SECONDS,
)

# httpx's package imports its own command line (`httpx._main`: click, rich's console and progress, pygments)
# only to offer `httpx.main`, which this program never calls: ~30 ms of every start-up, the commands' too.
# A None entry makes that import fail, and httpx then defines a stub `main` instead (its own fallback). Here,
# in the program's entry point, not in the package: importing cybrid_tui as a library changes nothing.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Sequence

LOG_LEVELS = ("debug", "info", "warning", "error")
DEFAULT_LOG_LEVEL = "info"


def _type_error(message: str) -> Exception:
    import argparse

    return argparse.ArgumentTypeError(message)


def _number_parser(
    convert: type[float] | type[int],
    low: float,
    high: float,
    problem: str,
    *,
    low_inclusive: bool = True,
    not_a_number: str = "not a number",
) -> Callable[[str], float]:
    """An argparse `type=` that reads a number and checks it lies in [low, high] (or (low, high])."""

    def parse(text: str) -> float:
        try:
            value = convert(text)
        except ValueError:
            raise _type_error(f"{not_a_number}: {text!r}") from None
        above_low = value >= low if low_inclusive else value > low
        if not (above_low and value <= high):
            raise _type_error(problem)
        return value

    return parse


_positive_float = _number_parser(
    float,
    MIN_REFRESH_SECONDS,
    MAX_REFRESH_SECONDS,
    f"must be more than {MIN_REFRESH_SECONDS:g} and at most {MAX_REFRESH_SECONDS:g} seconds",
    low_inclusive=False,
)
_fraction = _number_parser(float, 0.0, 1.0, "must be a fraction between 0 and 1")
_milliseconds = _number_parser(float, 0.0, 60_000, "must be between 0 and 60000 milliseconds")
_requests_per_second = _number_parser(
    float, 0.0, 100_000, "must be more than 0 requests per second", low_inclusive=False
)
_token_seconds = _number_parser(
    int, 1, 86_400, "must be between 1 and 86400 seconds", not_a_number="not a whole number of seconds"
)


#: --fault-* flag -> FaultConfig field, for the demo's embedded mock (the mock server has its own flags).
DEMO_FAULT_FLAGS = {
    "fault_latency_ms": "latency_ms",
    "fault_jitter_ms": "jitter_ms",
    "fault_error_rate": "error_rate",
    "fault_rate_limit_rps": "rate_limit_rps",
    "fault_drop_rate": "drop_rate",
    "fault_token_ttl": "token_ttl_seconds",
}


def _add_demo_fault_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "demo faults (with --demo: make the embedded mock misbehave, to see how the app copes)"
    )
    group.add_argument(
        "--fault-latency-ms", type=_milliseconds, metavar="MS", help="added latency per request"
    )
    group.add_argument(
        "--fault-jitter-ms", type=_milliseconds, metavar="MS", help="extra random latency, 0..MS"
    )
    group.add_argument(
        "--fault-error-rate", type=_fraction, metavar="F", help="fraction of requests answered 500/502/503"
    )
    group.add_argument(
        "--fault-rate-limit-rps",
        type=_requests_per_second,
        metavar="N",
        help="answer 429 (with Retry-After) above N requests per second",
    )
    group.add_argument(
        "--fault-drop-rate", type=_fraction, metavar="F", help="fraction of connections dropped mid-response"
    )
    group.add_argument(
        "--fault-token-ttl", type=_token_seconds, metavar="S", help="lifetime of access tokens in seconds"
    )


def demo_faults(args: argparse.Namespace) -> dict[str, float | int] | None:
    """The FaultConfig fields the --fault-* flags set (None when there are none)."""
    chosen = {field: getattr(args, flag) for flag, field in DEMO_FAULT_FLAGS.items()}
    given = {field: value for field, value in chosen.items() if value is not None}
    return given or None


#: The settings the app and the commands read (environment, `.env`, or a profile of the config file).
ENVIRONMENT_HELP = f"""\
settings (environment variables, a .env file in the working directory, or --profile):
  CYBRID_CLIENT_ID, CYBRID_CLIENT_SECRET   the bank's API credentials
  CYBRID_ENVIRONMENT                       sandbox (default) or production
  CYBRID_BANK_URL, CYBRID_ID_URL           other API origins (https; http only for 127.0.0.1)
  CYBRID_SCOPES                            scopes to ask for, space-separated (default: every customer
                                           and identity-verification scope)
  CYBRID_TIMEOUT_SECONDS                   time limit of one request (default: {DEFAULT_TIMEOUT_SECONDS:g})
  CYBRID_REFRESH_SECONDS                   live refresh interval (default: {DEFAULT_REFRESH_SECONDS:g})
  CYBRID_READ_ONLY, CYBRID_DUPLICATE_GUARD read-only session; the duplicate-guard label (default: on)
  CYBRID_PROFILE                           the config file's profile to use (as --profile)
  CYBRID_TUI_CONFIG                        the config file (`cybrid-tui config path` says where it is)
  NO_COLOR                                 no colour in the commands' tables

commands exit with 0 on success, 1 on an API or network error, 2 on a usage or configuration
problem, 4 when authentication or permission fails (`customers verify --wait`: 3 when the
verification failed or expired)."""


def _top_parser_class() -> type[argparse.ArgumentParser]:
    import argparse

    class TopParser(argparse.ArgumentParser):
        """Adds where the log file is to the help; found only when help is printed (platformdirs)."""

        def format_help(self) -> str:
            from cybrid_tui.logging_setup import LOG_FILE_NAME, log_directory

            where = log_directory() / LOG_FILE_NAME
            return super().format_help() + f"\nlog file: {where}\n"

    return TopParser


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The whole command line; given `argv`, only the command groups it names are built in full."""
    import argparse

    from cybrid_tui.cli.parser import GROUPS, CommandParser, add_commands

    parser = _top_parser_class()(
        prog="cybrid-tui",
        description=(
            "A keyboard-driven terminal app for the customers of a bank on the Cybrid platform, "
            "and commands for scripts. `cybrid-tui` alone opens the app."
        ),
        epilog=ENVIRONMENT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="run against an embedded mock Cybrid backend with seeded data: no credentials, no network",
    )
    parser.add_argument(
        "--profile", metavar="NAME", default=None, help="settings from this profile of the config file"
    )
    parser.add_argument(
        "--read-only",
        action="store_true",
        help="hide and refuse creating customers (and other changes); a profile may set read_only = true",
    )
    parser.add_argument(
        "--refresh-seconds",
        type=_positive_float,
        default=None,
        metavar="S",
        help=(
            f"live refresh interval (default: CYBRID_REFRESH_SECONDS, or {DEFAULT_REFRESH_SECONDS:g}; "
            f"{DEMO_REFRESH_SECONDS:g} in demo mode)"
        ),
    )
    parser.add_argument(
        "--log-level",
        choices=LOG_LEVELS,
        default=DEFAULT_LOG_LEVEL,
        help="level of the request log written to the log file (default: info)",
    )
    _add_demo_fault_arguments(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=CommandParser)
    mock = subparsers.add_parser(
        "mock-server",
        help="serve the mock Cybrid backend over HTTP (for tests and other clients)",
        description="Serve the mock Cybrid backend (identity and bank paths on one origin) with uvicorn.",
    )
    from cybrid_tui.mock.cli import add_arguments

    add_arguments(mock)
    add_commands(subparsers, only=None if argv is None else frozenset(GROUPS) & set(argv))
    return parser


#: Set when a command (`customers list`, ...) ran, as opposed to the app or the mock server: see `run`.
_command_ran = False


def run() -> NoReturn:
    """The `cybrid-tui` program (the console script and `python -m cybrid_tui`): `main()`, then exit.

    After a command, the process ends at once, once its output and log are flushed: the interpreter's
    teardown of every module (asyncio, httpx, ...) took ~15 ms of a 200 ms listing, and a script waits for
    it. The app and the mock server exit the usual way."""
    status = main()
    if not _command_ran:
        sys.exit(status)
    import contextlib
    import logging
    import os

    for stream in (sys.stdout, sys.stderr):
        # The reader may have left (`| head`), or the stream be closed: nothing more can reach it.
        with contextlib.suppress(BrokenPipeError, ValueError):
            stream.flush()
    logging.shutdown()  # flushes and closes the log file
    os._exit(status)


def main(argv: Sequence[str] | None = None) -> int:
    """The `cybrid-tui` entry point; a reader that closes the pipe early (`| head`) ends it quietly."""
    try:
        return _main(argv)
    except BrokenPipeError:
        _quiet_stdout()
        return 0


def _quiet_stdout() -> None:
    """Point stdout at /dev/null: the interpreter's final flush would fail on the closed pipe again and
    print "Exception ignored ... BrokenPipeError"."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _main(argv: Sequence[str] | None) -> int:
    given = list(sys.argv[1:] if argv is None else argv)
    if given in ([], ["--demo"]):
        # The usual starts need no parsing: skipping argparse (and the mock-server subparser) takes ~10 ms
        # off the time to the first frame. Same defaults as the parser's.
        from cybrid_tui.launch import launch

        return launch(demo=bool(given), refresh_seconds=None, log_level=DEFAULT_LOG_LEVEL, demo_faults=None)
    import os

    completing = "_ARGCOMPLETE" in os.environ
    parser = build_parser(None if completing else given)
    if completing:  # the shell asking for completions (see `cybrid-tui completion`)
        import argcomplete

        argcomplete.autocomplete(parser)
    args = parser.parse_args(argv)
    faults = demo_faults(args)
    if args.command == "mock-server":
        if args.demo or faults is not None:
            parser.error(
                "--demo and the --fault-* flags are for the app and its commands; the mock server has its "
                "own "
                "flags (see `cybrid-tui mock-server --help`)"
            )
        from cybrid_tui.mock.cli import run

        return run(args)
    if faults is not None and not args.demo:
        parser.error(
            "the --fault-* flags need --demo (for a mock server, use `cybrid-tui mock-server --help`)"
        )
    if args.command is not None:
        from cybrid_tui.cli import dispatch

        global _command_ran
        _command_ran = True
        args.demo_faults = faults
        return dispatch(args)
    from cybrid_tui.launch import launch

    return launch(
        demo=args.demo,
        refresh_seconds=args.refresh_seconds,
        log_level=args.log_level,
        demo_faults=faults,
        profile=args.profile,
        read_only=args.read_only,
    )


if __name__ == "__main__":
    run()
