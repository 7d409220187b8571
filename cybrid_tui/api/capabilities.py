"""What the API key may do, from the scopes its token was granted: one object the whole app reads.

The app asks for every scope a capability needs (`DEFAULT_SCOPES`) and learns from the token which it got.
A capability that is missing carries a sentence saying why, for a disabled key's tooltip or a status line.
Pydantic- and httpx-free, so screens import it before the first frame.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from cybrid_tui.api import vocab

if TYPE_CHECKING:
    from collections.abc import Iterable

#: The scopes asked for unless the caller says otherwise: what every capability of the app needs.
DEFAULT_SCOPES: Final[tuple[str, ...]] = (*vocab.CUSTOMER_SCOPES, *vocab.IDENTITY_VERIFICATION_SCOPES)

#: Capability -> the scope it needs.
REQUIRED_SCOPES: Final[dict[str, str]] = {
    "can_read_customers": vocab.SCOPE_CUSTOMERS_READ,
    "can_read_pii": vocab.SCOPE_CUSTOMERS_PII_READ,
    "can_create_customers": vocab.SCOPE_CUSTOMERS_EXECUTE,
    "can_update_customers": vocab.SCOPE_CUSTOMERS_WRITE,
    "can_read_verifications": vocab.SCOPE_IDENTITY_VERIFICATIONS_READ,
    "can_start_verifications": vocab.SCOPE_IDENTITY_VERIFICATIONS_EXECUTE,
    "can_start_persona_sessions": vocab.SCOPE_PERSONA_SESSIONS_EXECUTE,
}


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What the token allows. Build it with `Capabilities.from_scopes(granted)`."""

    scopes: frozenset[str] = field(default_factory=frozenset)
    can_read_customers: bool = False
    can_read_pii: bool = False
    can_create_customers: bool = False
    can_update_customers: bool = False
    can_read_verifications: bool = False
    can_start_verifications: bool = False
    can_start_persona_sessions: bool = False

    @classmethod
    def from_scopes(cls, granted: Iterable[str]) -> Capabilities:
        scopes = frozenset(granted)
        return cls(scopes, **{name: scope in scopes for name, scope in REQUIRED_SCOPES.items()})

    @classmethod
    def everything(cls) -> Capabilities:
        """Every capability (tests, and fakes that do not model scopes)."""
        return cls.from_scopes(REQUIRED_SCOPES.values())

    def reason(self, capability: str) -> str | None:
        """Why `capability` (a field name such as "can_read_pii") is missing, or None when it is there."""
        scope = REQUIRED_SCOPES[capability]
        if getattr(self, capability):
            return None
        return f"The API key lacks {scope}."

    @property
    def missing(self) -> dict[str, str]:
        """Every missing capability with its reason."""
        return {
            name: f"The API key lacks {scope}."
            for name, scope in REQUIRED_SCOPES.items()
            if not getattr(self, name)
        }
