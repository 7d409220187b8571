"""Bearer tokens the mock identity provider issues: random opaque strings with scopes and an expiry.

Expiry is measured on the injected clock's monotonic time, so a test advances a frozen clock past a
token's lifetime instead of waiting for it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from cybrid_tui.mock.errors import bad_signature, expired_signature, malformed_auth

#: Expired tokens are remembered this long, so a late client hears "Signature has expired".
_EXPIRED_MEMORY_SECONDS = 3600.0
_PRUNE_ABOVE = 512


@dataclass(frozen=True, slots=True)
class Grant:
    scopes: frozenset[str]
    expires_at: float  # clock.monotonic() seconds

    def __repr__(self) -> str:
        return f"Grant(scopes={sorted(self.scopes)!r}, expires_at={self.expires_at})"


class TokenStore:
    def __init__(self) -> None:
        self._grants: dict[str, Grant] = {}
        self._prune_above = _PRUNE_ABOVE

    def __repr__(self) -> str:
        return f"TokenStore({len(self._grants)} tokens)"  # never the tokens themselves

    def issue(self, scopes: frozenset[str], ttl_seconds: float, now: float) -> str:
        if len(self._grants) > self._prune_above:
            self._prune(now)
            # Amortised: prune again only once the store has doubled.
            self._prune_above = max(_PRUNE_ABOVE, 2 * len(self._grants))
        token = secrets.token_urlsafe(32)
        self._grants[token] = Grant(scopes=scopes, expires_at=now + ttl_seconds)
        return token

    def check(self, authorization: str | None, now: float) -> frozenset[str]:
        """Scopes of the bearer token in an Authorization header; raises MockError 401."""
        if not authorization:
            raise malformed_auth()
        scheme, _, token = authorization.strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token or " " in token:
            raise malformed_auth()
        grant = self._grants.get(token)
        if grant is None:
            raise bad_signature()
        if now >= grant.expires_at:
            raise expired_signature()
        return grant.scopes

    def expire_all(self, now: float) -> int:
        """Make every live token expired now (tests: a token that dies mid-session); returns how many."""
        live = [token for token, grant in self._grants.items() if grant.expires_at > now]
        for token in live:
            self._grants[token] = Grant(scopes=self._grants[token].scopes, expires_at=now)
        return len(live)

    def _prune(self, now: float) -> None:
        horizon = now - _EXPIRED_MEMORY_SECONDS
        for token in [token for token, grant in self._grants.items() if grant.expires_at < horizon]:
            del self._grants[token]
