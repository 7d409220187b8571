"""Against a production bank the header turns to the warning colour and says PRODUCTION, on every screen."""

from __future__ import annotations

from textual.color import Color
from textual.widgets import Header

from cybrid_tui.app import CybridApp
from cybrid_tui.backend import DemoBackend
from cybrid_tui.config import Settings


def app_for(settings: Settings) -> CybridApp:
    backend = DemoBackend()
    backend.settings = settings  # type: ignore[attr-defined]  # as a SettingsBackend carries them
    return CybridApp(backend=backend, demo=False, cursor_blink=False)


async def test_production_header_is_red_and_says_so() -> None:
    production = app_for(Settings(environment="production", profile="live"))
    async with production.run_test() as pilot:
        await pilot.pause()
        header = production.screen.query_one(Header)
        error = Color.parse(production.get_css_variables()["error"])
        assert production.has_class("-production")
        assert "PRODUCTION" in production.sub_title and "profile live" in production.sub_title
        assert header.styles.background == error
    sandbox = app_for(Settings(profile="a"))
    async with sandbox.run_test() as pilot:
        await pilot.pause()
        assert not sandbox.has_class("-production")
        assert sandbox.screen.query_one(Header).styles.background != error
