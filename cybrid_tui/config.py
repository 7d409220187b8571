"""The settings the app and the commands run with, and `load_settings`, which reads and checks them.

Values come from, highest first: flags, `CYBRID_*` variables, a `.env` file in the working directory, the
chosen profile of `config.toml`, defaults (see `cybrid_tui.settings`). Every problem becomes one
`ConfigurationError` naming the source of the bad value (the variable, or the file and key), without the value
and without a traceback; `__main__` turns it into a short message and exit status 2.

`Settings` is a plain frozen dataclass checked by hand, not a pydantic model: every command reads it, and
importing pydantic (and building a model) cost ~45 ms of each start and exit. The checks keep pydantic's lax
coercions that matter here (numbers and booleans written as text, as variables and `.env` give them).
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, Final, Literal
from urllib.parse import urlsplit

from cybrid_tui.api.capabilities import DEFAULT_SCOPES
from cybrid_tui.api.errors import CybridError
from cybrid_tui.api.secret import Secret
from cybrid_tui.api.security import check_base_url, is_secure_url
from cybrid_tui.defaults import (
    DEFAULT_REFRESH_SECONDS,
    DEFAULT_TIMEOUT_SECONDS,
    MAX_REFRESH_SECONDS,
    MAX_TIMEOUT_SECONDS,
    MIN_REFRESH_SECONDS,
    default_bank_url,
    default_id_url,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping
    from pathlib import Path

    from cybrid_tui.settings.resolve import Resolved

HINT = "Set them in the environment or a .env file, or run `cybrid-tui --demo` to try it on a mock bank."

ENVIRONMENTS: Final = ("sandbox", "production")
EnvironmentName = Literal["sandbox", "production"]


class SettingsProblems(ValueError):
    """Every problem found in some settings, as `(field, message)` pairs in field order.

    A message never holds the value: a secret pasted into the wrong variable must not be printed back.
    """

    def __init__(self, problems: Iterable[tuple[str, str]]) -> None:
        self.problems: tuple[tuple[str, str], ...] = tuple(problems)
        super().__init__("; ".join(f"{field}: {message}" for field, message in self.problems))


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """Everything the app reads from its configuration; see the README's Configuration section.

    Built directly (`Settings(environment="production")`) or from untyped values (`Settings.validate(data)`),
    the values are checked and normalised the same way; a bad one raises `SettingsProblems`.
    """

    client_id: str | None = None
    #: A `str` or pydantic `SecretStr` given here is kept as a `Secret`.
    client_secret: Secret | None = None
    environment: EnvironmentName = "sandbox"
    bank_url: str | None = None
    id_url: str | None = None
    #: More than MIN_REFRESH_SECONDS, at most MAX_REFRESH_SECONDS.
    refresh_seconds: float = DEFAULT_REFRESH_SECONDS
    #: Space-separated; a list or tuple of scopes given here is joined.
    scopes: str = " ".join(DEFAULT_SCOPES)
    #: More than 0, at most MAX_TIMEOUT_SECONDS.
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS
    #: Creating customers, starting verifications and resets are hidden and refused.
    read_only: bool = False
    #: Tag each create with a label so an ambiguous failure can be checked instead of blindly retried.
    duplicate_guard: bool = True
    #: The config-file profile these settings came from (None: environment variables and defaults only).
    profile: str | None = None

    def __post_init__(self) -> None:
        with contextlib.suppress(_Refused):
            # The secret is masked first: a problem with another field raises from here, and a traceback
            # (a crash screen shows locals) would otherwise show `self` with the secret in plain text.
            object.__setattr__(self, "client_secret", _secret(self.client_secret))
        checked, problems = _check({name: getattr(self, name) for name in FIELDS})
        if problems:
            raise SettingsProblems(problems)
        for name, value in checked.items():
            if value is not getattr(self, name):
                # Frozen: normalised values (a `Secret`, joined scopes, a float) go in the way dataclasses do.
                object.__setattr__(self, name, value)

    @classmethod
    def validate(cls, data: Mapping[str, object]) -> Settings:
        """Settings from untyped values (variables give text, the config file TOML types); raises one
        `SettingsProblems` listing every bad field, unknown keys included."""
        unknown = [(str(key), "is not a setting") for key in data if key not in _CHECKS]
        known: dict[str, Any] = {key: value for key, value in data.items() if key in _CHECKS}
        try:
            # `__post_init__` checks and normalises every value (once), collecting all their problems.
            settings = cls(**known)
        except SettingsProblems as problems:
            raise SettingsProblems([*problems.problems, *unknown]) from None
        if unknown:
            raise SettingsProblems(unknown)
        return settings

    @property
    def resolved_bank_url(self) -> str:
        return self.bank_url or default_bank_url(self.environment)

    @property
    def resolved_id_url(self) -> str:
        return self.id_url or default_id_url(self.environment)

    @property
    def scope_list(self) -> tuple[str, ...]:
        return tuple(self.scopes.split())

    @property
    def is_production(self) -> bool:
        return self.environment == "production"


#: The setting names, in the order problems are reported.
FIELDS: Final[tuple[str, ...]] = tuple(field.name for field in fields(Settings))


class _Refused(Exception):
    """One field's problem; the message is what a person reads after the source's name."""


def _check(values: Mapping[str, object]) -> tuple[dict[str, object], list[tuple[str, str]]]:
    """The given values checked and normalised, and every problem found, in field order."""
    checked: dict[str, object] = {}
    problems: list[tuple[str, str]] = []
    for name in FIELDS:
        if name not in values:
            continue
        try:
            checked[name] = _CHECKS[name](values[name])
        except _Refused as refused:
            problems.append((name, str(refused)))
    return checked, problems


def _optional_text(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise _Refused("must be text")


def _secret(value: object) -> Secret | None:
    if value is None:
        return None
    if isinstance(value, str) or callable(getattr(value, "get_secret_value", None)):
        try:
            return Secret.of(value)  # type: ignore[arg-type]  # a str or a SecretValue, checked just above
        except TypeError:  # a `get_secret_value()` that gives something other than text
            pass
    raise _Refused("must be text")


def _environment(value: object) -> str:
    if isinstance(value, str) and value in ENVIRONMENTS:
        return value
    raise _Refused("must be sandbox or production")


def _url(value: object) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise _Refused("must be an http(s) URL such as https://bank.sandbox.cybrid.app")
    try:
        parts = urlsplit(value)
        scheme, host = parts.scheme, parts.hostname
    except ValueError:
        scheme, host = "", None
    if scheme not in ("http", "https") or not host:
        raise _Refused("must be an http(s) URL such as https://bank.sandbox.cybrid.app")
    if not is_secure_url(scheme, host):
        # The client would refuse it too; saying so here names the source at startup.
        raise _Refused("must use https:// (plain http:// only for a local mock on 127.0.0.1)")
    # Every other rule of the client's own check (user info, query, port), here too: read from any layer
    # (a profile, `.env`, a flag), the message names that source, not a variable it did not come from.
    try:
        return check_base_url(value, name="the URL")
    except CybridError as error:
        raise _Refused(error.error_message.removeprefix("the URL ").rstrip(".")) from None


def _seconds(low: float, high: float) -> Callable[[object], float]:
    """A check for a number of seconds more than `low` and at most `high`."""
    bounds = f"must be more than {low:g} and at most {high:g} seconds"

    def check(value: object) -> float:
        number = _number(value)
        if not low < number <= high:  # also refuses infinities
            raise _Refused(bounds)
        return number

    return check


def _number(value: object) -> float:
    # As pydantic's lax float: ints and floats, and text Python reads as a float (" 2.5", "7", "1e3"); not
    # booleans (`true` is no number of seconds), not NaN (no bound could hold it).
    if isinstance(value, bool):
        raise _Refused("must be a number")
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:  # an int too large for a float: beyond any bound
            return math.inf
    elif isinstance(value, str) and value.isascii():  # float() also reads other scripts' digits
        try:
            number = float(value)
        except ValueError:  # its message quotes the value: never shown
            raise _Refused("must be a number") from None
    else:
        raise _Refused("must be a number")
    if math.isnan(number):
        raise _Refused("must be a number")
    return number


def _scopes(value: object) -> str:
    # The file may list scopes as an array; the variable is space-separated.
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple) and all(isinstance(item, str) for item in value):
        return " ".join(value)
    raise _Refused("must be scopes separated by spaces, or a list of scopes")


#: The words pydantic's lax bool reads (compared lower-cased), so a `.env` that worked before still does.
_TRUE: Final = frozenset({"1", "on", "t", "true", "y", "yes"})
_FALSE: Final = frozenset({"0", "off", "f", "false", "n", "no"})


def _bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise _Refused("must be true or false")


_CHECKS: Final[Mapping[str, Callable[[object], object]]] = {
    "client_id": _optional_text,
    "client_secret": _secret,
    "environment": _environment,
    "bank_url": _url,
    "id_url": _url,
    "refresh_seconds": _seconds(MIN_REFRESH_SECONDS, MAX_REFRESH_SECONDS),
    "scopes": _scopes,
    "timeout_seconds": _seconds(0, MAX_TIMEOUT_SECONDS),
    "read_only": _bool,
    "duplicate_guard": _bool,
    "profile": _optional_text,
}


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
