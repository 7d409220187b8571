"""What a new user tripped over on the create-customer form (issue 11, points 1, 2, 3, 7, 13, 14, 15)."""

from __future__ import annotations

import asyncio

import pytest
from textual import events
from textual.widgets import RadioButton, Static
from textual.widgets._footer import FooterKey

from cybrid_tui.commands import BindingCommands
from cybrid_tui.mock.config import MockConfig
from cybrid_tui.screens.discard_changes import DiscardChangesScreen
from cybrid_tui.widgets.footer import Footer
from cybrid_tui.widgets.form_fields import IdentificationRow
from tests.functional.test_create_customer_app import make_app, open_form
from tests.functional.test_create_customer_form import (
    choose_details,
    field,
    fill_individual_directly,
    status,
    type_text,
)
from tests.support.form_fakes import CreateBank, FormHost
from tests.support.waiting import wait_for

# ------------------------------------------------------------------------------------------ 1: paste


@pytest.mark.parametrize(
    ("key", "pasted", "expected"),
    [
        ("first_name", "Ada\nAugusta", "Ada Augusta"),
        ("street", "1 Main St\r\nFlat 2\n", "1 Main St Flat 2"),
        ("labels", "alpha\nbeta, gamma", "alpha, beta, gamma"),
    ],
)
async def test_a_multi_line_paste_keeps_every_line(key: str, pasted: str, expected: str) -> None:
    app = FormHost(CreateBank())
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        await choose_details(pilot)
        form = app.form
        target = field(form, key).input
        target.focus()
        await pilot.pause()
        target.post_message(events.Paste(pasted))
        await pilot.pause()
        assert target.value == expected


async def test_a_pasted_legal_name_is_sent_whole() -> None:
    app = FormHost(CreateBank())
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        await choose_details(pilot, business=True)
        form = app.form
        target = field(form, "legal_name").input
        target.focus()
        target.post_message(events.Paste("Acme Holdings\nLtd."))
        await pilot.pause()
        assert form.values().legal_name == "Acme Holdings Ltd."


# ------------------------------------------------------------------------------------------ 2: quitting


async def test_ctrl_q_and_the_palettes_quit_ask_before_losing_input() -> None:
    app, _ = make_app(MockConfig(customers=3))
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_form(app, pilot)
        await choose_details(pilot)
        await pilot.press("tab")
        await type_text(pilot, "Ada")
        await pilot.press("ctrl+q")
        await wait_for(lambda: isinstance(app.screen, DiscardChangesScreen), message="ctrl+q asks")
        await pilot.press("n")  # keep editing
        await wait_for(lambda: app.screen is form, message="back on the form")
        assert field(form, "first_name").input.value == "Ada"
        hits = [hit async for hit in BindingCommands(form).search("quit")]
        await max(hits).command()
        await wait_for(lambda: isinstance(app.screen, DiscardChangesScreen), message="the palette asks")
        question = str(app.screen.query_one("#discard-question", Static).content)
        assert question.startswith("Quit and discard")  # the app's quit asked, not the form's cancel
        await pilot.press("d")
        await wait_for(lambda: app.return_code is not None, message="the app quit")


async def test_ctrl_q_on_an_untouched_form_quits_at_once() -> None:
    app, _ = make_app(MockConfig(customers=3))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_form(app, pilot)
        await pilot.press("ctrl+q")
        await wait_for(lambda: app.return_code is not None, message="the app quit")


# ------------------------------------------------------------------------------------------ 3: id type


async def test_switching_customer_type_and_back_keeps_the_identification_type() -> None:
    app = FormHost(CreateBank())
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        await choose_details(pilot)
        form = app.form
        row = form.query_one(IdentificationRow)
        row.type_select.value = "passport"
        row.country_input.value = "GB"
        await pilot.pause()
        form.query_one("#kind-business", RadioButton).value = True
        await pilot.pause()
        form.query_one("#kind-individual", RadioButton).value = True
        await pilot.pause()
        row = form.query_one(IdentificationRow)
        assert row.type_select.value == "passport"
        assert row.country_input.value == "GB"


# ------------------------------------------------------------------------------------------ 7: status


async def test_the_status_line_follows_the_fields_after_a_refused_submit() -> None:
    app = FormHost(CreateBank())
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        await choose_details(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        form = app.form
        assert "First name: Required" in status(form)
        field(form, "first_name").input.focus()
        await type_text(pilot, "Ada")
        await pilot.pause()
        assert "First name" not in status(form)
        assert status(form).startswith("Nothing was sent: 7 fields need attention. Last name: Required")
        fill_individual_directly(form)
        await pilot.pause()
        assert status(form) == ""


async def test_the_require_details_refusal_goes_once_details_are_chosen() -> None:
    bank = CreateBank(["refused"])  # a bank that requires bank-provided details
    app = FormHost(bank)
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")
        form = app.form
        await wait_for(lambda: "Customer name required" in status(form), message="refusal shown")
        await choose_details(pilot)
        await pilot.pause()
        assert "Customer name required" not in status(form)


# ------------------------------------------------------------------------------------------ 13: issuer


async def test_the_issuer_placeholder_is_an_example_and_its_error_is_under_it() -> None:
    app = FormHost(CreateBank())
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        await choose_details(pilot)
        form = app.form
        row = form.query_one(IdentificationRow)
        assert row.country_input.placeholder != "US"
        assert "e.g." in row.country_input.placeholder
        row.type_select.value = "passport"
        row.number_input.value = "P1"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        errors = [s for s in row.query(".field-error").results(Static) if "Required" in str(s.content)]
        assert errors, "the issuer's Required is shown"
        (error,) = errors
        assert row.country_input.region.x <= error.content_region.x < row.number_input.region.x


# ------------------------------------------------------------------------------------------ 14: footer


def footer_keys(form: object) -> list[str]:
    footer = form.query_one(Footer)  # type: ignore[attr-defined]
    return [key.key for key in footer.query(FooterKey) if not key.disabled]


async def test_the_footer_offers_no_cancel_while_creating() -> None:
    bank = CreateBank()
    bank.gate = asyncio.Event()
    app = FormHost(bank)
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        form = app.form
        await wait_for(lambda: "escape" in footer_keys(form), message="esc Cancel offered")
        await pilot.press("ctrl+s")
        await wait_for(lambda: form.busy, message="creating")
        await wait_for(lambda: "escape" not in footer_keys(form), message="no esc Cancel while creating")
        assert "ctrl+s" not in footer_keys(form)
        assert "f2" in footer_keys(form)
        bank.gate.set()
        await wait_for(lambda: app.results != [], message="created")


# ------------------------------------------------------------------------------------------ 15: narrow


@pytest.mark.parametrize("width", [60, 70])
async def test_a_narrow_form_hides_the_preview_until_f2(width: int) -> None:
    app = FormHost(CreateBank())
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        form = app.form
        preview = form.query_one("#preview")
        assert not preview.display or preview.region.width == 0
        for button in form.query(RadioButton):
            label = str(button.label)
            assert label in button.render_line(0).text, label  # read in full, not "C…"
        await pilot.press("f2")
        await pilot.pause()
        assert form.query_one("#preview").region.width > 0
        await pilot.press("f2")
        await pilot.pause()
        assert form.query_one("#preview").region.width == 0
