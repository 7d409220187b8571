"""Merging the layers into `Settings`, remembering where every effective value came from.

Precedence, highest first: flags, environment variables, `.env`, the chosen profile, defaults. The client
secret is one group: the highest layer that names it in any way (`client_secret`, `client_secret_env`,
`client_secret_command`) decides how it is read, so a profile's command never hides a `CYBRID_CLIENT_SECRET`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cybrid_tui.api.errors import ConfigurationError
from cybrid_tui.config import FIELDS, HINT, Settings, SettingsProblems
from cybrid_tui.logging_setup import register_secret
from cybrid_tui.settings import config_file, secrets
from cybrid_tui.settings.layers import (
    DEFAULT,
    PROFILE_VARIABLE,
    Environment,
    Source,
    dotenv_source,
    env_name,
    env_source,
    file_source,
    flag_source,
)

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from cybrid_tui.settings.config_file import ConfigFile

Layer = dict[str, tuple[object, Source]]


@dataclass(frozen=True, slots=True)
class Resolved:
    """The effective settings and, for each setting, its source; `shadowed` lists the lower layers' values
    a higher one overrode (so `config show` can say that a variable beats the profile)."""

    settings: Settings
    sources: Mapping[str, Source]
    profile_source: Source | None
    config: ConfigFile
    config_source: Source
    #: The secret command that was not run (`read_secret=False`), so `config show` can say how it is read.
    secret_command: str | None = None
    shadowed: Mapping[str, tuple[Source, ...]] = field(default_factory=dict)

    @property
    def keymap(self) -> Mapping[str, tuple[str, ...]]:
        return self.config.keys


def resolve(
    *,
    require_credentials: bool = True,
    profile: str | None = None,
    flags: Mapping[str, object] | None = None,
    environ: Mapping[str, str] | None = None,
    dotenv_path: Path | None = None,
    read_secret: bool = True,
) -> Resolved:
    env = Environment.read(environ, dotenv_path)
    path, path_source = config_file.locate(env)
    config = config_file.load(path)
    name, name_source = _choose_profile(profile, env, config)
    layers = _layers(env, config, name, flags or {})
    merged: dict[str, tuple[object, Source]] = {}
    shadowed: dict[str, list[Source]] = {}
    for layer in layers:
        for key, entry in layer.items():
            if key in merged:
                shadowed.setdefault(key, []).append(merged[key][1])
            merged[key] = entry
    secret, secret_source, command = _secret(layers, env, read_secret=read_secret, strict=require_credentials)
    data = {key: value for key, (value, _) in merged.items() if key in FIELDS}
    data.pop("client_secret", None)
    if secret is not None:
        data["client_secret"] = secret
    data["profile"] = name
    sources = {key: merged[key][1] if key in merged else DEFAULT for key in config_file.SETTING_KEYS}
    sources["client_secret"] = secret_source
    settings = _validate(data, sources)
    if require_credentials:
        _check_credentials(settings, command, name, config)
    return Resolved(
        settings=settings,
        sources=sources,
        profile_source=name_source,
        config=config,
        config_source=path_source,
        secret_command=command,
        shadowed={key: tuple(found) for key, found in shadowed.items() if key in sources},
    )


def _choose_profile(
    flag: str | None, env: Environment, config: ConfigFile
) -> tuple[str | None, Source | None]:
    if flag is not None:
        name, source = flag, Source("flag", "--profile")
    elif (found := env.lookup(PROFILE_VARIABLE)) is not None and found[0].strip():
        name, source = found[0].strip(), found[1]
    elif config.default_profile is not None:
        name, source = config.default_profile, Source("file", f"{config.path} default_profile")
    else:
        return None, None
    if name not in config.profiles:
        where = (
            f"in {config.path} (profiles: {', '.join(sorted(config.profiles))})"
            if config.profiles
            else f"in {config.path}" + ("" if config.exists else " (there is no config file)")
        )
        raise ConfigurationError(f"{source}: there is no profile named {name!r} {where}")
    return name, source


def _layers(
    env: Environment, config: ConfigFile, profile: str | None, flags: Mapping[str, object]
) -> list[Layer]:
    """Lowest first: the profile, `.env`, the environment, the flags."""
    keys = config_file.PROFILE_KEYS
    body = config.profiles.get(profile, {}) if profile is not None else {}
    from_file: Layer = {
        key: (body[key], file_source(config.path, profile, key)) for key in keys if key in body
    }
    from_dotenv: Layer = {
        key: (env.dotenv[env_name(key)], dotenv_source(env.dotenv_path, key))
        for key in keys
        if env_name(key) in env.dotenv
    }
    from_env: Layer = {
        key: (env.variables[env_name(key)], env_source(key)) for key in keys if env_name(key) in env.variables
    }
    unknown = sorted(set(flags) - set(keys))
    if unknown:  # a programming error in the caller, not the person's: say so plainly anyway
        raise ConfigurationError(f"unknown setting flags: {', '.join(unknown)}")
    from_flags: Layer = {key: (value, flag_source(key)) for key, value in flags.items() if value is not None}
    return [from_file, from_dotenv, from_env, from_flags]


def _secret(
    layers: list[Layer], env: Environment, *, read_secret: bool, strict: bool
) -> tuple[str | None, Source, str | None]:
    """(secret, its source, the command left unrun) from the highest layer naming the secret at all.
    Not `strict` (no credentials needed), a variable that is not set leaves the secret unset."""
    for layer in reversed(layers):
        given = [key for key in config_file.SECRET_KEYS if key in layer]
        if not given:
            continue
        if len(given) > 1:
            names = ", ".join(str(layer[key][1]) for key in given)
            raise ConfigurationError(f"Set only one way to give the client secret, not all of: {names}")
        key = given[0]
        value, source = layer[key]
        if key == "client_secret":
            if isinstance(value, str):
                register_secret(value)
            return (value if isinstance(value, str) else None), source, None
        if key == "client_secret_env":
            if not strict and not secrets.variable_is_set(value, env):
                return None, Source(source.kind, f"{value} (not set; named by {source})"), None
            secret, found = secrets.from_variable(value, env, source)
            return secret, Source(found.kind, f"{found} (named by {source})"), None
        described = Source(source.kind, f"the command in {source}")
        if not read_secret:
            return None, described, value if isinstance(value, str) else None
        return secrets.from_command(value, source), described, None
    return None, DEFAULT, None


def _validate(data: dict[str, object], sources: Mapping[str, Source]) -> Settings:
    try:
        return Settings.validate(data)
    except SettingsProblems as exc:
        problems = [f"{sources.get(key, DEFAULT)}: {message}" for key, message in exc.problems]
        raise ConfigurationError("Invalid settings:\n  " + "\n  ".join(problems) + "\n" + HINT) from None


def _check_credentials(
    settings: Settings, command: str | None, profile: str | None, config: ConfigFile
) -> None:
    missing = []
    if not settings.client_id:
        missing.append(env_name("client_id"))
    if command is None and (settings.client_secret is None or not settings.client_secret.get_secret_value()):
        missing.append(env_name("client_secret"))
    if not missing:
        return
    message = "Missing settings: " + ", ".join(missing)
    if profile is not None:
        message += (
            f"\nOr give them in [profiles.{profile}] of {config.path}: client_id, and client_secret_env or "
            "client_secret_command."
        )
    raise ConfigurationError(message + "\n" + HINT)
