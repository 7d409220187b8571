"""The cyclic garbage collector, held off while a bulk load allocates.

CPython runs its cycle collector after every ~700 net allocations, and the older generations' passes walk
every tracked object: a load of 100,000 customers allocates millions of short-lived objects (parsed pages)
and keeps 100,000 rows, so the collector ran thousands of times and walked the growing heap again and again
(measured: a third of the 100k load). A load creates no garbage cycles worth collecting meanwhile (reference
counting frees the parsed pages), so the collector is simply off for its duration and back on after it, even
when it fails. Loads may overlap (several apps in one test process): the collector is back on when the last
one ends, and only if it was on when the first one began.

A large load's survivors (the rows) then live as long as the app. `freeze_survivors()`, called at the end of
such a load (inside the paused block, before the collector ever walked them), moves everything alive at that
point out of the collector's reach (`gc.freeze()`), so no later collection, for the rest of the session,
walks those rows again: live ticks and idle time stay cheap at 100,000 rows. Frozen objects are still freed
by reference counting; only a cycle among them is never collected, which is why it is done only after a load
large enough to be worth it (not after every small load of a test suite).
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


def freeze_survivors() -> None:
    """Exempt every object alive now from all later collections (see the module doc for when)."""
    gc.freeze()
