"""Small widgets of the create-customer form: a labelled text field and an identification-number row.

Each keeps its own error line; the screen decides what the errors are (`cybrid_tui.forms.validators`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from cybrid_tui.forms.values import ID_TYPE_LABELS, IdRow

if TYPE_CHECKING:
    from collections.abc import Sequence

    from textual import events
    from textual.app import ComposeResult
    from textual.widget import Widget

#: Where each cell's error starts under an identification row when the row is not laid out yet: the Type
#: select is 21 cells wide, the Issuer 7, with a margin of 1 each side (styles/create_customer.tcss).
ID_ERROR_COLUMNS = {"type": 0, "country": 22, "number": 31}


def joined_paste(text: str, joiner: str = " ") -> str:
    """A pasted text on one line: its lines joined by `joiner` (a space; ", " for labels), blank lines and the
    joiner's own trailing separators dropped, so nothing pasted is lost and nothing is doubled."""
    trim = " \t" + joiner.strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    # A line that already ends with the separator ("alpha,") does not get a second one.
    parts = [line.rstrip(trim) for line in lines[:-1]] + lines[-1:]
    return joiner.join(part for part in parts if part)


class FormInput(Input):
    """A compact input that keeps every line of a paste (Textual's `Input` keeps only the first)."""

    def __init__(self, *args: Any, joiner: str = " ", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.joiner = joiner

    def _on_paste(self, event: events.Paste) -> None:
        if event.text:
            text = joined_paste(event.text, self.joiner)
            if self.selection.is_empty:
                self.insert_text_at_cursor(text)
            else:
                self.replace(text, *self.selection)
        event.stop()
        event.prevent_default()  # Input's own handler would paste the first line again


class FormField(Vertical):
    """A label, a compact input and, below it, the field's error message (hidden while there is none)."""

    def __init__(
        self,
        key: str,
        label: str,
        *,
        placeholder: str = "",
        required: bool = False,
        cursor_blink: bool = True,
        paste_joiner: str = " ",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id or f"field-{key}", classes=classes)
        self.key = key
        self._joiner = paste_joiner
        self._label = f"{label} *" if required else label
        self._placeholder = placeholder
        self._cursor_blink = cursor_blink
        self._error = ""

    def compose(self) -> ComposeResult:
        with Horizontal(classes="field-line"):
            yield Label(self._label, classes="field-label")
            input_ = FormInput(
                placeholder=self._placeholder, id=f"input-{self.key}", compact=True, joiner=self._joiner
            )
            input_.cursor_blink = self._cursor_blink
            yield input_
        yield Static("", classes="field-error", markup=False)

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    def show_error(self, message: str | None) -> None:
        if (message or "") == self._error:
            return  # nothing to redraw: this runs for every field on every keystroke
        self._error = message or ""
        self.set_class(bool(message), "-invalid")
        self.input.set_class(bool(message), "-invalid")
        self.query_one(".field-error", Static).update(message or "")


class IdentificationRow(Vertical):
    """One identification number: type, issuing country, number, and a button that removes the row."""

    def __init__(
        self,
        types: Sequence[str],
        row: IdRow | None = None,
        *,
        cursor_blink: bool = True,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id, classes="id-row")
        self._types = tuple(types)
        self._row = row or IdRow()
        self._cursor_blink = cursor_blink
        self._errors: dict[str, str] = {}
        #: The type chosen for each set of types offered (per customer type): switching back restores it.
        self._chosen: dict[tuple[str, ...], str] = {}

    def compose(self) -> ComposeResult:
        with Horizontal(classes="id-line"):
            yield Select(
                self.options(self._types),
                prompt="Choose…",
                value=self._row.type if self._row.type in self._types else Select.NULL,
                compact=True,
                classes="id-type",
            )
            # "e.g. US", not "US": a placeholder that reads like a value looks filled in.
            country = FormInput(self._row.country, placeholder="e.g. US", compact=True, classes="id-country")
            number = FormInput(self._row.number, placeholder="Number", compact=True, classes="id-number")
            for input_ in (country, number):
                input_.cursor_blink = self._cursor_blink
            yield country
            yield number
            yield Button("✕", compact=True, classes="id-remove", tooltip="Remove this identification number")
        yield Static("", classes="field-error", markup=False)

    @staticmethod
    def options(types: Sequence[str]) -> list[tuple[str, str]]:
        return [(ID_TYPE_LABELS.get(kind, kind), kind) for kind in types]

    @property
    def type_select(self) -> Select[str]:
        return self.query_one(".id-type", Select)

    @property
    def country_input(self) -> Input:
        return self.query_one(".id-country", Input)

    @property
    def number_input(self) -> Input:
        return self.query_one(".id-number", Input)

    @property
    def value(self) -> IdRow:
        chosen = self.type_select.value
        return IdRow(
            type=chosen if isinstance(chosen, str) else "",
            country=self.country_input.value,
            number=self.number_input.value,
        )

    def set_types(self, types: Sequence[str]) -> None:
        """Offer other types (the customer type changed), keeping the chosen one when it is still offered
        and bringing back the one chosen for these types before (individual -> business -> individual)."""
        select = self.type_select
        chosen = select.value
        if isinstance(chosen, str):
            self._chosen[self._types] = chosen
        else:
            self._chosen.pop(self._types, None)
        self._types = tuple(types)
        select.set_options(self.options(types))
        if isinstance(chosen, str) and chosen in types:
            select.value = chosen
        elif self._chosen.get(self._types) in types:
            select.value = self._chosen[self._types]

    def show_errors(self, errors: dict[str, str]) -> None:
        """Errors by part (`type`, `country`, `number`), written under the row from the column of the first
        cell in error ("Required" under Issuer, not under Type)."""
        if errors == self._errors:
            return
        self._errors = dict(errors)
        widgets: dict[str, Widget] = {
            "type": self.type_select,
            "country": self.country_input,
            "number": self.number_input,
        }
        for part, widget in widgets.items():
            widget.set_class(part in errors, "-invalid")
        message = "; ".join(errors[part] for part in widgets if part in errors)
        self.set_class(bool(message), "-invalid")
        first = next((part for part in widgets if part in errors), "type")
        cell = widgets[first]
        column = cell.region.x - self.content_region.x if cell.region.width else ID_ERROR_COLUMNS[first]
        error = self.query_one(".field-error", Static)
        error.styles.padding = (0, 0, 0, max(0, column))
        error.update(message)
