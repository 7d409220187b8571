"""How far a load goes with a server that never says "that was all" (issue 12), and how the app says so.

A load reads the pages the server's `total` announces, but stops at the first short or empty page, does not
chase a `total` that grows faster than customers could have been created, and stops at these ceilings in
any case: far above any real bank the app is for, low enough that a server claiming 10,000,000 customers
costs a bounded number of requests and bounded memory. `load_notice` is the status line's words for a load
that holds fewer customers than the server counts.
"""

from __future__ import annotations

from typing import Final

DEFAULT_MAX_PAGES: Final = 2_000
DEFAULT_MAX_CUSTOMERS: Final = 200_000
#: Pages a tick reads after page 0 while each is all new (a burst of creations); the sweep finds the rest.
DEFAULT_MAX_BURST_PAGES: Final = 20


def load_notice(
    loaded: int, total: int, *, short_page: int | None, ignored_total: int | None, ceiling: int
) -> str | None:
    """Why a load holds fewer customers than the server's `total` (None: it does not, or nothing to say)."""
    if ignored_total is not None:
        return (
            f"the server's count jumped to {ignored_total:,} during the load; "
            "live refresh picks up what is new"
        )
    if loaded >= total:
        return None
    if short_page is not None:
        return f"loaded {loaded:,} of the {total:,} the server counts: page {short_page + 1} was its last"
    if total > ceiling:
        return f"stopped at {loaded:,} customers (the app's ceiling); the server counts {total:,}"
    return None
