"""The detail view shows the fields that apply to the customer's type (issue 11, point 17): a business has a
legal name, aliases and a website under "Business details", and no date of birth."""

from __future__ import annotations

from cybrid_tui.screens.detail import CustomerDetailScreen
from tests.support.ui_harness import Harness
from tests.support.waiting import wait_for


async def details_of(kind: str, *, hidden: bool = False) -> dict[str, list[str]]:
    """{section title: field labels (or the note)} of the first customer of type `kind`."""
    h = Harness()
    async with h.app.run_test(size=(100, 40)) as pilot:
        await h.live()
        if hidden:
            await pilot.press("i")
        guid = next(row.guid for row in h.screen.store.view if row.type == kind)
        screen = CustomerDetailScreen(guid, row=h.screen.store.get(guid))
        await h.app.push_screen(screen)
        await wait_for(lambda: screen.customer is not None, message="customer read")
        await pilot.pause()
        from cybrid_tui.widgets.customer_details import CustomerDetails

        sections = screen.query_one(CustomerDetails).sections
        return {section.title: [f.label for f in section.fields] or [section.note] for section in sections}


async def test_a_business_shows_business_details_without_a_birthday() -> None:
    shown = await details_of("business")
    assert "Personal data" not in shown
    labels = shown["Business details"]
    assert "Date of birth" not in labels and "First name" not in labels
    assert labels[:2] == ["Legal name", "Aliases"] and "Website" in labels


async def test_an_individual_keeps_personal_data_with_a_birthday() -> None:
    shown = await details_of("individual")
    assert "Business details" not in shown
    assert "Date of birth" in shown["Personal data"]
    assert "Legal name" not in shown["Personal data"]


async def test_hidden_business_details_keep_their_title() -> None:
    shown = await details_of("business", hidden=True)
    assert "Business details" in shown and "Personal data" not in shown
