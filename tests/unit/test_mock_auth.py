"""The mock's identity path and bearer-token checks: what a client sees with bad credentials or tokens."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

import httpx
import pytest

from cybrid_tui.mock.app import create_mock_app
from cybrid_tui.mock.config import MockConfig
from tests.support.mock_server import CLIENT_ID, CLIENT_SECRET, assert_error, bearer, get_token

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from cybrid_tui.clock import FrozenClock


def grant(**overrides: str) -> dict[str, str]:
    body = {"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
    body.update(overrides)
    return body


async def test_token_response_has_the_documented_fields(mock_client: httpx.AsyncClient) -> None:
    response = await mock_client.post("/oauth/token", json=grant(scope="customers:read customers:write"))

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "scope", "created_at"}
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert body["scope"] == "customers:read customers:write"
    assert isinstance(body["created_at"], int)
    assert len(body["access_token"]) >= 32
    assert response.headers["cache-control"] == "no-store"


async def test_every_token_is_different(mock_client: httpx.AsyncClient) -> None:
    tokens = {await get_token(mock_client) for _ in range(5)}
    assert len(tokens) == 5


async def test_form_encoded_and_basic_auth_grants_are_accepted(mock_client: httpx.AsyncClient) -> None:
    form = await mock_client.post("/oauth/token", data=grant(scope="customers:read"))
    basic = await mock_client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        headers={
            "Authorization": "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        },
    )

    assert form.status_code == 200, form.text
    assert form.json()["scope"] == "customers:read"
    assert basic.status_code == 200, basic.text


async def test_granted_scope_is_what_was_asked_for_that_the_bank_allows() -> None:
    app = create_mock_app(MockConfig(customers=0, granted_scopes=frozenset({"customers:read"})))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://mock.test") as client:
        asked = await client.post(
            "/oauth/token", json=grant(scope="customers:read customers:execute banks:read")
        )
        unasked = await client.post("/oauth/token", json=grant())

    assert asked.json()["scope"] == "customers:read"
    assert unasked.json()["scope"] == "customers:read"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (grant(client_secret="wrong"), 401, "invalid_client"),
        (grant(client_id="someone-else"), 401, "invalid_client"),
        ({"grant_type": "client_credentials"}, 401, "invalid_client"),
        (grant(grant_type="password"), 400, "unsupported_grant_type"),
        (grant(scope="banks:read"), 400, "invalid_scope"),
    ],
)
async def test_bad_grants_are_refused_with_an_error_body(
    mock_client: httpx.AsyncClient, body: dict[str, str], status: int, code: str
) -> None:
    response = await mock_client.post("/oauth/token", json=body)

    assert_error(response, status, code)
    assert response.json()["error"] == code  # the OAuth 2.0 field, beside the spec's
    assert "access_token" not in response.text


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b'{"client_id": 5}', b""])
async def test_malformed_token_requests_are_400(mock_client: httpx.AsyncClient, raw: bytes) -> None:
    response = await mock_client.post(
        "/oauth/token", content=raw, headers={"Content-Type": "application/json"}
    )
    assert_error(response, 400, "invalid_request")


@pytest.mark.parametrize(
    ("headers", "code", "message"),
    [
        ({}, "authentication_malformed", "Authorization header is malformed."),
        ({"Authorization": "Token abc"}, "authentication_malformed", "Authorization header is malformed."),
        ({"Authorization": "Bearer"}, "authentication_malformed", "Authorization header is malformed."),
        ({"Authorization": "Bearer not-a-token"}, "authentication_failed", "Signature verification raised"),
    ],
)
async def test_requests_without_a_valid_token_are_401(
    mock_client: httpx.AsyncClient, headers: dict[str, str], code: str, message: str
) -> None:
    for response in (
        await mock_client.get("/api/customers", headers=headers),
        await mock_client.post("/api/customers", json={"type": "individual"}, headers=headers),
    ):
        assert_error(response, 401, code, message)


async def test_a_token_expires_after_its_lifetime_on_the_mock_clock(
    mock_client: httpx.AsyncClient, mock_clock: FrozenClock
) -> None:
    token = await get_token(mock_client)
    mock_clock.advance(3599)
    assert (await mock_client.get("/api/customers", headers=bearer(token))).status_code == 200

    mock_clock.advance(1)
    response = await mock_client.get("/api/customers", headers=bearer(token))

    assert_error(response, 401, "authentication_failed", "Signature has expired")


async def test_a_fresh_token_works_after_the_old_one_expired(
    mock_client: httpx.AsyncClient, mock_clock: FrozenClock
) -> None:
    await get_token(mock_client)
    mock_clock.advance(4000)
    token = await get_token(mock_client)
    assert (await mock_client.get("/api/customers", headers=bearer(token))).status_code == 200


@pytest.mark.parametrize(
    ("scope", "method", "path", "required"),
    [
        ("customers:write", "GET", "/api/customers", "customers:read"),
        ("customers:write", "GET", "/api/customers/{guid}", "customers:read"),
        ("customers:read", "POST", "/api/customers", "customers:execute"),
        ("customers:read", "PATCH", "/api/customers/{guid}", "customers:write"),
    ],
)
async def test_a_token_without_the_scope_is_403(
    mock_client: httpx.AsyncClient, mock_app: Starlette, scope: str, method: str, path: str, required: str
) -> None:
    token = await get_token(mock_client, scope=scope)
    guid = mock_app.state.backend.guids()[0]
    body = {"type": "individual"} if method == "POST" else {"state": "unverified"}
    response = await mock_client.request(
        method, path.format(guid=guid), json=body if method != "GET" else None, headers=bearer(token)
    )

    assert_error(response, 403, "invalid_scopes", f"Invalid scopes. Required: {required}")
