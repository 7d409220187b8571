"""What the customers screen repaints: nothing when nothing on screen changed, only the lines that changed
otherwise, and the typed letter together with the filtered table (never the letter a frame earlier)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from textual import events

from tests.support.ui_harness import Harness
from tests.support.waiting import wait_for

if TYPE_CHECKING:
    import pytest
    from textual.geometry import Region
    from textual.pilot import Pilot

    from cybrid_tui.widgets.customer_table import CustomerTable

SIZE = (140, 30)  # wide enough for both time columns


def record_repaints(table: CustomerTable, monkeypatch: pytest.MonkeyPatch) -> list[int | None]:
    """Lines of the table asked to repaint from now on (None: the whole table)."""
    asked: list[int | None] = []
    original = table.refresh

    def refresh(*regions: Region, **kwargs: Any) -> Any:
        if not regions:
            asked.append(None)
        for region in regions:
            asked.extend(range(region.y, region.y + region.height))
        return original(*regions, **kwargs)

    monkeypatch.setattr(table, "refresh", refresh)
    return asked


async def refresh_now(h: Harness, pilot: Pilot[None]) -> None:
    """Press `r` and wait until that refresh is applied and painted."""
    before = h.refreshes
    await pilot.press("r")
    await h.refreshed(before)
    await pilot.pause()


def body_lines(table: CustomerTable) -> list[str]:
    return [table.render_line(y).text for y in range(1, table.body_height + 1)]


async def test_a_refresh_that_changes_nothing_on_screen_repaints_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    h = Harness()
    async with h.app.run_test(size=SIZE) as pilot:
        await h.live()
        await pilot.pause()
        asked = record_repaints(h.table, monkeypatch)
        await refresh_now(h, pilot)
        assert asked == []


async def test_when_the_clock_moves_only_lines_whose_times_read_differently_repaint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    h = Harness()
    async with h.app.run_test(size=SIZE) as pilot:
        await h.live()
        await pilot.pause()
        shown = body_lines(h.table)
        asked = record_repaints(h.table, monkeypatch)
        h.clock.advance(3600)  # "4 min ago" becomes "1 h ago"; "4 d ago" stays
        await refresh_now(h, pilot)
        now = body_lines(h.table)
        changed = {y + 1 for y, (old, new) in enumerate(zip(shown, now, strict=True)) if old != new}
        assert changed, "some time on screen reads differently an hour later"
        assert len(changed) < len(now), "and some does not"
        assert None not in asked
        assert set(asked) == changed


async def test_the_typed_letter_and_the_filtered_table_appear_in_the_same_frame() -> None:
    h = Harness()
    async with h.app.run_test(size=SIZE) as pilot:
        await h.live()
        await pilot.press("slash")
        await pilot.pause()
        screen = h.screen
        seen: list[tuple[str, bool]] = []
        last_frame = [time.monotonic()]
        original = h.app._display

        def display(shown_screen: Any, renderable: Any) -> None:
            original(shown_screen, renderable)
            if renderable is not None:
                last_frame[0] = time.monotonic()
                value = screen.filter_bar.input.value  # type: ignore[union-attr]
                store = screen.store
                seen.append((value, store.filter.text == value and screen.table._version == store.version))

        h.app._display = display  # type: ignore[method-assign]
        # As the terminal driver delivers keys (Pilot.press would wait for the app to settle in between).
        assert h.app._driver is not None
        for key in "bu":
            # A key long after the last frame: the app may paint at once, as for a person typing.
            await wait_for(lambda: time.monotonic() - last_frame[0] > 0.05, message="the screen is idle")
            h.app._driver.send_message(events.Key(key, key))
            typed = screen.filter_bar.input.value + key  # type: ignore[union-attr]
            await wait_for(lambda typed=typed: any(v == typed for v, _ in seen), message=f"{typed!r} painted")
        assert screen.store.filter.text == "bu"
        frames_with_letters = [caught_up for value, caught_up in seen if value]
        assert frames_with_letters and all(frames_with_letters), seen


async def test_relative_times_move_together_on_clock_boundaries(monkeypatch: pytest.MonkeyPatch) -> None:
    from cybrid_tui.screens.customers import CLOCK_SECONDS

    h = Harness()
    async with h.app.run_test(size=SIZE) as pilot:
        await h.live()
        # NOW is on a boundary: a customer created 1.5 s past it reads "N s ago", a text that changes
        # every second if it followed the clock exactly.
        h.clock.advance(1.5)
        guid = h.mock.create_customer({"type": "individual"})["guid"]
        h.clock.advance(20)
        await refresh_now(h, pilot)
        row = next(y for y, line in enumerate(body_lines(h.table)) if guid[:8] in line)
        shown = body_lines(h.table)[row]
        assert "18 s ago" in shown  # the boundary 20 s past NOW, not the clock's 21.5

        asked = record_repaints(h.table, monkeypatch)
        h.clock.advance(CLOCK_SECONDS - 1.6)  # 2 s from the customer's next second, still before the boundary
        await refresh_now(h, pilot)
        assert body_lines(h.table)[row] == shown
        assert asked == []

        h.clock.advance(0.2)  # past the boundary: the time moves on by the whole step
        await refresh_now(h, pilot)
        assert "23 s ago" in body_lines(h.table)[row]
        assert asked == [row + 1]
