"""The key footer, rebuilt only when the keys it shows change.

Textual's `Footer` removes and re-mounts all of its keys (about 8 ms, styles included) on every
`bindings_updated_signal`, and a screen sends several of those in its first tenth of a second (focus set,
screen pushed, bindings refreshed), all showing the same keys. On the customers screen that work competes
with the thread that imports the HTTP client, so it delays the first rows. This footer rebuilds once per
burst of signals, and not at all when the keys, their labels and whether they are enabled are unchanged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual.binding import Binding
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey

if TYPE_CHECKING:
    from collections.abc import Hashable

    from textual import events
    from textual.app import ComposeResult
    from textual.screen import Screen

#: Keys the footer never drops for want of room: how to get help, and how to leave.
ESSENTIAL_ACTIONS = frozenset({"help", "quit"})


class Footer(TextualFooter):
    """`textual.widgets.Footer` without the rebuilds that would show the same keys again."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._rebuild_pending = False
        self._shown: Hashable = None

    def bindings_changed(self, screen: Screen[object]) -> None:
        # Textual's own `bindings_changed` (public: it is the signal's subscriber) stays the one place that
        # marks the footer ready and recomposes; this only decides whether a burst of signals needs it at all.
        if not (screen.app.app_focus and self.is_attached and screen is self.screen):
            super().bindings_changed(screen)  # no rebuild in these cases: Textual only records readiness
            return
        if not self._rebuild_pending:
            self._rebuild_pending = True
            self.call_after_refresh(self._rebuild_if_changed)

    def _rebuild_if_changed(self) -> None:
        self._rebuild_pending = False
        if not self.is_attached:
            return
        shown = self._keys_shown()
        if shown == self._shown:
            return
        self._shown = shown
        super().bindings_changed(self.screen)

    def on_resize(self, event: events.Resize) -> None:
        # Which keys fit depends on the width (see `compose`).
        if self.is_attached and not self._rebuild_pending:
            self._rebuild_pending = True
            self.call_after_refresh(self._rebuild_if_changed)

    def compose(self) -> ComposeResult:
        """Textual's keys, less those that do not fit the width: the screen's from the right first, then the
        app's (PII), never Help and Quit (Textual would scroll them out of sight instead)."""
        widgets = list(super().compose())
        width = self.size.width
        if width:
            app_actions = {item.action for item in self.app.BINDINGS if isinstance(item, Binding)}
            keys = [
                widget
                for widget in widgets
                if isinstance(widget, FooterKey) and not widget.has_class("-command-palette")
            ]
            droppable = [key for key in reversed(keys) if key.action not in app_actions] + [
                key for key in reversed(keys) if key.action in app_actions - ESSENTIAL_ACTIONS
            ]
            used = sum(_cells(widget) for widget in widgets)
            for key in droppable:
                if used <= width:
                    break
                widgets.remove(key)
                used -= _cells(key)
        yield from widgets

    def _keys_shown(self) -> Hashable:
        """What `compose` would show: every shown binding with its label, state and tooltip."""
        if not self.is_attached:
            return None
        return (
            self.size.width,
            self.show_command_palette,
            tuple(
                (binding.key, binding.action, binding.description, binding.group, enabled, tooltip)
                for _node, binding, enabled, tooltip in self.screen.active_bindings.values()
                if binding.show or binding.key == self.app.COMMAND_PALETTE_BINDING
            ),
        )


def _cells(widget: object) -> int:
    """The width a footer key takes (its padding as Textual's default style gives it; the command palette's
    key adds a border and a padding); 0 for anything else."""
    if not isinstance(widget, FooterKey):
        return 0
    text = cell_len(widget.key_display)
    if widget.description:
        text += 2 + cell_len(widget.description) + 1
    return text + 2 if widget.has_class("-command-palette") else text
