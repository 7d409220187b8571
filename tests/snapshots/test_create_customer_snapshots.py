"""Snapshots of the create-customer form: frozen clock, fixed tag, no blinking cursor (sync snap_compare)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.reactive import reactive
from textual.widgets import Input

from cybrid_tui.widgets.form_fields import FormField, IdentificationRow
from tests.support.form_fakes import CreateBank, FormHost

if TYPE_CHECKING:
    from textual.pilot import Pilot

SnapCompare = Callable[..., bool]


def set_fields(app: FormHost, **texts: str) -> None:
    for form_field in app.form.query(FormField):
        if form_field.key in texts:
            form_field.input.value = texts[form_field.key]


async def details(pilot: Pilot[Any], *, business: bool = False) -> None:
    await pilot.pause()
    if business:
        await pilot.press("down", "enter")
    await pilot.press("tab", "down", "enter")
    await pilot.pause()


async def settle(pilot: Pilot[Any]) -> None:
    app = pilot.app
    for input_ in app.screen.query(Input):
        input_.cursor_blink = False
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


def fill_individual(app: FormHost) -> None:
    set_fields(
        app,
        first_name="Ada",
        last_name="Lovelace",
        date_of_birth="1985-12-10",
        email="ada@example.com",
        phone="+1 415 555 2671",
        street="12 St James's Square",
        city="London",
        country="GB",
    )
    row = app.form.query_one(IdentificationRow)
    row.type_select.value = "passport"
    row.country_input.value = "GB"
    row.number_input.value = "123456789"


def test_individual_platform_kyc(snap_compare: SnapCompare) -> None:
    assert snap_compare(FormHost(CreateBank()), terminal_size=(80, 24), run_before=settle)


def test_individual_with_details(snap_compare: SnapCompare) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        await details(pilot)
        assert isinstance(pilot.app, FormHost)
        set_fields(pilot.app, first_name="Ada", middle_name="Augusta", last_name="Lovelace")
        await pilot.press("tab", "tab", "tab", "tab")  # the date of birth, focused
        await settle(pilot)

    assert snap_compare(FormHost(CreateBank()), terminal_size=(80, 24), run_before=before)


def test_business_with_details_wide(snap_compare: SnapCompare) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        await details(pilot, business=True)
        assert isinstance(pilot.app, FormHost)
        set_fields(
            pilot.app,
            legal_name="Analytical Engines Ltd",
            alias="Engines",
            website="engines.example.com",
            email="ops@engines.example.com",
            street="1 Market St",
            city="San Francisco",
            subdivision="CA",
            postal_code="94105",
            country="US",
            labels="vip, import-2026",
        )
        row = pilot.app.form.query_one(IdentificationRow)
        row.type_select.value = "employer_identification_number"
        row.country_input.value = "US"
        row.number_input.value = "12-3456789"
        await settle(pilot)

    assert snap_compare(FormHost(CreateBank()), terminal_size=(120, 40), run_before=before)


def test_validation_errors(snap_compare: SnapCompare) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        await details(pilot)
        assert isinstance(pilot.app, FormHost)
        set_fields(
            pilot.app, first_name="Ada", last_name="Lovelace", date_of_birth="1985-02-30", email="ada@"
        )
        await pilot.press("ctrl+s")
        await settle(pilot)

    assert snap_compare(FormHost(CreateBank()), terminal_size=(80, 24), run_before=before)


def test_server_refusal_shown_at_the_field(snap_compare: SnapCompare) -> None:
    bank = CreateBank(["refused:Address country code not supported"])

    async def before(pilot: Pilot[Any]) -> None:
        await details(pilot)
        assert isinstance(pilot.app, FormHost)
        fill_individual(pilot.app)
        await pilot.pause()
        await pilot.press("ctrl+s")
        for _ in range(200):
            if "Rejected" in str(pilot.app.form.query_one("#status").render()):
                break
            await pilot.pause(0.01)
        await settle(pilot)

    assert snap_compare(FormHost(bank), terminal_size=(80, 24), run_before=before)


def test_submitting(snap_compare: SnapCompare) -> None:
    bank = CreateBank()

    async def before(pilot: Pilot[Any]) -> None:
        bank.gate = asyncio.Event()  # the create waits: the form stays in its "Creating…" state
        await details(pilot)
        assert isinstance(pilot.app, FormHost)
        fill_individual(pilot.app)
        await pilot.pause()
        await pilot.press("ctrl+s")
        for _ in range(200):
            if bank.create_calls:
                break
            await pilot.pause(0.01)
        await settle(pilot)

    assert snap_compare(FormHost(bank), terminal_size=(80, 24), run_before=before)
    assert bank.create_calls == 1


def test_discard_question(snap_compare: SnapCompare) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        await details(pilot)
        assert isinstance(pilot.app, FormHost)
        set_fields(pilot.app, first_name="Ada")
        await pilot.press("escape")
        await settle(pilot)

    assert snap_compare(FormHost(CreateBank()), terminal_size=(80, 24), run_before=before)


def test_business_with_details_preview_hidden(snap_compare: SnapCompare) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        await details(pilot, business=True)
        assert isinstance(pilot.app, FormHost)
        set_fields(
            pilot.app, legal_name="Analytical Engines Ltd", alias="Engines", website="engines.example.com"
        )
        await pilot.press("f2")  # more room for the form at 80x24
        await pilot.press("tab", "tab")  # the alias, focused
        await settle(pilot)

    assert snap_compare(FormHost(CreateBank()), terminal_size=(80, 24), run_before=before)


class PiiHidingHost(FormHost):
    """The form on a host that hides personal data, as `CybridApp` does after `i`."""

    pii_hidden: reactive[bool] = reactive(False)


def test_individual_with_details_pii_hidden(snap_compare: SnapCompare) -> None:
    """Issue 11 #4: typed names, date of birth, contacts, numbers and the preview's personal values masked."""

    async def before(pilot: Pilot[Any]) -> None:
        await details(pilot)
        assert isinstance(pilot.app, PiiHidingHost)
        fill_individual(pilot.app)
        pilot.app.pii_hidden = True
        await settle(pilot)

    assert snap_compare(PiiHidingHost(CreateBank()), terminal_size=(100, 30), run_before=before)
