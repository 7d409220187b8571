"""The detail view: every field, PII only when allowed, live, and back to the same row."""

from __future__ import annotations

from cybrid_tui.screens.detail import CustomerDetailScreen
from cybrid_tui.widgets.customer_details import CustomerDetails
from tests.ui_support import Harness
from tests.waiting import wait_for


def _fields(screen: CustomerDetailScreen) -> dict[str, str]:
    details = screen.query_one(CustomerDetails)
    return {field.label: field.value for section in details.sections for field in section.fields}


def _notes(screen: CustomerDetailScreen) -> str:
    details = screen.query_one(CustomerDetails)
    return " ".join(section.note for section in details.sections)


async def _open(h: Harness, pilot: object, *keys: str) -> CustomerDetailScreen:
    await pilot.press(*keys, "enter")  # type: ignore[attr-defined]
    await wait_for(lambda: isinstance(h.app.screen, CustomerDetailScreen), message="detail opened")
    screen = h.app.screen
    assert isinstance(screen, CustomerDetailScreen)
    await wait_for(lambda: screen.customer is not None, message="customer read")
    await pilot.pause()  # type: ignore[attr-defined]
    return screen


async def test_enter_opens_the_customer_and_escape_returns_to_the_same_row() -> None:
    h = Harness()
    async with h.app.run_test() as pilot:
        await h.live()
        screen = await _open(h, pilot, "down", "down", "down", "down", "down")
        guid = h.table.cursor_guid
        assert screen.guid == guid
        fields = _fields(screen)
        assert fields["GUID"] == guid
        assert fields["State"].split()[-1] == h.mock.snapshot_states()[guid]
        assert "UTC" in fields["Created"]  # the exact time, next to the relative one
        await pilot.press("escape")
        assert h.app.screen is h.screen
        assert h.table.cursor_guid == guid
        assert h.table.cursor_row == 5


async def test_detail_shows_personal_data_with_identification_numbers_masked() -> None:
    h = Harness()
    async with h.app.run_test(size=(100, 50)) as pilot:
        await h.live()
        guid = next(
            guid
            for guid in h.mock.guids()
            if h.mock.customer_json(guid, include_pii=True).get("identification_numbers")
        )
        full = h.mock.customer_json(guid, include_pii=True)
        assert h.table.select_guid(guid)
        screen = await _open(h, pilot)
        fields = _fields(screen)
        assert fields["Name"]
        assert fields["Email"] == (full.get("email_address") or "—")
        number = full["identification_numbers"][0]["identification_number"]
        shown = fields["Number"]
        assert number not in shown
        assert shown.startswith("•") and number[-4:] in shown
        await pilot.press("i")
        await pilot.pause()
        fields = _fields(screen)
        assert "Name" not in fields and "Email" not in fields and "Number" not in fields
        assert "Hidden" in _notes(screen)


async def test_detail_is_refreshed_live() -> None:
    h = Harness(refresh_seconds=0.1)
    async with h.app.run_test() as pilot:
        await h.live()
        screen = await _open(h, pilot, "down")
        guid = screen.guid
        h.mock.set_state(guid, "frozen")
        await wait_for(lambda: "frozen" in _fields(screen)["State"], message="the detail view caught up")
        assert not h.screen.paused
        await pilot.press("escape")


async def test_the_table_does_not_poll_while_the_detail_view_is_open() -> None:
    h = Harness(refresh_seconds=0.1)
    async with h.app.run_test() as pilot:
        await h.live()
        await _open(h, pilot)
        refreshes = h.refreshes
        await pilot.pause(0.4)
        assert h.refreshes == refreshes
        await pilot.press("escape")
        await h.refreshed(refreshes)


async def test_detail_keeps_the_last_good_copy_when_a_read_fails() -> None:
    h = Harness()
    async with h.app.run_test() as pilot:
        await h.live()
        screen = await _open(h, pilot)
        assert h.transport is not None
        h.transport.failing = True
        await pilot.press("r")
        status = screen.query_one("#detail-status")
        await wait_for(lambda: status.has_class("-problem"), message="the failure is shown")
        assert "Network problem" in str(status.render())
        assert _fields(screen)["GUID"] == screen.guid
        await pilot.press("y")
        assert h.app.clipboard == screen.guid
