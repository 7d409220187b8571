"""The customers table keeps up with the bank by itself: new customers, state changes, outages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.support.ui_harness import Harness, line_text
from tests.support.waiting import wait_for

if TYPE_CHECKING:
    import pytest


async def test_first_load_shows_every_customer_newest_first() -> None:
    h = Harness(customers=250)
    async with h.app.run_test():
        await h.live()
        assert h.screen.store.total == 250
        assert h.mock.guids()[: h.table.body_height] == h.shown_guids()
        assert "250 customers" in h.status_text()
        assert h.table.cursor_guid == h.mock.guids()[0]


async def test_customer_created_through_the_api_appears_at_the_top_on_the_next_refresh() -> None:
    h = Harness()
    async with h.app.run_test() as pilot:
        await h.live()
        created = h.mock.create_customer({"type": "business", "labels": ["from-elsewhere"]})
        assert created["guid"] not in h.shown_guids()
        before = h.refreshes
        await pilot.press("r")
        await h.refreshed(before)
        await pilot.pause()
        assert h.shown_guids()[0] == created["guid"]
        text = line_text(h.table, created["guid"])
        assert text is not None and "storing" in text and "business" in text
        assert "61 customers" in h.status_text()


async def test_a_storing_customer_becomes_unverified_on_screen() -> None:
    h = Harness()
    async with h.app.run_test() as pilot:
        await h.live()
        guid = h.mock.create_customer({"type": "individual"})["guid"]
        before = h.refreshes
        await pilot.press("r")
        await h.refreshed(before)
        assert "◌ storing" in (line_text(h.table, guid) or "")
        h.clock.advance(h.mock.config.storing_seconds + 0.5)
        before = h.refreshes
        await pilot.press("r")
        await h.refreshed(before)
        await pilot.pause()
        assert "○ unverified" in (line_text(h.table, guid) or "")
        assert h.screen.store.get(guid) is not None
        assert h.mock.snapshot_states()[guid] == "unverified"


async def test_state_changes_are_highlighted_for_a_moment() -> None:
    # Long enough to still be on when the refresh is seen on a loaded CI machine, short enough to wait out.
    h = Harness(flash_seconds=1.5)
    async with h.app.run_test() as pilot:
        await h.live()
        guid = h.mock.guids()[5]
        h.mock.set_state(guid, "frozen")
        before = h.refreshes
        await pilot.press("r")
        await h.refreshed(before)
        assert guid in h.table.flashing
        await wait_for(lambda: not h.table.flashing, timeout=5, message="the highlight ends by itself")


async def test_the_cursor_stays_on_its_customer_when_new_ones_arrive_above() -> None:
    h = Harness()
    async with h.app.run_test() as pilot:
        await h.live()
        await pilot.press("down", "down", "down")
        guid = h.table.cursor_guid
        assert h.table.cursor_row == 3
        for _ in range(2):
            h.mock.create_customer({"type": "individual"})
        before = h.refreshes
        await pilot.press("r")
        await h.refreshed(before)
        await pilot.pause()
        assert h.table.cursor_guid == guid
        assert h.table.cursor_row == 5
        assert h.table.top_row == 0  # at the top, the new customers come into view above


async def test_the_cursor_keeps_its_line_on_screen_when_scrolled() -> None:
    h = Harness(customers=200)
    async with h.app.run_test() as pilot:
        await h.live()
        await pilot.press("pagedown", "pagedown", "down")
        guid = h.table.cursor_guid
        line = h.table.cursor_row - h.table.top_row
        top = h.table.top_row
        assert top > 0
        for _ in range(3):
            h.mock.create_customer({"type": "individual"})
        before = h.refreshes
        await pilot.press("r")
        await h.refreshed(before)
        await pilot.pause()
        assert h.table.cursor_guid == guid
        assert h.table.cursor_row - h.table.top_row == line
        assert h.table.top_row == top + 3


async def test_an_outage_keeps_the_old_data_says_so_and_recovers_by_itself() -> None:
    h = Harness(refresh_seconds=0.2)
    async with h.app.run_test() as pilot:
        await h.live()
        shown = h.shown_guids()
        assert h.transport is not None
        h.transport.failing = True
        await wait_for(lambda: h.screen.failures >= 2, message="refreshes fail during the outage")
        await pilot.pause()
        status = h.status_text()
        assert "Network problem" in status
        assert "Showing the last good data" in status
        # The same rows, from the top (the problem line under the table takes a line or two).
        still = h.shown_guids()
        assert len(still) > 10 and still == shown[: len(still)]
        h.transport.failing = False
        await wait_for(lambda: h.screen.failures == 0, timeout=5, message="recovered without a keypress")
        await pilot.pause()
        assert "Network problem" not in h.status_text()
        assert h.shown_guids() == shown


async def test_server_errors_are_reported_in_plain_words() -> None:
    h = Harness()
    async with h.app.run_test() as pilot:
        await h.live()
        h.mock.faults.error_rate = 1.0
        await pilot.press("r")
        await wait_for(lambda: h.screen.failures == 1, message="the refresh failed")
        await pilot.pause()
        assert "Server error" in h.status_text()
        assert len(h.shown_guids()) > 0


async def test_pause_stops_live_refresh_and_resume_refreshes_at_once() -> None:
    h = Harness(refresh_seconds=0.1)
    async with h.app.run_test() as pilot:
        await h.live()
        await pilot.press("p")
        assert h.screen.paused
        assert "paused" in h.status_text()
        assert h.transport is not None
        await h.refresh_settled(pilot)  # a refresh under way when "p" was pressed may finish
        requests = h.transport.requests
        await pilot.pause(0.4)  # four refresh periods of silence
        assert h.transport.requests == requests, "no request while paused"
        before = h.refreshes
        await pilot.press("p")
        await h.refreshed(before)
        assert "● live" in h.status_text()


async def test_first_load_shows_progress_until_every_page_is_in() -> None:
    h = Harness(customers=250, hold_later_pages=True)
    async with h.app.run_test() as pilot:
        await wait_for(lambda: h.screen.store.total == 100, message="the first page is shown")
        await pilot.pause()
        assert "loaded 100 / 250" in h.status_text()
        assert len(h.shown_guids()) == h.table.body_height
        assert h.transport is not None
        h.transport.release()
        await h.live()
        await pilot.pause()
        assert "250 customers" in h.status_text()


async def test_an_unexpected_error_in_a_refresh_is_reported_without_a_crash(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    h = Harness(refresh_seconds=0.1)
    async with h.app.run_test() as pilot:
        await h.live()
        refresher = h.screen._refresher
        assert refresher is not None
        original = refresher.tick
        calls = 0

        async def broken() -> object:
            nonlocal calls
            calls += 1
            if calls == 1:
                raise RuntimeError("a bug")
            return await original()

        monkeypatch.setattr(refresher, "tick", broken)
        await wait_for(lambda: calls >= 1 and h.screen.failures == 1, message="the bug surfaced")
        await pilot.pause()
        assert h.app.is_running
        assert any("a bug" in str(n.message) for n in h.app._notifications)
        assert "Unexpected error" in h.status_text()
        await wait_for(lambda: h.screen.failures == 0, message="the next refresh recovers")


async def test_a_refused_first_load_says_why_instead_of_loading_forever() -> None:
    h = Harness(granted_scopes=frozenset({"customers:write"}))
    async with h.app.run_test() as pilot:
        await wait_for(lambda: h.screen.failures >= 1, message="the first load was refused")
        await pilot.pause()
        assert "Permission denied" in h.status_text()
        assert "Could not load the customers" in h.table.render_line(2).text
        assert h.app.is_running


async def test_a_refresh_that_changes_nothing_repaints_no_table_line(monkeypatch: pytest.MonkeyPatch) -> None:
    h = Harness()
    async with h.app.run_test() as pilot:
        await h.live()
        await pilot.pause()
        drawn: list[int] = []
        original = h.table.render_line

        def counting(y: int) -> object:
            drawn.append(y)
            return original(y)

        monkeypatch.setattr(h.table, "render_line", counting)
        before = h.refreshes
        await pilot.press("r")
        await h.refreshed(before)
        await pilot.pause()
        assert drawn == []
        # A change does repaint (so the check above can fail).
        h.mock.set_state(h.mock.guids()[0], "frozen")
        before = h.refreshes
        await pilot.press("r")
        await h.refreshed(before)
        await pilot.pause()
        assert drawn


async def test_a_quiet_bank_costs_two_requests_a_refresh() -> None:
    # Over 100 customers (a sweep page to read), unverified ones (a batch to re-read), none storing: each
    # refresh reads page 0 and one of the other three (sweep, batch, open verifications), in turn (the
    # saving the app takes on a quiet bank). Every request counts, the verifications listing included.
    h = Harness(customers=300)
    async with h.app.run_test() as pilot:
        await h.live()
        assert h.transport is not None
        h.clock.advance(120)  # every seeded `storing` customer is `unverified` by now
        for _ in range(2):  # the first refreshes see those changes
            before = h.refreshes
            await pilot.press("r")
            await h.refreshed(before)
        states = h.mock.snapshot_states().values()
        assert "storing" not in states and "unverified" in states

        per_refresh = []
        for _ in range(4):
            before, reads = h.refreshes, h.transport.requests
            await pilot.press("r")
            await h.refreshed(before)
            per_refresh.append(h.transport.requests - reads)
        assert per_refresh == [2, 2, 2, 2]
