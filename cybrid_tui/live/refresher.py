"""Keeps the customer store in step with the bank: one full load, then cheap live-refresh ticks.

**First load** (`load_all`, the paging in `first_load.py`): page 0 of the newest-first list is read and shown
at once; the remaining pages are read with bounded concurrency and applied to the store in a few large
batches. Pages are read as `CustomerSummary` objects (only the table's fields) when the source offers
`list_summaries` (`client.customers` does), and the cyclic garbage collector is paused for the load (see
`gc_pause`): together most of the cost of a 100,000-customer load.

**Live refresh** (`tick`): the number of requests depends on what can change, not on the size of the bank.
A normal tick sends at most 3 requests, concurrently:

1. **Page 0 of the newest-first list**: new customers appear there. Only if every row on it is new (a burst
   of creations) are the following pages read, one by one, until one overlaps what is already known.
2. **One batch of volatile customers**, re-read by guid (`guid=a,b,c`, up to `per_page` guids): customers
   that are `storing` first, then `unverified` ones, round-robin so each is re-read in turn (`volatile.py`).
   A requested guid the server no longer lists is removed.
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

import math
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from cybrid_tui.live.ceilings import DEFAULT_MAX_BURST_PAGES, DEFAULT_MAX_CUSTOMERS, DEFAULT_MAX_PAGES
from cybrid_tui.live.changes import EMPTY_CHANGES, ChangeSet
from cybrid_tui.live.first_load import ProgressCallback, load_pages
from cybrid_tui.live.gather import all_or_nothing
from cybrid_tui.live.gc_pause import collector_paused, freeze_survivors
from cybrid_tui.live.rows import CustomerRow, changed_rows
from cybrid_tui.live.turns import SWEEP, VERIFICATIONS, VOLATILE, Turns
from cybrid_tui.live.verifications import NO_CHANGES, OpenVerifications, VerificationChanges
from cybrid_tui.live.volatile import VOLATILE_STATES, VolatilePools

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Iterable, Sequence

    from cybrid_tui.api.models import CustomerList
    from cybrid_tui.live.first_load import Page
    from cybrid_tui.live.store import CustomerStore

__all__ = ["VOLATILE_STATES", "CustomerSource", "LiveRefresher", "ProgressCallback", "TickResult"]


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
        #: The customers re-read by guid because they move on their own (see `volatile.py`).
        self._volatile = VolatilePools()
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
        #: Ceilings against a server that never stops answering (see `first_load.py`): pages one load reads,
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
        self.load_notice = None
        with collector_paused():
            outcome = await load_pages(
                lambda page: self._list(page=page),
                self._apply_rows,
                on_progress,
                self._set_server_total,
                per_page=self.per_page,
                concurrency=self._concurrency,
                batch_seconds=self._batch_seconds,
                batch_pages=self._batch_pages,
                max_pages=self.max_pages,
                max_customers=self.max_customers,
                monotonic=self._monotonic,
            )
            self._volatile.synced = True  # every loaded row was tracked: no need to scan the store
            self.load_notice = outcome.notice
            if outcome.loaded >= self._freeze_at:
                freeze_survivors()

    def _set_server_total(self, total: int) -> None:
        self.server_total = total

    # ------------------------------------------------------------------------------------------ live ticks

    async def tick(self) -> TickResult:
        """One live-refresh step (see the module doc). Raises the client's `CybridError`; the store is then
        untouched."""
        pools = self._volatile
        if not pools.synced:
            pools.sync(self.store)
        volatile = pools.pick(self.per_page, skip=self._recent_first_page)
        sweep_page = self._sweep_target()
        tracker = self.verifications
        available = {
            VOLATILE: bool(volatile),
            SWEEP: sweep_page is not None,
            VERIFICATIONS: tracker is not None,
        }
        plan = self._turns.plan(
            frozenset(slot for slot, has in available.items() if has), storing=pools.urgent
        )
        volatile = volatile if VOLATILE in plan else []
        sweep_page = sweep_page if SWEEP in plan else None
        calls: list[Awaitable[Any]] = [self._list(page=0)]
        if volatile:
            calls.append(self._list(guid=volatile))
        if sweep_page is not None:
            calls.append(self._list(page=sweep_page))
        if tracker is not None and VERIFICATIONS in plan:
            calls.append(tracker.fetch())
        results = await all_or_nothing(calls)
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
        pools.requeue(volatile)
        if sweep_page is not None:
            self._advance_sweep(sweep_page, first.total)
        self._turns.commit(plan)
        settled = NO_CHANGES
        if tracker is not None and verification_page is not None:
            settled = tracker.apply(verification_page)
            pools.re_read_first(settled.settled)
        return TickResult(changes, requests, settled)

    @property
    def sweep_position(self) -> tuple[int, int]:
        """(next sweep page, pages in the list) for a status line."""
        pages = max(1, math.ceil((self.server_total or 0) / self.per_page))
        return self._sweep_page, pages

    def volatile_count(self) -> int:
        return len(self._volatile)

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
        track = self._volatile.track
        for guid, customer in latest.items():
            track(guid, customer.state)
        for guid in removed:
            track(guid, None)
        return changes

    def _apply_rows(self, rows: list[CustomerRow]) -> ChangeSet:
        """Apply rows read by the first load, tracking the volatile ones."""
        changes = self.store.apply(rows) if rows else EMPTY_CHANGES
        track = self._volatile.track
        for row in rows:
            track(row.guid, row.state)
        return changes

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
            self._volatile.synced = False
        else:
            self._sweep_page = page + 1
