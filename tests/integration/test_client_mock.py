"""The client against the real mock backend, in-process (ASGITransport) and over loopback HTTP (uvicorn)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from cybrid_tui.api.client import CybridClient
from cybrid_tui.api.errors import (
    AuthenticationError,
    InvalidRequestError,
    NetworkError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestValidationError,
)
from cybrid_tui.api.models import CustomerState, PatchCustomer, PostCustomer
from cybrid_tui.api.retry import RetryPolicy
from cybrid_tui.mock.config import FaultConfig, MockConfig
from tests.support.mock_server import CLIENT_ID, CLIENT_SECRET, MakeMockServer

if TYPE_CHECKING:
    from cybrid_tui.clock import FrozenClock


@dataclass
class Bank:
    """One mock bank and how to reach it."""

    app: Any
    url: str
    transport: httpx.AsyncBaseTransport | None
    clock: FrozenClock
    sleeps: list[float]

    @property
    def backend(self) -> Any:
        return self.app.state.backend

    def client(self, **kwargs: Any) -> CybridClient:
        async def sleep(seconds: float) -> None:
            # Waiting moves the mock's clock instead of the wall clock: rate limits free up, nothing sleeps.
            self.sleeps.append(seconds)
            self.clock.advance(seconds)
            await asyncio.sleep(0)

        options: dict[str, Any] = {
            "bank_url": self.url,
            "id_url": self.url,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "transport": self.transport,
            "sleep": sleep,
            "retry": RetryPolicy(max_attempts=8, base_delay=0.05, random=lambda: 0.5),
            "timeout": 5.0,
            **kwargs,
        }
        return CybridClient(**options)


MakeBank = Callable[..., Bank]


@pytest.fixture(params=["in-process", pytest.param("loopback-http", marks=pytest.mark.integration)])
def make_bank(
    request: pytest.FixtureRequest, mock_clock: FrozenClock, make_mock_server: MakeMockServer
) -> MakeBank:
    def make(config: MockConfig | None = None) -> Bank:
        if request.param == "in-process":
            from cybrid_tui.mock.app import create_mock_app

            app = create_mock_app(config, clock=mock_clock)
            return Bank(app, "http://127.0.0.1", httpx.ASGITransport(app), mock_clock, [])
        handle = make_mock_server(config=config, clock=mock_clock)
        return Bank(handle.app, handle.url, None, mock_clock, [])

    return make


@pytest.fixture
def bank(make_bank: MakeBank) -> Bank:
    return make_bank()


async def test_pages_through_every_customer_newest_first(bank: Bank) -> None:
    async with bank.client() as client:
        pages = [p async for p in client.customers.iter_pages(per_page=7, concurrency=3)]
    assert [p.page for p in pages] == list(range(9))  # 60 customers, 7 per page
    assert [c.guid for p in pages for c in p.objects] == bank.backend.guids()
    assert all(p.total == 60 for p in pages)


async def test_states_match_the_server(bank: Bank) -> None:
    async with bank.client() as client:
        customers = [c async for p in client.customers.iter_pages() for c in p.objects]
    assert {c.guid: c.state for c in customers} == bank.backend.snapshot_states()
    assert {c.state for c in customers} == {s.value for s in CustomerState}


async def test_filters(bank: Bank) -> None:
    guids = bank.backend.guids()
    async with bank.client() as client:
        businesses = await client.customers.list(type=["business"])
        assert businesses.objects and all(c.type == "business" for c in businesses.objects)
        both = await client.customers.list(guid=[guids[3], guids[10]])
        assert {c.guid for c in both.objects} == {guids[3], guids[10]}
        page = await client.customers.list(page=1, per_page=5)
        assert [c.guid for c in page.objects] == guids[5:10]
        labelled = next(c for c in (await client.customers.list()).objects if c.labels)
        assert labelled.labels is not None
        by_label = await client.customers.list(label=[labelled.labels[0]])
        assert labelled.guid in {c.guid for c in by_label.objects}


async def test_pii_only_when_asked(bank: Bank) -> None:
    guid = bank.backend.guids()[0]
    async with bank.client() as client:
        plain = await client.customers.get(guid)
        full = await client.customers.get(guid, include_pii=True)
    assert plain.name is None
    assert full.name is not None and full.name.display


async def test_create_then_storing_becomes_unverified(bank: Bank) -> None:
    async with bank.client() as client:
        created = await client.customers.create(PostCustomer(type="individual"))  # type: ignore[arg-type]
        assert created.state == CustomerState.STORING
        assert created.guid in bank.backend.guids()
        bank.clock.advance(bank.backend.config.storing_seconds + 0.1)
        fetched = await client.customers.get(created.guid)
    assert fetched.state == CustomerState.UNVERIFIED


async def test_create_with_details_and_patch(bank: Bank) -> None:
    body = PostCustomer.model_validate(
        {
            "type": "individual",
            "name": {"first": "Ada", "last": "Lovelace"},
            "address": {"street": "1 Main St", "city": "Toronto", "subdivision": "ON", "country_code": "CA"},
            "date_of_birth": "1990-02-03",
            "email_address": "ada@example.com",
            "phone_number": "+14165550100",
            "identification_numbers": [
                {"type": "passport", "issuing_country_code": "CA", "identification_number": "AB123456"}
            ],
            "labels": ["integration"],
        }
    )
    async with bank.client() as client:
        created = await client.customers.create(body)
        full = await client.customers.get(created.guid, include_pii=True)
        assert full.name is not None and full.name.display == "Ada Lovelace"
        assert full.labels == ["integration"]
        bank.clock.advance(bank.backend.config.storing_seconds + 0.1)
        patched = await client.customers.update(created.guid, PatchCustomer(state=CustomerState.UNVERIFIED))
    assert patched.guid == created.guid


async def test_bank_requiring_details_refuses_a_type_only_create(make_bank: MakeBank) -> None:
    bank = make_bank(MockConfig(require_details=True))
    async with bank.client() as client:
        with pytest.raises(InvalidRequestError) as caught:
            await client.customers.create(PostCustomer(type="individual"))  # type: ignore[arg-type]
    assert caught.value.status == 422
    assert caught.value.message_code == "missing_parameter"
    assert caught.value.error_message


async def test_unknown_customer_is_not_found(bank: Bank) -> None:
    async with bank.client() as client:
        with pytest.raises(NotFoundError) as caught:
            await client.customers.get("0" * 32)
    assert caught.value.message_code == "not_found"


async def test_bad_credentials(bank: Bank) -> None:
    names = {"client_id": "CYBRID_CLIENT_ID", "client_secret": "CYBRID_CLIENT_SECRET"}  # as the session does
    async with bank.client(client_secret="wrong-secret", setting_names=names) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.customers.list()
    assert "CYBRID_CLIENT_SECRET" in str(caught.value)
    assert "wrong-secret" not in str(caught.value)


async def test_missing_scope_is_permission_denied(bank: Bank) -> None:
    async with bank.client(scopes=("customers:read",)) as client:
        assert await client.granted_scopes() == frozenset({"customers:read"})
        await client.customers.list()
        with pytest.raises(PermissionDeniedError) as caught:
            await client.customers.create(PostCustomer(type="individual"))  # type: ignore[arg-type]
    assert caught.value.message_code == "invalid_scopes"


async def test_bad_paging_is_caught_before_the_server(bank: Bank) -> None:
    async with bank.client() as client:
        with pytest.raises(RequestValidationError):
            await client.customers.list(per_page=1000)


async def test_expired_tokens_are_renewed_transparently(bank: Bank) -> None:
    async with bank.client() as client:
        await client.customers.list()
        assert bank.backend.expire_tokens() >= 1
        page = await client.customers.list()
    assert page.total == 60
    assert client.auth.fetches == 2


async def test_short_token_lifetimes_are_refreshed_before_expiry(make_bank: MakeBank) -> None:
    bank = make_bank(MockConfig(token_ttl_seconds=2))
    now = [0.0]
    async with bank.client(monotonic=lambda: now[0]) as client:
        for _ in range(5):
            await client.customers.list(per_page=1)
            now[0] += 1.5
            bank.clock.advance(1.5)
    assert client.auth.fetches == 5  # every 1.5 s passes the 1 s refresh point of a 2 s token


async def test_server_errors_are_retried_until_success(make_bank: MakeBank) -> None:
    bank = make_bank(MockConfig(faults=FaultConfig(error_rate=0.3)))
    # The mock's faults include 500s, which the default policy leaves alone (the spec's list is 429, 502,
    # 503, 504); a policy can add them.
    policy = RetryPolicy(max_attempts=12, statuses=frozenset({429, 500, 502, 503, 504}), random=lambda: 0.5)
    async with bank.client(retry=policy) as client:
        customers = [c async for p in client.customers.iter_pages(per_page=10) for c in p.objects]
    assert len(customers) == 60


async def test_rate_limit_retry_after_is_honoured(make_bank: MakeBank) -> None:
    bank = make_bank(MockConfig(faults=FaultConfig(rate_limit_rps=2)))
    async with bank.client() as client:
        for _ in range(4):
            await client.customers.list(per_page=1)
    assert bank.sleeps and all(s >= 1.0 for s in bank.sleeps)  # Retry-After is whole seconds


async def test_rate_limit_beyond_budget_gives_up(make_bank: MakeBank) -> None:
    bank = make_bank(MockConfig(faults=FaultConfig(rate_limit_rps=0.01)))  # one request per 100 s
    async with bank.client(retry=RetryPolicy(total_budget=5.0)) as client:
        with pytest.raises(RateLimitError) as caught:
            for _ in range(3):
                await client.customers.list(per_page=1)
    assert caught.value.retry_after is not None and caught.value.retry_after > 5.0


async def test_dropped_create_is_not_repeated(make_bank: MakeBank) -> None:
    bank = make_bank()
    async with bank.client() as client:
        await client.granted_scopes()
        before = len(bank.backend.guids())
        bank.backend.faults.drop_rate = 1.0
        with pytest.raises(NetworkError) as caught:
            await client.customers.create(PostCustomer(type="business"))  # type: ignore[arg-type]
        bank.backend.faults.drop_rate = 0.0
    assert caught.value.request_sent is True
    # The mock processed it before dropping the connection; the client did not send it again.
    assert len(bank.backend.guids()) == before + 1


async def test_dropped_reads_are_retried(make_bank: MakeBank) -> None:
    bank = make_bank()
    async with bank.client() as client:
        await client.granted_scopes()
        bank.backend.faults = replace(bank.backend.faults, drop_rate=0.5)
        page = await client.customers.list()
    assert page.total == 60


@pytest.mark.integration
def test_one_client_survives_its_event_loop(make_mock_server: MakeMockServer) -> None:
    """An app run ends its loop; a client kept across runs must not reuse connections bound to it."""
    server = make_mock_server()
    client = CybridClient(
        bank_url=server.url,
        id_url=server.url,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        retry=RetryPolicy(max_attempts=1),
    )
    first = asyncio.run(client.customers.list(per_page=5))
    second = asyncio.run(client.customers.list(per_page=5))
    assert [c.guid for c in first.objects] == [c.guid for c in second.objects]
    asyncio.run(client.aclose())
