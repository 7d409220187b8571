"""The detail view: every field, PII only when allowed, live, and back to the same row."""

from __future__ import annotations

import asyncio

import httpx
from textual.widgets import Label

from cybrid_tui.screens.detail import CustomerDetailScreen
from cybrid_tui.widgets.customer_details import CustomerDetails
from tests.support.ui_harness import ControlledTransport, Harness
from tests.support.waiting import wait_for


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
        await h.refresh_settled(pilot)  # a refresh under way when the view opened may finish
        refreshes = h.refreshes
        await pilot.pause(0.4)  # four refresh periods of silence
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


class _HeldCustomerReads(httpx.AsyncBaseTransport):
    """Can hold every `GET /api/customers/{guid}` until `release()`."""

    def __init__(self, inner: httpx.AsyncBaseTransport, *, hold: bool) -> None:
        self.inner = inner
        self.gate = asyncio.Event()
        if not hold:
            self.gate.set()
        self.waiting = 0

    def release(self) -> None:
        self.gate.set()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.startswith("/api/customers/"):
            self.waiting += 1
            await self.gate.wait()
            self.waiting -= 1
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


class _ConnectingHarness(Harness):
    """The app's first connect fails, so it does not know yet whether the token may read PII."""

    def __init__(self, *, hold_customer_reads: bool = False) -> None:
        self.reads: _HeldCustomerReads | None = None
        self._hold_reads = hold_customer_reads
        super().__init__()

    def _wrap(self, inner: httpx.AsyncBaseTransport) -> httpx.AsyncBaseTransport:
        transport = super()._wrap(inner)
        assert isinstance(transport, ControlledTransport)
        transport.failing = True
        self.reads = _HeldCustomerReads(transport, hold=self._hold_reads)
        return self.reads

    def named_customer(self) -> tuple[str, str]:
        """(guid, the name the detail view shows) of an individual."""
        for guid in self.mock.guids():
            name = self.mock.customer_json(guid, include_pii=True).get("name") or {}
            if name.get("first") and name.get("last"):
                parts = (name["first"], name.get("middle"), name["last"])
                return guid, " ".join(part for part in parts if part)
        raise AssertionError("the seeded bank has no named individual")

    async def open_detail_while_connecting(self, guid: str) -> CustomerDetailScreen:
        """Let the first connect fail, then open the detail view, as after creating a customer meanwhile."""
        await wait_for(lambda: self.screen.failures == 1, message="the first connect failed")
        assert self.app.pii_available is None
        assert self.transport is not None
        self.transport.failing = False
        screen = CustomerDetailScreen(guid)
        await self.app.push_screen(screen)
        return screen


def _shown_text(screen: CustomerDetailScreen) -> str:
    """Every label of the detail view as drawn."""
    return " ".join(str(label.render()) for label in screen.query_one(CustomerDetails).query(Label))


async def test_detail_opened_before_the_scope_was_known_reads_the_name_once_it_is() -> None:
    h = _ConnectingHarness()
    guid, name = h.named_customer()
    async with h.app.run_test(size=(100, 50)):
        screen = await h.open_detail_while_connecting(guid)
        await wait_for(lambda: screen.customer is not None, message="read without PII")
        assert name not in _shown_text(screen)
        assert "Not loaded yet" in _notes(screen)

        h.screen.action_refresh()  # the table connects: now the app knows the token may read PII

        await wait_for(lambda: h.app.pii_available is True, message="the scope is known")
        await wait_for(lambda: name in _shown_text(screen), message="the name appears without a keypress")
        assert screen.customer is not None and screen.customer.name is not None


async def test_a_read_without_pii_under_way_when_the_scope_becomes_known_is_followed_by_one_with_it() -> None:
    h = _ConnectingHarness(hold_customer_reads=True)
    guid, name = h.named_customer()
    async with h.app.run_test(size=(100, 50)):
        screen = await h.open_detail_while_connecting(guid)
        reads = h.reads
        assert reads is not None
        await wait_for(lambda: reads.waiting == 1, message="a read without PII is under way")

        h.screen.action_refresh()
        await wait_for(lambda: h.app.pii_available is True, message="the scope is known")
        reads.release()

        await wait_for(lambda: name in _shown_text(screen), message="the name appears without a keypress")
        assert "Name" in _fields(screen)
