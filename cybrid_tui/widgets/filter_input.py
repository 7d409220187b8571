"""The filter box of the customers screen: an `Input` that reports each new value as it is typed.

A plain `Input` posts `Input.Changed`, which the screen handles only after the Input has repainted with the
new letter: the letter and the filtered table then land in two frames, a frame (~16 ms) apart. This one calls
`on_value` from its value watcher, within the keystroke's own handling, so the table is filtered before the
next frame and both appear together. `Input.Changed` is still posted, as by any Input.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.widgets import Input

if TYPE_CHECKING:
    from collections.abc import Callable


class FilterInput(Input):
    """An `Input` that calls `on_value(value)` synchronously whenever its value changes."""

    def __init__(self, on_value: Callable[[str], None], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._on_value = on_value

    def watch_value(self, value: str) -> None:
        self._on_value(value)
