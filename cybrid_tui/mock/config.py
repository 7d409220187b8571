"""What a mock bank looks like (seed, size, credentials, KYC mode) and which faults it injects.

Plain dataclasses with no heavy imports, so the CLI and the app can build them cheaply.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cybrid_tui.api.vocab import CUSTOMER_SCOPES, IDENTITY_VERIFICATION_SCOPES

if TYPE_CHECKING:
    from collections.abc import Mapping

#: The bank every mock token belongs to (a real bank token is bound to one bank).
DEFAULT_BANK_GUID = "4e5a1f0c8b2d47e3a9c6d1b7f20e8a35"

#: What the mock bank's credentials may be granted (a token gets the requested ones among these).
GRANTABLE_SCOPES: frozenset[str] = frozenset(CUSTOMER_SCOPES + IDENTITY_VERIFICATION_SCOPES)

#: Bounds that keep a fault setting meaningful (and a typo from hanging a test for an hour).
MAX_LATENCY_MS = 60_000.0
MAX_TOKEN_TTL_SECONDS = 86_400


@dataclass
class FaultConfig:
    """Faults applied to identity and bank requests (never to the `/_mock` admin paths)."""

    latency_ms: float = 0
    jitter_ms: float = 0
    error_rate: float = 0.0  # fraction of requests answered 500/502/503 (spec-shaped body)
    rate_limit_rps: float | None = None  # above N requests/second -> 429 with Retry-After
    drop_rate: float = 0.0  # fraction of connections dropped before the response completes
    token_ttl_seconds: int | None = None  # overrides MockConfig.token_ttl_seconds (short tokens)

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @property
    def active(self) -> bool:
        return bool(
            self.latency_ms
            or self.jitter_ms
            or self.error_rate
            or self.rate_limit_rps is not None
            or self.drop_rate
        )


@dataclass
class MockConfig:
    seed: int = 7
    customers: int = 60
    client_id: str = "mock-client-id"
    client_secret: str = "mock-client-secret"  # a published demo credential, not a secret
    storing_seconds: float = 2.0
    token_ttl_seconds: int = 3600
    bank_guid: str = DEFAULT_BANK_GUID
    granted_scopes: frozenset[str] = GRANTABLE_SCOPES
    require_details: bool = False  # bank configured for bank-provided KYC: type-only create -> 422
    activity: bool = False  # demo: seeded future state transitions so the table moves by itself
    # Identity verifications: storing -> waiting, then each automatic step (sandbox expected_behaviours),
    # and how long a waiting or pending one lives before it expires (Persona: 24 h; the demo wants minutes).
    verification_storing_seconds: float = 1.0
    verification_step_seconds: float = 1.0
    verification_lifetime_seconds: float = 86_400.0
    faults: FaultConfig = field(default_factory=FaultConfig)

    def __repr__(self) -> str:
        # The mock secret is harmless, but reprs end up in logs: keep the habit of never printing secrets.
        return (
            f"MockConfig(seed={self.seed}, customers={self.customers}, client_id={self.client_id!r}, "
            f"storing_seconds={self.storing_seconds}, require_details={self.require_details}, "
            f"activity={self.activity}, faults={self.faults!r})"
        )


class FaultConfigError(ValueError):
    """A fault setting out of range or of the wrong type; the message starts with the field's name."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.field = message.split(" ", 1)[0]


def _number(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise FaultConfigError(f"{name} must be a number")
    return float(value)


def _fraction(name: str, value: Any) -> float:
    number = _number(name, value)
    if not 0.0 <= number <= 1.0:
        raise FaultConfigError(f"{name} must be between 0 and 1")
    return number


def _milliseconds(name: str, value: Any) -> float:
    number = _number(name, value)
    if not 0.0 <= number <= MAX_LATENCY_MS:
        raise FaultConfigError(f"{name} must be between 0 and {MAX_LATENCY_MS:.0f}")
    return number


def _rate(name: str, value: Any) -> float | None:
    if value is None:
        return None
    number = _number(name, value)
    if number <= 0:
        raise FaultConfigError(f"{name} must be more than 0 (or null for no limit)")
    return number


def _ttl(name: str, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise FaultConfigError(f"{name} must be a whole number of seconds (or null)")
    if not 1 <= value <= MAX_TOKEN_TTL_SECONDS:
        raise FaultConfigError(f"{name} must be between 1 and {MAX_TOKEN_TTL_SECONDS}")
    return int(value)


_FIELD_CHECKS = {
    "latency_ms": _milliseconds,
    "jitter_ms": _milliseconds,
    "error_rate": _fraction,
    "rate_limit_rps": _rate,
    "drop_rate": _fraction,
    "token_ttl_seconds": _ttl,
}


def updated_faults(current: FaultConfig, changes: Mapping[str, Any]) -> FaultConfig:
    """`current` with `changes` applied (a partial update), every value checked; raises FaultConfigError."""
    unknown = sorted(set(changes) - set(_FIELD_CHECKS))
    if unknown:
        raise FaultConfigError(f"unknown fault setting: {', '.join(unknown)}")
    checked: dict[str, Any] = {name: _FIELD_CHECKS[name](name, value) for name, value in changes.items()}
    return dataclasses.replace(current, **checked)


def checked_faults(faults: FaultConfig) -> FaultConfig:
    """Validate every field of `faults` (e.g. built from CLI flags); raises FaultConfigError."""
    return updated_faults(FaultConfig(), dataclasses.asdict(faults))
