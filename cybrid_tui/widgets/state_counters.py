"""Customers per state, always on screen; the counters double as the legend of the state quick filters.

"1 storing 3  2 unverified 12  3 verified 40 ...": the number before each state is the key that toggles it as
a filter; toggled states are highlighted. On a narrow terminal the key numbers give way first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.widget import Widget

from cybrid_tui.api.vocab import CUSTOMER_STATES

if TYPE_CHECKING:
    from collections.abc import Mapping

    from rich.console import RenderableType

#: The documented states in lifecycle order; key `n` toggles the n-th one.
STATES = CUSTOMER_STATES


class StateCounters(Widget):
    """One line: a counter per state (over every customer, whatever the filter)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "state-counters--key",
        "state-counters--count",
        "state-counters--active",
        "state-counters--storing",
        "state-counters--unverified",
        "state-counters--verified",
        "state-counters--rejected",
        "state-counters--frozen",
    }

    DEFAULT_CSS = """
    StateCounters {
        height: 1;
    }
    """

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._counts: dict[str, int] = dict.fromkeys(STATES, 0)
        self._active: frozenset[str] = frozenset()

    @property
    def counts(self) -> dict[str, int]:
        return dict(self._counts)

    def update_counts(self, counts: Mapping[str, int], active: frozenset[str]) -> None:
        """Show these counts; `active` are the states the quick filter keeps (highlighted)."""
        fresh = {state: counts.get(state, 0) for state in STATES}
        if fresh != self._counts or active != self._active:
            self._counts = fresh
            self._active = active
            self.refresh()

    def _text(self, *, keys: bool) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        key_style = self.get_component_rich_style("state-counters--key", partial=True)
        count_style = self.get_component_rich_style("state-counters--count", partial=True)
        active_style = self.get_component_rich_style("state-counters--active", partial=True)
        for number, state in enumerate(STATES, start=1):
            if number > 1:
                text.append("  ")
            start = len(text)
            if keys:
                text.append(f"{number} ", key_style)
            text.append(state, self.get_component_rich_style(f"state-counters--{state}", partial=True))
            text.append(f" {self._counts[state]:,}", count_style)
            if state in self._active:
                text.stylize(active_style, start, len(text))
        return text

    def render(self) -> RenderableType:
        text = self._text(keys=True)
        if text.cell_len > self.size.width:
            text = self._text(keys=False)
        return text
