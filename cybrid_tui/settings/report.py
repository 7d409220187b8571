"""`cybrid-tui config path | show | profiles` as plain functions: text for stdout and stderr, an exit status.

Data goes to stdout (so `$EDITOR "$(cybrid-tui config path)"` works), remarks to stderr. The client secret is
never printed, not even a few characters of it: `show` says only whether it is set and where it comes from.
A secret command is not run by `show` (it may prompt, or be slow); `show` names it instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cybrid_tui.api.errors import ConfigurationError
from cybrid_tui.defaults import default_bank_url

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from pathlib import Path

    from cybrid_tui.settings.resolve import Resolved

EXIT_OK = 0
#: A configuration problem, as for every command (argparse's usage errors use it too).
EXIT_CONFIGURATION = 2
HIDDEN = "(set, hidden)"
_MAX_WIDTH = 48


@dataclass(frozen=True, slots=True)
class Output:
    """What a `config` subcommand prints and the status it exits with."""

    code: int
    stdout: str = ""
    stderr: str = ""


def config_path(*, environ: Mapping[str, str] | None = None, dotenv_path: Path | None = None) -> Output:
    from cybrid_tui.settings import config_file
    from cybrid_tui.settings.layers import Environment

    try:
        env = Environment.read(environ, dotenv_path)
    except ConfigurationError as error:
        return _failure(error)
    path, source = config_file.locate(env)
    note = (
        "exists" if path.is_file() else "does not exist yet (that is fine: the CYBRID_* variables are used)"
    )
    where = "" if source.kind == "default" else f", set by {source}"
    return Output(EXIT_OK, f"{path}\n", f"{path}: {note}{where}\n")


def config_show(
    *,
    profile: str | None = None,
    flags: Mapping[str, object] | None = None,
    environ: Mapping[str, str] | None = None,
    dotenv_path: Path | None = None,
) -> Output:
    from cybrid_tui.config import resolve_settings

    try:
        resolved = resolve_settings(
            require_credentials=False,
            profile=profile,
            flags=flags,
            environ=environ,
            dotenv_path=dotenv_path,
            read_secret=False,
        )
    except ConfigurationError as error:
        return _failure(error)
    return Output(EXIT_OK, _table(_show_rows(resolved)))


def config_profiles(*, environ: Mapping[str, str] | None = None, dotenv_path: Path | None = None) -> Output:
    from cybrid_tui.settings import config_file
    from cybrid_tui.settings.layers import Environment

    try:
        env = Environment.read(environ, dotenv_path)
        path, _ = config_file.locate(env)
        config = config_file.load(path)
    except ConfigurationError as error:
        return _failure(error)
    if not config.profiles:
        why = "has no [profiles.<name>] sections" if config.exists else "does not exist"
        return Output(EXIT_OK, "", f"{path} {why}: the CYBRID_* variables are used.\n")
    rows = [("", "PROFILE", "ENVIRONMENT", "BANK URL")]
    for name in sorted(config.profiles):
        body = config.profiles[name]
        environment = str(body.get("environment", "sandbox"))
        bank_url = str(body.get("bank_url") or default_bank_url(environment))
        rows.append(("*" if name == config.default_profile else "", name, environment, bank_url))
    note = "* the default profile\n" if config.default_profile else f"no default_profile in {path}\n"
    return Output(EXIT_OK, _table(rows), note)


def _show_rows(resolved: Resolved) -> list[tuple[str, ...]]:
    settings = resolved.settings
    config = resolved.config
    rows: list[tuple[str, ...]] = [("SETTING", "VALUE", "SOURCE")]
    state = "exists" if config.exists else "not found"
    rows.append(("config file", f"{config.path} ({state})", str(resolved.config_source)))
    profile_source = str(resolved.profile_source) if resolved.profile_source else "no profile chosen"
    rows.append(("profile", settings.profile or "(none)", profile_source))
    for key, source in resolved.sources.items():
        value = _value(resolved, key)
        described = str(source)
        if key in ("bank_url", "id_url") and getattr(settings, key) is None:
            described = f"default for environment {settings.environment}"
        shadowed = resolved.shadowed.get(key, ())
        if shadowed:
            described += " (overrides " + ", ".join(str(below) for below in shadowed) + ")"
        rows.append((key, value, described))
    for binding_id, keys in sorted(resolved.keymap.items()):
        rows.append((f"keys.{binding_id}", ", ".join(keys), f"{config.path} [keys] {binding_id}"))
    return rows


def _value(resolved: Resolved, key: str) -> str:
    settings = resolved.settings
    if key == "client_secret":
        if resolved.secret_command is not None:
            return "(read by the command, not run here)"
        secret = settings.client_secret
        return HIDDEN if secret is not None and secret.get_secret_value() else "(not set)"
    if key == "bank_url":
        return settings.resolved_bank_url
    if key == "id_url":
        return settings.resolved_id_url
    value = getattr(settings, key)
    if value is None:
        return "(not set)"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _table(rows: Iterable[tuple[str, ...]]) -> str:
    from cybrid_tui.safe_text import safe_text

    # Values come from files and variables: an escape sequence in one must not drive the terminal.
    clean = [tuple(safe_text(cell) for cell in row) for row in rows]
    # A very long value (the scopes) overflows its column rather than pushing every source off the screen.
    widths = [min(max(len(row[column]) for row in clean), _MAX_WIDTH) for column in range(len(clean[0]))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in clean
    ]
    return "\n".join(lines) + "\n"


def _failure(error: ConfigurationError) -> Output:
    return Output(EXIT_CONFIGURATION, "", f"cybrid-tui: {error.error_message}\n")
