"""The cyclic garbage collector, held off while a bulk load allocates.

CPython runs its cycle collector after every ~700 net allocations, and the older generations' passes walk
every tracked object: a load of 100,000 customers allocates millions of short-lived objects (parsed pages)
and keeps 100,000 rows, so the collector ran thousands of times and walked the growing heap again and again
(measured at 100,000 customers: a third of the load). Reference counting frees almost all of a load's
garbage; the few cycles (httpx responses) are collected young, every few pages (`collect_young`), which walks
each new object once instead of the whole heap over and over. So the collector is off for a load and back
on after it, however it ends. Pauses may overlap (the screen pauses around connecting and loading, the
refresher around its load; several apps in one test process): the collector is back on when the last one
ends, and only if it was on when the first one began.

A large load's survivors (the rows) then live as long as the app. `freeze_survivors()`, called at the end of
such a load (inside the paused block), moves everything alive at that point out of the collector's reach
(`gc.freeze()`), so no later collection, for the rest of the session, walks those rows (or the modules
imported to load them) again: ticks and idle time stay cheap at 100,000 rows, and no full collection of all
of them lands on the frame that shows the last rows. Frozen objects are still freed by reference counting;
only a cycle among them is never collected, which is why it is done only after a load of thousands of
customers (not after the small loads of a test suite).
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

_depth = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector is off inside the block and restored after it, however it ends."""
    global _depth, _was_enabled
    if _depth == 0:
        _was_enabled = gc.isenabled()
        gc.disable()
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0 and _was_enabled:
            gc.enable()


def collect_young() -> int:
    """Collect the youngest generation only: everything allocated since the last call, while paused.

    Some garbage does come in cycles and needs the collector: httpx links every response and its stream
    both ways, so each page's response (~90 kB of body with PII) would otherwise stay until the collector is
    back (measured: +90 MB at 100,000 customers). Called every few pages, it frees those and moves the new
    rows to an older generation; it walks each new object once, not the whole heap."""
    return gc.collect(0)


def freeze_survivors() -> None:
    """Exempt every object alive now from all later collections (see the module doc for when)."""
    # The young generation's cycles (the last pages' responses) first: frozen, they would never be freed.
    # Older ones are few (measured: ~7,000 small objects at 100,000 customers, no visible RSS) and
    # collecting them would walk every row (~50 ms at 100,000).
    gc.collect(0)
    gc.freeze()
