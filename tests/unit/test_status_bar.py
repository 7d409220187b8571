"""The status line's "refreshed … ago": steady while live refresh keeps up, counting once it falls behind."""

from __future__ import annotations

import pytest

from cybrid_tui.widgets.status_bar import (
    JUST_NOW_SECONDS,
    Problem,
    StatusInfo,
    refreshed_ago,
    retry_countdown,
    retry_left,
)

LAST = 1_767_225_600.0


def ago(age: float, refresh_seconds: float = 2.0, *, paused: bool = False) -> str:
    info = StatusInfo(
        phase="live", paused=paused, refresh_seconds=refresh_seconds, last_refreshed=LAST, now=LAST + age
    )
    return refreshed_ago(info)


@pytest.mark.parametrize("age", [0.0, 0.4, 1.0, 1.9, 2.9])
def test_between_two_refreshes_the_line_does_not_change(age: float) -> None:
    # Live every 2 s: the clock would otherwise flip "1 s ago" / "just now" between refreshes.
    assert ago(age) == "just now"


@pytest.mark.parametrize(
    ("age", "refresh_seconds", "expected"),
    [
        (3.0, 2.0, "3 s ago"),  # the refresh is late: its age shows
        (5.9, 5.0, "just now"),
        (6.0, 5.0, "6 s ago"),
        (JUST_NOW_SECONDS - 0.1, 60.0, "just now"),
        (JUST_NOW_SECONDS, 60.0, "10 s ago"),  # a slow refresh still counts its seconds after a while
        (1.5, 0.25, "just now"),  # a very fast refresh: "just now" for up to 2 s
        (2.5, 0.25, "2 s ago"),
        (125.0, 2.0, "2 min ago"),
    ],
)
def test_a_refresh_older_than_one_interval_shows_its_age(
    age: float, refresh_seconds: float, expected: str
) -> None:
    assert ago(age, refresh_seconds) == expected


def test_paused_refresh_ages_like_any_other() -> None:
    assert ago(1.0, paused=True) == "just now"
    assert ago(42.0, paused=True) == "42 s ago"


def test_never_refreshed_and_a_clock_behind_the_server() -> None:
    assert refreshed_ago(StatusInfo(last_refreshed=None, now=LAST)) == ""
    assert ago(-30.0) == "just now"  # a little clock skew is not "in the future"


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (8.48828, "Retrying in 9 s."),  # whole seconds, rounded up: never "0 s" before it is due
        (8.0, "Retrying in 8 s."),
        (0.2, "Retrying in 1 s."),
        (0.0, "Retrying now."),
        (90.0, "Retrying in 1 min 30 s."),
        (120.0, "Retrying in 2 min."),
        (5832.4, "Retrying in 98 min."),
    ],
)
def test_the_retry_countdown_reads_in_whole_seconds(seconds: float, expected: str) -> None:
    assert retry_countdown(seconds) == expected


def test_the_countdown_runs_on_the_clock_from_when_the_retry_was_scheduled() -> None:
    problem = Problem("Network problem", "down", retry_in=8.5, since=LAST)
    assert retry_left(problem, LAST) == 8.5
    assert retry_left(problem, LAST + 6.0) == 2.5
    assert retry_left(problem, LAST + 60.0) == 0.0
    assert retry_left(Problem("Network problem", "down"), LAST) is None


def test_a_fresh_error_is_never_next_to_refreshed_just_now() -> None:
    info = StatusInfo(
        phase="live", refresh_seconds=2.0, last_refreshed=LAST, now=LAST + 1.0, problem=Problem("X", "y", 4.0)
    )
    assert refreshed_ago(info) == "1 s ago"
