"""Snapshots of the customers screen, the detail view and the help screen.

Deterministic: a fixed seed, one frozen clock shared by the mock and the app (relative times included), a
refresh interval far longer than a capture, no row highlights, no blinking cursors. `snap_compare` runs its
own event loop, so these tests are plain functions; `run_before` does the waiting.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from cybrid_tui.live.backoff import JITTER
from cybrid_tui.screens.detail import CustomerDetailScreen
from cybrid_tui.screens.help import HelpScreen
from tests.support.ui_harness import Harness
from tests.support.waiting import wait_for

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.pilot import Pilot

SnapCompare = Any
#: Long enough that no refresh or retry can start during a capture, short enough to read naturally.
REFRESH = 30.0


@pytest.fixture(autouse=True)
def _steady_backoff_jitter() -> None:
    """The "Retrying in …" text depends on the backoff's jitter: seed it so every run draws the same."""
    JITTER.seed(0)


def harness(**options: Any) -> Harness:
    return Harness(refresh_seconds=REFRESH, **options)


def loaded(h: Harness, *keys: str, until: Callable[[], bool] | None = None) -> Callable[[Pilot[None]], Any]:
    """After the first load, press `keys` and wait `until` what they open is there."""

    async def run_before(pilot: Pilot[None]) -> None:
        await h.live()
        if keys:
            await pilot.press(*keys)
        if until is not None:
            await wait_for(until, message=f"after {keys}")
        await pilot.pause()

    return run_before


def test_table_with_demo_data_80x24(snap_compare: SnapCompare) -> None:
    h = harness()
    assert snap_compare(h.app, terminal_size=(80, 24), run_before=loaded(h))


def test_table_with_demo_data_120x40(snap_compare: SnapCompare) -> None:
    h = harness()
    assert snap_compare(h.app, terminal_size=(120, 40), run_before=loaded(h, "down", "down"))


def test_empty_bank(snap_compare: SnapCompare) -> None:
    h = harness(customers=0)
    assert snap_compare(h.app, terminal_size=(80, 24), run_before=loaded(h))


def test_first_load_in_progress(snap_compare: SnapCompare) -> None:
    h = harness(customers=250, hold_later_pages=True)

    async def run_before(pilot: Pilot[None]) -> None:
        await wait_for(lambda: h.screen.store.total == 100, message="first page shown")
        await wait_for(lambda: h.transport is not None and h.transport.held >= 1, message="later pages held")
        await pilot.pause()

    assert snap_compare(h.app, terminal_size=(80, 24), run_before=run_before)


def test_failed_refresh_keeps_the_stale_data(snap_compare: SnapCompare) -> None:
    h = harness()

    async def run_before(pilot: Pilot[None]) -> None:
        await h.live()
        assert h.transport is not None
        h.transport.failing = True
        await pilot.press("r")
        await wait_for(lambda: h.screen.failures == 1, message="the refresh failed")
        await pilot.pause()

    assert snap_compare(h.app, terminal_size=(80, 24), run_before=run_before)


def test_filtered_view(snap_compare: SnapCompare) -> None:
    h = harness()
    # "/" then "ver": typed text; "3" would go to the input, so the state quick filter is applied first.
    assert snap_compare(
        h.app, terminal_size=(100, 24), run_before=loaded(h, "3", "t", "slash", "l", "i", "n")
    )


def test_detail_view(snap_compare: SnapCompare) -> None:
    h = harness()

    async def run_before(pilot: Pilot[None]) -> None:
        await h.live()
        await pilot.press("down", "down", "enter")
        await wait_for(lambda: isinstance(h.app.screen, CustomerDetailScreen), message="detail opened")
        screen = h.app.screen
        assert isinstance(screen, CustomerDetailScreen)
        await wait_for(lambda: screen.customer is not None, message="customer read")
        await pilot.pause()

    assert snap_compare(h.app, terminal_size=(80, 30), run_before=run_before)


def help_opened(h: Harness) -> Callable[[Pilot[None]], Any]:
    return loaded(h, "question_mark", until=lambda: isinstance(h.app.screen, HelpScreen))


def test_help_screen(snap_compare: SnapCompare) -> None:
    """At 80x24 every key fits without scrolling."""
    h = harness()
    assert snap_compare(h.app, terminal_size=(80, 24), run_before=help_opened(h))


def test_help_screen_120x40(snap_compare: SnapCompare) -> None:
    h = harness()
    assert snap_compare(h.app, terminal_size=(120, 40), run_before=help_opened(h))


def test_pii_hidden(snap_compare: SnapCompare) -> None:
    h = harness()
    assert snap_compare(h.app, terminal_size=(80, 24), run_before=loaded(h, "i"))
