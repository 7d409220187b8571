"""Settings from the environment (and a `.env` file in the working directory).

Read with pydantic-settings: it gives typed values, `SecretStr` for the client secret and one error listing
every bad variable, which `__main__` turns into a short message (exit status 2, no traceback).
"""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from cybrid_tui.api.errors import ConfigurationError
from cybrid_tui.api.models import DEFAULT_SCOPES
from cybrid_tui.api.security import is_secure_url

ENV_PREFIX = "CYBRID_"
HINT = "Set them in the environment or a .env file, or run `cybrid-tui --demo` to try it on a mock bank."


class Settings(BaseSettings):
    """Everything the app reads from the environment; see the README's Configuration section."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        hide_input_in_errors=True,
    )

    client_id: str | None = None
    client_secret: SecretStr | None = None
    environment: Literal["sandbox", "production"] = "sandbox"
    bank_url: str | None = None
    id_url: str | None = None
    refresh_seconds: float = Field(default=5.0, gt=0.2, le=3600)
    scopes: str = " ".join(DEFAULT_SCOPES)
    timeout_seconds: float = Field(default=10.0, gt=0, le=300)

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
            # The client would refuse it too; saying so here names the variable at startup.
            raise ValueError("must use https:// (plain http:// only for a local mock on 127.0.0.1)")
        return value.rstrip("/")

    @property
    def resolved_bank_url(self) -> str:
        return self.bank_url or f"https://bank.{self.environment}.cybrid.app"

    @property
    def resolved_id_url(self) -> str:
        return self.id_url or f"https://id.{self.environment}.cybrid.app"

    @property
    def scope_list(self) -> tuple[str, ...]:
        return tuple(self.scopes.split())


def load_settings(*, require_credentials: bool = True) -> Settings:
    """Read the settings, turning every problem into one `ConfigurationError` that names the variables."""
    try:
        settings = Settings()
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else "?"
            problems.append(f"{ENV_PREFIX}{field.upper()}: {error['msg']}")
        raise ConfigurationError("Invalid settings:\n  " + "\n  ".join(problems) + "\n" + HINT) from None
    if require_credentials:
        missing = [
            f"{ENV_PREFIX}{name.upper()}"
            for name in ("client_id", "client_secret")
            if not getattr(settings, name) or (name == "client_secret" and not _secret_value(settings))
        ]
        if missing:
            raise ConfigurationError("Missing settings: " + ", ".join(missing) + "\n" + HINT)
    return settings


def _secret_value(settings: Settings) -> str:
    return settings.client_secret.get_secret_value() if settings.client_secret else ""
