"""One customer in full, refreshed live: every field the API returns (personal data when allowed).

Opens at once with what the table knows, then reads the customer (`GET /api/customers/{guid}`, with PII
only when the token has `customers:pii:read`) in a worker, and again every `refresh_seconds` while it is on
screen. A failed read keeps the last good copy on screen, says what went wrong and retries with backoff.

| Key | Action |
| :- | :- |
| escape | Back to the table, on the same customer |
| y or c | Copy the full guid |
| r | Refresh now |
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from cybrid_tui.live.backoff import refresh_backoff
from cybrid_tui.messages import CustomerFetched, CustomerFetchFailed
from cybrid_tui.paths import stylesheet
from cybrid_tui.screens import report_worker_failure
from cybrid_tui.timefmt import relative
from cybrid_tui.widgets.customer_details import CustomerDetails, PiiMode, customer_sections
from cybrid_tui.widgets.status_bar import problem_heading

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.timer import Timer
    from textual.worker import Worker

    from cybrid_tui.api.models import Customer
    from cybrid_tui.app import CybridApp
    from cybrid_tui.live.rows import CustomerRow

WORKER_GROUP = "customer-detail"


class CustomerDetailScreen(Screen[None]):
    """Every field of one customer; `escape` goes back."""

    COMMAND_GROUP = "Customer"
    CSS_PATH = str(stylesheet("detail.tcss"))
    AUTO_FOCUS = "CustomerDetails"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", tooltip="Back to the customers table"),
        Binding("y", "copy_guid", "Copy guid", tooltip="Copy the full guid to the clipboard"),
        Binding("c", "copy_guid", "Copy guid", show=False),
        Binding("r", "refresh", "Refresh", tooltip="Read the customer again now"),
    ]

    def __init__(
        self,
        guid: str,
        *,
        row: CustomerRow | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.guid = guid
        self._row = row
        self.customer: Customer | None = None
        self._last_read: float | None = None
        self._problem = ""
        self._failures = 0
        self._in_flight = False
        self._active = False
        self._timer: Timer | None = None

    @property
    def cybrid_app(self) -> CybridApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"Customer {self.guid}", id="detail-title", markup=False)
        yield CustomerDetails(id="customer-details")
        yield Static("", id="detail-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.watch(self.cybrid_app, "pii_hidden", self._show, init=False)
        self._show()

    def on_screen_resume(self) -> None:
        self._active = True
        self._run_now()

    def on_screen_suspend(self) -> None:
        self._active = False
        self._cancel_timer()

    # ------------------------------------------------------------------------------------------ schedule

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _schedule(self, delay: float) -> None:
        self._cancel_timer()
        if self._active:
            self._timer = self.set_timer(delay, self._run_now)

    def _run_now(self) -> None:
        self._cancel_timer()
        if self._in_flight:
            return
        self._in_flight = True
        app = self.cybrid_app
        self._fetch(include_pii=bool(app.pii_available))

    @work(exclusive=True, group=WORKER_GROUP, exit_on_error=False)
    async def _fetch(self, *, include_pii: bool) -> None:
        from cybrid_tui.api.errors import CybridError

        try:
            client = await self.cybrid_app.get_client()
            customer = await client.get_customer(self.guid, include_pii=include_pii)
        except CybridError as error:
            self.post_message(CustomerFetchFailed(self.guid, error))
        else:
            self.post_message(CustomerFetched(customer))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if report_worker_failure(self.app, event.worker, event.state):
            self._in_flight = False
            self._failures += 1
            self._schedule(self._backoff())

    def _backoff(self) -> float:
        return refresh_backoff(self.cybrid_app.refresh_seconds, self._failures)

    # ------------------------------------------------------------------------------------------ handlers

    @on(CustomerFetched)
    def _fetched(self, message: CustomerFetched) -> None:
        self._in_flight = False
        self._failures = 0
        self._problem = ""
        self.customer = message.customer
        self._last_read = self._now()
        self._schedule(self.cybrid_app.refresh_seconds)
        self._show()

    @on(CustomerFetchFailed)
    def _fetch_failed(self, message: CustomerFetchFailed) -> None:
        from cybrid_tui.api.errors import NotFoundError

        self._in_flight = False
        self._failures += 1
        error = message.error
        delay = self._backoff()
        if isinstance(error, NotFoundError):
            self._problem = "⚠ This customer no longer exists (the bank answered 404 Not Found)."
        else:
            kept = " Showing the last good copy." if self.customer is not None else ""
            self._problem = (
                f"⚠ {problem_heading(error.title)}: {error.error_message}{kept} Retrying in {delay:g} s."
            )
        self._schedule(delay)
        self._show()

    def _now(self) -> float:
        return float(self.cybrid_app.clock.now().timestamp())

    def _pii_mode(self) -> PiiMode:
        app = self.cybrid_app
        if app.pii_hidden:
            return "hidden"
        if app.pii_available is None:
            return "unknown"
        return "shown" if app.pii_available else "unavailable"

    def _show(self) -> None:
        now = self._now()
        self.query_one(CustomerDetails).show(
            customer_sections(self.customer, self._row, pii=self._pii_mode(), now=now)
        )
        if self._problem:
            text = self._problem
        elif self._last_read is not None:
            text = (
                f"Read {relative(self._last_read, now)}; live, every {self.cybrid_app.refresh_seconds:g} s."
            )
        else:
            text = "Reading the customer…"
        status = self.query_one("#detail-status", Static)
        status.update(text)
        status.set_class(bool(self._problem), "-problem")

    # ------------------------------------------------------------------------------------------ actions

    def action_back(self) -> None:
        self.dismiss(None)

    def action_refresh(self) -> None:
        self._run_now()

    def action_copy_guid(self) -> None:
        self.app.copy_to_clipboard(self.guid)
        self.notify(f"Copied {self.guid} to the clipboard.", title="Guid copied", timeout=3)
