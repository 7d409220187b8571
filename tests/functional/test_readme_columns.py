"""The README's column breakpoints are the ones the table really has (issue 11, point 18): measured in the
app, with the table's scrollbar (more customers than rows), at the width the README names and one less."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.ui_harness import Harness, line_text

README = Path(__file__).resolve().parents[2] / "README.md"


def breakpoints() -> dict[str, int]:
    text = " ".join(README.read_text(encoding="utf-8").split())
    guid = re.search(r"the full guid in the detail view, and from (\d+) columns", text)
    shows = re.search(r"Updated shows from (\d+) columns, Labels from (\d+)", text)
    assert guid is not None and shows is not None, "the README's column breakpoints moved: update this test"
    return {"guid": int(guid.group(1)), "updated": int(shows.group(1)), "labels": int(shows.group(2))}


async def shown(width: int) -> dict[str, bool]:
    h = Harness(customers=60)
    async with h.app.run_test(size=(width, 30)) as pilot:
        await h.live()
        await pilot.pause()
        assert h.table.scrollbars_enabled[0], "the table has its scrollbar"
        header = h.table.render_line(0).text
        guid = h.shown_guids()[0]
        return {
            "guid": guid in (line_text(h.table, guid) or ""),
            "updated": "Updated" in header,
            "labels": "Labels" in header,
        }


@pytest.mark.parametrize("what", ["updated", "labels", "guid"])
async def test_the_readme_says_the_width_at_which_each_column_appears(what: str) -> None:
    width = breakpoints()[what]
    assert (await shown(width))[what], f"{what} at {width} columns"
    assert not (await shown(width - 1))[what], f"{what} already at {width - 1} columns"
