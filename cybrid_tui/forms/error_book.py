"""Which of the form's errors are on screen: plain bookkeeping, no Textual, so it is unit-tested directly.

An error shows under its field once the person edited the field and left it (a choice shows at once: it is
complete when made), and under every field after a submit. A server refusal is pinned to the fields its
message names until one of them is edited. Identification rows are keyed by position (`id-<row>-<part>`),
so removing a row moves the later rows' marks up one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cybrid_tui.forms.fields import field_name
from cybrid_tui.forms.validators import validate_form
from cybrid_tui.forms.values import field_order, id_key

if TYPE_CHECKING:
    import datetime as dt

    from cybrid_tui.forms.values import FormValues

#: Editing the first key may make the second one's error wrong (a subdivision is checked against the country).
_DEPENDENT = {"country": "subdivision"}


class ErrorBook:
    """What the person touched, and what the server refused; `shown(...)` says which errors to display."""

    def __init__(self) -> None:
        #: Keys whose errors are on screen: fields the person edited and left, or every field after a submit.
        self._shown: set[str] = set()
        self._edited: set[str] = set()
        self._server: dict[str, str] = {}

    def edited(self, key: str) -> None:
        """The person changed this field: a server refusal about it no longer holds."""
        self._edited.add(key)
        self._server.pop(key, None)
        dependent = _DEPENDENT.get(key)
        if dependent is not None:
            self._server.pop(dependent, None)

    def chosen(self, key: str) -> None:
        """A choice was made (a Select): its error shows at once."""
        self._shown.add(key)
        self.edited(key)

    def left(self, key: str) -> bool:
        """The person left this field; True when that reveals its error (it was edited)."""
        if key not in self._edited:
            return False
        self._shown.add(key)
        dependent = _DEPENDENT.get(key)
        if dependent is not None and dependent in self._edited:
            self._shown.add(dependent)
        return True

    def submitted(self, values: FormValues) -> None:
        """A submit: every visible field's error shows, and the last server answer is forgotten."""
        self._server.clear()
        self._shown.update(field_order(values))

    def refused(self, keys: list[str], message: str) -> None:
        """The server refused the create with `message` about these fields."""
        for key in keys:
            self._server[key] = message

    def row_removed(self, index: int) -> None:
        """Identification row `index` is gone: later rows move up one."""
        self._shown = _without_row(self._shown, index)
        self._edited = _without_row(self._edited, index)

    def errors(self, values: FormValues, *, today: dt.date) -> dict[str, str]:
        """Every error of the form now (shown or not), server refusals of visible fields included."""
        errors = validate_form(values, today=today)
        visible = set(field_order(values))
        for key, message in self._server.items():
            if key in visible:
                errors.setdefault(key, message)
        return errors

    def shown(self, errors: dict[str, str]) -> dict[str, str]:
        """The errors to display, out of `errors` (from `errors()`)."""
        shown = {key: message for key, message in errors.items() if key in self._shown}
        shown.update({key: message for key, message in self._server.items() if key in errors})
        return shown


def submit_refusal(errors: dict[str, str]) -> str:
    """The status line after a submit with errors: how many, and the first one in full."""
    first = next(iter(errors))
    count = len(errors)
    noun = "field needs" if count == 1 else "fields need"
    return f"Nothing was sent: {count} {noun} attention. {field_name(first)}: {errors[first]}"


def _row_of(key: str) -> int:
    return int(key.split("-", 2)[1])


def _shift(key: str, removed: int) -> str:
    """The key of a cell once the row `removed` is gone (later rows move up one)."""
    _, index, part = key.split("-", 2)
    row = int(index)
    return id_key(row - 1 if row > removed else row, part)


def _without_row(keys: set[str], index: int) -> set[str]:
    rows = {key for key in keys if key.startswith("id-")}
    return (keys - rows) | {_shift(key, index) for key in rows if _row_of(key) != index}
