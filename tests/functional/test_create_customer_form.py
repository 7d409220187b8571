"""The create-customer form driven from the keyboard, against an in-memory bank with scripted failures."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual.widgets import Input, Static

from cybrid_tui.forms.values import IdRow
from cybrid_tui.screens.discard_changes import DiscardChangesScreen
from cybrid_tui.widgets.form_fields import FormField, IdentificationRow
from tests.support.form_fakes import TAG, CreateBank, FormHost
from tests.support.waiting import wait_for

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from cybrid_tui.screens.create_customer import CreateCustomerScreen


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*text)


def field(form: CreateCustomerScreen, key: str) -> FormField:
    return form.query_one(f"#field-{key}", FormField)


def error_of(form: CreateCustomerScreen, key: str) -> str:
    widget = field(form, key)
    return str(widget.query_one(".field-error", Static).content) if widget.has_class("-invalid") else ""


def status(form: CreateCustomerScreen) -> str:
    return str(form.query_one("#status", Static).content)


async def choose_details(pilot: Pilot[None], *, business: bool = False) -> None:
    """From the form's first focus (customer type): pick the type, then bank-provided details."""
    if business:
        await pilot.press("down", "enter")
    await pilot.press("tab", "down", "enter")


async def fill_individual(pilot: Pilot[None]) -> None:
    """Tab from the approach choice through every individual field, typing as a person would."""
    for text in ("Ada", "A", "Byron", "1985-12-10", "a@b.io", "+14155552671"):
        await pilot.press("tab")
        await type_text(pilot, text)
    for text in ("1 Rd", "F1", "Bath", "", "BA1", "gb"):
        await pilot.press("tab")
        await type_text(pilot, text)
    await pilot.press("tab", "enter", "down", "enter")  # type: the first choice, Passport
    await pilot.press("tab")
    await type_text(pilot, "GB")
    await pilot.press("tab")
    await type_text(pilot, "P1")


def fill_individual_directly(form: CreateCustomerScreen) -> None:
    texts = {
        "first_name": "Ada",
        "last_name": "Byron",
        "date_of_birth": "1985-12-10",
        "email": "a@b.io",
        "street": "1 Rd",
        "city": "Bath",
        "country": "GB",
    }
    for key, text in texts.items():
        field(form, key).input.value = text
    row = form.query_one(IdentificationRow)
    row.type_select.value = "passport"
    row.country_input.value = "GB"
    row.number_input.value = "P1"


async def test_platform_kyc_is_n_then_ctrl_s() -> None:
    bank = CreateBank()
    app = FormHost(bank)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_for(lambda: app.results != [], message="the form closes with the customer")
    assert bank.bodies == [{"type": "individual", "labels": [TAG]}]
    assert app.results[0] is not None
    assert app.results[0].guid == bank.customers[0].guid


async def test_an_individual_with_full_details_from_the_keyboard() -> None:
    bank = CreateBank()
    app = FormHost(bank)
    async with app.run_test() as pilot:
        await pilot.pause()
        await choose_details(pilot)
        await fill_individual(pilot)
        await pilot.press("tab", "tab", "tab")  # past the row's remove button and "add" to the labels
        await type_text(pilot, "vip,x")
        form = app.form
        assert form.focused is field(form, "labels").input
        await pilot.press("ctrl+s")
        await wait_for(lambda: app.results != [], message="created")
    assert bank.bodies == [
        {
            "type": "individual",
            "name": {"first": "Ada", "middle": "A", "last": "Byron"},
            "address": {
                "street": "1 Rd",
                "street2": "F1",
                "city": "Bath",
                "postal_code": "BA1",
                "country_code": "GB",
            },
            "date_of_birth": "1985-12-10",
            "phone_number": "+14155552671",
            "email_address": "a@b.io",
            "identification_numbers": [
                {"type": "passport", "issuing_country_code": "GB", "identification_number": "P1"}
            ],
            "labels": ["vip", "x", TAG],
        }
    ]


async def test_a_business_with_full_details_entirely_from_the_keyboard() -> None:
    bank = CreateBank()
    app = FormHost(bank)
    async with app.run_test() as pilot:
        await pilot.pause()
        await choose_details(pilot, business=True)
        for text in ("Engines Ltd", "E", "e.io", "o@e.io", ""):
            await pilot.press("tab")
            await type_text(pilot, text)
        for text in ("1 Rd", "", "SF", "ca", "94105", "US"):
            await pilot.press("tab")
            await type_text(pilot, text)
        await pilot.press("tab", "enter", "down", "enter")  # Employer ID (EIN)
        await pilot.press("tab")
        await type_text(pilot, "us")
        await pilot.press("tab")
        await type_text(pilot, "12-34")
        await pilot.press("ctrl+n")  # a second identification number
        await pilot.pause()
        await pilot.press("enter", "down", "down", "enter")  # Business registration number
        await pilot.press("tab")
        await type_text(pilot, "US")
        await pilot.press("tab")
        await type_text(pilot, "C1")
        await pilot.press("ctrl+s")
        await wait_for(lambda: app.results != [], message="created")
    assert bank.bodies == [
        {
            "type": "business",
            "name": {"full": "Engines Ltd"},
            "address": {
                "street": "1 Rd",
                "city": "SF",
                "subdivision": "CA",
                "postal_code": "94105",
                "country_code": "US",
            },
            "email_address": "o@e.io",
            "identification_numbers": [
                {
                    "type": "employer_identification_number",
                    "issuing_country_code": "US",
                    "identification_number": "12-34",
                },
                {
                    "type": "business_registration_number",
                    "issuing_country_code": "US",
                    "identification_number": "C1",
                },
            ],
            "aliases": [{"full": "E"}],
            "website": "e.io",
            "labels": [TAG],
        }
    ]


async def test_an_invalid_form_sends_nothing_and_focuses_the_first_bad_field() -> None:
    bank = CreateBank()
    app = FormHost(bank)
    async with app.run_test() as pilot:
        await pilot.pause()
        await choose_details(pilot)
        await pilot.press("tab")
        await type_text(pilot, "Ada")
        await pilot.press("ctrl+s")
        await pilot.pause()
        form = app.form
        assert bank.create_calls == 0
        assert form.focused is field(form, "last_name").input
        assert error_of(form, "last_name") == "Required"
        assert error_of(form, "email") == "Required"
        assert error_of(form, "first_name") == ""
        assert status(form).startswith("Nothing was sent: 7 fields need attention. Last name: Required")
        # Fixing a field clears its message as the person types.
        await type_text(pilot, "Lovelace")
        assert error_of(form, "last_name") == ""


async def test_fields_are_checked_as_the_person_leaves_them() -> None:
    app = FormHost(CreateBank())
    async with app.run_test() as pilot:
        await pilot.pause()
        await choose_details(pilot)
        await pilot.press("tab", "tab", "tab", "tab")  # date of birth
        form = app.form
        await type_text(pilot, "1999-02-29")
        assert error_of(form, "date_of_birth") == ""  # not while typing
        await pilot.press("tab")
        assert error_of(form, "date_of_birth") == "Not a calendar date"
        await type_text(pilot, "ada@")
        await pilot.press("tab")
        assert error_of(form, "email")
        assert error_of(form, "phone") == ""  # left untouched: not judged yet


async def test_a_refusal_keeps_every_input_and_shows_the_message_at_the_field() -> None:
    bank = CreateBank(["refused:Address country code not supported"])
    app = FormHost(bank)
    async with app.run_test() as pilot:
        await pilot.pause()
        await choose_details(pilot)
        form = app.form
        fill_individual_directly(form)
        await pilot.pause()
        before = form.values()
        await pilot.press("ctrl+s")
        await wait_for(lambda: not form.busy and bank.create_calls == 1, message="answered")
        await pilot.pause()
        assert app.results == []
        assert form.values() == before
        assert status(form) == "Rejected: Address country code not supported."
        assert error_of(form, "country") == "Address country code not supported"
        assert form.focused is field(form, "country").input


async def test_a_timeout_then_a_retry_creates_exactly_one_customer() -> None:
    bank = CreateBank(["lost-before-create"])
    app = FormHost(bank)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")
        form = app.form
        await wait_for(lambda: "may have reached Cybrid" in status(form), message="timeout shown")
        assert "ctrl+s retries safely" in status(form)
        assert app.results == []
        await pilot.press("ctrl+s")
        await wait_for(lambda: app.results != [], message="created on retry")
    assert bank.create_calls == 2
    assert len(bank.tagged(TAG)) == 1
    # Looked right after the timeout, again before sending, and once after, for a late duplicate.
    assert bank.list_calls == 3


async def test_an_answer_lost_after_the_create_is_recovered_without_a_second_create() -> None:
    bank = CreateBank(["lost-after-create"])
    app = FormHost(bank)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_for(lambda: app.results != [], message="found by its tag")
    assert bank.create_calls == 1
    assert app.results[0] is not None
    assert app.results[0].guid == bank.tagged(TAG)[0].guid


async def test_ctrl_s_twice_creates_one_customer_and_shows_creating() -> None:
    bank = CreateBank()
    bank.gate = asyncio.Event()
    app = FormHost(bank)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")
        form = app.form
        await wait_for(lambda: bank.create_calls == 1, message="request sent")
        assert form.busy
        assert status(form).startswith("Creating…")
        await pilot.press("ctrl+s", "ctrl+s")
        await pilot.press("escape")  # leaving is refused while the request runs
        await pilot.pause()
        assert app.screen is form
        bank.gate.set()
        await wait_for(lambda: app.results != [], message="created")
    assert bank.create_calls == 1
    assert len(bank.customers) == 1


async def test_escape_on_an_empty_form_leaves_at_once() -> None:
    app = FormHost(CreateBank())
    async with app.run_test() as pilot:
        await pilot.pause()
        await choose_details(pilot)  # choices alone are not input
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


async def test_escape_with_input_asks_first() -> None:
    app = FormHost(CreateBank())
    async with app.run_test() as pilot:
        await pilot.pause()
        await choose_details(pilot)
        await pilot.press("tab")
        await type_text(pilot, "Ada")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DiscardChangesScreen)
        await pilot.press("escape")  # keep editing
        await pilot.pause()
        assert app.results == []
        assert field(app.form, "first_name").input.value == "Ada"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert app.results == [None]


async def test_identification_rows_are_added_and_removed_from_the_keyboard() -> None:
    app = FormHost(CreateBank())
    async with app.run_test() as pilot:
        await pilot.pause()
        await choose_details(pilot)
        form = app.form
        await pilot.press("ctrl+n", "ctrl+n")
        await pilot.pause()
        rows = list(form.query(IdentificationRow))
        assert len(rows) == 3
        assert form.focused is rows[2].type_select
        await type_text(pilot, "")
        await pilot.press("tab")
        await type_text(pilot, "FR")
        await pilot.press("tab", "tab", "enter")  # the row's ✕
        await pilot.pause()
        assert len(list(form.query(IdentificationRow))) == 2
        assert "FR" not in [row.country_input.value for row in form.query(IdentificationRow)]


async def test_the_customer_type_decides_the_fields_and_identification_types() -> None:
    app = FormHost(CreateBank())
    async with app.run_test() as pilot:
        await pilot.pause()
        await choose_details(pilot)
        form = app.form
        row = form.query_one(IdentificationRow)
        row.type_select.value = "passport"
        row.country_input.value = "GB"
        await pilot.pause()
        assert form.query_one("#field-first_name").region.height
        assert not form.query_one("#field-legal_name").region.height
        await pilot.press("shift+tab", "down", "enter")  # back to the customer type: business
        await pilot.pause()
        assert form.values().kind == "business"
        assert not form.query_one("#field-first_name").region.height
        assert form.query_one("#field-legal_name").region.height
        # A passport is not a business document: the row keeps its country but asks for a new type.
        assert form.values().identification == (IdRow("", "GB", ""),)
        await pilot.press("up", "enter")  # back to individual
        await pilot.pause()
        assert form.values().kind == "individual"


async def test_the_preview_is_the_body_and_can_be_hidden() -> None:
    app = FormHost(CreateBank())
    async with app.run_test() as pilot:
        await pilot.pause()
        form = app.form
        preview = form.query_one("#preview-json", Static)
        assert '"cybrid-tui-0123456789ab"' in str(preview.render())
        await choose_details(pilot)
        await pilot.press("tab")
        await type_text(pilot, "Ada")
        assert '"first": "Ada"' in str(preview.render())
        await pilot.press("f2")
        await pilot.pause()
        assert not form.query_one("#preview").region.width
        await pilot.press("f2")
        await pilot.pause()
        assert form.query_one("#preview").region.width


async def test_a_platform_kyc_refusal_says_how_to_fix_it() -> None:
    bank = CreateBank(["refused"])  # a bank that requires bank-provided details: "Customer name required"
    app = FormHost(bank)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")
        form = app.form
        await wait_for(lambda: "Customer name required" in status(form), message="refusal shown")
        assert "choose “Bank-provided details”" in status(form)
        await choose_details(pilot)
        await pilot.pause()
        assert error_of(form, "first_name") == ""  # not pinned on fields the person had not seen


def _inputs(form: CreateCustomerScreen) -> list[Input]:
    return list(form.query(Input))
