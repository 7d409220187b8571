"""Settings reach the client: what a user sets in CYBRID_SCOPES and CYBRID_TIMEOUT_SECONDS is what goes out.

Through the same path the TUI and the command line use (`load_settings` -> `open_session`), against a fake
Cybrid that records every request, so a setting dropped anywhere on the way makes a test fail.
"""

from __future__ import annotations

import json

import pytest

from cybrid_tui.config import load_settings
from cybrid_tui.session import open_session
from tests.support.client_fakes import BANK_URL, ID_URL, FakeCybrid


@pytest.fixture
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CYBRID_CLIENT_ID", "test-client-id")
    monkeypatch.setenv("CYBRID_CLIENT_SECRET", "test-client-secret-0123")
    monkeypatch.setenv("CYBRID_BANK_URL", BANK_URL)
    monkeypatch.setenv("CYBRID_ID_URL", ID_URL)


def timeouts(fake: FakeCybrid) -> set[float]:
    return {
        value
        for request in (*fake.token_requests, *fake.bank_requests)
        for value in request.extensions["timeout"].values()
    }


@pytest.mark.usefixtures("credentials")
async def test_cybrid_scopes_are_the_scopes_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CYBRID_SCOPES", "customers:read banks:read")
    fake = FakeCybrid(customers=3)
    fake.token_scope = "customers:read banks:read"

    session = open_session(load_settings(), transport=fake.transport())
    try:
        await session.client.customers.list(page=0, per_page=10)
    finally:
        await session.aclose()

    (token_request,) = fake.token_requests
    assert json.loads(token_request.content)["scope"] == "customers:read banks:read"


@pytest.mark.usefixtures("credentials")
async def test_cybrid_timeout_seconds_is_every_request_s_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CYBRID_TIMEOUT_SECONDS", "7.25")
    fake = FakeCybrid(customers=3)

    session = open_session(load_settings(), transport=fake.transport())
    try:
        await session.client.customers.list(page=0, per_page=10)
    finally:
        await session.aclose()

    assert fake.token_requests and fake.bank_requests
    assert timeouts(fake) == {7.25}


@pytest.mark.usefixtures("credentials")
async def test_the_defaults_differ_from_the_values_tested_above() -> None:
    # Otherwise the two tests above would pass with the settings ignored.
    fake = FakeCybrid(customers=3)
    session = open_session(load_settings(), transport=fake.transport())
    try:
        await session.client.customers.list(page=0, per_page=10)
    finally:
        await session.aclose()

    assert json.loads(fake.token_requests[0].content)["scope"] != "customers:read banks:read"
    assert timeouts(fake) != {7.25}
