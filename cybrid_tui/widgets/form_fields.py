"""Small widgets of the create-customer form: a labelled text field and an identification-number row.

Each keeps its own error line; the screen decides what the errors are (`cybrid_tui.forms.validators`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from cybrid_tui.forms.values import ID_TYPE_LABELS, IdRow

if TYPE_CHECKING:
    from collections.abc import Sequence

    from textual.app import ComposeResult


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
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id or f"field-{key}", classes=classes)
        self.key = key
        self._label = f"{label} *" if required else label
        self._placeholder = placeholder
        self._cursor_blink = cursor_blink
        self._error = ""

    def compose(self) -> ComposeResult:
        with Horizontal(classes="field-line"):
            yield Label(self._label, classes="field-label")
            input_ = Input(placeholder=self._placeholder, id=f"input-{self.key}", compact=True)
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

    def compose(self) -> ComposeResult:
        with Horizontal(classes="id-line"):
            yield Select(
                self.options(self._types),
                prompt="Choose…",
                value=self._row.type if self._row.type in self._types else Select.NULL,
                compact=True,
                classes="id-type",
            )
            country = Input(self._row.country, placeholder="US", compact=True, classes="id-country")
            number = Input(self._row.number, placeholder="Number", compact=True, classes="id-number")
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
        """Offer other types (the customer type changed), keeping the chosen one when it is still offered."""
        select = self.type_select
        chosen = select.value
        select.set_options(self.options(types))
        if isinstance(chosen, str) and chosen in types:
            select.value = chosen

    def show_errors(self, errors: dict[str, str]) -> None:
        """Errors by part (`type`, `country`, `number`); the first one is written under the row."""
        if errors == self._errors:
            return
        self._errors = dict(errors)
        widgets = {"type": self.type_select, "country": self.country_input, "number": self.number_input}
        for part, widget in widgets.items():
            widget.set_class(part in errors, "-invalid")
        message = "; ".join(errors[part] for part in widgets if part in errors)
        self.set_class(bool(message), "-invalid")
        self.query_one(".field-error", Static).update(message)
