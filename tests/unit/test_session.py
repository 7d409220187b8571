"""One way to open a client: demo or settings, a ready client and where it points."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from cybrid_tui.api.errors import AuthenticationError, ConfigurationError, InsecureTransportError, ServerError
from cybrid_tui.api.retry import NO_RETRY
from cybrid_tui.config import Settings
from cybrid_tui.defaults import DEFAULT_REFRESH_SECONDS, DEMO_REFRESH_SECONDS, refresh_seconds_for
from cybrid_tui.session import Destination, describe, open_session


async def test_the_demo_session_lists_the_demo_bank() -> None:
    session = open_session(demo=True)
    try:
        page = await session.client.customers.list(per_page=5)
        assert session.mock is not None and page.total > 5
        assert len(page.objects) == 5
        assert (await session.client.capabilities()).can_read_pii
    finally:
        await session.aclose()
    assert session.destination == Destination(
        label="in-process mock bank, no network", environment="demo", bank_url="http://127.0.0.1", demo=True
    )


async def test_demo_faults_reach_the_embedded_bank() -> None:
    session = open_session(demo=True, faults={"error_rate": 1.0}, retry=NO_RETRY)
    try:
        with pytest.raises(ServerError):
            await session.client.customers.list(per_page=1)
    finally:
        await session.aclose()


@pytest.mark.parametrize(
    ("options", "environment", "label"),
    [
        ({}, "sandbox", "bank.sandbox.cybrid.app"),
        ({"environment": "production"}, "production", "bank.production.cybrid.app"),
        ({"bank_url": "https://bank.example:8443"}, "custom", "bank.example:8443"),
        ({"id_url": "https://id.example"}, "custom", "bank.sandbox.cybrid.app"),
    ],
)
def test_a_settings_session_says_where_it_points(
    options: dict[str, str], environment: str, label: str
) -> None:
    settings = Settings.validate({"client_id": "id", "client_secret": "s3cret-session", **options})
    session = open_session(settings)
    assert session.destination == describe(settings)
    assert (session.destination.environment, session.destination.label) == (environment, label)
    assert session.destination.bank_url == session.client.bank_url
    assert session.mock is None and not session.destination.demo
    assert session.destination.production == (options.get("environment") == "production")


def test_settings_without_credentials_name_the_variables() -> None:
    with pytest.raises(ConfigurationError, match="CYBRID_CLIENT_ID, CYBRID_CLIENT_SECRET"):
        open_session(Settings())


def test_a_bad_url_names_its_variable() -> None:
    # Slipped past validation (the settings would refuse the URL first): the client refuses it too.
    settings = Settings(client_id="id", client_secret=SecretStr("x"))
    object.__setattr__(settings, "bank_url", "http://bank.example")
    with pytest.raises(InsecureTransportError, match="CYBRID_BANK_URL"):
        open_session(settings)


async def test_rejected_credentials_point_at_the_variables() -> None:
    import httpx

    def refuse(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"error": "invalid_client"})

    settings = Settings(client_id="id", client_secret=SecretStr("s3cret-session"))
    session = open_session(settings, transport=httpx.MockTransport(refuse))
    try:
        with pytest.raises(AuthenticationError, match="CYBRID_CLIENT_ID and CYBRID_CLIENT_SECRET"):
            await session.client.customers.list()
    finally:
        await session.aclose()


def test_settings_are_needed_unless_demo() -> None:
    with pytest.raises(ValueError, match="settings"):
        open_session()


def test_refresh_default_is_defined_once() -> None:
    assert refresh_seconds_for(demo=False) == DEFAULT_REFRESH_SECONDS == Settings().refresh_seconds
    assert refresh_seconds_for(demo=True) == DEMO_REFRESH_SECONDS
    assert refresh_seconds_for(demo=True, given=7.5) == 7.5
