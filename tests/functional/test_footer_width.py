"""On a narrow terminal the footer keeps `? Help` and `q Quit` in sight (issue 11, point 15): the screen's own
keys give way first, from the right."""

from __future__ import annotations

import pytest
from textual.widgets._footer import FooterKey

from cybrid_tui.widgets.footer import Footer
from tests.support.ui_harness import Harness
from tests.support.waiting import wait_for


def keys_in_sight(footer: Footer) -> list[str]:
    right = footer.region.right
    return [key.key for key in footer.query(FooterKey) if key.region.width and key.region.right <= right]


@pytest.mark.parametrize("size", [(60, 20), (70, 20), (80, 24)])
async def test_help_and_quit_stay_in_the_footer(size: tuple[int, int]) -> None:
    h = Harness()
    async with h.app.run_test(size=size) as pilot:
        await h.live()
        await pilot.pause()
        footer = h.screen.query_one(Footer)
        await wait_for(lambda: "question_mark" in keys_in_sight(footer), message="? Help in sight")
        shown = keys_in_sight(footer)
        assert "q" in shown and "n" in shown
        assert footer.max_scroll_x == 0, "nothing is scrolled out of sight"


async def test_a_wide_footer_drops_nothing() -> None:
    h = Harness()
    async with h.app.run_test(size=(140, 30)) as pilot:
        await h.live()
        await pilot.pause()
        footer = h.screen.query_one(Footer)
        await wait_for(lambda: "s" in keys_in_sight(footer), message="every key shown")
        assert {"n", "slash", "r", "p", "s", "question_mark", "i", "q"} <= set(keys_in_sight(footer))
