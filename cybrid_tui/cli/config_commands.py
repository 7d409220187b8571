"""`cybrid-tui config path | show | profiles`: the config file, the effective settings and the profiles.

Plain handlers (`def f(args) -> int`): nothing connects to a bank. The text comes from
`cybrid_tui.settings.report`, so the app and the command line describe settings the same way.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cybrid_tui.settings.report import Output

_MODULE = "cybrid_tui.cli.config_commands"


def add_config(subparsers: Any) -> None:
    """Add `config` and its three subcommands to the top-level parser's subcommands."""
    config = subparsers.add_parser(
        "config",
        help="where the config file is, the effective settings with their sources, the profiles",
        description=(
            "The config file (config.toml in the user config folder, or CYBRID_TUI_CONFIG) holds named "
            "profiles; flags, CYBRID_* variables and .env override a profile's values."
        ),
    )
    commands = config.add_subparsers(dest="config_command", metavar="SUBCOMMAND", required=True)
    path = commands.add_parser(
        "path",
        help="print the config file's path (and say on stderr whether it exists)",
        epilog='examples:\n  cybrid-tui config path\n  "$EDITOR" "$(cybrid-tui config path)"',
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    path.set_defaults(handler=f"{_MODULE}:path")
    show = commands.add_parser(
        "show",
        help="every effective setting and where it comes from (the secret is never printed)",
        epilog="examples:\n  cybrid-tui config show\n  cybrid-tui config show --profile production",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    show.add_argument(
        "--profile", metavar="NAME", default=argparse.SUPPRESS, help="show the settings with this profile"
    )
    show.add_argument(
        "--read-only", action="store_true", default=argparse.SUPPRESS, help="as the flag would set it"
    )
    show.set_defaults(handler=f"{_MODULE}:show")
    profiles = commands.add_parser(
        "profiles",
        help="the profiles with their environment and bank (* marks the default)",
        epilog="examples:\n  cybrid-tui config profiles",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    profiles.set_defaults(handler=f"{_MODULE}:profiles")


def path(args: argparse.Namespace) -> int:
    from cybrid_tui.settings.report import config_path

    return _emit(config_path())


def show(args: argparse.Namespace) -> int:
    from cybrid_tui.settings.report import config_show

    read_only = True if getattr(args, "read_only", False) else None
    return _emit(config_show(profile=getattr(args, "profile", None), flags={"read_only": read_only}))


def profiles(args: argparse.Namespace) -> int:
    from cybrid_tui.settings.report import config_profiles

    return _emit(config_profiles())


def _emit(output: Output) -> int:
    sys.stdout.write(output.stdout)
    sys.stderr.write(output.stderr)
    return output.code
