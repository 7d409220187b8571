"""`CybridClient`: the async client for Cybrid's bank API, assembled from its base and its resources.

    async with CybridClient(bank_url=..., id_url=..., client_id=..., client_secret=...) as client:
        page = await client.customers.list(type=["business"])
        async for customer in client.customers.iter():
            ...

The base (`_base.py`) holds the connection, the token and the retries; each resource module (`customers.py`,
and the identity verifications next) holds its endpoints. Open one the way the app does with
`cybrid_tui.session.open_session`.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from cybrid_tui.api._base import BaseClient
from cybrid_tui.api.capabilities import Capabilities
from cybrid_tui.api.customers import Customers
from cybrid_tui.api.retry import RetryPolicy

if TYPE_CHECKING:
    # Imported on first use: a command that only lists customers starts without them (and safe_create).
    from cybrid_tui.api.identity_verifications import IdentityVerifications, PersonaSessions


class CybridClient(BaseClient):
    """One Cybrid bank: `customers` (list, page through, get, create, update) and what the token allows."""

    @cached_property
    def customers(self) -> Customers:
        return Customers(self)

    @cached_property
    def identity_verifications(self) -> IdentityVerifications:
        from cybrid_tui.api.identity_verifications import IdentityVerifications

        return IdentityVerifications(self)

    @cached_property
    def persona_sessions(self) -> PersonaSessions:
        from cybrid_tui.api.identity_verifications import PersonaSessions

        return PersonaSessions(self)

    async def capabilities(self) -> Capabilities:
        """What the current token allows (fetching a token if needed)."""
        return Capabilities.from_scopes(await self.granted_scopes())


__all__ = ["CybridClient", "RetryPolicy"]
