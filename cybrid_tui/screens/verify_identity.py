"""The "Verify identity" screen: start a customer's KYC (individual) or KYB (business) verification.

Opened with `v` on a customer (table or detail view). The method is preset from the customer's type
(`id_and_selfie`, `business_registration`); the country is optional (the bank's by default); off production,
a simulated outcome (sandbox `expected_behaviours`) can be chosen. The preview is the exact JSON body sent.

It refuses in plain words when the customer cannot be verified now (`cybrid_tui.forms.verification`), when
the token lacks `identity_verifications:execute`, and in a read-only session. It never starts a second
verification while one is open: the screen's one `VerificationStarter` looks first and shows the open one
instead (nothing is sent), and after an ambiguous failure a second `ctrl+s` looks for what the first created.
A start that created a verification closes the screen; the table and the detail view then follow it live.

| Key | Action |
| :- | :- |
| ctrl+s | Start the verification (ignored while a start runs) |
| escape | Close (asks first when the country or outcome was changed) |
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Input, Label, RadioButton, RadioSet, Static

from cybrid_tui.api.vocab import VERIFICATION_METHOD_FOR_CUSTOMER_TYPE
from cybrid_tui.banner import PRODUCTION_CLASS
from cybrid_tui.forms.verification import OUTCOME_LABELS, OUTCOMES, start_refusal, verification_body
from cybrid_tui.messages import (
    OpenVerificationFound,
    VerificationStarted,
    VerificationStartFailed,
)
from cybrid_tui.paths import stylesheet
from cybrid_tui.safe_text import safe_lines, safe_text
from cybrid_tui.screens import report_worker_failure
from cybrid_tui.widgets.footer import Footer
from cybrid_tui.widgets.table_lines import state_text

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.app import App, ComposeResult
    from textual.worker import Worker

    from cybrid_tui.api.identity_verifications import VerificationStarter
    from cybrid_tui.api.models import IdentityVerification, PostIdentityVerification
    from cybrid_tui.app import CybridApp

WORKER_GROUP = "verify-identity"


def describe_verification(verification: IdentityVerification, now: float) -> str:
    """ "3f2a…  waiting · id_and_selfie · started 2 min ago" (server strings made safe by the caller)."""
    from cybrid_tui.timefmt import relative

    started = verification.created_at
    when = f" · started {relative(started.timestamp(), now)}" if started is not None else ""
    method = f" · {verification.method}" if verification.method else ""
    return f"{verification.guid} · {verification.state or 'state unknown'}{method}{when}"


class VerifyIdentityScreen(Screen["IdentityVerification | None"]):
    """Start one customer's identity verification; dismisses with the verification it created."""

    COMMAND_GROUP = "Verify identity"
    CSS_PATH = str(stylesheet("verify_identity.tcss"))
    AUTO_FOCUS = "#verify-country"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "start_verification",
            "Start",
            priority=True,
            id="verify.start",
            tooltip="Start the identity verification",
        ),
        Binding("escape", "close", "Close", id="verify.close", tooltip="Close without starting"),
    ]

    def __init__(self, guid: str, *, customer_type: str | None, customer_state: str | None) -> None:
        super().__init__()
        self.guid = guid
        self.customer_type = customer_type
        self.customer_state = customer_state
        #: The one starter of this screen (built on the first start): it remembers an ambiguous attempt.
        self._starter: VerificationStarter | None = None
        self._starting = False
        #: The customer's open verification, when one was found (opening, or a start that reused it).
        self.open_verification: IdentityVerification | None = None
        self._status = ""
        self._problem = False

    @property
    def cybrid_app(self) -> CybridApp:
        return self.app  # type: ignore[return-value]

    # ------------------------------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Header()
        kind = safe_text(self.customer_type or "type unknown")
        title = f"Verify identity · {kind} {safe_text(self.guid)}"
        yield Static(title, id="verify-title", markup=False)
        with Horizontal(id="verify-body"):
            with VerticalScroll(id="verify-form"):
                yield Label("Customer state", classes="verify-label")
                yield Label(safe_text(state_text(self.customer_state or "")), id="verify-state", markup=False)
                yield Label("Method", classes="verify-label")
                method = VERIFICATION_METHOD_FOR_CUSTOMER_TYPE.get(self.customer_type or "", "—")
                yield Label(f"{method} (from the customer's type)", id="verify-method", markup=False)
                yield Label("Country (optional; default: the bank's)", classes="verify-label")
                yield Input(
                    placeholder="ISO code such as US",
                    id="verify-country",
                    max_length=2,
                    select_on_focus=False,
                    compact=True,
                )
                yield Static("", id="verify-country-error", markup=False)
                with Vertical(id="verify-outcome-box"):
                    yield Label("Simulated outcome (sandbox, demo)", classes="verify-label")
                    with RadioSet(id="verify-outcome", compact=True):
                        for key in OUTCOMES:
                            yield RadioButton(OUTCOME_LABELS[key], value=key == "none", name=key)
            yield Static("", id="verify-preview", markup=False)
        yield Static("", id="verify-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#verify-country", Input).cursor_blink = self.cybrid_app.cursor_blink
        # Off production only: a production bank does not simulate outcomes (and must not be asked to).
        self.query_one("#verify-outcome-box").display = not self._production
        preview = self.query_one("#verify-preview", Static)
        preview.border_title = "POST /api/identity_verifications"
        self._refresh_body()
        reason = self._refusal()
        if reason is not None:
            self._say(reason, problem=True)
        else:
            self._say("ctrl+s starts the verification; escape closes.")
            self._look_for_open()

    @property
    def _production(self) -> bool:
        return self.app.has_class(PRODUCTION_CLASS)

    # ------------------------------------------------------------------------------------------ the body

    @property
    def outcome(self) -> str:
        """The simulated outcome chosen ("none" in production: never sent there)."""
        if self._production:
            return "none"
        pressed = self.query_one("#verify-outcome", RadioSet).pressed_button
        return pressed.name if pressed is not None and pressed.name else "none"

    @property
    def country(self) -> str:
        return self.query_one("#verify-country", Input).value

    @property
    def changed(self) -> bool:
        """Something was chosen that escape would throw away."""
        return bool(self.country.strip()) or self.outcome != "none"

    def body(self) -> tuple[PostIdentityVerification | None, str | None]:
        return verification_body(self.guid, self.customer_type, country=self.country, outcome=self.outcome)

    def _refresh_body(self) -> None:
        body, error = self.body()
        preview = self.query_one("#verify-preview", Static)
        if body is not None:
            from rich.json import JSON

            # ASCII escapes: the exact JSON (same value), and no server character reaches the terminal raw.
            pretty = JSON(json.dumps(body.to_json_body()), indent=2, ensure_ascii=True)
            pretty.text.no_wrap = False
            pretty.text.overflow = "fold"  # a long guid wraps in the narrow pane rather than being cut
            preview.update(pretty)
        problem = error if error and error.startswith("Country") else ""
        self.query_one("#verify-country-error", Static).update(safe_text(problem))
        if error and not problem:
            preview.update(safe_text(error))

    @on(Input.Changed, "#verify-country")
    def _country_changed(self) -> None:
        self._refresh_body()

    @on(RadioSet.Changed, "#verify-outcome")
    def _outcome_changed(self) -> None:
        self._refresh_body()

    # ------------------------------------------------------------------------------------------ status

    def _say(self, text: str, *, problem: bool = False) -> None:
        self._status, self._problem = text, problem
        status = self.query_one("#verify-status", Static)
        status.update(safe_lines(text))
        status.set_class(problem, "-problem")

    @property
    def status_text(self) -> str:
        return self._status

    def _refusal(self) -> str | None:
        """Why a start is refused right now: the customer's state, then the token (None: go ahead)."""
        reason = start_refusal(self.customer_state)
        if reason is not None:
            return reason
        caps = self.cybrid_app.capabilities
        if caps is not None and not caps.can_start_verifications:
            missing = caps.reason("can_start_verifications") or "The API key cannot start verifications."
            return f"Cannot start verifications: {missing}"
        return None

    # ------------------------------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "start_verification":
            if not self.cybrid_app.allows(action):
                return False  # read-only: hidden (and refused by the app when pressed)
            if self._refusal() is not None or self._starting:
                return None  # shown dimmed: the status line says why
        if action == "close" and self._starting:
            return None  # the answer is on its way: leaving now would lose what it says
        return True

    def has_unsaved_input(self) -> bool:
        """Leaving now would lose something: a start waiting for its answer (quit and Switch profile ask)."""
        return self._starting

    def action_start_verification(self) -> None:
        app = self.cybrid_app
        if app.refuse("start_verification") or self._starting:
            return  # a second ctrl+s while a start runs must not send a second request
        reason = self._refusal()
        if reason is not None:
            self._say(reason, problem=True)
            return
        body, error = self.body()
        if body is None:
            self._say(error or "The body is not valid.", problem=True)
            return
        app.confirm_change("Start an identity verification", lambda: self._begin(body))

    def _begin(self, body: PostIdentityVerification) -> None:
        self._starting = True
        self.refresh_bindings()
        self._say("Starting… (Cybrid is answering; ctrl+s is ignored meanwhile)")
        self._start(body)

    @work(exclusive=True, group=WORKER_GROUP, exit_on_error=False)
    async def _start(self, body: PostIdentityVerification) -> None:
        from cybrid_tui.api.errors import CybridError

        starter = self._starter
        try:
            if starter is None:
                client = await self.cybrid_app.get_client()
                clock = self.cybrid_app.clock
                starter = self._starter = client.identity_verifications.starter(self.guid, now=clock.now)
            result = await starter.start(body)
        except CybridError as error:
            self.post_message(
                VerificationStartFailed(error, uncertain=starter is not None and starter.uncertain)
            )
        else:
            self.post_message(VerificationStarted(result))

    @work(exclusive=True, group=WORKER_GROUP + "-open", exit_on_error=False)
    async def _look_for_open(self) -> None:
        """Show an open verification at once (one request), when the token may read them."""
        from cybrid_tui.api.errors import CybridError

        caps = self.cybrid_app.capabilities
        if caps is not None and not caps.can_read_verifications:
            return
        try:
            client = await self.cybrid_app.get_client()
            found = await client.identity_verifications.open_for_customer(self.guid)
        except CybridError:
            return  # only a courtesy: the start looks again before sending anything
        self.post_message(OpenVerificationFound(found))

    def _now(self) -> float:
        return float(self.cybrid_app.clock.now().timestamp())

    def _show_open(self, verification: IdentityVerification) -> None:
        self.open_verification = verification
        self._say(
            "A verification is already in progress for this customer; none was started:\n"
            + safe_text(describe_verification(verification, self._now()))
            + "\nFollow it in the detail view (enter on the customer)."
        )

    @on(OpenVerificationFound)
    def _open_found(self, message: OpenVerificationFound) -> None:
        if message.verification is not None and not self._starting:
            self._show_open(message.verification)

    @on(VerificationStarted)
    def _started(self, message: VerificationStarted) -> None:
        self._starting = False
        self.refresh_bindings()
        result = message.result
        if not result.created:
            self._show_open(result.verification)
            return
        self.dismiss(result.verification)

    @on(VerificationStartFailed)
    def _start_failed(self, message: VerificationStartFailed) -> None:
        from cybrid_tui.widgets.status_bar import problem_heading

        self._starting = False
        self.refresh_bindings()
        error = message.error
        text = f"⚠ {problem_heading(error.title)}: {error.error_message}"
        if message.uncertain:
            text += "\nIt may have reached Cybrid: ctrl+s again looks for it before sending anything."
        self._say(text, problem=True)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if report_worker_failure(self.app, event.worker, event.state) and event.worker.group == WORKER_GROUP:
            self._starting = False
            self.refresh_bindings()

    def action_close(self) -> None:
        if self._starting:
            self._say("Starting the verification: wait for Cybrid's answer before closing.")
            return
        if not self.changed:
            self.dismiss(None)
            return
        from cybrid_tui.screens.discard_changes import DiscardChangesScreen

        def decided(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        question = "Close without starting? The country and outcome you chose will be lost."
        self.app.push_screen(DiscardChangesScreen(question), decided)


def announce_started(app: App[Any], verification: IdentityVerification) -> None:
    """Tell the person a verification was created (the screen that opened the verify screen calls it)."""
    state = verification.state or "state unknown"
    app.notify(
        safe_text(f"Verification {verification.guid[:8]}… started ({state}); the customer follows it live."),
        title="Verification started",
        timeout=5,
        markup=False,
    )


def open_verify(
    app: CybridApp,
    guid: str | None,
    customer_type: str | None,
    customer_state: str | None,
    started: Callable[[list[str]], object] | None = None,
) -> None:
    """`v` on a customer (table or detail view): open the verify screen for it, unless read-only refuses.
    `started([guid])` runs once a verification was created (the table flashes the row)."""
    if app.refuse("start_verification"):
        return
    if guid is None:
        app.notify("No customer is highlighted.", timeout=3)
        return

    def done(verification: IdentityVerification | None) -> None:
        if verification is not None:
            announce_started(app, verification)
            if started is not None:
                started([guid])

    app.push_screen(
        VerifyIdentityScreen(guid, customer_type=customer_type, customer_state=customer_state), done
    )
