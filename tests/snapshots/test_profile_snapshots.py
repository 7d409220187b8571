"""Snapshots for profiles (issue 15): the production header on the customers screen, and the help of a
read-only session (no "Create a customer"). Deterministic as the other snapshots: fixed seed, frozen clock."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cybrid_tui.config import Settings
from cybrid_tui.screens.help import HelpScreen
from tests.support.ui_harness import Harness
from tests.support.waiting import wait_for

if TYPE_CHECKING:
    from textual.pilot import Pilot

SnapCompare = Any
REFRESH = 30.0


def test_production_header_on_the_customers_screen(snap_compare: SnapCompare) -> None:
    h = Harness(refresh_seconds=REFRESH)
    h.backend.settings = Settings(environment="production", profile="live")  # type: ignore[attr-defined]
    h.app.demo = False
    h.app._show_banner()

    async def run_before(pilot: Pilot[None]) -> None:
        await h.live()
        await pilot.pause()

    assert snap_compare(h.app, terminal_size=(100, 24), run_before=run_before)


def test_read_only_help(snap_compare: SnapCompare) -> None:
    h = Harness(refresh_seconds=REFRESH)
    h.app.read_only = True

    async def run_before(pilot: Pilot[None]) -> None:
        await h.live()
        await pilot.press("question_mark")
        await wait_for(lambda: isinstance(h.app.screen, HelpScreen), message="help open")
        await pilot.pause()

    assert snap_compare(h.app, terminal_size=(80, 24), run_before=run_before)
