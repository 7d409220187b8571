"""The customers screen's filters: the text filter (opened with `/`), the quick filters and their summary.

Holds what is filtered (text, states, types) and shows it: the `/` line while filtering and, under it, one
line that says every filter in force ("Filtered by text "ada", state verified  (esc clears)"). The screen
applies the filters to the store from `on_change`, a plain callback rather than a message: typing, filtering
and repainting then happen within one keystroke's handling, so the letter and the filtered table land in
the same frame (see `cybrid_tui.widgets.filter_input`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from textual.app import ComposeResult

PLACEHOLDER = "type to filter: guid, name, label, type or state (enter keeps, esc clears)"


class Filters(NamedTuple):
    """Every filter in force."""

    text: str = ""
    states: frozenset[str] = frozenset()
    types: frozenset[str] = frozenset()

    @property
    def active(self) -> bool:
        return bool(self.text or self.states or self.types)


def summary(filters: Filters, states_order: Sequence[str]) -> str:
    """The summary line ("" when nothing is filtered)."""
    parts = []
    if filters.text.strip():
        parts.append(f'text "{filters.text.strip()}"')
    if filters.states:
        parts.append("state " + " or ".join(state for state in states_order if state in filters.states))
    if filters.types:
        parts.append("type " + " or ".join(sorted(filters.types)))
    return "Filtered by " + ", ".join(parts) + "  (esc clears)" if parts else ""


class FilterBar(Vertical):
    """The `/` line (shown while filtering, class `-open`) and the summary line (shown while filtered)."""

    DEFAULT_CSS = """
    FilterBar {
        height: auto;
    }
    """

    def __init__(
        self,
        on_change: Callable[[Filters], None],
        *,
        states: Sequence[str],
        types: Sequence[str],
        cursor_blink: bool = True,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._on_change = on_change
        self._state_order = tuple(states)
        self._type_cycle = tuple(types)
        self._cursor_blink = cursor_blink
        self._filters = Filters()
        self._summary_text = ""

    def compose(self) -> ComposeResult:
        with Horizontal(id="filter-bar"):
            # The Input is mounted on the first `/`: one widget less to style before the first frame.
            yield Label("/", id="filter-prompt")
        # Not markup: the summary quotes what was typed, and "[/" would be a markup error (a crash).
        yield Static("", id="filter-summary", markup=False)

    @property
    def filters(self) -> Filters:
        return self._filters

    @property
    def input(self) -> Input | None:
        """The text filter's input (None until the first `/`)."""
        found = self.query("#filter-input")
        return found.first(Input) if found else None

    def _set(self, filters: Filters) -> None:
        if filters == self._filters:
            return
        self._filters = filters
        text = summary(filters, self._state_order)
        if text and text != self._summary_text:
            # One line whatever the text: only appearing needs a layout pass (the class change does it).
            self.query_one("#filter-summary", Static).update(text, layout=False)
            self._summary_text = text
        self.query_one("#filter-summary").set_class(bool(text), "-active")
        self._on_change(filters)

    async def open(self) -> None:
        """Show the `/` line and focus the text filter."""
        self.add_class("-open")
        filter_input = self.input
        if filter_input is None:
            from cybrid_tui.widgets.filter_input import FilterInput

            # Filters as each key is handled, so the letter and the filtered table share one frame.
            filter_input = FilterInput(
                self._typed, placeholder=PLACEHOLDER, id="filter-input", select_on_focus=False
            )
            filter_input.cursor_blink = self._cursor_blink
            await self.query_one("#filter-bar").mount(filter_input)
        filter_input.focus()

    def close(self) -> None:
        """Leave the text filter: the `/` line stays while it holds text."""
        self.set_class(bool(self._filters.text), "-open")

    def _typed(self, value: str) -> None:
        self._set(self._filters._replace(text=value))

    def toggle_state(self, state: str) -> None:
        self._set(self._filters._replace(states=self._filters.states ^ {state}))

    def cycle_type(self) -> None:
        """All types, then each type in turn, then all again."""
        types = self._filters.types
        cycle = self._type_cycle
        index = cycle.index(next(iter(types))) + 1 if len(types) == 1 else 0
        chosen = frozenset({cycle[index]}) if not types or index < len(cycle) else frozenset()
        self._set(self._filters._replace(types=chosen))

    def clear_quick(self) -> None:
        self._set(self._filters._replace(states=frozenset(), types=frozenset()))

    def clear(self) -> bool:
        """`escape`: in the text filter, empty it (or leave it when empty); elsewhere clear every filter.
        True when the text filter was left (the screen moves the focus back)."""
        filter_input = self.input
        if filter_input is not None and filter_input.has_focus:
            if filter_input.value:
                filter_input.value = ""  # the value watcher clears the text filter
                self._set(self._filters._replace(text=""))
            self.close()
            return True
        if not self._filters.active:
            return False
        if filter_input is not None:
            with filter_input.prevent(Input.Changed):
                filter_input.value = ""
        self._set(Filters())
        self.remove_class("-open")
        return False
