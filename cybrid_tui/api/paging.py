"""Paging through any list endpoint: one iterator for every resource, and the checks on paging arguments.

A list endpoint answers `{total, page, per_page, objects}`. The iterator reads page 0, then up to
`concurrency` later pages at once, and yields them in order. It stops at the first short or empty page, or
once `total` is covered: a `total` that claims more than the pages hold never keeps it asking.
"""

from __future__ import annotations

import asyncio
import math
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from cybrid_tui.api import vocab
from cybrid_tui.api.errors import RequestValidationError

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable, Sequence


class Page(Protocol):
    """What the iterator needs of a page (every `ListPage` model has it)."""

    @property
    def total(self) -> int: ...

    @property
    def objects(self) -> Sequence[Any]: ...


PageT = TypeVar("PageT", bound=Page)


def check_paging(page: int, per_page: int) -> None:
    """Refuse what the API would refuse, before anything is sent."""
    if isinstance(page, bool) or not isinstance(page, int) or page < 0:
        raise RequestValidationError("page must be 0 or more")
    if isinstance(per_page, bool) or not isinstance(per_page, int) or not 1 <= per_page <= vocab.MAX_PER_PAGE:
        raise RequestValidationError(f"per_page must be between 1 and {vocab.MAX_PER_PAGE}")


def is_last(page: Page, number: int, per_page: int) -> bool:
    """Whether page `number` ends the list: it is short (or empty), or `total` is covered."""
    return len(page.objects) < per_page or (number + 1) * per_page >= page.total


async def iter_pages(
    fetch: Callable[[int], Awaitable[PageT]], *, per_page: int, concurrency: int = 4
) -> AsyncIterator[PageT]:
    """Every page in order, as `fetch(page_number)` reads it: page 0 first, then up to `concurrency` later
    pages fetched at once. Leaving the loop early cancels what is in flight."""
    if concurrency < 1:
        raise RequestValidationError("concurrency must be at least 1")
    check_paging(0, per_page)
    first = await fetch(0)
    yield first
    if is_last(first, 0, per_page):
        return
    pending: dict[int, asyncio.Task[PageT]] = {}
    total = first.total
    wanted = 1  # the next page to yield
    scheduled = 1  # the next page to request
    try:
        while True:
            last_page = max(wanted, math.ceil(total / per_page) - 1)
            while scheduled <= last_page and len(pending) < concurrency:
                pending[scheduled] = asyncio.ensure_future(fetch(scheduled))
                scheduled += 1
            page = await pending.pop(wanted)
            yield page
            if is_last(page, wanted, per_page):
                return
            total = page.total
            wanted += 1
    finally:
        for task in pending.values():
            task.cancel()
        if pending:
            await asyncio.gather(*pending.values(), return_exceptions=True)


async def iter_items(pages: AsyncIterator[Page]) -> AsyncIterator[Any]:
    """The objects of `pages`, one by one."""
    async for page in pages:
        for item in page.objects:
            yield item
