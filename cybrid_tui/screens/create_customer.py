"""The create-customer form: a screen that dismisses with the created `Customer`, or None when cancelled.

Layout, top to bottom (tab order follows it): customer type and identity-verification approach (two radio
sets), then, for bank-provided details, the individual's name and date of birth or the business's legal
name, alias and website, contact, address, identification-number rows and, always, labels. The JSON body
that will be sent is previewed on the right as the person types. Errors appear under each field when the
person leaves it (once it was edited) and for every field on submit.

| Key | Action |
| :- | :- |
| ctrl+s | Create the customer (ignored while a request runs) |
| escape, q | Cancel (asks first when anything was typed; in a text field q is just a letter) |
| f2 | Show or hide the JSON preview |
| ctrl+n | Add an identification number (✕ on a row removes it) |

Creating runs in a worker through `SafeCreator`, so a retry after a lost answer never creates the customer
twice (see `cybrid_tui.api.safe_create`). Import-light: models and httpx are only imported when creating.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Select, Static

from cybrid_tui.api.safe_create import SafeCreator
from cybrid_tui.forms.builder import preview_body
from cybrid_tui.forms.server_errors import fields_for_message
from cybrid_tui.forms.validators import MAX_ID_ROWS, MAX_USER_LABELS, validate_form
from cybrid_tui.forms.values import FormValues, IdRow, field_order, id_key, id_types_for
from cybrid_tui.paths import stylesheet
from cybrid_tui.screens.discard_changes import DiscardChangesScreen
from cybrid_tui.widgets.footer import Footer
from cybrid_tui.widgets.form_fields import FormField, IdentificationRow

if TYPE_CHECKING:
    import datetime as dt

    from textual.app import ComposeResult
    from textual.widget import Widget

    from cybrid_tui.api.models import Customer, PostCustomer  # noqa: F401 (Customer: the Screen's result)
    from cybrid_tui.api.safe_create import CreateResult, CustomerApi
    from cybrid_tui.clock import Clock
    from cybrid_tui.forms.values import Approach, CustomerKind

KINDS: tuple[CustomerKind, ...] = ("individual", "business")
APPROACHES: tuple[Approach, ...] = ("platform", "details")
NOTES: dict[str, str] = {
    "platform": (
        "No identity details are sent, only the type and labels: Cybrid gathers them later, in an identity "
        "verification."
    ),
    "details": "The bank did its own KYC: enter the customer's details. * marks a required field.",
}
LABEL_HINT = (
    f"Comma separated, up to {MAX_USER_LABELS}: the 8th label is the tag that guards against duplicates."
)
FIELD_NAMES: dict[str, str] = {
    "first_name": "First name",
    "middle_name": "Middle name",
    "last_name": "Last name",
    "date_of_birth": "Date of birth",
    "legal_name": "Legal name",
    "alias": "Alias",
    "website": "Website",
    "email": "Email",
    "phone": "Phone",
    "street": "Street",
    "street2": "Street 2",
    "city": "City",
    "subdivision": "Subdivision",
    "postal_code": "Postal code",
    "country": "Country",
    "labels": "Labels",
    "identification": "Identification numbers",
}


class CreateCustomerScreen(Screen["Customer | None"]):
    """Create an individual or a business customer, through Cybrid's KYC or with the bank's own details."""

    CSS_PATH = str(stylesheet("create_customer.tcss"))
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Create", priority=True, tooltip="Send the form to Cybrid"),
        Binding(
            "escape", "cancel", "Cancel", tooltip="Leave without creating (asks when anything was typed)"
        ),
        # The app's `q` quits: on the form it leaves the form instead, asking first, so no input is lost.
        Binding("q", "cancel", "Cancel", show=False),
        Binding("f2", "toggle_preview", "Preview", tooltip="Show or hide the JSON body"),
        Binding("ctrl+n", "add_id", "Add ID", tooltip="Add an identification-number row"),
    ]

    class CreateSucceeded(Message):
        def __init__(self, result: CreateResult) -> None:
            super().__init__()
            self.result = result

    class CreateFailed(Message):
        def __init__(self, error: Exception, *, uncertain: bool) -> None:
            super().__init__()
            self.error = error
            self.uncertain = uncertain

    def __init__(
        self,
        *,
        client: CustomerApi,
        clock: Clock,
        tag: str | None = None,
        cursor_blink: bool | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._clock = clock
        #: One creator, hence one duplicate-protection tag, for the life of the form: retries reuse it.
        self._creator = SafeCreator(client, tag=tag)
        self._cursor_blink = cursor_blink
        self._kind: CustomerKind = "individual"
        self._approach: Approach = "platform"
        self._busy = False
        #: Keys whose errors are on screen: fields the person edited and left, or every field after a submit.
        self._shown: set[str] = set()
        self._edited: set[str] = set()
        self._server_errors: dict[str, str] = {}
        self._rows_made = 0
        self._preview_text = ""

    @property
    def tag(self) -> str:
        return self._creator.tag

    @property
    def busy(self) -> bool:
        return self._busy

    # ------------------------------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        blink = self._blink()
        yield Static("New customer", id="title")
        with Horizontal(id="body"):
            with VerticalScroll(id="form"):
                with Horizontal(id="choices"):
                    with Vertical(classes="choice", id="kind-choice"):
                        yield Label("Customer type", classes="choice-label")
                        yield RadioSet(
                            RadioButton("Individual", value=True, id="kind-individual"),
                            RadioButton("Business", id="kind-business"),
                            id="kind",
                            compact=True,
                        )
                    with Vertical(classes="choice"):
                        yield Label("Identity verification", classes="choice-label")
                        yield RadioSet(
                            RadioButton("Cybrid platform KYC", value=True, id="approach-platform"),
                            RadioButton("Bank-provided details", id="approach-details"),
                            id="approach",
                            compact=True,
                        )
                yield Static(NOTES["platform"], id="approach-note")
                with Vertical(id="details", classes="-individual"):
                    with Vertical(id="individual", classes="group"):
                        yield Static("Name", classes="section")
                        yield FormField("first_name", "First name", required=True, cursor_blink=blink)
                        yield FormField("middle_name", "Middle name", cursor_blink=blink)
                        yield FormField("last_name", "Last name", required=True, cursor_blink=blink)
                        yield FormField(
                            "date_of_birth",
                            "Date of birth",
                            placeholder="YYYY-MM-DD",
                            required=True,
                            cursor_blink=blink,
                        )
                    with Vertical(id="business", classes="group"):
                        yield Static("Business", classes="section")
                        yield FormField("legal_name", "Legal name", required=True, cursor_blink=blink)
                        yield FormField("alias", "Alias", placeholder="Trading name", cursor_blink=blink)
                        yield FormField("website", "Website", placeholder="example.com", cursor_blink=blink)
                    yield Static("Contact", classes="section")
                    yield FormField(
                        "email", "Email", placeholder="name@example.com", required=True, cursor_blink=blink
                    )
                    yield FormField("phone", "Phone", placeholder="+1 415 555 2671", cursor_blink=blink)
                    yield Static("Address", classes="section")
                    yield FormField("street", "Street", required=True, cursor_blink=blink)
                    yield FormField("street2", "Street 2", cursor_blink=blink)
                    yield FormField("city", "City", required=True, cursor_blink=blink)
                    yield FormField(
                        "subdivision", "Subdivision", placeholder="CA (ISO 3166-2)", cursor_blink=blink
                    )
                    yield FormField("postal_code", "Postal code", cursor_blink=blink)
                    yield FormField(
                        "country", "Country", placeholder="US (ISO 3166)", required=True, cursor_blink=blink
                    )
                    yield Static("Identification numbers *", classes="section")
                    with Horizontal(id="id-header"):
                        yield Label("Type", classes="id-type")
                        yield Label("Issuer", classes="id-country")
                        yield Label("Number", classes="id-number")
                    with Vertical(id="id-rows"):
                        yield self._new_row()
                    yield Button("+ Add identification number", id="add-id", compact=True)
                    yield Static("", id="id-error", classes="field-error", markup=False)
                yield Static("Labels", classes="section")
                yield FormField("labels", "Labels", placeholder="vip, imported", cursor_blink=blink)
                yield Static(LABEL_HINT, id="labels-hint", classes="hint")
            with VerticalScroll(id="preview"):
                yield Static(id="preview-json")
        yield Static("", id="status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#form", VerticalScroll).can_focus = False
        preview = self.query_one("#preview", VerticalScroll)
        preview.border_title = "POST /api/customers"
        preview.can_focus = False
        self._apply_choices()
        self._update_preview()
        self.query_one("#kind", RadioSet).focus()

    def _blink(self) -> bool:
        if self._cursor_blink is not None:
            return self._cursor_blink
        return bool(getattr(self.app, "cursor_blink", True))  # CybridApp(cursor_blink=False) in snapshots

    def _new_row(self, row: IdRow | None = None) -> IdentificationRow:
        self._rows_made += 1
        return IdentificationRow(
            id_types_for(self._kind), row, cursor_blink=self._blink(), id=f"id-row-{self._rows_made}"
        )

    # ------------------------------------------------------------------------------------------ values

    def _rows(self) -> list[IdentificationRow]:
        return list(self.query(IdentificationRow))

    def values(self) -> FormValues:
        """What is on the form now."""
        texts: dict[str, Any] = {field.key: field.input.value for field in self.query(FormField)}
        return FormValues(
            kind=self._kind,
            approach=self._approach,
            identification=tuple(row.value for row in self._rows()),
            **texts,
        )

    def _today(self) -> dt.date:
        return self._clock.now().date()

    def _key_of(self, widget: Widget) -> str | None:
        """The validation key of an input or select on the form."""
        for ancestor in widget.ancestors_with_self:
            if isinstance(ancestor, FormField):
                return ancestor.key
            if isinstance(ancestor, IdentificationRow):
                index = self._rows().index(ancestor)
                for part in ("type", "country", "number"):
                    if widget.has_class(f"id-{part}"):
                        return id_key(index, part)
                return None
        return None

    def _widget_for(self, key: str) -> Widget | None:
        if key == "identification":
            return self.query_one("#add-id", Button)
        if key.startswith("id-"):
            _, index, part = key.split("-", 2)
            rows = self._rows()
            if int(index) >= len(rows):
                return self.query_one("#add-id", Button)
            row = rows[int(index)]
            parts: dict[str, Widget] = {
                "type": row.type_select,
                "country": row.country_input,
                "number": row.number_input,
            }
            return parts[part]
        fields = [field for field in self.query(FormField) if field.key == key]
        return fields[0].input if fields else None

    # ------------------------------------------------------------------------------------------ events

    @on(RadioSet.Changed)
    def _choice_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        if event.radio_set.id == "kind":
            self._kind = KINDS[event.index]
            for row in self._rows():
                row.set_types(id_types_for(self._kind))
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
        self.query_one("#approach-note", Static).update(NOTES[self._approach])

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._edited_key(self._key_of(event.input))

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        event.stop()
        key = self._key_of(event.select)
        if key is not None:
            self._shown.add(key)  # a choice is complete when made: no need to wait for the blur
        self._edited_key(key)

    def _edited_key(self, key: str | None) -> None:
        if key is not None:
            self._edited.add(key)
            self._server_errors.pop(key, None)
            if key == "country":
                self._server_errors.pop("subdivision", None)
        self._refresh()

    @on(Input.Blurred)
    def _input_left(self, event: Input.Blurred) -> None:
        key = self._key_of(event.input)
        if key is not None and key in self._edited:
            self._shown.add(key)
            if key == "country" and "subdivision" in self._edited:
                self._shown.add("subdivision")
            self._render_errors()

    @on(Button.Pressed, "#add-id")
    async def _add_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        await self.action_add_id()

    @on(Button.Pressed, ".id-remove")
    def _remove_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        for ancestor in event.button.ancestors:
            if isinstance(ancestor, IdentificationRow):
                self._remove_row(ancestor)
                return

    # ------------------------------------------------------------------------------------------ rows

    async def action_add_id(self) -> None:
        if self._approach != "details":
            self.notify("Identification numbers belong to bank-provided details.", severity="warning")
            return
        if len(self._rows()) >= MAX_ID_ROWS:
            self.notify(f"At most {MAX_ID_ROWS} identification numbers.", severity="warning")
            return
        row = self._new_row()
        await self.query_one("#id-rows", Vertical).mount(row)
        row.type_select.focus()
        self._refresh()

    def _remove_row(self, row: IdentificationRow) -> None:
        rows = self._rows()
        index = rows.index(row)
        self._shown = {key for key in self._shown if not key.startswith("id-")} | {
            _shift(key, index) for key in self._shown if key.startswith("id-") and _row_of(key) != index
        }
        self._edited = {key for key in self._edited if not key.startswith("id-")} | {
            _shift(key, index) for key in self._edited if key.startswith("id-") and _row_of(key) != index
        }
        later = rows[index + 1 :]
        target: Widget = later[0].type_select if later else self.query_one("#add-id", Button)
        row.remove()
        target.focus()
        self.call_after_refresh(self._refresh)

    # ------------------------------------------------------------------------------------------ display

    def _refresh(self) -> None:
        self._update_preview()
        self._render_errors()

    def _update_preview(self) -> None:
        import json

        from rich.json import JSON

        text = json.dumps(preview_body(self.values(), tag=self.tag), ensure_ascii=False)
        if text != self._preview_text:
            self._preview_text = text
            pretty = JSON(text, indent=2)
            pretty.text.no_wrap = False  # long values wrap in the narrow pane rather than being cut off
            pretty.text.overflow = "fold"
            self.query_one("#preview-json", Static).update(pretty)

    def _errors(self) -> dict[str, str]:
        values = self.values()
        errors = validate_form(values, today=self._today())
        visible = set(field_order(values))
        for key, message in self._server_errors.items():
            if key in visible:
                errors.setdefault(key, message)
        return errors

    def _render_errors(self, errors: dict[str, str] | None = None) -> None:
        errors = self._errors() if errors is None else errors
        shown = {key: message for key, message in errors.items() if key in self._shown}
        shown.update({key: message for key, message in self._server_errors.items() if key in errors})
        for field in self.query(FormField):
            field.show_error(shown.get(field.key))
        for index, row in enumerate(self._rows()):
            row.show_errors(
                {
                    part: shown[id_key(index, part)]
                    for part in ("type", "country", "number")
                    if id_key(index, part) in shown
                }
            )
        id_error = shown.get("identification", "")
        static = self.query_one("#id-error", Static)
        if str(static.content) != id_error:
            static.update(id_error)
            static.set_class(bool(id_error), "-shown")

    def _set_status(self, message: str, kind: str = "") -> None:
        status = self.query_one("#status", Static)
        status.update(message)
        for name in ("-error", "-busy", "-warning"):
            status.set_class(name == kind, name)
        status.set_class(bool(message), "-shown")

    def _focus_key(self, key: str) -> None:
        widget = self._widget_for(key)
        if widget is not None:
            widget.focus()

    # ------------------------------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("submit", "add_id") and self._busy:
            return False
        if action == "add_id" and self._approach != "details":
            return None  # shown dimmed: only bank-provided details have identification numbers
        return True

    def action_toggle_preview(self) -> None:
        self.toggle_class("-no-preview")

    def action_submit(self) -> None:
        if self._busy:
            return  # a second ctrl+s while creating must not send a second request
        values = self.values()
        self._server_errors.clear()
        self._shown.update(field_order(values))
        errors = self._errors()
        self._render_errors(errors)
        if errors:
            first = next(iter(errors))
            self._focus_key(first)
            count = len(errors)
            noun = "field needs" if count == 1 else "fields need"
            self._set_status(
                f"Nothing was sent: {count} {noun} attention. {_field_name(first)}: {errors[first]}", "-error"
            )
            return
        from pydantic import ValidationError

        from cybrid_tui.forms.builder import build_post_customer

        try:
            body = build_post_customer(values, tag=self.tag)
        except ValidationError as error:  # validators and schema disagree: a bug, but never a crash
            self._set_status(
                f"Nothing was sent: the request is not valid ({error.error_count()} errors).", "-error"
            )
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
            self.post_message(self.CreateFailed(error, uncertain=self._creator.uncertain))
        else:
            self.post_message(self.CreateSucceeded(result))

    @on(CreateSucceeded)
    def _created(self, message: CreateSucceeded) -> None:
        result = message.result
        self._busy = False
        customer = result.customer
        if result.others:
            guids = ", ".join(other.guid[:8] for other in result.others)
            self.app.notify(
                f"A late request also created {guids} with the same tag {self.tag}: "
                "check the table and remove the duplicate.",
                title="Possible duplicate",
                severity="warning",
                timeout=30,
            )
        elif result.recovered:
            self.app.notify(
                f"The earlier attempt had reached Cybrid: customer {customer.guid[:8]} was created once "
                "and nothing was sent again.",
                title="Found the customer",
            )
        self.dismiss(customer)

    @on(CreateFailed)
    def _failed(self, message: CreateFailed) -> None:
        from cybrid_tui.api.errors import (
            APIStatusError,
            CybridError,
            RateLimitError,
            TransportError,
        )

        self._busy = False
        self.remove_class("-busy")
        self.refresh_bindings()
        error = message.error
        values = self.values()
        if message.uncertain:
            title = error.title if isinstance(error, CybridError) else "Unexpected error"
            text = error.error_message if isinstance(error, CybridError) else type(error).__name__
            self._set_status(
                f"{title}: {text}. The request may have reached Cybrid. ctrl+s retries safely: the form "
                f"first looks for a customer tagged {self.tag}, so it is never created twice.",
                "-warning",
            )
            return
        if isinstance(error, RateLimitError):
            wait = f" in {error.retry_after:g} s" if error.retry_after else " in a moment"
            self._set_status(
                f"Rate limited: nothing was created. Press ctrl+s to try again{wait}.", "-warning"
            )
            return
        if isinstance(error, TransportError):
            self._set_status(
                f"{error.title}: {error.error_message}. Nothing reached Cybrid; ctrl+s tries again.", "-error"
            )
            return
        if isinstance(error, APIStatusError):
            keys = fields_for_message(error.error_message, values)
            for key in keys:
                self._server_errors[key] = error.error_message
            hint = ""
            if not values.details and error.message_code == "missing_parameter":
                hint = " This bank needs the customer's details: choose “Bank-provided details”."
            self._set_status(f"{error.title}: {error.error_message}.{hint}", "-error")
            self._render_errors()
            if keys:
                self._focus_key(keys[0])
            return
        text = str(error) if isinstance(error, CybridError) else type(error).__name__
        self._set_status(f"Could not create the customer: {text}", "-error")

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


def _field_name(key: str) -> str:
    if key.startswith("id-"):
        _, index, part = key.split("-", 2)
        return f"Identification number {int(index) + 1} ({part})"
    return FIELD_NAMES.get(key, key)


def _row_of(key: str) -> int:
    return int(key.split("-", 2)[1])


def _shift(key: str, removed: int) -> str:
    """The key of a cell once the row `removed` is gone (later rows move up one)."""
    _, index, part = key.split("-", 2)
    row = int(index)
    return id_key(row - 1 if row > removed else row, part)
