"""The create form's preview of the JSON body it will send, pretty-printed, repainted only when it changed."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from textual.containers import VerticalScroll
from textual.widgets import Static

if TYPE_CHECKING:
    from textual.app import ComposeResult


class BodyPreview(VerticalScroll):
    """A scrolling pane with the request's path as its border title and the body below it."""

    def __init__(self, title: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = title
        self.can_focus = False
        self._text = ""

    def compose(self) -> ComposeResult:
        yield Static(id="preview-json")

    def show(self, body: dict[str, Any]) -> None:
        """Show `body` (a JSON-ready dict); a body equal to the one shown costs no repaint."""
        from rich.json import JSON

        text = json.dumps(body, ensure_ascii=False)
        if text == self._text:
            return
        self._text = text
        pretty = JSON(text, indent=2)
        pretty.text.no_wrap = False  # long values wrap in the narrow pane rather than being cut off
        pretty.text.overflow = "fold"
        self.query_one("#preview-json", Static).update(pretty)
