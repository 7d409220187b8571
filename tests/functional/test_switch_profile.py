"""The palette's "Switch profile": two mock banks on loopback as profiles a and b; after the switch nothing
of bank a is on screen, and a switch that fails keeps the current bank."""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

from cybrid_tui.app import CybridApp
from cybrid_tui.commands import ProfileCommands
from cybrid_tui.launch import real_backend
from cybrid_tui.mock.config import MockConfig
from cybrid_tui.screens.customers import CustomersScreen
from cybrid_tui.screens.help import HelpScreen
from tests.support.mock_server import CLIENT_ID, CLIENT_SECRET
from tests.support.waiting import wait_for

if TYPE_CHECKING:
    from pathlib import Path

    import pytest

    from tests.support.mock_server import MakeMockServer


def write_config(path: Path, banks: dict[str, str]) -> None:
    lines = []
    for name, url in banks.items():
        lines += [
            f"[profiles.{name}]",
            f'bank_url = "{url}"',
            f'id_url = "{url}"',
            f'client_id = "{CLIENT_ID}"',
            'client_secret_env = "H9_BANK_SECRET"',
            "",
        ]
    lines += ["[profiles.broken]", 'client_id = "x"', 'client_secret_command = "exit 3"', ""]
    path.write_text("\n".join(lines))


def shown_guids(app: CybridApp) -> set[str]:
    screen = app.screen
    assert isinstance(screen, CustomersScreen)
    return {row.guid for row in screen.table.visible_rows()}


async def test_switching_profile_shows_the_other_bank_and_nothing_of_the_first(
    make_mock_server: MakeMockServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bank_a = make_mock_server(config=MockConfig(seed=1, customers=6))
    bank_b = make_mock_server(config=MockConfig(seed=2, customers=9))
    config = tmp_path / "config.toml"
    write_config(config, {"a": bank_a.url, "b": bank_b.url})
    monkeypatch.setenv("CYBRID_TUI_CONFIG", str(config))
    monkeypatch.setenv("H9_BANK_SECRET", CLIENT_SECRET)
    app = CybridApp(backend=real_backend("a"), refresh_seconds=3600.0, cursor_blink=False)
    async with app.run_test(size=(100, 30)) as pilot:
        a_guids, b_guids = set(bank_a.backend.guids()), set(bank_b.backend.guids())
        await wait_for(lambda: shown_guids(app) == a_guids, timeout=10, message="bank a shown")
        assert "profile a" in app.sub_title

        provider = ProfileCommands(app.screen)
        await provider.startup()
        assert [entry[0] for entry in provider._commands()] == [
            "Switch profile: a",
            "Switch profile: b",
            "Switch profile: broken",
        ]

        app.switch_profile("broken")  # its secret command fails: a clear message, bank a stays
        await wait_for(
            lambda: any("Could not switch" in str(n.title) for n in app._notifications),
            timeout=10,
            message="the failure is said",
        )
        assert shown_guids(app) == a_guids and "profile a" in app.sub_title

        app.action_help()  # a screen on top of the table goes too
        await wait_for(lambda: isinstance(app.screen, HelpScreen), message="help open")
        old_screen = app.screen_stack[0]
        app.switch_profile("b")
        await wait_for(
            lambda: isinstance(app.screen, CustomersScreen) and app.screen is not old_screen,
            timeout=10,
            message="a fresh customers screen",
        )
        await wait_for(lambda: shown_guids(app) == b_guids, timeout=10, message="bank b shown")
        await pilot.pause()
        assert not shown_guids(app) & a_guids
        assert len(app.screen_stack) == 1
        assert "profile b" in app.sub_title and "profile a" not in app.sub_title


async def test_a_switch_is_refused_while_the_form_holds_input() -> None:
    from tests.functional.test_create_customer_app import make_app, open_form
    from tests.functional.test_create_customer_form import choose_details, type_text

    app, _ = make_app(MockConfig(customers=3))
    asked: list[str] = []

    def backend_for(name: str) -> NoReturn:
        asked.append(name)
        raise AssertionError("the switch must not start")

    app.profile_backend = backend_for
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_form(app, pilot)
        await choose_details(pilot)
        await pilot.press("tab")
        await type_text(pilot, "Ada")
        assert form.has_unsaved_input()
        app.switch_profile("b")
        await pilot.pause()
        assert app.screen is form and not asked
        assert any("Not switching" in (n.title or "") for n in app._notifications)
