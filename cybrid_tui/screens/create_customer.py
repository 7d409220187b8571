"""The create-customer form: a screen that dismisses with the created `Customer`, or None when cancelled.

Layout (tab order follows it): the two choices (`CustomerChoices`), then, for bank-provided details, the
sections of `cybrid_tui.forms.fields`, the identification numbers and, always, labels; the JSON body to be
sent is previewed on the right. Errors follow `cybrid_tui.forms.error_book`; what a create's outcome says,
`cybrid_tui.forms.outcome`. While PII is hidden (`i`) personal fields, numbers and the preview's personal
values read as bullets (typing still works).

| Key | Action |
| :- | :- |
| ctrl+s | Create the customer (ignored while a request runs) |
| escape, q | Cancel (asks first when anything was typed; in a text field q is just a letter) |
| f2 | Show or hide the JSON preview |
| f3 | Copy as command: the `cybrid-tui` and `curl` lines for the form (`screens/form_copy.py`) |
| ctrl+n | Add an identification number (✕ on a row removes it) |

Creating runs in a worker through `SafeCreator`, so a retry after a lost answer never creates the customer
twice (see `cybrid_tui.api.safe_create`). Import-light: models and httpx are only imported when creating.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, RadioSet, Select, Static

from cybrid_tui.api.safe_create import SafeCreator
from cybrid_tui.forms import fields
from cybrid_tui.forms.builder import mask_personal_data, preview_body
from cybrid_tui.forms.error_book import ErrorBook, submit_refusal
from cybrid_tui.forms.fields import APPROACHES, KINDS, LABEL_HINT, NOTES, TITLE, form_title
from cybrid_tui.forms.validators import MAX_ID_ROWS
from cybrid_tui.forms.values import Approach, CustomerKind, FormValues, id_types_for
from cybrid_tui.messages import CreateFailed, CustomerCreated
from cybrid_tui.paths import stylesheet
from cybrid_tui.safe_text import safe_text
from cybrid_tui.screens.discard_changes import DiscardChangesScreen
from cybrid_tui.screens.form_copy import CommandCopyingScreen
from cybrid_tui.widgets.body_preview import BodyPreview
from cybrid_tui.widgets.footer import Footer
from cybrid_tui.widgets.form_fields import FormField
from cybrid_tui.widgets.form_sections import (
    CustomerChoices,
    FieldSection,
    IdentificationSection,
    field_key,
    field_widget,
)
from cybrid_tui.widgets.form_status import About, FormStatus

if TYPE_CHECKING:
    import datetime as dt

    from textual.app import ComposeResult

    from cybrid_tui.api.models import Customer, PostCustomer  # noqa: F401 (Customer: the Screen's result)
    from cybrid_tui.api.safe_create import CustomerApi
    from cybrid_tui.clock import Clock


class CreateCustomerScreen(CommandCopyingScreen):
    """Create an individual or a business customer, through Cybrid's KYC or with the bank's own details."""

    COMMAND_GROUP = "New customer"
    CSS_PATH = str(stylesheet("create_customer.tcss"))
    # Below 80 columns the JSON preview would squeeze the form ("▐●▌ C…"): hidden until f2 asks for it.
    HORIZONTAL_BREAKPOINTS = [(0, "-cramped"), (80, "-narrow"), (100, "-wide")]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s", "submit", "Create", priority=True, id="form.submit", tooltip="Send the form to Cybrid"
        ),
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="form.cancel",
            tooltip="Leave the form (asks first)",
        ),
        # The app's `q` quits: on the form it leaves the form instead, asking first, so no input is lost.
        Binding("q", "cancel", "Cancel", show=False, id="form.cancel_alt"),
        Binding("f2", "toggle_preview", "Preview", id="form.preview", tooltip="Show or hide the JSON body"),
        Binding("ctrl+n", "add_id", "Add ID", id="form.add_id", tooltip="Add an identification number"),
    ]

    def __init__(
        self,
        *,
        client: CustomerApi,
        clock: Clock,
        tag: str | None = None,
        cursor_blink: bool | None = None,
        duplicate_guard: bool = True,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._clock = clock
        #: One creator, hence one duplicate-protection tag, for the life of the form: retries reuse it.
        self._creator = SafeCreator(client, tag=tag, guard=duplicate_guard)
        self._cursor_blink = cursor_blink
        self._kind: CustomerKind = "individual"
        self._approach: Approach = "platform"
        self._busy = False
        self._book = ErrorBook()
        self._pii_hidden = False

    @property
    def tag(self) -> str:
        return self._creator.tag

    @property
    def _label_tag(self) -> str | None:
        """The tag the body carries: none with duplicate protection off (`duplicate_guard = false`)."""
        return self._creator.tag if self._creator.guard else None

    @property
    def busy(self) -> bool:
        return self._busy

    @property
    def pii_hidden(self) -> bool:
        """Personal data is masked on the form (the app's `i`)."""
        return self._pii_hidden

    # ------------------------------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        blink = self._blink()
        yield Static(TITLE, id="title")
        with Horizontal(id="body"):
            with VerticalScroll(id="form"):
                yield CustomerChoices(note=NOTES["platform"])
                with Vertical(id="details", classes="-individual"):
                    for section in (fields.INDIVIDUAL, fields.BUSINESS, fields.CONTACT, fields.ADDRESS):
                        yield FieldSection(section, cursor_blink=blink)
                    yield IdentificationSection(id_types_for(self._kind), cursor_blink=blink)
                yield FieldSection(fields.LABELS, cursor_blink=blink, hint=LABEL_HINT, hint_id="labels-hint")
            yield BodyPreview("POST /api/customers", id="preview")
        yield FormStatus()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#form", VerticalScroll).can_focus = False
        if hasattr(self.app, "pii_hidden"):  # CybridApp; a bare host app (tests) never hides
            self.watch(self.app, "pii_hidden", self._pii_changed)
        self._apply_choices()
        self._update_preview()
        self.query_one("#kind", RadioSet).focus()

    def _blink(self) -> bool:
        if self._cursor_blink is not None:
            return self._cursor_blink
        return bool(getattr(self.app, "cursor_blink", True))  # CybridApp(cursor_blink=False) in snapshots

    @property
    def identification(self) -> IdentificationSection:
        return self.query_one(IdentificationSection)

    def _pii_changed(self, hidden: bool) -> None:
        # The form masks whatever the token allows: it is about who can see the screen, not what Cybrid sends.
        self._pii_hidden = hidden
        for section in self.query(FieldSection):
            section.set_masked(hidden)
        self.identification.set_masked(hidden)
        from cybrid_tui.guard import production_marker

        # No header on the form: against production the title bar names it (styles/app.tcss colours it).
        title = form_title(production_marker(self.app), pii_hidden=hidden)
        self.query_one("#title", Static).update(Text(title))  # Text: the marker is never markup
        self._update_preview()

    # ------------------------------------------------------------------------------------------ values

    def values(self) -> FormValues:
        """What is on the form now."""
        texts: dict[str, Any] = {field.key: field.input.value for field in self.query(FormField)}
        return FormValues(
            kind=self._kind,
            approach=self._approach,
            identification=tuple(row.value for row in self.identification.rows),
            **texts,
        )

    def _today(self) -> dt.date:
        return self._clock.now().date()

    # ------------------------------------------------------------------------------------------ events

    @on(RadioSet.Changed)
    def _choice_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        if event.radio_set.id == "kind":
            self._kind = KINDS[event.index]
            self.identification.set_types(id_types_for(self._kind))
        elif event.radio_set.id == "approach":
            self._approach = APPROACHES[event.index]
        self._apply_choices()
        self._refresh()
        self.refresh_bindings()  # "Add ID" is only for bank-provided details

    def _apply_choices(self) -> None:
        details = self.query_one("#details", Vertical)
        details.set_class(self._approach != "details", "-hidden")
        details.set_class(self._kind == "individual", "-individual")
        details.set_class(self._kind == "business", "-business")
        self.query_one(CustomerChoices).show_note(NOTES[self._approach])

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        event.stop()
        key = field_key(event.input)
        if key is not None:
            self._book.edited(key)
        self._refresh()

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        event.stop()
        key = field_key(event.select)
        if key is not None:
            self._book.chosen(key)
        self._refresh()

    @on(Input.Blurred)
    def _input_left(self, event: Input.Blurred) -> None:
        key = field_key(event.input)
        if key is not None and self._book.left(key):
            self._render_errors()

    @on(IdentificationSection.RowRemoved)
    def _row_removed(self, event: IdentificationSection.RowRemoved) -> None:
        self._book.row_removed(event.index)
        self.call_after_refresh(self._refresh)

    async def action_add_id(self) -> None:
        if self._approach != "details":
            self.notify("Identification numbers belong to bank-provided details.", severity="warning")
            return
        if len(self.identification.rows) >= MAX_ID_ROWS:
            self.notify(f"At most {MAX_ID_ROWS} identification numbers.", severity="warning")
            return
        row = await self.identification.add_row()
        row.type_select.focus()
        self._refresh()

    # ------------------------------------------------------------------------------------------ display

    def _refresh(self) -> None:
        self._update_preview()
        self._render_errors()
        # A message about the input follows it ("First name: Required" goes once a first name is typed).
        self.query_one(FormStatus).follow(self.values(), self._errors)

    def _update_preview(self) -> None:
        body = preview_body(self.values(), tag=self._label_tag)
        self.query_one(BodyPreview).show(mask_personal_data(body) if self._pii_hidden else body)

    def _errors(self) -> dict[str, str]:
        return self._book.errors(self.values(), today=self._today())

    def _render_errors(self, errors: dict[str, str] | None = None) -> None:
        shown = self._book.shown(self._errors() if errors is None else errors)
        for field in self.query(FormField):
            field.show_error(shown.get(field.key))
        self.identification.show_errors(shown)

    def _set_status(self, message: str, kind: str = "", *, about: About = "") -> None:
        self.query_one(FormStatus).say(message, kind, about=about, values=self.values() if about else None)

    def _focus_key(self, key: str) -> None:
        widget = field_widget(self, self.identification, key)
        if widget is not None:
            widget.focus()

    # ------------------------------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While a create runs the footer offers only what works (f2, help, PII): not Create, Cancel or Add ID.
        if action in ("submit", "add_id", "cancel") and self._busy:
            return False
        if action == "add_id" and self._approach != "details":
            return None  # shown dimmed: only bank-provided details have identification numbers
        return True

    def action_toggle_preview(self) -> None:
        self.toggle_class("-show-preview" if self.has_class("-cramped") else "-no-preview")

    def has_unsaved_input(self) -> bool:
        """Leaving now would lose something: typed input, or a create waiting for its answer (the app asks
        before it quits, however the quit came: q, ctrl+q, the palette)."""
        return self._busy or self.values().typed_anything()

    def action_submit(self) -> None:
        if self._busy:
            return  # a second ctrl+s while creating must not send a second request
        values = self.values()
        self._book.submitted(values)
        errors = self._errors()
        self._render_errors(errors)
        if errors:
            self._focus_key(next(iter(errors)))
            self._set_status(submit_refusal(errors), "-error", about="refusal")
            return
        from pydantic import ValidationError

        from cybrid_tui.forms.builder import build_post_customer

        try:
            body = build_post_customer(values, tag=self._label_tag)
        except ValidationError as error:  # validators and schema disagree: a bug, but never a crash
            self._set_status(
                f"Nothing was sent: the request is not valid ({error.error_count()} errors).", "-error"
            )
            return
        # Against production the app asks first, naming the bank (a bare host app, in tests, does not).
        confirm = getattr(self.app, "confirm_change", None)
        if confirm is None:
            self._send(body)
        else:
            confirm("Create this customer", lambda: self._send(body))

    def _send(self, body: PostCustomer) -> None:
        if self._busy:
            return
        self._busy = True
        self.add_class("-busy")
        self._set_status(
            "Checking whether the last attempt reached Cybrid, then creating…"
            if self._creator.uncertain
            else "Creating… (ctrl+s is ignored until Cybrid answers)",
            "-busy",
        )
        self.refresh_bindings()
        self._create(body)

    @work(exclusive=True, group="create-customer")
    async def _create(self, body: PostCustomer) -> None:
        try:
            result = await self._creator.create(body)
        except Exception as error:  # every failure is reported in the form, with the input kept
            self.post_message(CreateFailed(error, uncertain=self._creator.uncertain))
        else:
            self.post_message(CustomerCreated(result))

    @on(CustomerCreated)
    def _created(self, message: CustomerCreated) -> None:
        from cybrid_tui.forms.outcome import describe_success

        self._busy = False
        notice = describe_success(message.result, tag=self.tag)
        if notice is not None:
            self.app.notify(
                safe_text(notice.text),  # quotes the server's guids
                title=notice.title,
                severity=notice.severity,
                timeout=notice.timeout,
                markup=False,
            )
        self.dismiss(message.result.record)

    @on(CreateFailed)
    def _failed(self, message: CreateFailed) -> None:
        from cybrid_tui.forms.outcome import describe_failure

        self._busy = False
        self.remove_class("-busy")
        self.refresh_bindings()
        report = describe_failure(
            message.error,
            uncertain=message.uncertain,
            values=self.values(),
            tag=self.tag,
            guarded=self._creator.guard,
        )
        self._set_status(report.text, report.severity, about="input" if report.about_input else "")
        if report.fields:
            self._book.refused(list(report.fields), report.field_error)
            self._render_errors()
            self._focus_key(report.fields[0])

    def action_cancel(self) -> None:
        if self._busy:
            self.notify("Creating… wait for Cybrid's answer before leaving the form.", severity="warning")
            return
        if not self.values().typed_anything():
            self.dismiss(None)
            return

        def decided(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(DiscardChangesScreen(), decided)
