"""The settings the app and the commands run with, and `load_settings`, which reads and checks them.

Values come from, highest first: flags, `CYBRID_*` variables, a `.env` file in the working directory, the
chosen profile of `config.toml`, defaults (see `cybrid_tui.settings`). Every problem becomes one
`ConfigurationError` naming the source of the bad value (the variable, or the file and key), without the value
and without a traceback; `__main__` turns it into a short message and exit status 2.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from cybrid_tui.api.capabilities import DEFAULT_SCOPES
from cybrid_tui.api.errors import CybridError
from cybrid_tui.api.security import check_base_url, is_secure_url
from cybrid_tui.defaults import (
    DEFAULT_REFRESH_SECONDS,
    DEFAULT_TIMEOUT_SECONDS,
    MAX_REFRESH_SECONDS,
    MAX_TIMEOUT_SECONDS,
    MIN_REFRESH_SECONDS,
)

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from cybrid_tui.settings.resolve import Resolved

HINT = "Set them in the environment or a .env file, or run `cybrid-tui --demo` to try it on a mock bank."


class Settings(BaseModel):
    """Everything the app reads from its configuration; see the README's Configuration section."""

    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)

    client_id: str | None = None
    client_secret: SecretStr | None = None
    environment: Literal["sandbox", "production"] = "sandbox"
    bank_url: str | None = None
    id_url: str | None = None
    refresh_seconds: float = Field(
        default=DEFAULT_REFRESH_SECONDS, gt=MIN_REFRESH_SECONDS, le=MAX_REFRESH_SECONDS
    )
    scopes: str = " ".join(DEFAULT_SCOPES)
    timeout_seconds: float = Field(default=DEFAULT_TIMEOUT_SECONDS, gt=0, le=MAX_TIMEOUT_SECONDS)
    #: Creating customers, starting verifications and resets are hidden and refused.
    read_only: bool = False
    #: Tag each create with a label so an ambiguous failure can be checked instead of blindly retried.
    duplicate_guard: bool = True
    #: The config-file profile these settings came from (None: environment variables and defaults only).
    profile: str | None = None

    @field_validator("scopes", mode="before")
    @classmethod
    def _scopes(cls, value: object) -> object:
        # The file may list scopes as an array; the variable is space-separated.
        if isinstance(value, list | tuple) and all(isinstance(item, str) for item in value):
            return " ".join(value)
        return value

    @field_validator("bank_url", "id_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        try:
            parts = urlsplit(value)
            scheme, host = parts.scheme, parts.hostname
        except ValueError:
            scheme, host = "", None
        if scheme not in ("http", "https") or not host:
            raise ValueError("must be an http(s) URL such as https://bank.sandbox.cybrid.app")
        if not is_secure_url(scheme, host):
            # The client would refuse it too; saying so here names the source at startup.
            raise ValueError("must use https:// (plain http:// only for a local mock on 127.0.0.1)")
        # Every other rule of the client's own check (user info, query, port), here too: read from any layer
        # (a profile, `.env`, a flag), the message names that source, not a variable it did not come from.
        try:
            return check_base_url(value, name="the URL")
        except CybridError as error:
            raise ValueError(error.error_message.removeprefix("the URL ").rstrip(".")) from None

    @property
    def resolved_bank_url(self) -> str:
        return self.bank_url or f"https://bank.{self.environment}.cybrid.app"

    @property
    def resolved_id_url(self) -> str:
        return self.id_url or f"https://id.{self.environment}.cybrid.app"

    @property
    def scope_list(self) -> tuple[str, ...]:
        return tuple(self.scopes.split())

    @property
    def is_production(self) -> bool:
        return self.environment == "production"


def resolve_settings(
    *,
    require_credentials: bool = True,
    profile: str | None = None,
    flags: Mapping[str, object] | None = None,
    environ: Mapping[str, str] | None = None,
    dotenv_path: Path | None = None,
    read_secret: bool = True,
) -> Resolved:
    """The settings with each value's source, the profile chosen and the parsed config file (with `[keys]`).

    `profile` is the `--profile` flag; `flags` maps setting names to flag values (`{"read_only": True}`), None
    or absent meaning "not given". `read_secret=False` leaves a `client_secret_command` unrun (`config show`).
    """
    from cybrid_tui.settings.resolve import resolve

    return resolve(
        require_credentials=require_credentials,
        profile=profile,
        flags=flags,
        environ=environ,
        dotenv_path=dotenv_path,
        read_secret=read_secret,
    )


def load_settings(
    *,
    require_credentials: bool = True,
    profile: str | None = None,
    flags: Mapping[str, object] | None = None,
) -> Settings:
    """Read the settings (see `resolve_settings`); raises one `ConfigurationError` naming every bad source."""
    return resolve_settings(require_credentials=require_credentials, profile=profile, flags=flags).settings
