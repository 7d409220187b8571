"""Keeps the customer store in step with the bank: one full load, then cheap live-refresh ticks.

**First load** (`load_all`): page 0 of the newest-first list is read and shown at once; the remaining pages
are read with bounded concurrency, turned into rows as they arrive, and applied to the store in a few large
batches (every `batch_seconds`, 0.3 s), so the table repaints a handful of times for 100,000 customers, not
once per page (each batch changes the table's height: a full layout and whole-screen repaint, ~15 ms).
Customers are deduplicated by guid (pages shift when customers are created during the load; a forward shift
only makes a row appear twice, never vanish). Pages are read as `CustomerSummary` objects (only the table's
fields) when the source offers `list_summaries` (`client.customers` does), and the cyclic garbage collector
is paused for the load (see `gc_pause`): together most of the cost of a 100,000-customer load.

**Live refresh** (`tick`): the number of requests depends on what can change, not on the size of the bank.
A normal tick sends at most 3 requests, concurrently:

1. **Page 0 of the newest-first list**: new customers appear there. Only if every row on it is new (a burst
   of creations) are the following pages read, one by one, until one overlaps what is already known.
2. **One batch of volatile customers**, re-read by guid (`guid=a,b,c`, up to `per_page` guids): customers
   that are `storing` first (they become `unverified` within seconds), then `unverified` ones (they move when
   verification ends), round-robin so each is re-read in turn. A requested guid the server no longer lists
   is removed.
3. **One page of a slow full sweep**: pages 1, 2, ... one per tick, wrapping around, reconciling whatever
   they hold, so a change anywhere (a verified customer frozen, a label edited) is seen within one sweep.
   A bank of at most 100 customers needs no sweep (page 0 is all of it); one of 300 is fully re-read every
   2 ticks; one of 100,000 every 1,000 ticks.

With `take_turns_when_quiet` (the app's choice), a tick when no customer is `storing` reads page 0 and only
one of the other two, in turn: verification results and the sweep then move at half pace (what is storing
moves within seconds, what is unverified within minutes), and a quiet bank costs 2 requests a tick, not 3.

With `verifications=` (an `OpenVerifications`), the listing of open identity verifications is a third slot
taking turns with the other two (`turns.py`): still at most 3 requests a tick, 2 when quiet. A customer
whose verification closes is re-read first at the next tick.

Everything a tick reads is applied to the store in one `apply()` after every request succeeded: a failed
tick raises the client's `CybridError` and leaves the store, the sweep position and the volatile rotation
as they were (the screen keeps the last good data, shows the error and backs off).
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from cybrid_tui.api.vocab import VOLATILE_CUSTOMER_STATES
from cybrid_tui.live.ceilings import (
    DEFAULT_MAX_BURST_PAGES,
    DEFAULT_MAX_CUSTOMERS,
    DEFAULT_MAX_PAGES,
    load_notice,
)
from cybrid_tui.live.gc_pause import collect_young, collector_paused, freeze_survivors
from cybrid_tui.live.rows import CustomerRow, changed_rows, rows_from_customers
from cybrid_tui.live.store import EMPTY_CHANGES, ChangeSet, CustomerStore
from cybrid_tui.live.turns import SWEEP, VERIFICATIONS, VOLATILE, Turns
from cybrid_tui.live.verifications import NO_CHANGES, OpenVerifications, VerificationChanges

if TYPE_CHECKING:
    from cybrid_tui.api.models import CustomerList, CustomerSummaryList

    #: A page as the refresher reads it: full customers (any `CustomerSource`) or summaries (the real client).
    Page = CustomerList | CustomerSummaryList

T = TypeVar("T")

#: States whose customers are re-read in the volatile batch, most urgent first.
VOLATILE_STATES = VOLATILE_CUSTOMER_STATES


class CustomerSource(Protocol):
    """The part of `client.customers` the refresher uses (tests pass a fake). A source that also has
    `list_summaries` (same arguments, `CustomerSummaryList` back) is read through that instead."""

    async def list(
        self,
        *,
        page: int = 0,
        per_page: int = 100,
        guid: Sequence[str] | None = None,
        include_pii: bool | None = None,
    ) -> CustomerList: ...


@dataclass(frozen=True, slots=True)
class TickResult:
    changes: ChangeSet
    requests: int
    #: What the open-verifications listing changed, when this tick read it (see `live/verifications.py`).
    verifications: VerificationChanges = NO_CHANGES


#: on_progress(changes, loaded, total): changes of the batch just applied, distinct customers loaded so far,
#: the bank's customer count as the server reported it.
ProgressCallback = Callable[[ChangeSet, int, int | None], None]


class LiveRefresher:
    """Loads every customer into a `CustomerStore` and keeps it fresh with cheap ticks (see module doc)."""

    def __init__(
        self,
        client: CustomerSource,
        store: CustomerStore,
        *,
        include_pii: bool,
        per_page: int = 100,
        monotonic: Callable[[], float] = time.monotonic,
        concurrency: int = 4,
        batch_seconds: float = 0.3,
        batch_pages: int = 10_000,
        freeze_at: int = 5_000,
        take_turns_when_quiet: bool = False,
        max_pages: int = DEFAULT_MAX_PAGES,
        max_customers: int = DEFAULT_MAX_CUSTOMERS,
        max_burst_pages: int = DEFAULT_MAX_BURST_PAGES,
        verifications: OpenVerifications | None = None,
    ) -> None:
        if not 1 <= per_page <= 100:
            raise ValueError("per_page must be between 1 and 100")
        self.client = client
        self.store = store
        #: Ask for PII (names, ...) on lists: only when the token has `customers:pii:read`.
        self.include_pii = include_pii
        self.per_page = per_page
        self._monotonic = monotonic
        self._concurrency = max(1, concurrency)
        self._batch_seconds = batch_seconds
        self._batch_pages = max(1, batch_pages)
        #: A load of at least this many customers ends with `gc_pause.freeze_survivors()`.
        self._freeze_at = freeze_at
        # Ordered sets (dicts) of volatile guids; the front is the one re-read least recently.
        self._volatile: dict[str, dict[str, None]] = {state: {} for state in VOLATILE_STATES}
        self._volatile_synced = False
        #: Volatile customers to re-read at the next tick, whose verification just closed (ordered set).
        self._settled: dict[str, None] = {}
        self._sweep_page = 1
        #: Which optional reads (volatile batch, sweep page, open verifications) a tick sends: see `turns.py`.
        self._turns = Turns(take_turns_when_quiet=take_turns_when_quiet)
        #: The open identity verifications, read as one of the rotating slots (None: not tracked).
        self.verifications = verifications
        self._recent_first_page: frozenset[str] = frozenset()
        #: The bank's customer count as last reported by the server.
        self.server_total: int | None = None
        #: Full sweeps completed (every page re-read once).
        self.sweeps = 0
        #: Ceilings against a server that never stops answering (see `_load_all`): pages one load reads,
        #: customers held, pages one tick reads after page 0 for a burst of new customers.
        self.max_pages = max(1, max_pages)
        self.max_customers = max(per_page, max_customers)
        self.max_burst_pages = max(0, max_burst_pages)
        #: Why the last load ended before the `total` the server reported, in plain words (None: it did not).
        self.load_notice: str | None = None

    # ------------------------------------------------------------------------------------------ first load

    async def load_all(self, on_progress: ProgressCallback) -> None:
        """Read every customer into the store, page 0 first; `on_progress(changes, loaded, total)` after
        each batch applied. Raises the client's `CybridError`; batches applied before it stay (a new load
        refreshes them: rows are deduplicated by guid)."""
        with collector_paused():
            loaded = await self._load_all(on_progress)
            if loaded >= self._freeze_at:
                freeze_survivors()

    async def _load_all(self, on_progress: ProgressCallback) -> int:
        """The load proper. It reads pages 1, 2, ... up to the server's `total`, but never on `total` alone:
        the first short or empty page ends the list whatever `total` says; a `total` that grows by more than
        the customers that arrived so far is a changed bank (the live ticks and the sweep catch up with it),
        not pages to chase; `max_pages` and `max_customers` end it in any case. Each of those leaves
        `load_notice` saying why fewer customers than `total` were loaded."""
        per_page = self.per_page
        self.load_notice = None
        first = await self._list(page=0)
        seen: set[str] = set()
        total = first.total
        start_total = total
        self.server_total = total
        changes = self._apply_rows(rows_from_customers(first.objects), seen=seen)
        on_progress(changes, len(seen), total)
        # Records a page left out as unreadable (`page.unreadable`, logged by the client): said, not hidden,
        # and counted as sent (a page is short by what the server sent, not by what could be read).
        unreadable = getattr(first, "unreadable", 0)
        arrived = len(first.objects) + unreadable
        ceiling = min(self.max_pages, math.ceil(self.max_customers / per_page))
        next_page = 1
        # A short first page is the whole list, whatever `total` says.
        pages_needed = min(ceiling, math.ceil(total / per_page)) if arrived >= per_page else 1
        short_page: int | None = 0 if arrived < min(per_page, total) else None
        ignored_total: int | None = None
        # Rows of the pages read since the last batch: converted as each page arrives, while other requests
        # are in flight, so applying a batch is only the store's work.
        pending: list[CustomerRow] = []
        pending_pages = 0
        last_flush = self._monotonic()

        def flush() -> None:
            nonlocal last_flush, pending, pending_pages
            batch, pending, pending_pages = pending, [], 0
            if batch:
                on_progress(self._apply_rows(batch, seen=seen), len(seen), max(total, len(seen)))
            collect_young()
            last_flush = self._monotonic()

        async def worker() -> None:
            nonlocal \
                next_page, \
                pages_needed, \
                total, \
                pending_pages, \
                arrived, \
                short_page, \
                ignored_total, \
                unreadable
            while next_page < pages_needed:
                page = next_page
                next_page += 1
                result = await self._list(page=page)
                objects = result.objects
                skipped = getattr(result, "unreadable", 0)
                unreadable += skipped
                arrived += len(objects) + skipped
                if len(objects) + skipped < per_page:
                    # The end of the list, whatever `total` says: no page after it is asked for.
                    pages_needed = min(pages_needed, page + 1)
                    if (page + 1) * per_page < total and (short_page is None or page < short_page):
                        short_page = page
                elif result.total > total:
                    if result.total - start_total <= arrived:
                        # Customers were created during the load: the list grew, and its tail moved on.
                        total = result.total
                        pages_needed = max(pages_needed, min(ceiling, math.ceil(total / per_page)))
                    else:
                        # Grown by more than could have been created meanwhile: not pages to chase.
                        ignored_total = max(ignored_total or 0, result.total)
                pending.extend(rows_from_customers(objects))
                pending_pages += 1
                if pending_pages % 8 == 0:
                    # Frees the last pages' responses (cycles) now: peak memory stays that of a few pages.
                    collect_young()
                if (
                    pending_pages >= self._batch_pages
                    or self._monotonic() - last_flush >= self._batch_seconds
                ):
                    flush()

        await _all_or_nothing([worker() for _ in range(self._concurrency)])
        self.server_total = total
        flush()
        self._volatile_synced = True  # every loaded row was tracked: no need to scan the store
        self.load_notice = load_notice(
            len(seen), total, short_page=short_page, ignored_total=ignored_total, ceiling=ceiling * per_page
        )
        if unreadable:
            skipped = (
                f"{unreadable:,} customer record{'s' if unreadable > 1 else ''} unreadable (see the log)"
            )
            self.load_notice = f"{self.load_notice}; {skipped}" if self.load_notice else skipped
        return len(seen)

    # ------------------------------------------------------------------------------------------ live ticks

    async def tick(self) -> TickResult:
        """One live-refresh step (see the module doc). Raises the client's `CybridError`; the store is then
        untouched."""
        if not self._volatile_synced:
            self._sync_volatile()
        volatile = self._pick_volatile()
        sweep_page = self._sweep_target()
        tracker = self.verifications
        available = {
            VOLATILE: bool(volatile),
            SWEEP: sweep_page is not None,
            VERIFICATIONS: tracker is not None,
        }
        hurry = bool(self._volatile["storing"]) or bool(self._settled)
        plan = self._turns.plan(frozenset(slot for slot, has in available.items() if has), storing=hurry)
        volatile = volatile if VOLATILE in plan else []
        sweep_page = sweep_page if SWEEP in plan else None
        calls: list[Awaitable[Any]] = [self._list(page=0)]
        if volatile:
            calls.append(self._list(guid=volatile))
        if sweep_page is not None:
            calls.append(self._list(page=sweep_page))
        if tracker is not None and VERIFICATIONS in plan:
            calls.append(tracker.fetch())
        results = await _all_or_nothing(calls)
        requests = len(calls)
        verification_page = results.pop() if tracker is not None and VERIFICATIONS in plan else None
        first = results[0]
        volatile_result = results[1] if volatile else None
        sweep_result = results[-1] if sweep_page is not None else None

        # A burst of new customers: read on while a whole page is new to us, so no gap is left behind.
        head = [first]
        while (
            len(head) <= self.max_burst_pages
            and self._all_new(head[-1])
            and len(head) * self.per_page < head[-1].total
        ):
            head.append(await self._list(page=len(head)))
            requests += 1

        removed: list[str] = []
        if volatile_result is not None:
            returned = {customer.guid for customer in volatile_result.objects}
            complete = len(volatile_result.objects) == volatile_result.total
            # A server that ignored the guid filter answers with other customers: then conclude nothing.
            if complete and returned <= set(volatile):
                removed = [guid for guid in volatile if guid not in returned]

        # Oldest information first: the head of the list was read last and wins on duplicates.
        ordered = [result for result in (sweep_result, volatile_result) if result is not None]
        changes = self._apply_read([*ordered, *head], removed=removed)

        # Move the cursors only now that the tick succeeded.
        self.server_total = first.total
        self._recent_first_page = frozenset(customer.guid for customer in first.objects)
        for guid in volatile:
            self._requeue(guid)
        if volatile:
            # The batch read the front of the pools, where they were (or page 0 showed them).
            self._settled.clear()
        if sweep_page is not None:
            self._advance_sweep(sweep_page, first.total)
        self._turns.commit(plan)
        settled = NO_CHANGES
        if tracker is not None and verification_page is not None:
            settled = tracker.apply(verification_page)
            self._re_read_first(settled.settled)
        return TickResult(changes, requests, settled)

    @property
    def sweep_position(self) -> tuple[int, int]:
        """(next sweep page, pages in the list) for a status line."""
        pages = max(1, math.ceil((self.server_total or 0) / self.per_page))
        return self._sweep_page, pages

    def volatile_count(self) -> int:
        return sum(len(pool) for pool in self._volatile.values())

    # ------------------------------------------------------------------------------------------ internals

    def _list(self, *, page: int = 0, guid: Sequence[str] | None = None) -> Awaitable[Page]:
        # Looked up per call (cheap), so a source whose methods are swapped later (tests) is honoured.
        client = self.client
        list_page: Callable[..., Awaitable[Page]] = getattr(client, "list_summaries", client.list)
        return list_page(
            page=page,
            per_page=self.per_page,
            guid=guid,
            include_pii=True if self.include_pii else None,
        )

    def _all_new(self, result: Page) -> bool:
        objects = result.objects
        store = self.store
        return len(objects) == self.per_page and not any(customer.guid in store for customer in objects)

    def _apply_read(self, results: Iterable[Page], *, removed: Sequence[str] = ()) -> ChangeSet:
        """Apply what a tick read (a later result wins over an earlier one for the same customer). Only the
        customers that are new or changed become rows: on a quiet tick that is none of the ~300 read."""
        latest = {customer.guid: customer for result in results for customer in result.objects}
        rows = changed_rows(latest.values(), self.store.get)
        if len(self.store) + len(rows) > self.max_customers:
            # At the ceiling (a server inventing customers): known ones still change, no new one is held.
            store = self.store
            rows = [row for row in rows if row.guid in store]
            latest = {guid: customer for guid, customer in latest.items() if guid in store}
        changes = self.store.apply(rows, removed=removed) if rows or removed else EMPTY_CHANGES
        track = self._track
        for guid, customer in latest.items():
            track(guid, customer.state)
        for guid in removed:
            track(guid, None)
        return changes

    def _apply_rows(
        self,
        rows: list[CustomerRow],
        *,
        seen: set[str] | None = None,
        removed: Sequence[str] = (),
    ) -> ChangeSet:
        if seen is not None:
            seen.update(row.guid for row in rows)
        changes = self.store.apply(rows, removed=removed) if rows or removed else EMPTY_CHANGES
        for row in rows:
            self._track(row.guid, row.state)
        for guid in removed:
            self._track(guid, None)
        return changes

    def _track(self, guid: str, state: str | None) -> None:
        """Keep the volatile sets in step with a customer's latest known state."""
        for name, pool in self._volatile.items():
            if name == state:
                if guid not in pool:
                    pool[guid] = None
            else:
                pool.pop(guid, None)

    def _sync_volatile(self) -> None:
        """Learn the volatile customers from the store itself: it may have been filled by someone else (or
        changed by the app, e.g. a customer just created). Once at the first tick, then after each sweep."""
        for row in self.store.rows():
            self._track(row.guid, row.state)
        store = self.store
        for pool in self._volatile.values():
            for guid in [guid for guid in pool if guid not in store]:
                del pool[guid]
        self._volatile_synced = True

    def _pick_volatile(self) -> list[str]:
        """Up to `per_page` volatile guids: storing first, then unverified, least recently re-read first;
        the ones page 0 will show anyway are skipped."""
        skip = self._recent_first_page
        picked: list[str] = []
        for guid in chain.from_iterable(self._volatile[state] for state in VOLATILE_STATES):
            if guid in skip:
                continue
            picked.append(guid)
            if len(picked) == self.per_page:
                break
        return picked

    def _re_read_first(self, guids: Iterable[str]) -> None:
        """Customers whose verification just closed: their state moves now, so the next tick re-reads them
        first (the volatile batch goes out then, as for a customer `storing`)."""
        for guid in guids:
            for pool in self._volatile.values():
                if guid in pool:
                    self._settled[guid] = None
                    rest = [other for other in pool if other not in self._settled]
                    pool.clear()
                    pool.update(dict.fromkeys([*self._settled, *rest]))
                    break

    def _requeue(self, guid: str) -> None:
        for pool in self._volatile.values():
            if guid in pool:
                del pool[guid]
                pool[guid] = None

    def _sweep_target(self) -> int | None:
        total = self.server_total
        if total is None:
            total = len(self.store)
        if total <= self.per_page:
            return None  # page 0 is the whole list
        pages = math.ceil(total / self.per_page)
        return self._sweep_page if self._sweep_page < pages else 1

    def _advance_sweep(self, page: int, total: int) -> None:
        pages = math.ceil(total / self.per_page)
        if page + 1 >= pages:
            self._sweep_page = 1
            self.sweeps += 1
            self._volatile_synced = False
        else:
            self._sweep_page = page + 1


async def _all_or_nothing(calls: Sequence[Awaitable[T]]) -> list[T]:
    """Await every call concurrently; when one fails, cancel the others and raise its error."""
    tasks = [asyncio.ensure_future(call) for call in calls]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
