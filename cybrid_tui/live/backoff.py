"""How long a screen waits before refreshing again after a failed refresh.

The client already retries each read with its own short backoff, so the screens back off gently on top of
it: the delay doubles per consecutive failure up to `MAX_BACKOFF_INTERVALS` refresh intervals, with jitter
(so many app instances don't retry in step), and a server's `Retry-After` wins when it asks for longer. The
table therefore catches up within a few intervals of an outage ending, not a minute later.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

#: A failed refresh waits at most this many refresh intervals (or the server's Retry-After).
MAX_BACKOFF_INTERVALS = 3

#: The jitter source; snapshot tests seed it so the "Retrying in …" text is the same every run.
JITTER = random.Random()


def backoff_ceiling(interval: float, failures: int) -> float:
    """The longest wait after `failures` consecutive failures (before jitter and Retry-After)."""
    return min(interval * MAX_BACKOFF_INTERVALS, interval * 2.0 ** min(max(failures, 0), 16))


def refresh_backoff(
    interval: float,
    failures: int,
    *,
    retry_after: float | None = None,
    jitter: Callable[[], float] | None = None,
) -> float:
    """Seconds to wait before the next refresh: between the interval and `backoff_ceiling`, or Retry-After."""
    ceiling = backoff_ceiling(interval, failures)
    fraction = jitter() if jitter is not None else JITTER.random()
    delay = max(interval, ceiling * (0.75 + 0.25 * fraction))
    if retry_after is not None and retry_after > delay:
        delay = retry_after
    return delay
