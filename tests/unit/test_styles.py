"""Every stylesheet in styles/ loads (CSS errors otherwise appear only when a screen opens) and uses theme
variables rather than literal colours."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from textual.app import App

from cybrid_tui.paths import styles_dir

if TYPE_CHECKING:
    from pathlib import Path

STYLESHEETS = sorted(styles_dir().glob("*.tcss"))
# A declaration ("color: #ff0000;", "background: rgb(1, 2, 3);") with a literal colour value.
LITERAL_COLOUR = re.compile(r":[^;{}]*(#[0-9a-fA-F]{3,8}\b|\brgba?\(|\bhsla?\()")


def test_the_app_stylesheets_are_all_there() -> None:
    names = {path.name for path in STYLESHEETS}
    assert {"app.tcss", "customers.tcss", "detail.tcss", "help.tcss"} <= names


@pytest.mark.parametrize("path", STYLESHEETS, ids=lambda path: path.name)
async def test_stylesheet_loads(path: Path) -> None:
    class StyledApp(App[None]):
        CSS_PATH = str(path)

    app = StyledApp()
    async with app.run_test():
        assert app.stylesheet.has_source(str(path), "")


@pytest.mark.parametrize("path", STYLESHEETS, ids=lambda path: path.name)
def test_stylesheet_uses_theme_variables(path: Path) -> None:
    text = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
    assert LITERAL_COLOUR.findall(text) == []


async def test_a_broken_stylesheet_is_caught(tmp_path: Path) -> None:
    broken = tmp_path / "broken.tcss"
    broken.write_text("Screen { colour: $primary; }\n", encoding="utf-8")

    class BrokenApp(App[None]):
        CSS_PATH = str(broken)

    with pytest.raises(Exception):  # noqa: B017 - Textual raises its own StylesheetError subtypes
        async with BrokenApp().run_test():
            pass
