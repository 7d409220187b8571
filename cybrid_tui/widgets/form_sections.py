"""The sections of the create-customer form: the two choices, titled groups of text fields, the identification
numbers.

`FieldSection` composes its fields from a `cybrid_tui.forms.fields.SectionSpec` (person, business, contact,
address, labels). `IdentificationSection` owns the identification-number rows: adding, removing (its ✕
buttons), the types offered, the errors under each row, and the mapping between a row's cells and their
error keys (`id-<row>-<part>`). Both mask personal data on request (`set_masked`) without touching values.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Label, RadioButton, RadioSet, Static

from cybrid_tui.forms.values import id_key
from cybrid_tui.widgets.form_fields import FormField, IdentificationRow

if TYPE_CHECKING:
    from collections.abc import Sequence

    from textual.app import ComposeResult
    from textual.widget import Widget

    from cybrid_tui.forms.fields import SectionSpec

ID_PARTS = ("type", "country", "number")


def field_key(widget: Widget) -> str | None:
    """The validation key of an input or select of the form (a text field's, or a cell of an ID row)."""
    for ancestor in widget.ancestors_with_self:
        if isinstance(ancestor, FormField):
            return ancestor.key
        if isinstance(ancestor, IdentificationSection):
            return ancestor.key_of(widget)
    return None


def field_widget(form: Widget, identification: IdentificationSection, key: str) -> Widget | None:
    """The input or select that validation key names on `form` (None when there is none)."""
    if key == "identification" or key.startswith("id-"):
        return identification.widget_for(key)
    found = [field for field in form.query(FormField) if field.key == key]
    return found[0].input if found else None


class FieldSection(Vertical):
    """A section title and its text fields, as described by a `SectionSpec`."""

    def __init__(
        self, spec: SectionSpec, *, cursor_blink: bool = True, hint: str = "", hint_id: str | None = None
    ) -> None:
        super().__init__(id=spec.id, classes="group")
        self.spec = spec
        self._cursor_blink = cursor_blink
        self._hint = hint
        self._hint_id = hint_id

    def compose(self) -> ComposeResult:
        yield Static(self.spec.title, classes="section")
        for field in self.spec.fields:
            yield FormField(
                field.key,
                field.label,
                placeholder=field.placeholder,
                required=field.required,
                cursor_blink=self._cursor_blink,
                paste_joiner=field.paste_joiner,
            )
        if self._hint:
            yield Static(self._hint, id=self._hint_id, classes="hint")

    def set_masked(self, masked: bool) -> None:
        """Show the personal fields' text as bullets (True) or as typed; values are kept either way."""
        personal = {spec.key for spec in self.spec.fields if spec.pii}
        for field in self.query(FormField):
            if field.key in personal:
                field.input.password = masked


class IdentificationSection(Vertical):
    """The identification-number rows, the button that adds one, and the error about the rows as a whole."""

    class RowRemoved(Message):
        """Row `index` was removed with its ✕ button (later rows moved up one)."""

        def __init__(self, section: IdentificationSection, index: int) -> None:
            super().__init__()
            self.section = section
            self.index = index

        @property
        def control(self) -> IdentificationSection:
            return self.section

    def __init__(self, types: Sequence[str], *, cursor_blink: bool = True) -> None:
        super().__init__(id="identification", classes="group")
        self._types = tuple(types)
        self._cursor_blink = cursor_blink
        self._rows_made = 0
        self._masked = False

    def compose(self) -> ComposeResult:
        yield Static("Identification numbers *", classes="section")
        with Horizontal(id="id-header"):
            yield Label("Type", classes="id-type")
            yield Label("Issuer", classes="id-country")
            yield Label("Number", classes="id-number")
        with Vertical(id="id-rows"):
            yield self._new_row()
        # The screen's action: it knows whether rows may be added (bank-provided details, at most a few).
        yield Button("+ Add identification number", id="add-id", compact=True, action="screen.add_id")
        yield Static("", id="id-error", classes="field-error", markup=False)

    def _new_row(self) -> IdentificationRow:
        self._rows_made += 1
        return IdentificationRow(self._types, cursor_blink=self._cursor_blink, id=f"id-row-{self._rows_made}")

    @property
    def rows(self) -> list[IdentificationRow]:
        return list(self.query(IdentificationRow))

    async def add_row(self) -> IdentificationRow:
        """A new empty row at the end, masked like the others."""
        row = self._new_row()
        await self.query_one("#id-rows", Vertical).mount(row)
        row.number_input.password = self._masked
        return row

    def set_types(self, types: Sequence[str]) -> None:
        """Offer the types of another customer type (a chosen type still offered is kept)."""
        self._types = tuple(types)
        for row in self.rows:
            row.set_types(self._types)

    def set_masked(self, masked: bool) -> None:
        """Show the numbers as bullets (True) or as typed; values are kept either way."""
        self._masked = masked
        for row in self.rows:
            row.number_input.password = masked

    @on(Button.Pressed, ".id-remove")
    def _remove_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        for ancestor in event.button.ancestors:
            if isinstance(ancestor, IdentificationRow):
                rows = self.rows
                index = rows.index(ancestor)
                later = rows[index + 1 :]
                target: Widget = later[0].type_select if later else self.query_one("#add-id", Button)
                ancestor.remove()
                target.focus()
                self.post_message(self.RowRemoved(self, index))
                return

    def key_of(self, widget: Widget) -> str | None:
        """The error key of a cell of one of the rows (None for anything else)."""
        for ancestor in widget.ancestors_with_self:
            if isinstance(ancestor, IdentificationRow):
                index = self.rows.index(ancestor)
                for part in ID_PARTS:
                    if widget.has_class(f"id-{part}"):
                        return id_key(index, part)
                return None
        return None

    def widget_for(self, key: str) -> Widget:
        """The cell an error key names (the add button for the rows as a whole or a row no longer there)."""
        add = self.query_one("#add-id", Button)
        if not key.startswith("id-"):
            return add
        _, index, part = key.split("-", 2)
        rows = self.rows
        if int(index) >= len(rows):
            return add
        row = rows[int(index)]
        parts: dict[str, Widget] = {
            "type": row.type_select,
            "country": row.country_input,
            "number": row.number_input,
        }
        return parts[part]

    def show_errors(self, shown: dict[str, str]) -> None:
        """Write the errors (by key) under their rows, and the one about the rows as a whole."""
        for index, row in enumerate(self.rows):
            row.show_errors(
                {part: shown[id_key(index, part)] for part in ID_PARTS if id_key(index, part) in shown}
            )
        id_error = shown.get("identification", "")
        static = self.query_one("#id-error", Static)
        if str(static.content) != id_error:
            static.update(id_error)
            static.set_class(bool(id_error), "-shown")


class CustomerChoices(Vertical):
    """The customer type and identity-verification approach (two radio sets) and a note on the approach.

    The radio sets' own `RadioSet.Changed` reach the screen (ids `kind` and `approach`)."""

    def __init__(self, *, note: str) -> None:
        super().__init__(id="choices-section", classes="group")
        self._note = note

    def compose(self) -> ComposeResult:
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
        yield Static(self._note, id="approach-note")

    def show_note(self, note: str) -> None:
        self.query_one("#approach-note", Static).update(note)
