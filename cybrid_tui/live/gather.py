"""Concurrent reads that succeed or fail together: a refresher's tick or load applies nothing half-read."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from collections.abc import Awaitable, Sequence

T = TypeVar("T")


async def all_or_nothing(calls: Sequence[Awaitable[T]]) -> list[T]:
    """Await every call concurrently; when one fails, cancel the others and raise its error."""
    tasks = [asyncio.ensure_future(call) for call in calls]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
