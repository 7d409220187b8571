"""What the token allows, from its scopes: one object, each missing capability with its reason."""

from __future__ import annotations

import pytest

from cybrid_tui.api import vocab
from cybrid_tui.api.capabilities import DEFAULT_SCOPES, REQUIRED_SCOPES, Capabilities
from tests.support.client_fakes import FakeCybrid


def test_customer_scopes_without_identity_verification_scopes() -> None:
    capabilities = Capabilities.from_scopes(vocab.CUSTOMER_SCOPES)
    assert capabilities.can_read_customers and capabilities.can_read_pii
    assert capabilities.can_create_customers and capabilities.can_update_customers
    assert not capabilities.can_start_verifications
    assert (
        capabilities.reason("can_start_verifications") == "The API key lacks identity_verifications:execute."
    )
    assert capabilities.reason("can_read_pii") is None
    assert set(capabilities.missing) == {
        "can_read_verifications",
        "can_start_verifications",
        "can_start_persona_sessions",
    }


@pytest.mark.parametrize(("capability", "scope"), sorted(REQUIRED_SCOPES.items()))
def test_each_capability_follows_its_scope(capability: str, scope: str) -> None:
    everything_else = set(DEFAULT_SCOPES) - {scope}
    assert getattr(Capabilities.from_scopes(DEFAULT_SCOPES), capability) is True
    without = Capabilities.from_scopes(everything_else)
    assert getattr(without, capability) is False
    assert scope in (without.reason(capability) or "")


def test_the_default_request_covers_every_capability() -> None:
    assert Capabilities.from_scopes(DEFAULT_SCOPES) == Capabilities.everything()
    assert not Capabilities.everything().missing


async def test_the_client_reads_capabilities_from_the_token() -> None:
    fake = FakeCybrid()
    fake.token_scope = "customers:read customers:write"
    async with fake.client() as client:
        capabilities = await client.capabilities()
    assert capabilities.can_read_customers and capabilities.can_update_customers
    assert not capabilities.can_read_pii
    assert capabilities.reason("can_read_pii") == "The API key lacks customers:pii:read."
