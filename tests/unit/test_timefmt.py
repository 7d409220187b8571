"""Times as the table and the detail view print them."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from cybrid_tui.timefmt import UNKNOWN, both, exact, interval_text, relative

NOW = dt.datetime(2026, 11, 25, 21, 18, 7, tzinfo=dt.UTC).timestamp()


@pytest.mark.parametrize(
    ("age", "text"),
    [
        (0, "just now"),
        (0.4, "just now"),
        (1, "1 s ago"),
        (59.9, "59 s ago"),
        (60, "1 min ago"),
        (3 * 60 + 59, "3 min ago"),
        (59 * 60 + 59, "59 min ago"),
        (3600, "1 h ago"),
        (2 * 3600 + 1800, "2 h ago"),
        (23 * 3600 + 3599, "23 h ago"),
        (86400, "1 d ago"),
        (5 * 86400 + 7, "5 d ago"),
        (59 * 86400, "59 d ago"),
        (60 * 86400, "1 mo ago"),
        (200 * 86400, "6 mo ago"),
        (365 * 86400, "1 y ago"),
        (3 * 365 * 86400 + 5, "3 y ago"),
        (-30, "just now"),  # a server clock slightly ahead of ours
        (-5 * 60, "in 5 min"),
    ],
)
def test_relative(age: float, text: str) -> None:
    assert relative(NOW - age, NOW) == text
    assert len(text) <= 10  # fits the table column


@pytest.mark.parametrize("missing", [0.0, -1.0, math.nan, math.inf])
def test_a_missing_time_reads_as_unknown(missing: float) -> None:
    assert relative(missing, NOW) == UNKNOWN
    assert exact(missing) == UNKNOWN
    assert both(missing, NOW) == UNKNOWN


def test_exact_is_utc_by_default_and_can_use_any_zone() -> None:
    when = dt.datetime(2022, 5, 13, 13, 55, 8, 460000, tzinfo=dt.UTC).timestamp()
    assert exact(when) == "2022-05-13 13:55:08 UTC"
    assert exact(when, tz=dt.timezone(dt.timedelta(hours=5, minutes=30))) == "2022-05-13 19:25:08 +05:30"
    assert exact(when, tz=dt.timezone(-dt.timedelta(hours=4))) == "2022-05-13 09:55:08 -04:00"


def test_exact_in_the_local_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        when = dt.datetime(2022, 5, 13, 13, 55, 8, tzinfo=dt.UTC).timestamp()
        assert exact(when, tz=None) == "2022-05-13 22:55:08 +09:00"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_both_for_the_detail_view() -> None:
    assert both(NOW - 180, NOW) == "3 min ago (2026-11-25 21:15:07 UTC)"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(2.0, "2 s"), (0.5, "0.5 s"), (59, "59 s"), (60, "1 min"), (90, "90 s"), (3600, "60 min")],
)
def test_an_interval_reads_in_minutes_only_when_whole(seconds: float, text: str) -> None:
    # The status line's "live (90 s)" and the pace's "every 90 s" read the same (one said "1.5 min").
    assert interval_text(seconds) == text
