"""`config.toml`: where it lives, and its profiles, `default_profile` and `[keys]` table, checked strictly.

Typos must not pass silently, so an unknown key anywhere is an error that names it. A `client_secret` written
in the file is refused unless only the owner can read the file (the way ssh treats private keys).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cybrid_tui.api.errors import ConfigurationError
from cybrid_tui.settings.layers import Source
from cybrid_tui.settings.presence import CONFIG_PATH_VARIABLE, default_path

if TYPE_CHECKING:
    from collections.abc import Mapping

    from cybrid_tui.settings.layers import Environment


#: Profile keys that become settings (the names the CYBRID_* variables use, lower case, without the prefix).
SETTING_KEYS = (
    "environment",
    "bank_url",
    "id_url",
    "client_id",
    "client_secret",
    "refresh_seconds",
    "timeout_seconds",
    "scopes",
    "read_only",
    "duplicate_guard",
)
#: Ways to give the client secret; at most one of them per layer.
SECRET_KEYS = ("client_secret", "client_secret_env", "client_secret_command")
PROFILE_KEYS = (*SETTING_KEYS, "client_secret_env", "client_secret_command")
TOP_LEVEL_KEYS = ("default_profile", "profiles", "keys")


def locate(env: Environment) -> tuple[Path, Source]:
    """The config file's path: `CYBRID_TUI_CONFIG` (environment, then `.env`), else the user config folder."""
    found = env.lookup(CONFIG_PATH_VARIABLE)
    if found is not None and found[0].strip():
        return Path(found[0].strip()).expanduser(), found[1]
    return default_path(), Source("default")


@dataclass(frozen=True, slots=True)
class ConfigFile:
    """The parsed file; `exists` is False (and the rest empty) when there is no file, which is fine."""

    path: Path
    exists: bool = False
    default_profile: str | None = None
    profiles: Mapping[str, Mapping[str, object]] = field(default_factory=dict)
    keys: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    owner_only: bool = True


def load(path: Path) -> ConfigFile:
    """Read and check the file; raises `ConfigurationError` naming the file and the key at fault."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return ConfigFile(path)
    except IsADirectoryError:
        raise ConfigurationError(f"{path}: is a folder, not a config file") from None
    except OSError as error:
        raise ConfigurationError(
            f"{path}: cannot be read ({error.strerror or type(error).__name__})"
        ) from None
    import tomllib  # only when there is a file: most people have none, and the app starts without it

    try:
        document = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigurationError(f"{path}: is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        # tomllib's message says what and where ("Expected '=' after a key ... (at line 3, column 7)").
        raise ConfigurationError(f"{path}: not valid TOML: {error}") from None
    return _parse(path, document, owner_only=_owner_only(path))


def _owner_only(path: Path) -> bool:
    if os.name == "nt":  # POSIX modes mean nothing there; NTFS ACLs are out of scope
        return True
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return stat.S_IMODE(mode) & 0o077 == 0


def _parse(path: Path, document: Mapping[str, object], *, owner_only: bool) -> ConfigFile:
    problems: list[str] = []
    unknown = sorted(set(document) - set(TOP_LEVEL_KEYS))
    if unknown:
        problems.append(_unknown(path, "at the top level", unknown, TOP_LEVEL_KEYS))
    default_profile = document.get("default_profile")
    if default_profile is not None and not isinstance(default_profile, str):
        problems.append(f"{path} default_profile: must be a profile name in quotes")
        default_profile = None
    profiles = _profiles(path, document.get("profiles", {}), problems)
    keys = _keys(path, document.get("keys", {}), problems)
    if isinstance(default_profile, str) and default_profile not in profiles and not problems:
        problems.append(f"{path} default_profile: no profile named {default_profile!r} ({_known(profiles)})")
    if not owner_only:
        problems.extend(_plain_secrets(path, profiles))
    if problems:
        raise ConfigurationError("Invalid config file:\n  " + "\n  ".join(problems))
    return ConfigFile(path, True, default_profile, profiles, keys, owner_only)


def _profiles(path: Path, table: object, problems: list[str]) -> dict[str, dict[str, object]]:
    if not isinstance(table, dict):
        problems.append(f"{path} profiles: must be a table of [profiles.<name>] sections")
        return {}
    profiles: dict[str, dict[str, object]] = {}
    for name, body in table.items():
        if not isinstance(body, dict):
            problems.append(f"{path} profiles.{name}: must be a [profiles.{name}] section")
            continue
        unknown = sorted(set(body) - set(PROFILE_KEYS))
        if unknown:
            problems.append(_unknown(path, f"in [profiles.{name}]", unknown, PROFILE_KEYS))
        given = [key for key in SECRET_KEYS if key in body]
        if len(given) > 1:
            problems.append(f"{path} [profiles.{name}]: set only one of {', '.join(given)}")
        profiles[str(name)] = {key: value for key, value in body.items() if key in PROFILE_KEYS}
    return profiles


def _keys(path: Path, table: object, problems: list[str]) -> dict[str, tuple[str, ...]]:
    if not isinstance(table, dict):
        problems.append(f'{path} keys: must be a [keys] table of binding id = "key"')
        return {}
    keys: dict[str, tuple[str, ...]] = {}
    for binding_id, value in table.items():
        if isinstance(value, str):
            keys[binding_id] = (value,)
        elif isinstance(value, list) and value and all(isinstance(item, str) for item in value):
            keys[binding_id] = tuple(value)
        else:
            problems.append(f'{path} [keys] {binding_id}: must be a key such as "ctrl+n" or a list of keys')
    return keys


def _plain_secrets(path: Path, profiles: Mapping[str, Mapping[str, object]]) -> list[str]:
    named = [name for name, body in profiles.items() if "client_secret" in body]
    if not named:
        return []
    where = ", ".join(f"[profiles.{name}]" for name in named)
    return [
        f"{path} {where} client_secret: refused because other users can read this file. "
        f"Make it readable by you only (`chmod 600 {path}`), or name the secret another way: "
        "client_secret_env (a variable to read) or client_secret_command (a command that prints it)"
    ]


def _unknown(path: Path, where: str, unknown: list[str], known: tuple[str, ...]) -> str:
    keys = ", ".join(unknown)
    return f"{path}: unknown key{'s' if len(unknown) > 1 else ''} {keys} {where} (known: {', '.join(known)})"


def _known(profiles: Mapping[str, object]) -> str:
    return "profiles: " + ", ".join(sorted(profiles)) if profiles else "the file has no profiles"
