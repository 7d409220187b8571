"""OAuth2 client-credentials tokens: one fetch shared, cached, refreshed early, renewed once on 401."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from cybrid_tui.api.auth import refresh_delay
from cybrid_tui.api.capabilities import DEFAULT_SCOPES
from cybrid_tui.api.errors import (
    AuthenticationError,
    MalformedResponseError,
    NetworkError,
    ServerError,
)
from cybrid_tui.api.models import PostCustomer
from cybrid_tui.api.retry import RetryPolicy
from cybrid_tui.api.vocab import CUSTOMER_SCOPES, IDENTITY_VERIFICATION_SCOPES
from tests.support.client_fakes import (
    CLIENT_ID,
    SECRET,
    TOKEN_MARK,
    FakeCybrid,
    FakeTime,
    error_body,
    json_response,
)


async def test_token_request_is_a_json_client_credentials_grant() -> None:
    fake = FakeCybrid()
    async with fake.client() as client:
        await client.customers.list()
    (token_request,) = fake.token_requests
    assert token_request.method == "POST"
    assert str(token_request.url) == "https://id.sandbox.cybrid.app/oauth/token"
    assert token_request.headers["content-type"] == "application/json"
    assert json.loads(token_request.content) == {
        "grant_type": "client_credentials",
        "client_id": CLIENT_ID,
        "client_secret": SECRET,
        "scope": " ".join(DEFAULT_SCOPES),
    }
    assert fake.bank_requests[0].headers["authorization"] == f"Bearer {TOKEN_MARK}-1"
    # The token request itself carries no bearer token.
    assert "authorization" not in token_request.headers


async def test_custom_scopes_are_requested() -> None:
    fake = FakeCybrid()
    async with fake.client(scopes=("customers:read",)) as client:
        await client.customers.list()
    assert json.loads(fake.token_requests[0].content)["scope"] == "customers:read"


async def test_token_is_cached_across_calls() -> None:
    fake = FakeCybrid()
    async with fake.client() as client:
        for _ in range(5):
            await client.customers.list()
        await client.customers.get(fake.customers[0]["guid"])
    assert len(fake.token_requests) == 1
    assert len(fake.bank_requests) == 6
    assert client.auth.fetches == 1


async def test_concurrent_first_calls_share_one_token_fetch() -> None:
    fake = FakeCybrid()
    release = asyncio.Event()

    async def slow_token(request: httpx.Request) -> httpx.Response:
        await release.wait()
        return fake._issue()

    async def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            fake.token_requests.append(request)
            return await slow_token(request)
        return fake.handle(request)

    transport = httpx.MockTransport(handler)
    client = fake.client(transport=transport)
    async with client:
        calls = [asyncio.create_task(client.customers.list(page=i, per_page=10)) for i in range(10)]
        await asyncio.sleep(0)
        release.set()
        pages = await asyncio.gather(*calls)
    assert [p.page for p in pages] == list(range(10))
    assert len(fake.token_requests) == 1


async def test_token_is_refreshed_shortly_before_it_expires() -> None:
    fake = FakeCybrid()
    fake.token_ttl = 3600
    time = FakeTime()
    async with fake.client(time=time) as client:
        await client.customers.list()
        time.now += 3600 * 0.9 - 1  # just before the refresh point
        await client.customers.list()
        assert len(fake.token_requests) == 1
        time.now += 2  # past 90% of the lifetime, still before expiry
        await client.customers.list()
        assert len(fake.token_requests) == 2
    # The server never had to refuse an expired token.
    assert fake.bank_auth == [f"Bearer {TOKEN_MARK}-1"] * 2 + [f"Bearer {TOKEN_MARK}-2"]


@pytest.mark.parametrize(
    ("lifetime", "refresh_after"),
    [
        (3600, 3240),  # 90% of an hour comes before "30 s before expiry"
        (100, 70),  # 30 s before expiry comes before 90%
        (40, 20),  # never before half its life
        (2, 1),  # the soak test's 2-second tokens: renewed every second, not on every call
        (0, 0),
    ],
)
def test_refresh_point(lifetime: float, refresh_after: float) -> None:
    assert refresh_delay(lifetime) == pytest.approx(refresh_after)


async def test_401_renews_the_token_once_and_retries_transparently() -> None:
    fake = FakeCybrid()
    async with fake.client() as client:
        await client.customers.list()
        fake.revoke_all()  # e.g. the token was revoked server-side
        page = await client.customers.list()
    assert page.total == len(fake.customers)
    assert len(fake.token_requests) == 2
    assert [auth[-2:] for auth in fake.bank_auth] == ["-1", "-1", "-2"]


async def test_persistent_401_renews_exactly_once_then_fails() -> None:
    fake = FakeCybrid()
    always_401 = json_response(401, error_body(401, "Authentication failed", "authentication_failed"))
    fake.bank_replies.extend([always_401] * 5)
    async with fake.client() as client:
        with pytest.raises(AuthenticationError):
            await client.customers.list()
    assert len(fake.token_requests) == 2  # the first token and exactly one renewal
    assert len(fake.bank_requests) == 2  # the request and exactly one repeat


async def test_create_after_401_is_repeated_once_with_the_new_token() -> None:
    fake = FakeCybrid(customers=0)
    async with fake.client() as client:
        await client.granted_scopes()
        fake.revoke_all()
        created = await client.customers.create(PostCustomer(type="individual"))  # type: ignore[arg-type]
    assert created.type == "individual"
    assert [r.method for r in fake.bank_requests] == ["POST", "POST"]
    assert len(fake.customers) == 1


async def test_many_concurrent_401s_renew_once() -> None:
    fake = FakeCybrid()
    async with fake.client() as client:
        await client.customers.list()
        fake.revoke_all()
        await asyncio.gather(*(client.customers.list(page=i, per_page=10) for i in range(8)))
    assert len(fake.token_requests) == 2


async def test_granted_scopes_come_from_the_token() -> None:
    fake = FakeCybrid()
    fake.token_scope = "customers:read customers:write"
    async with fake.client() as client:
        assert await client.granted_scopes() == frozenset({"customers:read", "customers:write"})
        assert await client.granted_scopes() == frozenset({"customers:read", "customers:write"})
    assert len(fake.token_requests) == 1
    assert fake.bank_requests == []


async def test_granted_scopes_default_to_requested_when_server_omits_them() -> None:
    fake = FakeCybrid()
    fake.token_scope = ""
    async with fake.client() as client:
        assert await client.granted_scopes() == frozenset(DEFAULT_SCOPES)


@pytest.mark.parametrize(
    "body",
    [
        {"error": "invalid_client", "error_description": "Client authentication failed."},
        error_body(401, "Invalid client", "authentication_failed"),
    ],
)
async def test_bad_credentials_are_an_authentication_error_naming_the_settings(
    body: dict[str, object],
) -> None:
    fake = FakeCybrid()
    fake.token_replies.append(json_response(401, body))
    # The API layer names no environment variable; the caller says where the credentials came from.
    names = {"client_id": "CYBRID_CLIENT_ID", "client_secret": "CYBRID_CLIENT_SECRET"}
    async with fake.client(setting_names=names) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.customers.list()
    text = str(caught.value)
    assert "CYBRID_CLIENT_ID" in text and "CYBRID_CLIENT_SECRET" in text
    assert "id.sandbox.cybrid.app" in text
    assert SECRET not in text
    assert fake.bank_requests == []
    assert len(fake.token_requests) == 1  # bad credentials are not retried


async def test_token_error_echoing_the_secret_is_scrubbed() -> None:
    fake = FakeCybrid()
    fake.token_replies.append(
        json_response(401, {"error": "invalid_client", "error_description": f"bad {SECRET}"})
    )
    async with fake.client() as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.customers.list()
    assert SECRET not in str(caught.value) and SECRET not in repr(caught.value)


async def test_invalid_scope_is_explained() -> None:
    fake = FakeCybrid()
    fake.token_replies.append(json_response(400, {"error": "invalid_scope"}))
    async with fake.client(scopes=CUSTOMER_SCOPES) as client:
        with pytest.raises(AuthenticationError, match="refused the requested scopes"):
            await client.customers.list()
    assert len(fake.token_requests) == 1  # nothing optional to leave out: no second try


async def test_a_key_without_verification_scopes_still_works_for_customers() -> None:
    # Cybrid's identity provider refuses a request naming any scope the key is not allowed; a key made before
    # identity verifications existed must still list customers, with verifications shown as unavailable.
    fake = FakeCybrid()
    fake.token_replies.append(json_response(400, {"error": "invalid_scope"}))
    async with fake.client() as client:
        page = await client.customers.list()
        capabilities = await client.capabilities()
    assert page.objects
    asked = [json.loads(request.content)["scope"].split() for request in fake.token_requests]
    assert len(asked) == 2
    assert set(IDENTITY_VERIFICATION_SCOPES) <= set(asked[0])
    assert not set(IDENTITY_VERIFICATION_SCOPES) & set(asked[1])
    assert set(CUSTOMER_SCOPES) <= set(asked[1])
    assert capabilities.can_read_customers and not capabilities.can_start_verifications


async def test_identity_provider_outage_is_retried_even_for_create() -> None:
    fake = FakeCybrid(customers=0)
    fake.token_replies.extend(
        [
            json_response(503, error_body(503, "Unavailable", "service_unavailable")),
            httpx.ConnectError("refused"),
        ]
    )
    time = FakeTime()
    async with fake.client(time=time) as client:
        created = await client.customers.create(PostCustomer(type="individual"))  # type: ignore[arg-type]
    assert created.guid
    assert len(fake.token_requests) == 3
    assert len(fake.bank_requests) == 1  # the create itself went out once
    assert len(time.sleeps) == 2


async def test_identity_provider_down_for_good_is_a_network_error_before_sending() -> None:
    fake = FakeCybrid()
    fake.token_replies.extend([httpx.ConnectError("[Errno 111] Connection refused")] * 10)
    async with fake.client(retry=RetryPolicy(max_attempts=3, random=lambda: 0.0)) as client:
        with pytest.raises(NetworkError) as caught:
            await client.customers.create(PostCustomer(type="individual"))  # type: ignore[arg-type]
    assert caught.value.request_sent is False
    assert "id.sandbox.cybrid.app" in str(caught.value)
    assert fake.bank_requests == []
    assert len(fake.token_requests) == 3


async def test_identity_provider_server_error_gives_up_after_attempts() -> None:
    fake = FakeCybrid()
    fake.token_replies.extend([json_response(500, error_body(500, "boom", "internal"))] * 10)
    async with fake.client(retry=RetryPolicy(max_attempts=3, random=lambda: 0.0)) as client:
        with pytest.raises(ServerError):
            await client.customers.list()
    # Asking for a token again is harmless, so even a 500 is retried there, within the attempts.
    assert len(fake.token_requests) == 3
    assert fake.bank_requests == []


@pytest.mark.parametrize(
    "reply",
    [
        json_response(200, {"token_type": "Bearer", "expires_in": 60}),
        json_response(200, {"access_token": TOKEN_MARK, "expires_in": "soon"}),
        httpx.Response(200, content=b"<html>login</html>", headers={"content-type": "text/html"}),
        httpx.Response(200, content=b'{"access_token": "' + TOKEN_MARK.encode()),
    ],
)
async def test_malformed_token_response_is_clear_and_does_not_leak(reply: httpx.Response) -> None:
    fake = FakeCybrid()
    fake.token_replies.append(reply)
    async with fake.client() as client:
        with pytest.raises(MalformedResponseError) as caught:
            await client.customers.list()
    assert "identity provider" in str(caught.value)
    assert TOKEN_MARK not in str(caught.value)
    assert caught.value.request_sent is False
    assert fake.bank_requests == []


async def test_failed_early_refresh_keeps_using_the_still_valid_token() -> None:
    fake = FakeCybrid()
    time = FakeTime()
    async with fake.client(time=time, retry=RetryPolicy(max_attempts=1)) as client:
        await client.customers.list()
        time.now += 3600 * 0.95  # due for refresh, not yet expired
        fake.token_replies.append(httpx.ConnectError("refused"))
        await client.customers.list()
        assert len(fake.token_requests) == 2
        assert fake.bank_auth[-1] == f"Bearer {TOKEN_MARK}-1"
        time.now += 3600 * 0.06  # now expired: a failing fetch must surface
        fake.token_replies.append(httpx.ConnectError("refused"))
        with pytest.raises(NetworkError):
            await client.customers.list()
