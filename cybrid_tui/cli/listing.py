"""The one listing loop of the commands (`customers list`, `verifications list`): pages printed as they come.

Pages are `RawPage`s (the server's objects as they are, see `cybrid_tui.api.raw`); each object is printed
at most once (records created during a listing shift the pages, so a record can come round again), only if
`keep` wants it, and no more than `limit` in all. Leaving early (the limit, an error, Ctrl-C) cancels the
pages still in flight.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from cybrid_tui.cli.errors import say

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable

    from cybrid_tui.api.raw import RawPage
    from cybrid_tui.cli.output import Printer

logger = logging.getLogger("cybrid_tui.cli")

#: Pages read at once while listing.
LIST_CONCURRENCY = 4


async def print_pages(
    pages: AsyncIterator[RawPage],
    printer: Printer,
    *,
    noun: str,
    limit: int | None = None,
    keep: Callable[[dict[str, Any]], bool] | None = None,
    first_page: Callable[[], Awaitable[None]] | None = None,
) -> None:
    """Print every kept object of `pages` (up to `limit`), then close the printer; `first_page` runs once,
    when the first page has arrived (the token is there by then). Unreadable records are counted on stderr
    as "N <noun> records unreadable"."""
    seen: set[str] = set()
    unreadable = 0
    try:
        async for page in pages:
            if first_page is not None:
                await first_page()
                first_page = None
            unreadable += page.unreadable
            chosen: list[dict[str, Any]] = []
            for item in page.objects:
                guid = item["guid"]  # a string: `RawPage` leaves out what has none
                if guid in seen or (keep is not None and not keep(item)):
                    continue
                seen.add(guid)
                chosen.append(item)
            if limit is not None:
                chosen = chosen[: limit - printer.count]
            printer.page(chosen)
            if limit is not None and printer.count >= limit:
                break
    finally:
        closing = getattr(pages, "aclose", None)
        if closing is not None:
            await closing()  # cancels the pages still in flight
    printer.close()
    if printer.skipped:
        logger.warning("%d record(s) nested too deeply to write as JSON were left out", printer.skipped)
        unreadable += printer.skipped
    if unreadable:
        say(f"{unreadable} {noun} record{'s' if unreadable != 1 else ''} unreadable (see the log)")
