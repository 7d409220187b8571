"""One PII rule on every screen (issue 10) and issue 11 points 4-6: the form masks, hidden names are not
searchable, identification numbers are revealed only on request."""

from __future__ import annotations

from typing import Any

import pytest
from textual.binding import Binding
from textual.reactive import reactive

from cybrid_tui.live.filtering import RowFilter
from cybrid_tui.live.rows import CustomerRow
from cybrid_tui.pii import pii_view
from cybrid_tui.screens.detail import CustomerDetailScreen
from cybrid_tui.widgets.customer_details import CustomerDetails
from cybrid_tui.widgets.form_fields import FormField, IdentificationRow
from tests.support.form_fakes import CreateBank, FormHost
from tests.support.ui_harness import Harness
from tests.support.waiting import wait_for

NO_PII = frozenset({"customers:read", "customers:write", "customers:execute"})


class PiiFormHost(FormHost):
    """The form on a host that hides personal data with `i`, as `CybridApp` does."""

    BINDINGS = [Binding("i", "toggle_pii", "PII")]
    pii_hidden: reactive[bool] = reactive(False)

    def action_toggle_pii(self) -> None:
        self.pii_hidden = not self.pii_hidden


@pytest.mark.parametrize(
    ("available", "hidden", "expected"),
    [
        (True, False, "shown"),
        (True, True, "hidden"),
        (None, False, "unknown"),
        (None, True, "hidden"),
        (False, False, "unavailable"),
        (False, True, "unavailable"),  # the table and the detail view said different things here
    ],
)
def test_one_pii_rule(available: bool | None, hidden: bool, expected: str) -> None:
    assert pii_view(available, hidden) == expected


def test_a_copy_read_without_pii_is_not_loaded_yet() -> None:
    assert pii_view(True, False, loaded=False) == "unknown"


async def test_hidden_and_unavailable_the_detail_view_agrees_with_the_status_line() -> None:
    h = Harness(customers=10, granted_scopes=NO_PII)
    async with h.app.run_test() as pilot:
        await h.live()
        await pilot.press("i")
        await pilot.pause()
        assert "no PII access" in h.status_text()
        await pilot.press("enter")
        await wait_for(lambda: isinstance(h.app.screen, CustomerDetailScreen), message="detail opened")
        screen = h.app.screen
        assert isinstance(screen, CustomerDetailScreen)
        await wait_for(lambda: screen.customer is not None, message="customer read")
        notes = " ".join(section.note for section in screen.query_one(CustomerDetails).sections)
        assert "lacks the customers:pii:read scope" in notes
        assert "Hidden" not in notes


# ------------------------------------------------------------------------------------------ 4: the form


def _fill(app: FormHost) -> None:
    for form_field in app.form.query(FormField):
        texts = {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com", "labels": "vip"}
        if form_field.key in texts:
            form_field.input.value = texts[form_field.key]
    app.form.query_one(IdentificationRow).number_input.value = "987654321"


async def test_hiding_pii_masks_the_form_and_its_preview_and_keeps_the_values() -> None:
    app = PiiFormHost(CreateBank())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("tab", "down", "enter")  # bank-provided details
        _fill(app)
        await pilot.pause()
        preview = app.form.query_one("#preview-json")
        assert "Lovelace" in str(preview.render())
        await pilot.press("i")  # focus is on a radio set: `i` reaches the app
        await pilot.pause()
        fields = {field.key: field.input for field in app.form.query(FormField)}
        assert fields["first_name"].password and fields["last_name"].password and fields["email"].password
        assert fields["date_of_birth"].password
        assert not fields["labels"].password  # labels are not personal data
        assert app.form.query_one(IdentificationRow).number_input.password
        shown = str(preview.render())
        assert "Lovelace" not in shown and "ada@example.com" not in shown and "987654321" not in shown
        assert "vip" in shown
        assert "PII hidden" in str(app.form.query_one("#title").render())
        values = app.form.values()
        assert values.last_name == "Lovelace" and values.identification[0].number == "987654321"
        # Typing still works while masked.
        fields["middle_name"].focus()
        await pilot.press("A", "u")
        assert app.form.values().middle_name == "Au"
        fields["middle_name"].blur()
        app.form.query_one("#kind").focus()
        await pilot.press("i")
        await pilot.pause()
        assert not fields["first_name"].password
        assert "Lovelace" in str(preview.render())


async def test_a_row_added_while_pii_is_hidden_is_masked_too() -> None:
    app = PiiFormHost(CreateBank())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("tab", "down", "enter", "i")
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        rows = list(app.form.query(IdentificationRow))
        assert len(rows) == 2 and all(row.number_input.password for row in rows)


# ------------------------------------------------------------------------------------------ 5: the filter


def _row(name: str) -> CustomerRow:
    return CustomerRow(
        guid="a" * 32,
        type="individual",
        state="verified",
        name=name,
        labels=("vip",),
        created_at=0.0,
        updated_at=0.0,
    )


def test_a_hidden_name_is_not_searchable() -> None:
    row = _row("Ada Lovelace")
    assert RowFilter("lovelace").select([row], ["verified"]) == [row]
    assert RowFilter("lovelace", names=False).select([row], ["verified"]) == []
    assert RowFilter("vip", names=False).select([row], ["verified"]) == [row]  # labels still are
    assert not RowFilter("lovelace").refines(RowFilter("lovelace", names=False))


async def test_with_pii_hidden_typing_a_name_matches_nothing() -> None:
    h = Harness(customers=20)
    async with h.app.run_test() as pilot:
        await h.live()
        row = next(row for row in h.screen.store.view if row.name)
        word = max(row.name.split(), key=len).lower()  # type: ignore[union-attr]
        await pilot.press("slash", *word)
        await pilot.pause()
        assert row.guid in h.shown_guids()
        await pilot.press("enter", "i")
        await pilot.pause()
        assert h.screen.store.filtered
        assert row.guid not in {shown.guid for shown in h.screen.store.view}
        await pilot.press("i")
        await pilot.pause()
        assert row.guid in {shown.guid for shown in h.screen.store.view}


# ------------------------------------------------------------------------------------------ 6: the reveal


async def test_x_reveals_the_numbers_of_this_customer_until_leaving_or_hiding() -> None:
    h = Harness()
    async with h.app.run_test(size=(100, 50)) as pilot:
        await h.live()
        guid = next(
            guid
            for guid in h.mock.guids()
            if h.mock.customer_json(guid, include_pii=True).get("identification_numbers")
        )
        number = h.mock.customer_json(guid, include_pii=True)["identification_numbers"][0]
        assert h.table.select_guid(guid)
        screen = await _open(h, pilot)

        def shown() -> str:
            details = screen.query_one(CustomerDetails)
            return " ".join(f.value for s in details.sections for f in s.fields if f.label == "Number")

        assert number["identification_number"] not in shown()
        await pilot.press("x")
        assert number["identification_number"] in shown()
        await pilot.press("x")  # again: masked
        assert number["identification_number"] not in shown()
        await pilot.press("x", "i")  # hiding PII masks them, and showing PII again does not reveal them
        await pilot.press("i")
        await pilot.pause()
        assert number["identification_number"] not in shown()
        await pilot.press("x", "escape")
        screen = await _open(h, pilot)
        assert number["identification_number"] not in shown()  # leaving masked them


async def _open(h: Harness, pilot: Any) -> CustomerDetailScreen:
    await pilot.press("enter")
    await wait_for(lambda: isinstance(h.app.screen, CustomerDetailScreen), message="detail opened")
    screen = h.app.screen
    assert isinstance(screen, CustomerDetailScreen)
    await wait_for(lambda: screen.customer is not None, message="customer read")
    await pilot.pause()
    return screen
