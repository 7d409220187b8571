"""The command line's commands: `customers ...`, `verifications ...`, `completion`, beside the app's flags.

argparse (standard library, nothing to import at start-up) with argcomplete for bash and zsh completion
(imported only when the shell asks for completions). Each command's handler is named as "module:function"
and imported only when it runs, so `cybrid-tui --help` and the app's start never import httpx, pydantic or
Textual on account of the commands.

Every command takes the connection flags (`--demo`, `--profile`, `--read-only`, `--log-level`) after its
name; their defaults are `SUPPRESS`, so the same flags given before the command name (`cybrid-tui --demo
customers list`) are not overwritten by the command's defaults.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any, Final

from cybrid_tui.api.vocab import CUSTOMER_STATES, CUSTOMER_TYPES, IDENTITY_VERIFICATION_STATES
from cybrid_tui.defaults import MAX_REFRESH_SECONDS, MIN_REFRESH_SECONDS

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

LOG_LEVELS: Final = ("debug", "info", "warning", "error")


class CommandParser(argparse.ArgumentParser):
    """A subcommand's parser: an unknown flag is reported with this command's usage, not the top level's.

    argparse lets a subparser collect what it does not know and the top-level parser then complains with
    its own usage (`cybrid-tui mock-server --bogus` printed `usage: cybrid-tui [-h] ...`)."""

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        parsed, extras = super().parse_known_args(args, namespace)
        if extras:
            self.error(f"unrecognized arguments: {' '.join(extras)}")
        return parsed, extras


def _words(kind: str, allowed: Sequence[str]) -> Callable[[str], str]:
    """An argparse `type=` for a comma-separated list of known words (states, types)."""

    def check(text: str) -> str:
        for part in (part.strip() for part in text.split(",")):
            if part and part not in allowed:
                raise argparse.ArgumentTypeError(f"unknown {kind} {part!r} (one of: {', '.join(allowed)})")
        return text

    return check


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _country(text: str) -> str:
    if len(text) != 2 or not text.isascii() or not text.isalpha():
        raise argparse.ArgumentTypeError(f"not a 2-letter country code: {text!r}")
    return text.upper()


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not MIN_REFRESH_SECONDS < value <= MAX_REFRESH_SECONDS:
        raise argparse.ArgumentTypeError(
            f"must be more than {MIN_REFRESH_SECONDS:g} and at most {MAX_REFRESH_SECONDS:g} seconds"
        )
    return value


def connection_flags() -> argparse.ArgumentParser:
    """Flags every command takes: where to connect, and how carefully."""
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group("connection")
    group.add_argument(
        "--demo", action="store_true", default=argparse.SUPPRESS,
        help="use the embedded mock bank: no credentials, no network",
    )  # fmt: skip
    group.add_argument(
        "--profile", metavar="NAME", default=argparse.SUPPRESS,
        help="settings from this profile of the config file (see `cybrid-tui config profiles`)",
    )  # fmt: skip
    group.add_argument(
        "--read-only", action="store_true", default=argparse.SUPPRESS,
        help="refuse any command that changes the bank (create, reset, verify)",
    )  # fmt: skip
    group.add_argument(
        "--log-level", choices=LOG_LEVELS, default=argparse.SUPPRESS,
        help="level of the request log file (default: info)",
    )  # fmt: skip
    return common


def output_flags(*, single: bool = False) -> argparse.ArgumentParser:
    """--table (default), --json, --jsonl, --csv: one of them."""
    output = argparse.ArgumentParser(add_help=False)
    group = output.add_argument_group(
        "output (data on stdout; messages on stderr)"
    ).add_mutually_exclusive_group()
    group.add_argument(
        "--table", dest="format", action="store_const", const="table",
        help="a readable table (the default; coloured on a terminal unless NO_COLOR is set)",
    )  # fmt: skip
    group.add_argument(
        "--json", dest="format", action="store_const", const="json",
        help="the API's own object" + ("" if single else "s, as one JSON array"),
    )  # fmt: skip
    group.add_argument(
        "--jsonl", dest="format", action="store_const", const="jsonl",
        help="one JSON object per line" + ("" if single else ", printed as each page arrives"),
    )  # fmt: skip
    group.add_argument(
        "--csv", dest="format", action="store_const", const="csv", help="CSV with a header row"
    )
    output.set_defaults(format="table")
    return output


def _command(
    subparsers: Any, name: str, handler: str, *, help: str, description: str, examples: str,
    parents: Sequence[argparse.ArgumentParser],
) -> argparse.ArgumentParser:  # fmt: skip
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name,
        help=help,
        description=description,
        epilog="examples:\n" + examples,
        parents=list(parents),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(handler=handler)
    return parser


#: The command groups, with the one-line help the top-level help lists.
GROUPS: Final = {
    "customers": "list, read, create, verify, reset and watch customers",
    "verifications": "list and read identity verifications",
}


def add_commands(subparsers: Any, *, only: frozenset[str] | None = None) -> None:
    """Add `customers`, `verifications` and `completion` to the top-level parser's subcommands.

    `only`: the groups to build in full (the ones named on the command line); the others get a parser with
    their help line only, which is all `cybrid-tui --help` shows (building every command's parser costs
    ~10 ms of start-up). None builds everything (completion, tests)."""
    common = connection_flags()
    many, one = output_flags(), output_flags(single=True)
    builders = {"customers": _add_customers, "verifications": _add_verifications}
    for name, build in builders.items():
        if only is None or name in only:
            build(subparsers, common, many, one)
        else:
            subparsers.add_parser(name, help=GROUPS[name])
    from cybrid_tui.cli.config_commands import add_config

    add_config(subparsers)
    completion = subparsers.add_parser(
        "completion",
        help="print the shell completion script (bash or zsh)",
        description="Print the script that completes cybrid-tui's commands and flags in your shell.",
        epilog=(
            "examples:\n"
            '  eval "$(cybrid-tui completion bash)"     # in ~/.bashrc\n'
            '  eval "$(cybrid-tui completion zsh)"      # in ~/.zshrc'
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    completion.add_argument("shell", choices=("bash", "zsh"))
    completion.set_defaults(handler="cybrid_tui.cli.completion:print_script")


def _add_customers(subparsers: Any, common: Any, many: Any, one: Any) -> None:
    customers = subparsers.add_parser(
        "customers", help=GROUPS["customers"],
        description="The bank's customers, from scripts: the same client, settings and safety as the app.",
    )  # fmt: skip
    commands = customers.add_subparsers(dest="action", metavar="ACTION", required=True)
    states = _words("state", CUSTOMER_STATES)
    types = _words("type", CUSTOMER_TYPES)

    listing = _command(
        commands, "list", "cybrid_tui.cli.customers:list_customers",
        help="every customer, newest first", parents=[common, many],
        description="Every customer, newest first, printed page by page as the pages arrive. --state is "
        "applied "
        "here (the API has no state filter), as the app's table does.",
        examples="  cybrid-tui customers list --demo\n"
        "  cybrid-tui customers list --state rejected,frozen --csv > held.csv\n"
        "  cybrid-tui customers list --jsonl | jq -r .guid\n"
        "  cybrid-tui customers list --type business --label vip --limit 20 --include-pii",
    )  # fmt: skip
    listing.add_argument("--type", action="append", type=types, metavar="T", help="individual or business")
    listing.add_argument("--label", action="append", metavar="L", help="only customers with this label")
    listing.add_argument("--state", action="append", type=states, metavar="S,...", help="only these states")
    listing.add_argument("--limit", type=_positive, metavar="N", help="stop after N customers")
    listing.add_argument(
        "--include-pii", action="store_true", help="names (needs the customers:pii:read scope)"
    )

    get = _command(
        commands, "get", "cybrid_tui.cli.customers:get_customer",
        help="one customer", parents=[common, one], description="One customer, every field the API returns.",
        examples="  cybrid-tui customers get 3f1c0e... --json\n"
        "  cybrid-tui customers get 3f1c0e... --include-pii",
    )  # fmt: skip
    get.add_argument("guid", metavar="GUID")
    get.add_argument("--include-pii", action="store_true", help="personal data (needs customers:pii:read)")

    create = _command(
        commands, "create", "cybrid_tui.cli.create:create_customer",
        help="create a customer (checked as the form checks it)", parents=[common, one],
        description="Create a customer. The body is checked by the create form's validators before anything "
        "is "
        "sent, and a retry after a lost answer never creates a second customer (the form's duplicate guard). "
        "Without --body, Cybrid gathers the customer's details (the form's default).",
        examples="  cybrid-tui customers create --demo --type business --json\n"
        "  cybrid-tui customers create --type individual --body person.json --label onboarding\n"
        "  jq -n '{name: {full: \"Acme Ltd\"}, ...}' | cybrid-tui customers create --type business --body -",
    )  # fmt: skip
    create.add_argument("--type", required=True, choices=CUSTOMER_TYPES)
    create.add_argument("--body", metavar="FILE|-", help="the JSON body (POST /api/customers); - reads stdin")
    create.add_argument("--label", action="extend", nargs="+", metavar="L", help="labels (up to 7)")

    reset = _command(
        commands, "reset", "cybrid_tui.cli.customers:reset_customer",
        help="set a rejected customer back to unverified", parents=[common, one],
        description="PATCH the customer's state to unverified, so a rejected customer can be verified again.",
        examples="  cybrid-tui customers reset 3f1c0e...",
    )  # fmt: skip
    reset.add_argument("guid", metavar="GUID")

    verify = _command(
        commands, "verify", "cybrid_tui.cli.verifications:verify_customer",
        help="start an identity verification (KYC/KYB)", parents=[common, one],
        description="Start the customer's identity verification (KYC for an individual, KYB for a business) "
        "and print it. The customer must be unverified. An open verification is reused, never duplicated "
        "(nothing is sent), and a retry after a lost answer never starts a second one.\n\n"
        "--wait polls every 2 s until it is completed or expired, then prints it (--jsonl: one line per "
        "change of state) and exits 0 when it passed, 3 when it failed or expired (the failure codes are "
        "explained on stderr), 1 on an API or network error.",
        examples="  cybrid-tui customers verify 3f1c0e... --demo --expect passes --wait\n"
        "  cybrid-tui customers verify 3f1c0e... --country CA --json\n"
        "  cybrid-tui customers verify 3f1c0e... --expect fails --wait --jsonl | jq -r .state",
    )  # fmt: skip
    verify.add_argument("guid", metavar="GUID")
    verify.add_argument(
        "--expect", choices=("passes", "fails"),
        help="sandbox and demo only: the verification decides by itself (refused in production)",
    )  # fmt: skip
    verify.add_argument(
        "--country", type=_country, metavar="CC", help="the ID's country (ISO 3166, 2 letters)"
    )
    verify.add_argument("--wait", action="store_true", help="wait for the outcome; exit 0 passed, 3 not")

    watch = _command(
        commands, "watch", "cybrid_tui.cli.watch:watch_customers",
        help="print each change of state as it happens", parents=[common, many],
        description="Keep running and print each change of state as it happens (the app's live refresh, "
        "without the screen), until Ctrl-C (exit status 0). --json is refused: use --jsonl.",
        examples="  cybrid-tui customers watch --demo\n  cybrid-tui customers watch --state rejected --jsonl",
    )  # fmt: skip
    watch.add_argument(
        "--state", action="append", type=states, metavar="S,...", help="only changes into these"
    )
    watch.add_argument("--include-pii", action="store_true", help="names (needs customers:pii:read)")
    watch.add_argument(
        "--refresh-seconds", type=_seconds, metavar="S", help="seconds between reads (5; demo 2)"
    )


def _add_verifications(subparsers: Any, common: Any, many: Any, one: Any) -> None:
    verifications = subparsers.add_parser(
        "verifications", help=GROUPS["verifications"],
        description="Identity verifications (KYC/KYB). Start one with `cybrid-tui customers verify GUID`.",
    )  # fmt: skip
    commands = verifications.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = _command(
        commands, "list", "cybrid_tui.cli.verifications:list_verifications",
        help="identity verifications, newest first", parents=[common, many],
        description="Identity verifications, newest first, printed page by page as the pages arrive.",
        examples="  cybrid-tui verifications list --demo --state waiting,pending\n"
        "  cybrid-tui verifications list --customer 3f1c0e... --state completed --json\n"
        "  cybrid-tui verifications list --limit 20 --csv > recent.csv",
    )  # fmt: skip
    listing.add_argument("--customer", metavar="GUID", help="only this customer's")
    listing.add_argument(
        "--state", action="append", type=_words("state", IDENTITY_VERIFICATION_STATES), metavar="S,...",
        help="only these states",
    )  # fmt: skip
    listing.add_argument("--limit", type=_positive, metavar="N", help="stop after N verifications")
    get = _command(
        commands, "get", "cybrid_tui.cli.verifications:get_verification",
        help="one identity verification, with details", parents=[common, one],
        description="One identity verification with Persona's side (inquiry id and state, checks, "
        "documents); the table explains its failure codes.",
        examples="  cybrid-tui verifications get 9a0b... --json",
    )  # fmt: skip
    get.add_argument("guid", metavar="GUID")
