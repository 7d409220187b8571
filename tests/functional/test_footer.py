"""The footer shows the screen's keys, follows changes to them, and skips rebuilds showing the same."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Label
from textual.widgets._footer import FooterKey

from cybrid_tui.widgets.footer import Footer
from tests.support.waiting import wait_for


class FooterApp(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New"),
        Binding("x", "extra", "Extra"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.extra_shown = False
        self.rebuilds = 0

    def compose(self) -> ComposeResult:
        yield Label("body")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "extra":
            return self.extra_shown
        return True


def shown_keys(app: App[None]) -> list[str]:
    return [key.key for key in app.query(FooterKey) if not key.disabled]


async def test_the_footer_follows_the_keys_and_skips_identical_rebuilds() -> None:
    app = FooterApp()
    async with app.run_test(size=(80, 5)) as pilot:
        footer = app.query_one(Footer)
        original = footer.recompose

        async def counted() -> None:
            app.rebuilds += 1
            await original()

        footer.recompose = counted  # type: ignore[method-assign]
        await wait_for(lambda: "n" in shown_keys(app), message="the footer shows the screen's keys")
        assert "x" not in shown_keys(app)

        app.rebuilds = 0
        for _ in range(5):
            app.screen.refresh_bindings()
            await pilot.pause()
        await pilot.pause()
        assert app.rebuilds == 0, "the same keys are not rebuilt"

        app.extra_shown = True
        app.screen.refresh_bindings()
        await wait_for(lambda: "x" in shown_keys(app), message="a key that became available is shown")
        assert app.rebuilds == 1
