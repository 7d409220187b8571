"""The command palette offers the app's actions only, found by the words people use (issue 11, point 16),
and the log file's place (the "Open log location" command)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from cybrid_tui.logging_setup import log_file_path
from tests.support.ui_harness import Harness
from tests.support.waiting import wait_for

if TYPE_CHECKING:
    from textual.command import Provider
    from textual.screen import Screen


def providers(screen: Screen[Any]) -> list[Provider]:
    found: list[Provider] = []
    for item in screen.app.COMMANDS:
        cls = item if isinstance(item, type) else item()  # a provider, or a callable that returns one
        found.append(cls(screen))
    return found


async def discovered(screen: Screen[Any]) -> list[str]:
    names: list[str] = []
    for provider in providers(screen):
        await provider.startup()
        names.extend([str(hit.text) async for hit in provider.discover()])
    return names


async def best_hit(screen: Screen[Any], query: str) -> str | None:
    hits = []
    for provider in providers(screen):
        await provider.startup()
        hits.extend([hit async for hit in provider.search(query)])
    return str(max(hits).text) if hits else None


async def test_the_palette_keeps_to_the_apps_actions() -> None:
    h = Harness()
    async with h.app.run_test():
        await h.live()
        names = await discovered(h.screen)
        for wanted in ("Customers: New customer", "Customers: Refresh now", "Quit", "Open log location"):
            assert wanted in names, names
        for noise in ("Theme", "Screenshot", "Keys", "Maximize", "Minimize"):
            assert noise not in names, noise
        assert not [name for name in names if "scroll" in name.lower()]


@pytest.mark.parametrize("query", ["new", "create", "add customer", "new customer"])
async def test_new_customer_is_found_by_the_words_people_use(query: str) -> None:
    h = Harness()
    async with h.app.run_test():
        await h.live()
        assert await best_hit(h.screen, query) == "Customers: New customer"


@pytest.mark.parametrize(
    ("query", "expected"),
    [("exit", "Quit"), ("search", "Customers: Filter customers"), ("log", "Open log location")],
)
async def test_other_commands_answer_to_their_synonyms(query: str, expected: str) -> None:
    h = Harness()
    async with h.app.run_test():
        await h.live()
        assert await best_hit(h.screen, query) == expected


async def test_open_log_location_shows_the_path_and_copies_it() -> None:
    h = Harness()
    async with h.app.run_test() as pilot:
        await h.live()
        for provider in providers(h.screen):
            async for hit in provider.search("open log location"):
                if hit.text == "Open log location":
                    await hit.command()
                    break
        path = str(log_file_path())
        await wait_for(lambda: h.app.clipboard == path, message="the log path was copied")
        await pilot.pause()
        assert any(path in str(notice.message) for notice in h.app._notifications)


async def test_the_help_screen_says_where_the_log_file_is() -> None:
    from cybrid_tui.screens.help import HelpScreen, log_location

    h = Harness()
    async with h.app.run_test(size=(80, 24)) as pilot:
        await h.live()
        await pilot.press("question_mark")
        await wait_for(lambda: isinstance(h.app.screen, HelpScreen), message="help opened")
        await pilot.pause()
        shown = str(h.app.screen.query_one("#help-log .help-keys").render())
        assert shown == log_location()
        assert shown.endswith("cybrid-tui.log")


async def test_hiding_personal_data_is_offered_while_typing_in_the_form() -> None:
    from cybrid_tui.screens.create_customer import CreateCustomerScreen
    from cybrid_tui.widgets.form_fields import FormField

    h = Harness()
    async with h.app.run_test() as pilot:
        await h.live()
        await pilot.press("n")
        await wait_for(lambda: isinstance(h.app.screen, CreateCustomerScreen), message="the form opens")
        form = h.app.screen
        await pilot.pause()
        form.query_one("#field-labels", FormField).input.focus()  # typing: the letter i goes into the field
        await pilot.pause()
        assert await best_hit(form, "pii") == "Hide or show personal data (PII)"
        for _, name, command in [
            (hit.score, str(hit.text), hit.command)
            for provider in providers(form)
            async for hit in _search(provider, "pii")
        ]:
            if name == "Hide or show personal data (PII)":
                await command()  # type: ignore[misc]
                break
        await wait_for(lambda: h.app.pii_hidden, message="personal data hidden from the form's palette")


async def _search(provider: Provider, query: str) -> Any:
    await provider.startup()
    async for hit in provider.search(query):
        yield hit
