"""Remapped keys reach the footer, help and palette; read-only hides and refuses creating customers;
production asks before a create, naming the bank, and marks the screens that have no header."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Static
from textual.widgets._footer import FooterKey

from cybrid_tui.commands import BindingCommands
from cybrid_tui.config import Settings
from cybrid_tui.screens.confirm import ConfirmScreen
from cybrid_tui.screens.create_customer import CreateCustomerScreen
from cybrid_tui.screens.help import HelpScreen
from tests.support.ui_harness import Harness
from tests.support.waiting import wait_for

if TYPE_CHECKING:
    from textual.app import App
    from textual.pilot import Pilot

    from cybrid_tui.app import CybridApp


def footer_keys(app: App[None]) -> dict[str, str]:
    """Footer label -> key shown."""
    return {str(key.description): key.key for key in app.screen.query(FooterKey)}


async def palette_names(app: App[None]) -> list[str]:
    provider = BindingCommands(app.screen)
    return [entry[0] for entry in provider._commands()]


async def open_help(app: CybridApp, pilot: Pilot[None]) -> HelpScreen:
    app.action_help()
    await wait_for(lambda: isinstance(app.screen, HelpScreen), message="help open")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, HelpScreen)
    return screen


async def test_a_remapped_key_opens_the_form_and_is_what_footer_help_and_palette_show() -> None:
    harness = Harness()
    app = harness.app
    app.keymap = {"customers.new": "a"}
    async with app.run_test(size=(100, 30)) as pilot:
        await harness.live()
        await pilot.pause()
        await wait_for(lambda: footer_keys(app).get("New") == "a", message="footer shows a for New")
        assert "n" not in footer_keys(app).values()
        names = await palette_names(app)
        assert "Customers: New customer" in names
        await pilot.press("n")  # the old key does nothing now
        await pilot.pause()
        assert not isinstance(app.screen, CreateCustomerScreen)
        help_screen = await open_help(app, pilot)
        assert ("Customers table", "a", "Create a customer") in help_screen.rows
        await pilot.press("escape")
        await pilot.press("a")
        await wait_for(lambda: isinstance(app.screen, CreateCustomerScreen), message="form opened with a")


async def test_read_only_hides_and_refuses_creating_customers() -> None:
    harness = Harness()
    app = harness.app
    app.read_only = True
    async with app.run_test(size=(100, 30)) as pilot:
        await harness.live()
        await pilot.pause()
        assert "read-only" in harness.status_text()
        await wait_for(lambda: "Refresh" in footer_keys(app), message="footer built")
        assert "New" not in footer_keys(app)
        assert not any("New" in name for name in await palette_names(app))
        await pilot.press("n")
        await wait_for(
            lambda: any("cannot create customers" in str(n.message) for n in app._notifications),
            message="the refusal is said",
        )
        assert not isinstance(app.screen, CreateCustomerScreen)
        help_screen = await open_help(app, pilot)
        assert not any(label == "Create a customer" for _, _, label in help_screen.rows)
        assert any(label == "Refresh now" for _, _, label in help_screen.rows)


ROOMY_ROWS = {("Verify identity", "^s"), ("Verify identity", "esc"), ("Create-customer form", "f3")}


async def help_at(size: tuple[int, int], *, read_only: bool = False) -> tuple[set[tuple[str, str]], bool]:
    """(section, keys) the help lists, and whether its roomy part is on screen."""
    harness = Harness()
    app = harness.app
    app.read_only = read_only
    async with app.run_test(size=size) as pilot:
        await harness.live()
        help_screen = await open_help(app, pilot)
        roomy = list(help_screen.query(".help-roomy"))
        assert roomy
        shown = all(widget.display and widget.region.height for widget in roomy)
        assert shown or not any(widget.display for widget in roomy)
        return {(section, keys) for section, keys, _ in help_screen.rows}, shown


async def test_help_lists_the_verify_screen_and_f3_when_there_is_room_and_never_in_read_only() -> None:
    # 80x24 has no line left for them (each screen's footer shows them); 30 rows and more do.
    listed, shown = await help_at((120, 40))
    assert listed >= ROOMY_ROWS and shown
    _, shown = await help_at((80, 24))
    assert not shown
    listed, _ = await help_at((120, 40), read_only=True)  # verifying is off: no section for its screen
    assert not any(section == "Verify identity" for section, _ in listed)
    assert ("Create-customer form", "f3") in listed


def production_app() -> Harness:
    harness = Harness()
    harness.backend.settings = Settings(environment="production", profile="live")  # type: ignore[attr-defined]
    harness.app.demo = False
    harness.app._show_banner()
    return harness


async def test_production_asks_before_a_create_naming_the_bank_and_marks_the_form() -> None:
    harness = production_app()
    app = harness.app
    async with app.run_test(size=(100, 30)) as pilot:
        await harness.live()
        await pilot.press("n")
        await wait_for(lambda: isinstance(app.screen, CreateCustomerScreen), message="form open")
        await pilot.pause()
        title = str(app.screen.query_one("#title", Static).render())
        assert "PRODUCTION" in title and "profile live" in title
        sent: list[str] = []
        app.confirm_change("Create this customer", lambda: sent.append("sent"))
        await wait_for(lambda: isinstance(app.screen, ConfirmScreen), message="confirmation asked")
        await pilot.pause()
        question = str(app.screen.query_one("#confirm-question", Static).render())
        assert "PRODUCTION bank" in question and "profile live" in question
        await pilot.press("escape")
        await wait_for(lambda: isinstance(app.screen, CreateCustomerScreen), message="back on the form")
        assert sent == []
        app.confirm_change("Create this customer", lambda: sent.append("sent"))
        await wait_for(lambda: isinstance(app.screen, ConfirmScreen), message="asked again")
        await pilot.press("y")
        await wait_for(lambda: sent == ["sent"], message="confirmed create goes ahead")


async def test_off_production_a_create_is_not_asked_about() -> None:
    harness = Harness()
    async with harness.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        sent: list[str] = []
        harness.app.confirm_change("Create this customer", lambda: sent.append("sent"))
        assert sent == ["sent"]
