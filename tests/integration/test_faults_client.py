"""The API client against the mock server over loopback HTTP with injected faults: Retry-After is honoured,
backoff is jittered, retrying stops within the policy's time budget, and short-lived tokens are renewed
mid-session without the caller seeing an error.

Where the exact delay matters the mock runs on a FrozenClock and the client's `sleep` advances it, so the
server's rate-limit window moves exactly as far as the client waited (deterministic, no real waiting). The
budget tests run on real time and assert bounds on the elapsed time.
"""

from __future__ import annotations

import random
import time
from typing import TYPE_CHECKING

import pytest

from cybrid_tui.api.client import CybridClient
from cybrid_tui.api.errors import NetworkError, RateLimitError, RequestTimeoutError
from cybrid_tui.api.retry import RetryPolicy
from cybrid_tui.clock import FrozenClock, SystemClock
from cybrid_tui.mock.config import FaultConfig, MockConfig
from tests.support.mock_admin import set_faults
from tests.support.mock_server import CLIENT_ID, CLIENT_SECRET
from tests.support.waiting import wait_for

if TYPE_CHECKING:
    from tests.support.mock_server import MakeMockServer, MockServerHandle

pytestmark = pytest.mark.integration


def client_for(
    server: MockServerHandle,
    *,
    retry: RetryPolicy | None = None,
    sleeps: list[float] | None = None,
    clock: FrozenClock | None = None,
    timeout: float = 5.0,
) -> CybridClient:
    """A client of `server`; with `sleeps` its waits are recorded (and advance `clock` instead of waiting)."""
    import asyncio

    async def recorded_sleep(seconds: float) -> None:
        assert sleeps is not None
        sleeps.append(seconds)
        if clock is not None:
            clock.advance(seconds)
        else:
            await asyncio.sleep(seconds)

    return CybridClient(
        bank_url=server.url,
        id_url=server.url,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        timeout=timeout,
        retry=retry,
        sleep=recorded_sleep if sleeps is not None else asyncio.sleep,
    )


# ------------------------------------------------------------------------------------------ Retry-After


@pytest.mark.parametrize(("rate", "retry_after"), [(0.5, 2.0), (0.25, 4.0)])
async def test_retry_after_is_waited_exactly_then_the_retry_is_admitted(
    make_mock_server: MakeMockServer, mock_clock: FrozenClock, rate: float, retry_after: float
) -> None:
    # One request per 1/rate seconds: the token fetch takes the slot, the list call is answered 429 with
    # `Retry-After: 1/rate`. A client that waited less would be refused again (and give up: 3 retries).
    server = make_mock_server(MockConfig(customers=5, faults=FaultConfig(rate_limit_rps=rate)))
    sleeps: list[float] = []
    async with client_for(server, sleeps=sleeps, clock=mock_clock) as client:
        page = await client.customers.list(per_page=5)
    assert len(page.objects) == 5
    assert sleeps == [retry_after]  # the server's Retry-After, not a jittered backoff of at most 0.25 s


async def test_retry_after_on_real_time(make_mock_server: MakeMockServer) -> None:
    server = make_mock_server(
        MockConfig(customers=3, faults=FaultConfig(rate_limit_rps=1)), clock=SystemClock()
    )
    sleeps: list[float] = []
    async with client_for(server, sleeps=sleeps) as client:
        started = time.monotonic()
        await client.customers.list(per_page=3)
        elapsed = time.monotonic() - started
    assert sleeps == [1.0]
    assert elapsed >= 0.95  # it really waited before trying again


async def test_retry_after_longer_than_the_budget_fails_at_once(
    make_mock_server: MakeMockServer, mock_clock: FrozenClock
) -> None:
    server = make_mock_server(MockConfig(customers=3, faults=FaultConfig(rate_limit_rps=0.2)))  # 5 s
    sleeps: list[float] = []
    policy = RetryPolicy(total_budget=3.0)
    async with client_for(server, sleeps=sleeps, clock=mock_clock, retry=policy) as client:
        with pytest.raises(RateLimitError) as caught:
            await client.customers.list()
    assert caught.value.retry_after == 5.0
    assert sleeps == []  # no point sleeping past the budget to be refused later


# ----------------------------------------------------------------------------------------------- backoff


async def test_backoff_is_full_jitter_exponential(make_mock_server: MakeMockServer) -> None:
    server = make_mock_server(MockConfig(customers=3))
    jitter = random.Random(20261125)
    expected_rng = random.Random(20261125)
    policy = RetryPolicy(max_attempts=5, base_delay=0.25, max_delay=8.0, random=jitter.random)
    sleeps: list[float] = []
    async with client_for(
        server, sleeps=sleeps, clock=FrozenClock(server.clock.now()), retry=policy
    ) as client:
        await client.granted_scopes()  # the token first, so the drops below hit the list call only
        await set_faults(server.url, drop_rate=1.0)
        with pytest.raises(NetworkError) as caught:
            await client.customers.list()
    assert caught.value.request_sent  # a dropped connection: the request reached the server
    ceilings = [0.25, 0.5, 1.0, 2.0]
    assert sleeps == [expected_rng.random() * ceiling for ceiling in ceilings]
    assert all(0 <= delay < ceiling for delay, ceiling in zip(sleeps, ceilings, strict=True))
    assert sleeps != ceilings  # jittered, not a fixed schedule every client would share


# -------------------------------------------------------------------------------------------- time budget


async def test_dropped_connections_stop_within_the_budget(make_mock_server: MakeMockServer) -> None:
    server = make_mock_server(MockConfig(customers=3), clock=SystemClock())
    budget = 1.0
    policy = RetryPolicy(max_attempts=1000, base_delay=0.05, max_delay=0.1, total_budget=budget)
    async with client_for(server, retry=policy, timeout=2.0) as client:
        await client.granted_scopes()
        await set_faults(server.url, drop_rate=1.0, latency_ms=20)
        started = time.monotonic()
        with pytest.raises(NetworkError):
            await client.customers.list()
        elapsed = time.monotonic() - started
    # It kept trying for most of the budget and stopped soon after it: an attempt may start just before the
    # budget ends and then lasts at most its time limit (the policy gives late attempts at least 1 s).
    assert 0.7 * budget <= elapsed <= budget + 1.0 + 0.5


async def test_a_server_that_never_answers_stops_within_the_budget(make_mock_server: MakeMockServer) -> None:
    server = make_mock_server(MockConfig(customers=3), clock=SystemClock())
    budget, timeout = 1.0, 0.2
    policy = RetryPolicy(max_attempts=1000, base_delay=0.05, max_delay=0.1, total_budget=budget)
    async with client_for(server, retry=policy, timeout=timeout) as client:
        await client.granted_scopes()
        await set_faults(server.url, latency_ms=400)
        started = time.monotonic()
        with pytest.raises(RequestTimeoutError):
            await client.customers.list()
        elapsed = time.monotonic() - started
    assert 0.7 * budget <= elapsed <= budget + timeout + 0.5


# ------------------------------------------------------------------------------------------------ tokens


async def test_two_second_tokens_expire_mid_session_and_are_renewed_silently(
    make_mock_server: MakeMockServer, mock_clock: FrozenClock
) -> None:
    # The client's own clock does not move, so it still trusts its token when the server says it expired:
    # the 401 path (renew once, repeat the request) is what keeps the session alive.
    server = make_mock_server(MockConfig(customers=3, faults=FaultConfig(token_ttl_seconds=2)))
    async with client_for(server) as client:
        for _ in range(5):
            page = await client.customers.list(per_page=3)
            assert len(page.objects) == 3
            mock_clock.advance(2.5)  # every token issued so far is now expired on the server
        assert client.auth.fetches == 5  # one renewal per expiry, no error surfaced


async def test_one_second_tokens_on_real_time_never_fail_a_call(make_mock_server: MakeMockServer) -> None:
    server = make_mock_server(
        MockConfig(customers=3, faults=FaultConfig(token_ttl_seconds=1)), clock=SystemClock()
    )
    calls = 0
    async with client_for(server) as client:

        async def renewed_three_times() -> bool:
            nonlocal calls
            await client.customers.list(per_page=3)  # raises (failing the test) if a token ever failed
            calls += 1
            return client.auth.fetches >= 3

        await wait_for(renewed_three_times, timeout=6.0, message="tokens renewed as they expire")
    assert calls >= 3


async def test_tokens_revoked_mid_session_are_renewed_under_dropped_connections(
    make_mock_server: MakeMockServer,
) -> None:
    import httpx

    server = make_mock_server(MockConfig(customers=3, seed=11), clock=SystemClock())
    policy = RetryPolicy(max_attempts=8, base_delay=0.01, max_delay=0.05, total_budget=10.0)
    async with client_for(server, retry=policy) as client:
        await client.customers.list(per_page=3)
        # Seeded fault draws: the same requests are dropped on every run.
        await set_faults(server.url, drop_rate=0.3)
        for _ in range(4):
            async with httpx.AsyncClient(base_url=server.url) as admin:
                expired = (await admin.post("/_mock/tokens/expire")).json()["expired"]
            assert expired >= 1  # a token whose answer was dropped was issued all the same
            page = await client.customers.list(per_page=3)  # 401, renew, repeat: no error surfaces
            assert len(page.objects) == 3
        assert client.auth.fetches >= 5
