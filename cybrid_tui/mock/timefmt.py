"""Times as whole milliseconds since the epoch, and Cybrid's timestamp format (`2022-05-13T13:55:08.460Z`).

Integers keep comparisons exact and make a timestamp a cheap sort key at 100,000 customers.
"""

from __future__ import annotations

import datetime as dt
import time

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MS = dt.timedelta(milliseconds=1)


def to_ms(moment: dt.datetime) -> int:
    """`moment` (timezone-aware) as milliseconds since the epoch, truncated."""
    return (moment - _EPOCH) // _MS


def iso_ms(ms: int) -> str:
    """ISO 8601 UTC with milliseconds and `Z`, as the Cybrid API writes timestamps."""
    seconds, millis = divmod(ms, 1000)
    # time.gmtime is several times faster than datetime formatting: this runs twice per customer served.
    return f"{time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(seconds))}.{millis:03d}Z"
