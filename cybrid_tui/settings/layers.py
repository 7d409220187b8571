"""The layers a setting can come from, and how each value names its source in messages and `config show`."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from collections.abc import Mapping

from cybrid_tui.settings.presence import DOTENV_NAME

ENV_PREFIX = "CYBRID_"
#: The profile to use (as `--profile`).
PROFILE_VARIABLE = f"{ENV_PREFIX}PROFILE"

SourceKind = Literal["flag", "env", "dotenv", "file", "default"]


@dataclass(frozen=True, slots=True)
class Source:
    """Where one effective value came from; `str()` is what a person reads (`CYBRID_BANK_URL`, `--read-only`,
    `~/.config/cybrid-tui/config.toml [profiles.b] bank_url`, `default`)."""

    kind: SourceKind
    detail: str = ""

    def __str__(self) -> str:
        return self.detail if self.detail else self.kind


DEFAULT = Source("default")


def env_name(key: str) -> str:
    return f"{ENV_PREFIX}{key.upper()}"


def flag_name(key: str) -> str:
    return "--" + key.replace("_", "-")


def env_source(key: str) -> Source:
    return Source("env", env_name(key))


def dotenv_source(path: Path, key: str) -> Source:
    return Source("dotenv", f"{path} {env_name(key)}")


def flag_source(key: str) -> Source:
    return Source("flag", flag_name(key))


def file_source(path: Path, profile: str | None, key: str) -> Source:
    table = f" [profiles.{profile}]" if profile is not None else ""
    return Source("file", f"{path}{table} {key}")


@dataclass(frozen=True, slots=True)
class Environment:
    """The process environment and the working directory's `.env`, upper-cased names (as pydantic-settings
    read them before: `cybrid_bank_url` counts as `CYBRID_BANK_URL`)."""

    variables: Mapping[str, str]
    dotenv: Mapping[str, str]
    dotenv_path: Path

    @classmethod
    def read(cls, environ: Mapping[str, str] | None = None, dotenv_path: Path | None = None) -> Environment:
        from cybrid_tui.api.errors import ConfigurationError

        chosen = Path(DOTENV_NAME) if dotenv_path is None else dotenv_path
        values: dict[str, str] = {}
        if chosen.is_file():
            from dotenv import dotenv_values

            try:
                parsed = dotenv_values(chosen, encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                reason = getattr(error, "strerror", None) or type(error).__name__
                raise ConfigurationError(f"{chosen}: cannot be read ({reason})") from None
            values = {name.upper(): value for name, value in parsed.items() if value is not None}
        source = os.environ if environ is None else environ
        return cls({name.upper(): value for name, value in source.items()}, values, chosen)

    def lookup(self, name: str) -> tuple[str, Source] | None:
        """A variable from the environment, else from `.env` (the environment wins, as for every setting)."""
        upper = name.upper()
        if upper in self.variables:
            return self.variables[upper], Source("env", upper)
        if upper in self.dotenv:
            return self.dotenv[upper], Source("dotenv", f"{self.dotenv_path} {upper}")
        return None
