"""The first load: every page of the customer list into the store, page 0 first, in a few large batches.

Page 0 of the newest-first list is read and shown at once; the remaining pages are read with bounded
concurrency, turned into rows as they arrive, and applied to the store in a few large batches (every
`batch_seconds`, 0.3 s), so the table repaints a handful of times for 100,000 customers, not once per page
(each batch changes the table's height: a full layout and whole-screen repaint, ~15 ms). Customers are
deduplicated by guid (pages shift when customers are created during the load; a forward shift only makes a
row appear twice, never vanish).

The pages read go up to the server's `total`, but never on `total` alone: the first short or empty page ends
the list whatever `total` says; a `total` that grows by more than the customers that arrived so far is a
changed bank (the live ticks and the sweep catch up with it), not pages to chase; `max_pages` and
`max_customers` end it in any case (`ceilings.py`). Each of those leaves a notice saying why fewer customers
than `total` were loaded.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cybrid_tui.live.ceilings import load_notice
from cybrid_tui.live.changes import ChangeSet
from cybrid_tui.live.gather import all_or_nothing
from cybrid_tui.live.gc_pause import collect_young
from cybrid_tui.live.rows import CustomerRow, rows_from_customers

if TYPE_CHECKING:
    from collections.abc import Awaitable

    from cybrid_tui.api.models import CustomerList, CustomerSummaryList

    #: A page as the refresher reads it: full customers (any `CustomerSource`) or summaries (the real client).
    Page = CustomerList | CustomerSummaryList

#: on_progress(changes, loaded, total): changes of the batch just applied, distinct customers loaded so far,
#: the bank's customer count as the server reported it.
ProgressCallback = Callable[[ChangeSet, int, int | None], None]


@dataclass(frozen=True, slots=True)
class LoadOutcome:
    #: Distinct customers loaded.
    loaded: int
    #: Why the load ended before the `total` the server reported, in plain words (None: it did not).
    notice: str | None


async def load_pages(
    read: Callable[[int], Awaitable[Page]],
    apply_rows: Callable[[list[CustomerRow]], ChangeSet],
    on_progress: ProgressCallback,
    on_total: Callable[[int], None],
    *,
    per_page: int,
    concurrency: int,
    batch_seconds: float,
    batch_pages: int,
    max_pages: int,
    max_customers: int,
    monotonic: Callable[[], float],
) -> LoadOutcome:
    """Read every page with `read(page)` and hand its rows to `apply_rows` in batches (see the module doc);
    `on_total` hears the server's count after page 0 and at the end. Raises what `read` raises; batches
    applied before it stay."""
    first = await read(0)
    seen: set[str] = set()

    def apply(rows: list[CustomerRow]) -> ChangeSet:
        seen.update(row.guid for row in rows)
        return apply_rows(rows)

    total = first.total
    start_total = total
    on_total(total)
    changes = apply(rows_from_customers(first.objects))
    on_progress(changes, len(seen), total)
    # Records a page left out as unreadable (`page.unreadable`, logged by the client): said, not hidden,
    # and counted as sent (a page is short by what the server sent, not by what could be read).
    unreadable = getattr(first, "unreadable", 0)
    arrived = len(first.objects) + unreadable
    ceiling = min(max_pages, math.ceil(max_customers / per_page))
    next_page = 1
    # A short first page is the whole list, whatever `total` says.
    pages_needed = min(ceiling, math.ceil(total / per_page)) if arrived >= per_page else 1
    short_page: int | None = 0 if arrived < min(per_page, total) else None
    ignored_total: int | None = None
    # Rows of the pages read since the last batch: converted as each page arrives, while other requests
    # are in flight, so applying a batch is only the store's work.
    pending: list[CustomerRow] = []
    pending_pages = 0
    last_flush = monotonic()

    def flush() -> None:
        nonlocal last_flush, pending, pending_pages
        batch, pending, pending_pages = pending, [], 0
        if batch:
            on_progress(apply(batch), len(seen), max(total, len(seen)))
        collect_young()
        last_flush = monotonic()

    async def worker() -> None:
        nonlocal next_page, pages_needed, total, pending_pages, arrived, short_page, ignored_total, unreadable
        while next_page < pages_needed:
            page = next_page
            next_page += 1
            result = await read(page)
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
            if pending_pages >= batch_pages or monotonic() - last_flush >= batch_seconds:
                flush()

    await all_or_nothing([worker() for _ in range(concurrency)])
    on_total(total)
    flush()
    notice = load_notice(
        len(seen), total, short_page=short_page, ignored_total=ignored_total, ceiling=ceiling * per_page
    )
    if unreadable:
        skipped = f"{unreadable:,} customer record{'s' if unreadable > 1 else ''} unreadable (see the log)"
        notice = f"{notice}; {skipped}" if notice else skipped
    return LoadOutcome(len(seen), notice)
