"""The create-customer form inside the real app, against the embedded mock bank (and over HTTP)."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import TYPE_CHECKING

import httpx
from textual.widgets import Static

from cybrid_tui.api.client import CybridClient
from cybrid_tui.api.retry import RetryPolicy
from cybrid_tui.app import CybridApp
from cybrid_tui.backend import DemoBackend
from cybrid_tui.clock import FrozenClock
from cybrid_tui.mock.config import MockConfig
from cybrid_tui.screens.create_customer import CreateCustomerScreen
from cybrid_tui.screens.customers import CustomersScreen
from cybrid_tui.screens.discard_changes import DiscardChangesScreen
from cybrid_tui.widgets.form_fields import FormField
from tests.support.form_fakes import FormHost
from tests.support.waiting import wait_for

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.pilot import Pilot

    from cybrid_tui.mock.backend import MockBackend
    from tests.support.mock_server import MakeMockServer

NOW = dt.datetime(2026, 3, 14, 15, 9, 26, tzinfo=dt.UTC)


class HeldCreates(httpx.AsyncBaseTransport):
    """Holds every `POST /api/customers` until released, so a test can press keys while it runs."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.release = asyncio.Event()
        self.creates = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path == "/api/customers":
            self.creates += 1
            await self.release.wait()
        return await self.inner.handle_async_request(request)


def make_app(
    config: MockConfig, *, wrap: Callable[[httpx.AsyncBaseTransport], httpx.AsyncBaseTransport] | None = None
) -> tuple[CybridApp, MockBackend]:
    clock = FrozenClock(NOW)
    backend = DemoBackend(config, clock=clock, wrap_transport=wrap)
    app = CybridApp(backend=backend, clock=clock, refresh_seconds=3600, cursor_blink=False, flash_seconds=0)
    return app, backend.mock


def tagged(mock: MockBackend) -> list[str]:
    """Guids of the customers this app created (they carry a cybrid-tui- tag)."""
    return [
        guid
        for guid in mock.guids()
        if any(
            label.startswith("cybrid-tui-")
            for label in mock.customer_json(guid, include_pii=False)["labels"] or []
        )
    ]


async def open_form(app: CybridApp, pilot: Pilot[None]) -> CreateCustomerScreen:
    await wait_for(lambda: app.client is not None, message="the app built its client")
    await wait_for(
        lambda: isinstance(app.screen, CustomersScreen) and app.screen.store.total > 0, message="loaded"
    )
    await pilot.press("n")
    await wait_for(lambda: isinstance(app.screen, CreateCustomerScreen), message="n opens the form")
    await pilot.pause()
    assert isinstance(app.screen, CreateCustomerScreen)
    return app.screen


def status(form: CreateCustomerScreen) -> str:
    return str(form.query_one("#status", Static).content)


async def test_n_then_ctrl_s_creates_an_individual_shown_selected_in_the_table() -> None:
    app, mock = make_app(MockConfig(customers=5))
    async with app.run_test() as pilot:
        await open_form(app, pilot)
        await pilot.press("ctrl+s")
        await wait_for(lambda: isinstance(app.screen, CustomersScreen), message="back to the table")
        created = tagged(mock)
        assert len(created) == 1
        screen = app.screen
        assert isinstance(screen, CustomersScreen)
        assert screen.table.cursor_guid == created[0]
        row = screen.store.get(created[0])
        assert row is not None
        assert row.type == "individual"
    assert mock.customer_json(created[0], include_pii=False)["type"] == "individual"


async def test_ctrl_s_twice_creates_one_customer() -> None:
    held: list[HeldCreates] = []

    def wrap(inner: httpx.AsyncBaseTransport) -> httpx.AsyncBaseTransport:
        held.append(HeldCreates(inner))
        return held[0]

    app, mock = make_app(MockConfig(customers=3), wrap=wrap)
    async with app.run_test() as pilot:
        form = await open_form(app, pilot)
        await pilot.press("ctrl+s")
        await wait_for(lambda: held[0].creates == 1, message="the create is on its way")
        assert status(form).startswith("Creating…")
        await pilot.press("ctrl+s", "ctrl+s")
        held[0].release.set()
        await wait_for(lambda: isinstance(app.screen, CustomersScreen), message="created")
        await pilot.pause()
    assert held[0].creates == 1
    assert len(tagged(mock)) == 1


async def test_a_refusal_from_a_bank_that_requires_details_keeps_every_input() -> None:
    app, mock = make_app(MockConfig(customers=3, require_details=True))
    async with app.run_test() as pilot:
        form = await open_form(app, pilot)
        await pilot.press("tab", "down", "enter", "tab")  # bank-provided details, first name
        await pilot.press(*"Ada")
        await pilot.press("shift+tab", "up", "enter")  # back to platform KYC: the name stays, unsent
        for form_field in form.query(FormField):
            if form_field.key == "labels":
                form_field.input.value = "vip"
        await pilot.pause()
        before = form.values()
        await pilot.press("ctrl+s")
        await wait_for(lambda: "Customer name required" in status(form), message="the 422 is shown")
        assert "Bank-provided details" in status(form)
        assert app.screen is form
        assert form.values() == before
        assert tagged(mock) == []


async def test_a_dropped_connection_then_a_retry_creates_one_customer() -> None:
    app, mock = make_app(MockConfig(customers=3))
    async with app.run_test() as pilot:
        form = await open_form(app, pilot)
        mock.faults.drop_rate = 1.0  # processed, then the connection breaks (the lookup's too)
        await pilot.press("ctrl+s")
        await wait_for(lambda: "may have reached Cybrid" in status(form), message="the failure is shown")
        assert len(tagged(mock)) == 1  # created, though the app could not know
        mock.faults.drop_rate = 0.0
        await pilot.press("ctrl+s")
        await wait_for(lambda: isinstance(app.screen, CustomersScreen), message="found, not sent again")
    assert len(tagged(mock)) == 1


async def test_a_timeout_then_a_retry_leaves_exactly_one_new_customer(
    make_mock_server: MakeMockServer,
) -> None:
    server = make_mock_server()
    before = len(server.backend.guids())
    client = CybridClient(
        bank_url=server.url,
        id_url=server.url,
        client_id="mock-client-id",
        client_secret="mock-client-secret",
        timeout=0.5,
        retry=RetryPolicy(max_attempts=1),
    )
    host = FormHost(client.customers, tag=None)
    async with client, host.run_test() as pilot:
        await client.granted_scopes()
        await pilot.pause()
        form = host.form
        server.backend.faults.latency_ms = 3000
        await pilot.press("ctrl+s")
        await wait_for(lambda: "may have reached Cybrid" in status(form), message="the timeout is shown")
        server.backend.faults.latency_ms = 0
        await pilot.press("ctrl+s")
        await wait_for(lambda: host.results != [], message="created on retry")
    created = host.results[0]
    assert created is not None
    assert len(server.backend.guids()) == before + 1
    assert tagged(server.backend) == [created.guid]


async def test_q_on_the_form_asks_before_losing_input_instead_of_quitting() -> None:
    app, _ = make_app(MockConfig(customers=3))
    async with app.run_test() as pilot:
        form = await open_form(app, pilot)
        await pilot.press("tab", "down", "enter", "tab", "q")  # typed into the first name
        assert form.values().first_name == "q"
        await pilot.press("shift+tab", "q")  # on the approach choice: leave the form, but ask first
        await pilot.pause()
        assert isinstance(app.screen, DiscardChangesScreen)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is form
        assert app.is_running
