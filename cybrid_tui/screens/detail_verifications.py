"""The detail view's identity verifications: read with the customer, shown newest first, and the keys that
act on them (`v` verify, `l` copy the Persona link, `R` reset a rejected customer to unverified).

A mixin of `CustomerDetailScreen`, so the screen module stays about the customer. The verifications are read
in the same refresh as the customer (one listing; a detailed read only for a verification waiting for the
person, once, for its Persona inquiry id). Handlers are named `on_<message>` (Textual finds those on mixins).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cybrid_tui.banner import PRODUCTION_CLASS
from cybrid_tui.messages import CustomerResetDone, VerificationsFetched
from cybrid_tui.safe_text import safe_text
from cybrid_tui.widgets.verifications_panel import WAITING, verification_sections, waiting_inquiry

if TYPE_CHECKING:
    from cybrid_tui.api.client import CybridClient
    from cybrid_tui.api.models import Customer, IdentityVerification, IdentityVerificationWithDetails
    from cybrid_tui.app import CybridApp
    from cybrid_tui.live.rows import CustomerRow
    from cybrid_tui.pii import PiiView
    from cybrid_tui.widgets.customer_details import Section


class DetailVerifications:
    """State and actions of the detail view's verifications (mixed into `CustomerDetailScreen`)."""

    guid: str
    customer: Customer | None
    _row: CustomerRow | None
    cybrid_app: CybridApp

    if TYPE_CHECKING:

        def _pii_mode(self) -> PiiView: ...
        def _show(self) -> None: ...
        def _run_now(self) -> None: ...
        def post_message(self, message: Any) -> bool: ...
        def notify(self, message: str, **kwargs: Any) -> None: ...
        def refresh_bindings(self) -> None: ...

    def _init_verifications(self) -> None:
        #: The customer's verifications, newest first (None: not read yet).
        self.verifications: list[IdentityVerification] | None = None
        #: Detailed reads (Persona inquiry id) by verification guid: only for one waiting for the person.
        self._iv_details: dict[str, IdentityVerificationWithDetails] = {}
        self._iv_problem = ""
        self._resetting = False

    # ------------------------------------------------------------------------------------------ reading

    def _verifications_unavailable(self) -> str | None:
        caps = self.cybrid_app.capabilities
        if caps is None or caps.can_read_verifications:
            return None
        return caps.reason("can_read_verifications")

    async def _read_verifications(self, client: CybridClient) -> None:
        """The verifications part of a refresh: posts `VerificationsFetched` (never raises a CybridError)."""
        from cybrid_tui.api.errors import CybridError

        if self._verifications_unavailable() is not None:
            return
        api = client.identity_verifications
        try:
            found = await api.for_customer(self.guid)
            details: dict[str, IdentityVerificationWithDetails] = {}
            waiting = next((v for v in found if v.state == WAITING), None)
            known = self._iv_details.get(waiting.guid) if waiting is not None else None
            if waiting is not None and (known is None or known.state != WAITING):
                details[waiting.guid] = await api.get(waiting.guid)
        except CybridError as error:
            self.post_message(VerificationsFetched(self.guid, None, {}, error))
        else:
            self.post_message(VerificationsFetched(self.guid, found, details))

    def on_verifications_fetched(self, message: VerificationsFetched) -> None:
        if message.error is not None:
            from cybrid_tui.widgets.status_bar import problem_heading

            error = message.error
            kept = " Showing the last good copy." if self.verifications is not None else ""
            self._iv_problem = f"⚠ {problem_heading(error.title)}: {error.error_message}{kept}"
        else:
            self._iv_problem = ""
            self.verifications = message.verifications
            self._iv_details.update(message.details)
        self._show()

    def _verification_sections(self, now: float) -> list[Section]:
        return verification_sections(
            self.verifications,
            self._iv_details,
            now=now,
            pii=self._pii_mode(),
            unavailable=self._verifications_unavailable(),
            problem=self._iv_problem,
        )

    # ------------------------------------------------------------------------------------------ actions

    def _customer_state(self) -> str | None:
        if self.customer is not None:
            return str(self.customer.state) if self.customer.state else None
        return self._row.state if self._row is not None else None

    def _customer_type(self) -> str | None:
        if self.customer is not None:
            return str(self.customer.type) if self.customer.type else None
        return self._row.type if self._row is not None else None

    def _check_verification_action(self, action: str) -> bool | None:
        """`check_action` for this mixin's actions (None when `action` is not one of them)."""
        if action in ("start_verification", "reset"):
            if not self.cybrid_app.allows(action):
                return False  # read-only: hidden
            if action == "reset":
                return self._customer_state() == "rejected"  # offered only where it applies
            return True
        if action == "copy_link":
            return self._link() is not None
        return None

    def action_start_verification(self) -> None:
        from cybrid_tui.screens.verify_identity import open_verify

        def started(_: list[str]) -> None:
            self._run_now()

        open_verify(self.cybrid_app, self.guid, self._customer_type(), self._customer_state(), started)

    def _link(self) -> str | None:
        if self.verifications is None:
            return None
        inquiry = waiting_inquiry(self.verifications, self._iv_details)
        if inquiry is None:
            return None
        from cybrid_tui.api.identity_verifications import persona_link

        return persona_link(inquiry)

    def action_copy_link(self) -> None:
        link = self._link()
        if link is None:
            self.notify("No verification is waiting for the person.", timeout=3)
            return
        if self._pii_mode() != "shown":
            self.notify("The link is personal data and is hidden (i shows it).", timeout=4)
            return
        self.cybrid_app.copy_to_clipboard(safe_text(link))
        # The link itself is not repeated in the toast: it grants access to the person's data.
        self.notify("Copied the Persona link (personal data: share it only with the customer).", timeout=4)

    def action_reset(self) -> None:
        app = self.cybrid_app
        if app.refuse("reset") or self._resetting:
            return
        if self._customer_state() != "rejected":
            self.notify("Only a rejected customer can be reset to unverified.", timeout=4)
            return
        caps = app.capabilities
        if caps is not None and not caps.can_update_customers:
            reason = caps.reason("can_update_customers") or "The API key cannot update customers."
            self.notify(f"Cannot reset: {reason}", severity="warning", timeout=6, markup=False)
            return
        from cybrid_tui.guard import bank_name
        from cybrid_tui.screens.confirm import ConfirmScreen

        production = app.has_class(PRODUCTION_CLASS)
        question = (
            f"Reset customer {safe_text(self.guid)} to unverified?\n"
            "Its failed verification stays on record; a new one can then be started (v)."
        )
        if production:
            question += f"\nThis is the PRODUCTION bank {bank_name(app)}: this changes real data."

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self._resetting = True
                screen: Any = self  # a Screen: its worker ends with it
                screen.run_worker(self._reset(), exclusive=True, group="customer-reset", exit_on_error=False)

        title = "PRODUCTION" if production else "Reset to unverified"
        app.push_screen(ConfirmScreen(question, confirm_label="Reset (y)", title=title), answered)

    async def _reset(self) -> None:
        from cybrid_tui.api.errors import CybridError
        from cybrid_tui.api.models import PatchCustomer

        try:
            client = await self.cybrid_app.get_client()
            customer = await client.customers.update(self.guid, PatchCustomer(state="unverified"))
        except CybridError as error:
            self.post_message(CustomerResetDone(None, error))
        else:
            self.post_message(CustomerResetDone(customer))

    def on_customer_reset_done(self, message: CustomerResetDone) -> None:
        self._resetting = False
        error = message.error
        if error is not None:
            from cybrid_tui.api.errors import APIStatusError

            refused = isinstance(error, APIStatusError)
            said = (
                f"Cybrid refused the reset ({error.title}): {error.error_message}"
                if refused
                else f"The reset did not go through ({error.title}): {error.error_message}"
            )
            self.notify(
                safe_text(said)
                + (
                    "\nCybrid's docs route resets through its support."
                    if refused
                    else "\nr reads the customer again."
                ),
                title="Reset failed",
                severity="error",
                timeout=10,
                markup=False,
            )
            return
        self.notify("The customer is unverified again: v starts a new verification.", timeout=5)
        self._run_now()
        self.refresh_bindings()
