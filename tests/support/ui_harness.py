"""Building the app for Pilot and snapshot tests: the demo mock on a frozen clock, and transports that can be
told to block or fail."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import TYPE_CHECKING, Any

import httpx

from cybrid_tui.api.retry import RetryPolicy
from cybrid_tui.app import CybridApp
from cybrid_tui.backend import DemoBackend
from cybrid_tui.clock import FrozenClock
from cybrid_tui.mock.config import MockConfig
from tests.support.waiting import wait_for

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from cybrid_tui.mock.backend import MockBackend
    from cybrid_tui.screens.customers import CustomersScreen
    from cybrid_tui.widgets.customer_table import CustomerTable

#: The frozen "now" of every UI test: relative times ("4 min ago") read the same on every run.
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
#: Long enough that no timer-driven refresh happens during a test unless the test asks for one.
NO_TIMER = 3600.0


class ControlledTransport(httpx.AsyncBaseTransport):
    """Wraps the mock's ASGI transport: list pages after the first can be held back, and every request
    can be made to fail like a network outage."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.failing = False
        self.requests = 0
        #: Customer list reads (`GET /api/customers`) sent: what a refresh costs the bank.
        self.list_reads = 0
        #: While set, list requests for pages > 0 wait until `release()`.
        self._gate: asyncio.Event | None = None
        self.held = 0

    def hold_later_pages(self) -> None:
        self._gate = asyncio.Event()

    def release(self) -> None:
        if self._gate is not None:
            self._gate.set()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        if request.method == "GET" and request.url.path == "/api/customers":
            self.list_reads += 1
        if self.failing:
            raise httpx.ConnectError("connection refused (test outage)", request=request)
        page = request.url.params.get("page")
        if self._gate is not None and request.url.path == "/api/customers" and page not in (None, "0"):
            self.held += 1
            await self._gate.wait()
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


class Harness:
    """One app on one mock bank, sharing a frozen clock."""

    def __init__(
        self,
        *,
        customers: int = 60,
        seed: int = 7,
        refresh_seconds: float = NO_TIMER,
        flash_seconds: float = 0.0,
        granted_scopes: frozenset[str] | None = None,
        hold_later_pages: bool = False,
        **config: Any,
    ) -> None:
        self.clock = FrozenClock(NOW)
        self._hold = hold_later_pages
        options: dict[str, Any] = {"seed": seed, "customers": customers, **config}
        if granted_scopes is not None:
            options["granted_scopes"] = granted_scopes
        self.transport: ControlledTransport | None = None
        self.backend = DemoBackend(
            MockConfig(**options),
            clock=self.clock,
            wrap_transport=self._wrap,
            retry=RetryPolicy(max_attempts=1),
        )
        self.app = CybridApp(
            backend=self.backend,
            refresh_seconds=refresh_seconds,
            demo=True,
            clock=self.clock,
            flash_seconds=flash_seconds,
            cursor_blink=False,
        )

    def _wrap(self, inner: httpx.AsyncBaseTransport) -> httpx.AsyncBaseTransport:
        self.transport = ControlledTransport(inner)
        if self._hold:
            self.transport.hold_later_pages()
        return self.transport

    @property
    def mock(self) -> MockBackend:
        return self.backend.mock

    @property
    def screen(self) -> CustomersScreen:
        from cybrid_tui.screens.customers import CustomersScreen

        screen = self.app.screen_stack[0]
        assert isinstance(screen, CustomersScreen)
        return screen

    @property
    def table(self) -> CustomerTable:
        return self.screen.table

    def status_text(self) -> str:
        return self.screen.status.plain_text

    def shown_guids(self) -> list[str]:
        """Guids of the rows drawn on screen, top to bottom."""
        return [row.guid for row in self.table.visible_rows()]

    async def live(self, timeout: float = 10.0) -> None:
        """Wait until the first load finished."""
        await wait_for(lambda: self.screen.phase == "live", timeout=timeout, message="first load finished")

    async def refreshed(self, before: int, timeout: float = 5.0) -> None:
        """Wait until a refresh after the `before`-th one succeeded."""
        await wait_for(lambda: self.refreshes > before, timeout=timeout, message="a refresh succeeded")

    async def refresh_settled(self, pilot: Pilot[None], timeout: float = 5.0) -> None:
        """Wait until no load or refresh of the customers table is running and what it posted was handled:
        from then on, a request or a refresh can only come from something new (a timer, a key)."""

        def idle() -> bool:
            return not any(w.node is self.screen and not w.is_finished for w in self.app.workers)

        await wait_for(idle, timeout=timeout, message="the table's refresh finished")
        await pilot.pause()  # the messages the worker posted are handled

    @property
    def refreshes(self) -> int:
        return self.screen.refresh_count


def line_text(table: CustomerTable, guid: str) -> str | None:
    """The text of the table line showing this customer, as drawn (None when not on screen)."""
    index = table.store.index_of(guid)
    if index is None:
        return None
    y = index - table.top_row + 1
    if not 1 <= y <= table.body_height:
        return None
    return table.render_line(y).text


def header_text(table: CustomerTable) -> str:
    return table.render_line(0).text
