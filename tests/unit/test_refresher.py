"""The live refresher against a fake bank: what it asks for, what it finds, what a failure leaves behind."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterable  # noqa: TC003 - dataclass fields are resolved at runtime
from typing import TYPE_CHECKING, Any

import pytest

from cybrid_tui.api.errors import NetworkError, ServerError
from cybrid_tui.live import rows as rows_module
from cybrid_tui.live.refresher import LiveRefresher, TickResult
from cybrid_tui.live.rows import CustomerRow, rows_from_customers
from cybrid_tui.live.store import ChangeSet, CustomerStore
from tests.support.listing_bank import Call, ListingBank

if TYPE_CHECKING:
    from cybrid_tui.api.models import Customer, CustomerList


def loaded_store(bank: ListingBank) -> CustomerStore:
    """A store already holding the bank as it is now (what `load_all` leaves)."""
    store = CustomerStore()
    store.apply(bank.row(g) for g in bank.states)
    return store


def matches_bank(store: CustomerStore, bank: ListingBank) -> bool:
    return {g: r.state for g, r in ((r.guid, r) for r in store.rows())} == bank.states


# ------------------------------------------------------------------------------------------------ load_all


async def test_load_all_shows_page_zero_first_then_everything_in_batches() -> None:
    bank = ListingBank()
    bank.add(1234)
    store = CustomerStore()
    refresher = LiveRefresher(bank, store, include_pii=False, concurrency=3, batch_pages=4)
    reports: list[tuple[ChangeSet, int, int | None, int]] = []

    def on_progress(changes: ChangeSet, loaded: int, total: int | None) -> None:
        reports.append((changes, loaded, total, len(bank.calls)))

    await refresher.load_all(on_progress)

    first_changes, first_loaded, first_total, calls_then = reports[0]
    assert calls_then == 1  # the first rows were shown before any other page was asked for
    assert bank.calls[0].page == 0
    assert (first_loaded, first_total, len(first_changes.added)) == (100, 1234, 100)
    assert reports[-1][1:3] == (1234, 1234)
    assert 3 <= len(reports) < 13  # batched: fewer repaints than pages
    assert sorted(call.page for call in bank.calls) == list(range(13))
    assert bank.max_in_flight == 3
    assert matches_bank(store, bank)
    assert store.view[0].guid == bank.newest_first()[0]
    assert sum(len(changes.added) for changes, *_ in reports) == 1234


async def test_load_all_keeps_customers_created_while_it_runs_and_counts_each_once() -> None:
    bank = ListingBank()
    bank.add(450)
    created_during_load: list[str] = []

    def create_some(call: Call) -> None:
        if call.page == 2 and not created_during_load:
            created_during_load.extend(bank.add(30, state="storing"))  # every later page shifts by 30

    bank.on_call = create_some
    store = CustomerStore()
    refresher = LiveRefresher(bank, store, include_pii=False, concurrency=1)
    reports: list[tuple[int, int | None]] = []
    await refresher.load_all(lambda changes, loaded, total: reports.append((loaded, total)))

    assert created_during_load
    original = set(bank.states) - set(created_during_load)
    assert original <= {r.guid for r in store.rows()}  # nothing lost to the shift
    assert reports[-1] == (store.total, 480)
    assert len(store.view) == store.total  # no duplicates
    # the page past the original end was read too: the list grew during the load
    assert max(call.page for call in bank.calls) == 4


def test_the_fast_rows_match_the_converted_customers() -> None:
    bank = ListingBank()
    (guid,) = bank.add(1, state="frozen")
    bank.labels[guid] = ("a", "b")
    bank.names[guid] = "Ada Lovelace"
    assert bank.row(guid) == CustomerRow.from_customer(bank.customer(guid))


async def test_load_all_asks_for_pii_only_when_allowed() -> None:
    bank = ListingBank()
    bank.add(150)
    await LiveRefresher(bank, CustomerStore(), include_pii=True).load_all(lambda *args: None)
    assert {call.include_pii for call in bank.calls} == {True}
    bank.calls.clear()
    await LiveRefresher(bank, CustomerStore(), include_pii=False).load_all(lambda *args: None)
    assert {call.include_pii for call in bank.calls} == {None}


async def test_load_all_of_an_empty_bank_reports_zero() -> None:
    reports: list[tuple[int, int | None]] = []
    await LiveRefresher(ListingBank(), CustomerStore(), include_pii=False).load_all(
        lambda changes, loaded, total: reports.append((loaded, total))
    )
    assert reports == [(0, 0)]


# ------------------------------------------------------------------------------------------------ ticks


async def test_a_tick_at_100000_customers_costs_at_most_3_requests() -> None:
    bank = ListingBank()
    bank.add(70_000, state="verified")
    bank.add(30_000, state="unverified")
    store = loaded_store(bank)
    refresher = LiveRefresher(bank, store, include_pii=False)
    version = store.version
    for _ in range(5):
        bank.calls.clear()
        result = await refresher.tick()
        assert result == TickResult(ChangeSet(), 3)
        assert len(bank.calls) == 3
    assert store.version == version  # nothing changed, nothing to repaint
    kinds = [(call.page, call.guid is not None) for call in bank.calls]
    assert kinds == [(0, False), (0, True), (5, False)]  # head, volatile batch, 5th sweep page


async def test_new_customers_appear_on_the_next_tick() -> None:
    bank = ListingBank()
    bank.add(5000, state="verified")
    store = loaded_store(bank)
    refresher = LiveRefresher(bank, store, include_pii=False)
    await refresher.tick()
    new = bank.add(3, state="storing")
    bank.calls.clear()
    result = await refresher.tick()
    assert result.changes.added == set(new)
    assert result.requests <= 3
    assert [r.guid for r in store.view[:3]] == list(reversed(new))
    assert store.counts["storing"] == 3


async def test_a_burst_of_new_customers_is_read_until_known_ones_show_up() -> None:
    bank = ListingBank()
    bank.add(1000, state="verified")
    store = loaded_store(bank)
    refresher = LiveRefresher(bank, store, include_pii=False)
    new = bank.add(250, state="unverified")
    bank.calls.clear()
    result = await refresher.tick()
    assert result.changes.added == set(new)
    assert result.requests == len(bank.calls) == 4  # head, sweep, then pages 1 and 2 of the burst
    assert sorted(c.page for c in bank.calls if c.guid is None) == [0, 1, 1, 2]
    assert matches_bank(store, bank)


async def test_volatile_customers_are_reread_in_turn_storing_first() -> None:
    bank = ListingBank()
    unverified = bank.add(250, state="unverified")
    bank.add(2000, state="verified")
    storing = bank.add(1, state="storing")
    bank.add(150, state="verified")  # pushes the storing one off page 0
    store = loaded_store(bank)
    refresher = LiveRefresher(bank, store, include_pii=False)
    await refresher.tick()  # learns what page 0 holds
    batches: list[tuple[str, ...]] = []
    for _ in range(3):
        bank.calls.clear()
        await refresher.tick()
        (batch,) = [call.guid for call in bank.calls if call.guid]
        batches.append(batch)
    assert batches[0][0] == storing[0]  # the customer about to move goes first, every time
    assert batches[1][0] == storing[0]
    assert all(len(batch) == 100 for batch in batches)
    reread = {g for batch in batches for g in batch}
    assert set(unverified) <= reread  # three ticks of 99 cover all 250 unverified customers
    assert len(batches[0]) == len(set(batches[0]))


async def test_state_changes_of_volatile_customers_are_found_within_a_rotation() -> None:
    bank = ListingBank()
    storing = bank.add(40, state="storing")
    bank.add(500, state="verified")
    store = loaded_store(bank)
    refresher = LiveRefresher(bank, store, include_pii=False)
    for guid in storing:
        bank.states[guid] = "unverified"
    result = await refresher.tick()
    assert result.changes.state_changed == set(storing)
    assert store.counts["storing"] == 0
    assert store.counts["unverified"] == 40


async def test_a_quiet_bank_takes_turns_and_a_storing_customer_ends_them() -> None:
    bank = ListingBank()
    unverified = bank.add(150, state="unverified")
    bank.add(450, state="verified")
    store = loaded_store(bank)
    refresher = LiveRefresher(bank, store, include_pii=False, take_turns_when_quiet=True)
    await refresher.tick()  # learns what page 0 holds
    kinds: list[str] = []
    reread: set[str] = set()
    for _ in range(10):
        bank.calls.clear()
        result = await refresher.tick()
        assert result.requests == 2, "a quiet tick reads page 0 and one other thing"
        (other,) = [call for call in bank.calls if call.guid or call.page]
        kinds.append("volatile" if other.guid else "sweep")
        reread.update(other.guid or ())
    assert all(a != b for a, b in itertools.pairwise(kinds)), kinds  # in turn
    assert set(unverified) - set(bank.newest_first()[:100]) <= reread  # still every one, in turn
    assert refresher.sweeps == 1  # five sweep turns: pages 1 to 5

    storing = bank.add(1, state="storing")
    bank.add(100, state="verified")  # pushes it off page 0
    await refresher.tick()  # sees the new ones on page 0 (and reads on: a whole page of them is new)
    bank.calls.clear()
    result = await refresher.tick()
    assert result.requests == 3, "something storing moves within seconds: every tick reads all three"
    assert any(call.guid and call.guid[0] == storing[0] for call in bank.calls)


async def test_the_sweep_finds_any_change_within_one_pass() -> None:
    bank = ListingBank()
    bank.add(1000, state="verified")
    store = loaded_store(bank)
    refresher = LiveRefresher(bank, store, include_pii=False)
    deep = bank.newest_first()[555]  # not volatile, not on page 0
    bank.states[deep] = "frozen"
    bank.labels[deep] = ("watch",)
    found_after = None
    for tick in range(1, 11):
        result = await refresher.tick()
        assert result.requests == 2  # nothing volatile: head + sweep
        if result.changes.state_changed:
            found_after = tick
            assert result.changes.state_changed == {deep}
            break
    assert found_after == 5  # pages 1..9 in turn: page 5 holds the 556th customer
    assert store.get(deep) is not None and store.get(deep).labels == ("watch",)  # type: ignore[union-attr]
    for _ in range(4):  # pages 6 to 9
        await refresher.tick()
    assert refresher.sweeps == 1
    assert refresher.sweep_position == (1, 10)


async def test_a_small_bank_is_fully_reread_every_one_or_two_ticks() -> None:
    bank = ListingBank()
    bank.add(80, state="verified")
    store = loaded_store(bank)
    refresher = LiveRefresher(bank, store, include_pii=False)
    result = await refresher.tick()
    assert result.requests == 1  # page 0 is the whole bank
    bank.add(170, state="verified")
    await refresher.tick()
    bank.calls.clear()
    pages_read: set[int] = set()
    for _ in range(2):
        await refresher.tick()
    pages_read = {call.page for call in bank.calls}
    assert pages_read == {0, 1, 2}
    assert len(bank.calls) == 4


async def test_a_quiet_tick_turns_no_customer_into_a_row_but_any_change_shows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bank = ListingBank()
    bank.add(300, state="unverified")
    bank.add(700, state="verified")
    store = loaded_store(bank)
    refresher = LiveRefresher(bank, store, include_pii=False)
    converted: list[str] = []

    def counting(customers: Iterable[Customer]) -> list[CustomerRow]:
        customers = list(customers)
        converted.extend(customer.guid for customer in customers)
        return rows_from_customers(customers)

    monkeypatch.setattr(rows_module, "rows_from_customers", counting)
    version = store.version
    result = await refresher.tick()
    assert result == TickResult(ChangeSet(), 3)
    assert converted == [] and store.version == version  # ~300 customers read, none rebuilt

    # Changes that leave `updated_at` (and the state) as they were still show on the next tick.
    head, deep = bank.newest_first()[5], bank.newest_first()[150]
    bank.labels[head] = ("watch",)
    bank.names[deep] = "Grace Hopper"
    changed: set[str] = set()
    for _ in range(9):  # a full sweep of pages 1..9
        changed |= (await refresher.tick()).changes.updated
    assert changed == {head, deep}
    assert sorted(converted) == sorted([head, deep])
    assert store.get(head).labels == ("watch",)  # type: ignore[union-attr]
    assert store.get(deep).name == "Grace Hopper"  # type: ignore[union-attr]
    assert matches_bank(store, bank)


async def test_the_head_of_the_list_wins_over_an_older_read_of_the_same_customer() -> None:
    bank = ListingBank()
    bank.add(1000, state="verified")
    store = loaded_store(bank)
    refresher = LiveRefresher(bank, store, include_pii=False)
    newest = bank.newest_first()[0]
    original = bank.list

    async def shifted(**kwargs: Any) -> CustomerList:
        page = await original(**kwargs)
        if kwargs.get("page") and not kwargs.get("guid"):
            # The sweep page also holds the newest customer (the list shifted while it was read), in a
            # state the head of the list, read at the same time, no longer shows.
            stale = bank.customer(newest).model_copy(update={"state": "frozen"})
            page = page.model_copy(update={"objects": [*page.objects, stale]})
        return page

    bank.list = shifted  # type: ignore[method-assign]
    result = await refresher.tick()
    assert result.changes.empty
    assert store.get(newest).state == "verified"  # type: ignore[union-attr]


async def test_a_customer_the_server_no_longer_lists_is_removed() -> None:
    bank = ListingBank()
    volatile = bank.add(10, state="unverified")
    bank.add(300, state="verified")
    store = loaded_store(bank)
    refresher = LiveRefresher(bank, store, include_pii=False)
    del bank.states[volatile[3]]
    bank._newest_first = None
    result = await refresher.tick()
    assert result.changes.removed == {volatile[3]}
    assert store.get(volatile[3]) is None
    assert refresher.volatile_count() == 9


async def test_a_server_that_ignores_the_guid_filter_removes_nothing() -> None:
    bank = ListingBank(ignore_guid_filter=True)
    bank.add(10, state="unverified")
    bank.add(300, state="verified")
    store = loaded_store(bank)
    result = await LiveRefresher(bank, store, include_pii=False).tick()
    assert result.changes.removed == frozenset()
    assert store.total == 310


@pytest.mark.parametrize("failing", ["head", "volatile", "sweep", "burst"])
async def test_a_failed_tick_leaves_the_store_and_the_cursors_untouched(failing: str) -> None:
    bank = ListingBank()
    bank.add(300, state="unverified")
    bank.add(700, state="verified")
    store = loaded_store(bank)
    refresher = LiveRefresher(bank, store, include_pii=False)
    await refresher.tick()
    before = [(r.guid, r.state) for r in store.view]
    counts, version, sweep = dict(store.counts), store.version, refresher.sweep_position

    new = bank.add(150, state="storing")  # a burst: page 0 is all new, so page 1 is read as well
    for guid in bank.newest_first()[300:900]:
        bank.states[guid] = "rejected"
    bank.fail = {
        "head": lambda call: call.page == 0 and call.guid is None,
        "volatile": lambda call: call.guid is not None,
        "sweep": lambda call: call.page == 2 and call.guid is None,
        "burst": lambda call: call.page == 1 and call.guid is None and len(bank.calls) > 3,
    }[failing]
    with pytest.raises(ServerError):
        await refresher.tick()
    assert [(r.guid, r.state) for r in store.view] == before
    assert (dict(store.counts), store.version, refresher.sweep_position) == (counts, version, sweep)

    bank.fail = lambda call: False
    result = await refresher.tick()  # recovers by itself on the next tick
    assert set(new) <= result.changes.added
    assert refresher.sweep_position[0] == sweep[0] + 1


async def test_a_failure_cancels_the_other_requests_of_the_tick() -> None:
    bank = ListingBank()
    bank.add(1000, state="unverified")
    store = loaded_store(bank)
    refresher = LiveRefresher(bank, store, include_pii=False)
    release = asyncio.Event()
    original = bank.list

    async def slow_or_failing(**kwargs: object) -> CustomerList:
        if kwargs.get("guid"):
            raise NetworkError("connection refused")
        await release.wait()
        return await original(**kwargs)  # type: ignore[arg-type]

    bank.list = slow_or_failing  # type: ignore[method-assign]
    with pytest.raises(NetworkError):
        await asyncio.wait_for(refresher.tick(), timeout=5)
    others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    assert others == []  # the head and sweep requests were cancelled, not left running


async def test_load_all_failure_propagates_and_keeps_what_was_shown() -> None:
    bank = ListingBank()
    bank.add(1000, state="verified")
    bank.fail = lambda call: call.page == 7
    store = CustomerStore()
    refresher = LiveRefresher(bank, store, include_pii=False, concurrency=2, batch_pages=1)
    with pytest.raises(ServerError):
        await refresher.load_all(lambda *args: None)
    assert 100 <= store.total < 1000
    bank.fail = lambda call: False
    await refresher.load_all(lambda *args: None)
    assert matches_bank(store, bank)


def test_per_page_is_bounded_by_the_api() -> None:
    with pytest.raises(ValueError, match="per_page"):
        LiveRefresher(ListingBank(), CustomerStore(), include_pii=False, per_page=101)
