"""When and how long to wait before trying a request again.

One policy for every call: full-jitter exponential backoff (AWS's "full jitter": a uniform wait between 0
and `base * 2**n`, capped), a server's `Retry-After` taking precedence, a cap on attempts and a total time
budget after which the last error is raised rather than waiting again. Which requests may be retried at all
is the client's decision (a create is never retried once it may have reached the server).
"""

from __future__ import annotations

import datetime as dt
import random as _random
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

#: Statuses worth another try for a request that may be repeated safely (reads, the idempotent PATCH): a
#: gateway or the server says "not now". 500 is included because a read that hit a passing server fault is
#: harmless to repeat; a create is never retried on any of these (see the client).
RETRY_STATUSES: frozenset[int] = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How many times and how long to retry a request that may be repeated safely."""

    max_attempts: int = 4
    """Attempts in all, the first included; 1 disables retries."""
    base_delay: float = 0.25
    """Upper bound of the first backoff, in seconds; doubles with each retry."""
    max_delay: float = 8.0
    """Upper bound of any single backoff (a `Retry-After` may ask for longer, within the budget)."""
    total_budget: float = 30.0
    """Seconds from the first attempt after which no new attempt starts and no wait begins."""
    statuses: frozenset[int] = RETRY_STATUSES
    random: Callable[[], float] = field(default=_random.random, repr=False, compare=False)
    """Uniform [0, 1) source for the jitter; injectable so tests are deterministic."""

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.base_delay < 0 or self.max_delay < 0 or self.total_budget < 0:
            raise ValueError("delays and budget must not be negative")

    def backoff(self, retry_number: int) -> float:
        """The jittered wait before retry number `retry_number` (1 for the first retry)."""
        ceiling = min(self.max_delay, self.base_delay * 2.0 ** max(0, retry_number - 1))
        return self.random() * ceiling

    def next_delay(self, *, attempt: int, elapsed: float, retry_after: float | None = None) -> float | None:
        """Seconds to wait before attempt `attempt + 1`, or None to give up now.

        `elapsed` is the time since the first attempt started. A `Retry-After` is honoured as asked
        (waiting less would only earn another 429); if it does not fit in what is left of the budget, the
        client gives up at once instead of sleeping past it.
        """
        if attempt >= self.max_attempts:
            return None
        delay = retry_after if retry_after is not None else self.backoff(attempt)
        if elapsed + delay > self.total_budget:
            return None
        return max(0.0, delay)


NO_RETRY = RetryPolicy(max_attempts=1)


def parse_retry_after(value: str | None, *, now: Callable[[], float] = time.time) -> float | None:
    """Seconds to wait from a `Retry-After` header: delta-seconds or an HTTP-date; None if absent/invalid."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        if seconds != seconds or seconds in (float("inf"), float("-inf")):  # NaN or infinite
            return None
        return max(0.0, seconds)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:  # "-0000": HTTP-dates are GMT by definition
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, when.timestamp() - now())
