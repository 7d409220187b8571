"""Faults on demand (issue 5) and the loopback-only admin endpoints, in-process."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from cybrid_tui.clock import FrozenClock
from cybrid_tui.mock.app import create_mock_app
from cybrid_tui.mock.config import FaultConfig, MockConfig
from cybrid_tui.mock.faults import RateLimiter
from tests.support.mock_server import MOCK_EPOCH, assert_error, bearer, get_token

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from starlette.applications import Starlette

    from cybrid_tui.mock.backend import MockBackend


def faulty_app(clock: FrozenClock | None = None, **faults: Any) -> Starlette:
    return create_mock_app(
        MockConfig(customers=5, faults=FaultConfig(**faults)), clock=clock or FrozenClock(MOCK_EPOCH)
    )


def client_for(app: Starlette, host: str = "127.0.0.1") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app, client=(host, 51000))
    return httpx.AsyncClient(transport=transport, base_url="http://mock.test")


async def token_without_faults(app: Starlette) -> str:
    backend: MockBackend = app.state.backend
    saved, backend.faults = backend.faults, FaultConfig()
    try:
        async with client_for(app) as client:
            return await get_token(client)
    finally:
        backend.faults = saved


# ------------------------------------------------------------------------------------------ server errors


async def test_error_rate_one_answers_every_request_with_a_spec_shaped_5xx() -> None:
    app = faulty_app(error_rate=1.0)
    token = await token_without_faults(app)
    async with client_for(app) as client:
        responses = [await client.get("/api/customers", headers=bearer(token)) for _ in range(30)]

    assert {response.status_code for response in responses} == {500, 502, 503}
    for response in responses:
        body = response.json()
        assert set(body) == {"status", "error_message", "message_code"}
        assert body["status"] == response.status_code


async def test_a_failed_create_creates_nothing() -> None:
    app = faulty_app(error_rate=1.0)
    token = await token_without_faults(app)
    async with client_for(app) as client:
        response = await client.post("/api/customers", json={"type": "individual"}, headers=bearer(token))

    assert response.status_code >= 500
    assert app.state.backend.customer_count == 5


async def test_error_rate_applies_to_about_that_fraction_and_is_seeded() -> None:
    async def statuses() -> list[int]:
        app = faulty_app(error_rate=0.3)
        token = await token_without_faults(app)
        async with client_for(app) as client:
            return [
                (await client.get("/api/customers", headers=bearer(token))).status_code for _ in range(200)
            ]

    first, second = await statuses(), await statuses()

    assert first == second  # same seed, same faults
    failed = sum(status >= 500 for status in first)
    assert 35 <= failed <= 85


async def test_admin_paths_are_never_faulted() -> None:
    app = faulty_app(error_rate=1.0, drop_rate=1.0)
    async with client_for(app) as client:
        response = await client.get("/_mock/faults")
    assert response.status_code == 200


# --------------------------------------------------------------------------------------------- rate limit


async def test_rate_limit_answers_429_with_retry_after_and_recovers() -> None:
    clock = FrozenClock(MOCK_EPOCH)
    app = faulty_app(clock, rate_limit_rps=3)
    async with client_for(app) as client:
        token = await get_token(client)  # the token request counts too
        allowed = [await client.get("/api/customers", headers=bearer(token)) for _ in range(2)]
        limited = await client.get("/api/customers", headers=bearer(token))
        clock.advance(1.0)
        after = await client.get("/api/customers", headers=bearer(token))

    assert [response.status_code for response in allowed] == [200, 200]
    assert_error(limited, 429, "rate_limited", "Too many requests")
    assert limited.headers["retry-after"] == "1"
    assert after.status_code == 200


def test_the_rate_limit_window_slides() -> None:
    limiter = RateLimiter()
    assert limiter.admit(2, now=10.0) is None
    assert limiter.admit(2, now=10.5) is None
    assert limiter.admit(2, now=10.9) == pytest.approx(0.1)
    assert limiter.admit(2, now=11.0) is None  # the first one left the window
    assert limiter.admit(2, now=11.2) == pytest.approx(0.3)


def test_a_rate_below_one_per_second_spaces_requests_out() -> None:
    limiter = RateLimiter()
    assert limiter.admit(0.5, now=0.0) is None
    assert limiter.admit(0.5, now=1.0) == pytest.approx(1.0)
    assert limiter.admit(0.5, now=2.0) is None


# ---------------------------------------------------------------------------------------------- latency


async def test_latency_delays_each_answer() -> None:
    app = faulty_app(latency_ms=60, jitter_ms=20)
    async with client_for(app) as client:
        started = time.perf_counter()
        await get_token(client)
        elapsed = time.perf_counter() - started
    assert elapsed >= 0.06


# ------------------------------------------------------------------------------------------------- drops


async def test_a_dropped_connection_is_a_transport_error_after_the_create_happened() -> None:
    app = faulty_app(drop_rate=1.0)
    token = await token_without_faults(app)
    async with client_for(app) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            await client.post("/api/customers", json={"type": "individual"}, headers=bearer(token))

    # The request reached the server: the customer exists although the client never heard back.
    assert app.state.backend.customer_count == 6


async def test_drops_hit_about_that_fraction() -> None:
    app = faulty_app(drop_rate=0.5)
    token = await token_without_faults(app)
    outcomes = []
    async with client_for(app) as client:
        for _ in range(60):
            try:
                outcomes.append((await client.get("/api/customers", headers=bearer(token))).status_code)
            except httpx.TransportError:
                outcomes.append(0)
    assert 15 <= outcomes.count(0) <= 45
    assert set(outcomes) == {0, 200}


# ------------------------------------------------------------------------------------------------ tokens


async def test_short_token_lifetimes_expire_mid_session() -> None:
    clock = FrozenClock(MOCK_EPOCH)
    app = faulty_app(clock, token_ttl_seconds=2)
    async with client_for(app) as client:
        response = await client.post(
            "/oauth/token",
            json={
                "grant_type": "client_credentials",
                "client_id": "mock-client-id",
                "client_secret": "mock-client-secret",
            },
        )
        token = response.json()["access_token"]
        first = await client.get("/api/customers", headers=bearer(token))
        clock.advance(2)
        second = await client.get("/api/customers", headers=bearer(token))

    assert response.json()["expires_in"] == 2
    assert first.status_code == 200
    assert_error(second, 401, "authentication_failed", "Signature has expired")


# ------------------------------------------------------------------------------------------------- admin


@pytest.fixture
async def admin(mock_app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(mock_app) as client:
        yield client


async def test_faults_can_be_read_and_partially_updated(
    admin: httpx.AsyncClient, mock_app: Starlette
) -> None:
    initial = (await admin.get("/_mock/faults")).json()
    updated = await admin.post("/_mock/faults", json={"error_rate": 0.25, "rate_limit_rps": 50})
    again = await admin.post("/_mock/faults", json={"latency_ms": 5})

    assert initial == FaultConfig().to_json()
    assert updated.status_code == 200
    assert updated.json()["error_rate"] == 0.25
    assert again.json() == {**initial, "error_rate": 0.25, "rate_limit_rps": 50, "latency_ms": 5}
    assert mock_app.state.backend.faults == FaultConfig(error_rate=0.25, rate_limit_rps=50, latency_ms=5)


async def test_faults_switch_on_and_off_at_run_time(admin: httpx.AsyncClient) -> None:
    token = await get_token(admin)
    await admin.post("/_mock/faults", json={"error_rate": 1})
    failing = await admin.get("/api/customers", headers=bearer(token))
    await admin.post("/_mock/faults", json={"error_rate": 0})
    working = await admin.get("/api/customers", headers=bearer(token))

    assert failing.status_code >= 500
    assert working.status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"error_rate": 1.5},
        {"error_rate": "high"},
        {"drop_rate": -0.1},
        {"latency_ms": True},
        {"latency_ms": 1e9},
        {"rate_limit_rps": 0},
        {"token_ttl_seconds": 1.5},
        {"token_ttl_seconds": 0},
        {"surprise": 1},
        ["error_rate"],
    ],
)
async def test_bad_fault_settings_are_400_and_change_nothing(
    admin: httpx.AsyncClient, mock_app: Starlette, body: object
) -> None:
    response = await admin.post("/_mock/faults", json=body)

    assert_error(response, 400, "invalid_parameter")
    assert mock_app.state.backend.faults == FaultConfig()


async def test_admin_sets_a_customer_state(admin: httpx.AsyncClient, mock_app: Starlette) -> None:
    guid = mock_app.state.backend.guids()[3]

    response = await admin.post(f"/_mock/customers/{guid}/state", json={"state": "frozen"})

    assert response.status_code == 200, response.text
    assert response.json()["state"] == "frozen"
    assert mock_app.state.backend.snapshot_states()[guid] == "frozen"


async def test_admin_state_errors(admin: httpx.AsyncClient, mock_app: Starlette) -> None:
    guid = mock_app.state.backend.guids()[3]
    assert_error(
        await admin.post(f"/_mock/customers/{guid}/state", json={"state": "gone"}), 400, "invalid_parameter"
    )
    assert_error(
        await admin.post(f"/_mock/customers/{'0' * 32}/state", json={"state": "frozen"}), 404, "not_found"
    )


async def test_admin_expires_every_token(admin: httpx.AsyncClient) -> None:
    token = await get_token(admin)
    response = await admin.post("/_mock/tokens/expire")
    assert response.json() == {"expired": 1}
    assert_error(await admin.get("/api/customers", headers=bearer(token)), 401, "authentication_failed")


@pytest.mark.parametrize("host", ["10.1.2.3", "192.168.0.7", "2001:db8::1", "testclient"])
async def test_admin_refuses_clients_that_are_not_on_loopback(mock_app: Starlette, host: str) -> None:
    guid = mock_app.state.backend.guids()[0]
    async with client_for(mock_app, host=host) as client:
        responses = [
            await client.get("/_mock/faults"),
            await client.post("/_mock/faults", json={"error_rate": 1}),
            await client.post(f"/_mock/customers/{guid}/state", json={"state": "frozen"}),
            await client.post("/_mock/tokens/expire"),
        ]
        api = await client.get("/api/customers", headers=bearer(await get_token(client)))

    for response in responses:
        assert_error(response, 403, "forbidden")
    assert mock_app.state.backend.faults == FaultConfig()
    assert mock_app.state.backend.snapshot_states()[guid] != "frozen"
    assert api.status_code == 200  # the API itself answers anyone


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"])
async def test_admin_answers_loopback_clients(mock_app: Starlette, host: str) -> None:
    async with client_for(mock_app, host=host) as client:
        assert (await client.get("/_mock/faults")).status_code == 200
