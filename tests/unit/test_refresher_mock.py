"""The refresher against the real in-process mock bank, through the real client."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from cybrid_tui.api.client import CybridClient
from cybrid_tui.clock import FrozenClock
from cybrid_tui.live.refresher import LiveRefresher
from cybrid_tui.live.store import CustomerStore
from cybrid_tui.mock.app import create_mock_app
from cybrid_tui.mock.config import MockConfig

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from cybrid_tui.mock.backend import MockBackend


@dataclass
class Bank:
    backend: MockBackend
    clock: FrozenClock
    client: CybridClient
    requests: list[dict[str, Any]]


async def open_bank(customers: int) -> tuple[Bank, CybridClient]:
    clock = FrozenClock(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC))
    app = create_mock_app(MockConfig(customers=customers), clock=clock)
    client = CybridClient(
        transport=httpx.ASGITransport(app),
        bank_url="http://127.0.0.1",
        id_url="http://127.0.0.1",
        client_id="mock-client-id",
        client_secret="mock-client-secret",
    )
    requests: list[dict[str, Any]] = []
    list_summaries = client.customers.list_summaries

    async def counted(**kwargs: Any) -> Any:
        requests.append(kwargs)
        return await list_summaries(**kwargs)

    client.customers.list_summaries = counted  # type: ignore[method-assign]
    return Bank(app.state.backend, clock, client, requests), client


@pytest.fixture
async def bank() -> AsyncIterator[Bank]:
    opened, client = await open_bank(450)
    try:
        yield opened
    finally:
        await client.aclose()


def states(store: CustomerStore) -> dict[str, str]:
    return {row.guid: row.state for row in store.rows()}


async def loaded(bank: Bank) -> tuple[CustomerStore, LiveRefresher]:
    store = CustomerStore()
    refresher = LiveRefresher(bank.client.customers, store, include_pii=True)
    await refresher.load_all(lambda changes, loaded, total: None)
    return store, refresher


async def test_the_load_matches_the_server(bank: Bank) -> None:
    store, _ = await loaded(bank)
    assert states(store) == bank.backend.snapshot_states()
    assert [row.guid for row in store.view] == bank.backend.guids()  # newest first, like the API
    assert any(row.name for row in store.rows())  # PII was asked for and shown


async def test_a_created_customer_appears_on_the_next_tick_and_leaves_storing(bank: Bank) -> None:
    store, refresher = await loaded(bank)
    created = bank.backend.create_customer({"type": "business", "labels": ["from-another-client"]})
    guid = created["guid"]

    result = await refresher.tick()
    assert guid in result.changes.added
    assert result.requests <= 3
    assert store.view[0].guid == guid
    assert store.get(guid) is not None and store.get(guid).state == "storing"  # type: ignore[union-attr]

    bank.clock.advance(bank.backend.config.storing_seconds + 0.5)
    result = await refresher.tick()
    assert guid in result.changes.state_changed
    assert store.get(guid).state == "unverified"  # type: ignore[union-attr]
    assert states(store) == bank.backend.snapshot_states()


async def test_an_admin_state_change_anywhere_is_found_by_the_sweep(bank: Bank) -> None:
    store, refresher = await loaded(bank)
    deep = bank.backend.guids()[-1]  # the oldest customer: last page
    bank.backend.set_state(deep, "frozen" if store.get(deep).state != "frozen" else "verified")  # type: ignore[union-attr]
    found = False
    for _ in range(5):  # pages 1..4 of a 450-customer bank
        result = await refresher.tick()
        if deep in result.changes.state_changed:
            found = True
            break
    assert found
    assert states(store) == bank.backend.snapshot_states()


async def test_ticks_on_a_big_bank_send_at_most_three_requests() -> None:
    opened, client = await open_bank(3000)
    try:
        _, refresher = await loaded(opened)
        opened.requests.clear()
        for _ in range(4):
            result = await refresher.tick()
            assert result.requests <= 3
        assert len(opened.requests) <= 12
        assert {request.get("include_pii") for request in opened.requests} == {True}
        guid_batches = [request["guid"] for request in opened.requests if request.get("guid")]
        assert guid_batches and all(len(batch) <= 100 for batch in guid_batches)
    finally:
        await client.aclose()
