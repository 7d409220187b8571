"""Times as people read them: "3 min ago" in the table, the exact time in the detail view.

Pure functions of (timestamp, now) in POSIX seconds, so a frozen clock gives the same text every run. A
timestamp of 0 (or less, or not finite) means the server sent none.
"""

from __future__ import annotations

import datetime as dt
import math

MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR
YEAR = 365 * DAY
MONTH = YEAR / 12

#: Shown for a time the server did not send.
UNKNOWN = "—"
# Clocks disagree a little: a time slightly ahead of `now` still reads "just now".
_SKEW = 60.0


def _known(timestamp: float) -> bool:
    return math.isfinite(timestamp) and timestamp > 0


def relative(timestamp: float, now: float) -> str:
    """How long ago, in at most 10 characters: "just now", "42 s ago", "3 min ago", "2 h ago", "5 d ago",
    "4 mo ago", "2 y ago"; "in 5 min" for a time ahead of `now` by more than a minute of clock skew."""
    if not _known(timestamp):
        return UNKNOWN
    age = now - timestamp
    if age < 0:
        if -age <= _SKEW:
            return "just now"
        return "in " + _span(-age)
    if age < 1:
        return "just now"
    return _span(age) + " ago"


def _span(seconds: float) -> str:
    if seconds < MINUTE:
        return f"{int(seconds)} s"
    if seconds < HOUR:
        return f"{int(seconds // MINUTE)} min"
    if seconds < DAY:
        return f"{int(seconds // HOUR)} h"
    if seconds < 60 * DAY:
        return f"{int(seconds // DAY)} d"
    if seconds < YEAR:
        return f"{int(seconds // MONTH)} mo"
    return f"{int(seconds // YEAR)} y"


def interval_text(seconds: float) -> str:
    """A refresh interval: "2 s", "90 s", "2 min" (minutes only when whole: 90 s is never "1.5 min")."""
    if seconds >= MINUTE and seconds % MINUTE == 0:
        return f"{seconds / MINUTE:g} min"
    return f"{seconds:g} s"


def exact(timestamp: float, *, tz: dt.tzinfo | None = dt.UTC) -> str:
    """ "2026-11-25 21:18:07 UTC" (or in `tz`, None meaning the machine's local zone, with its offset)."""
    if not _known(timestamp):
        return UNKNOWN
    when = dt.datetime.fromtimestamp(timestamp, dt.UTC).astimezone(tz)
    text = when.strftime("%Y-%m-%d %H:%M:%S")
    if tz is dt.UTC:
        return text + " UTC"
    offset = when.strftime("%z")  # "+0100"
    return f"{text} {offset[:3]}:{offset[3:5]}"


def both(timestamp: float, now: float, *, tz: dt.tzinfo | None = dt.UTC) -> str:
    """ "3 min ago (2026-11-25 21:18:07 UTC)" for a detail view."""
    if not _known(timestamp):
        return UNKNOWN
    return f"{relative(timestamp, now)} ({exact(timestamp, tz=tz)})"
