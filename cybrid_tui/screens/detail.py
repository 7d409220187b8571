"""One customer in full, refreshed live: every field the API returns (personal data when allowed).

Opens at once with what the table knows, then reads the customer (`GET /api/customers/{guid}`, with PII
only when the token has `customers:pii:read`) in a worker, and again every `refresh_seconds` while it is on
screen (`cybrid_tui.screens.live_schedule`). A failed read keeps the last good copy on screen, says what went
wrong and retries with backoff. Opened before the app knew the token's scopes (while it was still
connecting), it reads again as soon as they are known, so personal data appears without waiting a refresh.

| Key | Action |
| :- | :- |
| escape | Back to the table, on the same customer |
| y or c | Copy the full guid |
| r | Refresh now |
| x | Reveal this customer's identification numbers (x again, leaving the view or hiding PII masks them) |
| v | Verify this customer's identity (`cybrid_tui.screens.verify_identity`) |
| l | Copy the Persona link of a verification waiting for the person (personal data) |
| R | Reset a rejected customer to unverified (after a confirmation) |

The customer's identity verifications are read in the same refresh: see `screens/detail_verifications.py`.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.binding import Binding, BindingType
from textual.widgets import Header, Static

from cybrid_tui.messages import CustomerFetched, CustomerFetchFailed
from cybrid_tui.paths import stylesheet
from cybrid_tui.pii import PiiView, pii_view
from cybrid_tui.safe_text import safe_text
from cybrid_tui.screens import report_worker_failure
from cybrid_tui.screens.detail_verifications import DetailVerifications
from cybrid_tui.screens.live_schedule import LiveScreen
from cybrid_tui.timefmt import relative
from cybrid_tui.widgets.customer_details import CustomerDetails, customer_sections
from cybrid_tui.widgets.footer import Footer
from cybrid_tui.widgets.status_bar import problem_heading, retry_countdown

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.worker import Worker

    from cybrid_tui.api.models import Customer
    from cybrid_tui.live.rows import CustomerRow

WORKER_GROUP = "customer-detail"


class CustomerDetailScreen(DetailVerifications, LiveScreen):
    """Every field of one customer; `escape` goes back."""

    COMMAND_GROUP = "Customer"
    CSS_PATH = str(stylesheet("detail.tcss"))
    AUTO_FOCUS = "CustomerDetails"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="detail.back", tooltip="Back to the customers table"),
        Binding(
            "y",
            "copy_guid",
            "Copy guid",
            id="detail.copy_guid",
            tooltip="Copy the full guid",
        ),
        Binding("c", "copy_guid", "Copy guid", show=False, id="detail.copy_guid_alt"),
        Binding("r", "refresh", "Refresh", id="detail.refresh", tooltip="Read the customer again now"),
        Binding(
            "v",
            "start_verification",
            "Verify",
            id="detail.verify",
            tooltip="Verify identity (KYC / KYB)",
        ),
        Binding(
            "l",
            "copy_link",
            "Copy link",
            show=False,
            id="detail.copy_link",
            tooltip="Copy the Persona link",
        ),
        Binding("R", "reset", "Reset", id="detail.reset", tooltip="Reset a rejected customer"),
        Binding(
            "x",
            "reveal_numbers",
            "Reveal IDs",
            id="detail.reveal_numbers",
            # Not in the footer: at 80 columns it would push out Help and Quit; help and palette list it.
            show=False,
            tooltip="Reveal or mask ID numbers",
        ),
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
        #: Whether the read under way (or the last one) asked for personal data.
        self._reading_pii = False
        #: Whether `customer` was read with personal data.
        self._customer_has_pii = False
        #: Identification numbers shown in full (`x`): only on request, only while PII is shown.
        self.numbers_revealed = False
        self._init_verifications()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(safe_text(f"Customer {self.guid}"), id="detail-title", markup=False)
        yield CustomerDetails(id="customer-details")
        yield Static("", id="detail-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        app = self.cybrid_app
        # Hiding PII only changes what is shown (the copy in hand has it); the scope changes what to read.
        self.watch(app, "pii_hidden", self._pii_toggled, init=False)
        self.watch(app, "pii_available", self._scope_known, init=False)
        self._show()

    # ------------------------------------------------------------------------------------------ schedule

    def on_screen_suspend(self) -> None:
        super().on_screen_suspend()
        self._mask_numbers()  # a reveal lasts while the person looks at this customer, not beyond

    def on_screen_resume(self) -> None:
        self._suspended = False
        self._run_now()

    def _start_run(self) -> None:
        self._reading_pii = bool(self.cybrid_app.pii_available)
        self._fetch(include_pii=self._reading_pii)

    def _read_with_other_scope(self) -> bool:
        """The latest read asked for PII when the token does not allow it, or the reverse."""
        return self._reading_pii != bool(self.cybrid_app.pii_available)

    def _scope_known(self) -> None:
        self._show()
        if self._read_with_other_scope() and not self._suspended:
            # A read under way is not interrupted: `_fetched` starts the new one as soon as it ends.
            self._run_now()

    @work(exclusive=True, group=WORKER_GROUP, exit_on_error=False)
    async def _fetch(self, *, include_pii: bool) -> None:
        from cybrid_tui.api.errors import CybridError

        try:
            client = await self.cybrid_app.get_client()
            # The verifications in the same refresh, side by side with the customer (they post their own).
            customer, _ = await asyncio.gather(
                client.customers.get(self.guid, include_pii=include_pii), self._read_verifications(client)
            )
        except CybridError as error:
            self.post_message(CustomerFetchFailed(self.guid, error))
        else:
            self.post_message(CustomerFetched(customer))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if report_worker_failure(self.app, event.worker, event.state):
            self._run_failed(None)

    # ------------------------------------------------------------------------------------------ handlers

    @on(CustomerFetched)
    def _fetched(self, message: CustomerFetched) -> None:
        self._problem = ""
        self.customer = message.customer
        self._customer_has_pii = self._reading_pii
        self._last_read = self._now()
        self._run_succeeded()
        self._show()
        self.refresh_bindings()  # reset is offered for a rejected customer only
        if self._read_with_other_scope() and not self._suspended:
            self._run_now()

    @on(CustomerFetchFailed)
    def _fetch_failed(self, message: CustomerFetchFailed) -> None:
        from cybrid_tui.api.errors import NotFoundError

        error = message.error
        delay = self._run_failed(error)  # a Retry-After from the server lengthens the wait, as in the table
        if isinstance(error, NotFoundError):
            self._problem = "⚠ This customer no longer exists (the bank answered 404 Not Found)."
        else:
            kept = " Showing the last good copy." if self.customer is not None else ""
            self._problem = (
                f"⚠ {problem_heading(error.title)}: {error.error_message}{kept} {retry_countdown(delay)}"
            )
        self._show()

    def _pii_mode(self) -> PiiView:
        app = self.cybrid_app
        # Read before the scope was known: "not loaded yet" until the read with PII lands, not empty fields.
        loaded = self.customer is None or self._customer_has_pii
        return pii_view(app.pii_available, app.pii_hidden, loaded=loaded)

    def _show(self) -> None:
        now = self._now()
        self.query_one(CustomerDetails).show(
            customer_sections(
                self.customer,
                self._row,
                pii=self._pii_mode(),
                now=now,
                reveal_numbers=self.numbers_revealed and self._pii_mode() == "shown",
            )
            + self._verification_sections(now)
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
        status.update(safe_text(text))  # a problem quotes the server's error message
        status.set_class(bool(self._problem), "-problem")

    # ------------------------------------------------------------------------------------------ actions

    def _pii_toggled(self) -> None:
        self._mask_numbers()
        self._show()
        self.refresh_bindings()  # `x` is offered only while personal data is shown

    def _mask_numbers(self) -> None:
        if self.numbers_revealed:
            self.numbers_revealed = False
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        verification = self._check_verification_action(action)
        if verification is not None:
            return verification
        if action == "reveal_numbers" and self._pii_mode() != "shown":
            return None  # dimmed: there is nothing to reveal while personal data is not shown
        return True

    def action_reveal_numbers(self) -> None:
        if self._pii_mode() != "shown":
            return
        self.numbers_revealed = not self.numbers_revealed
        self._show()

    def action_back(self) -> None:
        self.dismiss(None)

    def action_refresh(self) -> None:
        self._run_now()

    def action_copy_guid(self) -> None:
        guid = safe_text(self.guid)  # the server's: never copied as sent
        self.app.copy_to_clipboard(guid)
        self.notify(f"Copied {guid} to the clipboard.", title="Guid copied", timeout=3, markup=False)
