"""Which columns the table shows at which width: usable at 80 columns, using the room of a wide terminal."""

from __future__ import annotations

import pytest

from cybrid_tui.widgets.columns import GUID_FULL, GUID_SHORT, layout_columns
from tests.support.ui_harness import Harness, header_text


def keys(width: int, *, show_name: bool = True) -> list[str]:
    return [placed.column.key for placed in layout_columns(width, show_name=show_name)]


def test_at_80_columns_labels_and_updated_give_way_and_names_stay_readable() -> None:
    placed = layout_columns(79)  # 80 minus the scrollbar
    assert [p.column.key for p in placed] == ["guid", "type", "name", "state", "created"]
    widths = {p.column.key: p.width for p in placed}
    assert widths["guid"] == GUID_SHORT
    assert widths["name"] >= 26
    assert placed[-1].x + placed[-1].width <= 79


def test_a_wide_terminal_shows_every_column_and_the_full_guid() -> None:
    assert keys(119) == ["guid", "type", "name", "state", "labels", "created", "updated"]
    wide = {p.column.key: p.width for p in layout_columns(160)}
    assert wide["guid"] == GUID_FULL


def test_without_names_the_room_goes_to_the_other_columns() -> None:
    assert keys(79, show_name=False) == ["guid", "type", "state", "labels", "created", "updated"]


@pytest.mark.parametrize("width", [20, 30, 45, 60, 79, 100, 119, 140, 200])
def test_columns_never_overflow_and_guid_and_state_always_show(width: int) -> None:
    placed = layout_columns(width)
    shown = [p.column.key for p in placed]
    assert "guid" in shown and "state" in shown
    if width >= 30:
        assert placed[-1].x + placed[-1].width <= width


async def test_the_app_at_80x24_shows_the_narrow_columns() -> None:
    h = Harness()
    async with h.app.run_test(size=(80, 24)):
        await h.live()
        header = header_text(h.table)
        assert all(title in header for title in ("GUID", "Type", "Name", "State", "Created"))
        assert "Labels" not in header and "Updated" not in header


async def test_the_app_at_120x40_shows_every_column() -> None:
    h = Harness()
    async with h.app.run_test(size=(120, 40)):
        await h.live()
        header = header_text(h.table)
        for title in ("GUID", "Type", "Name", "State", "Labels", "Created", "Updated"):
            assert title in header
