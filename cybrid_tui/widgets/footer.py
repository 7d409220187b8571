"""The key footer, rebuilt only when the keys it shows change.

Textual's `Footer` removes and re-mounts all of its keys (about 8 ms, styles included) on every
`bindings_updated_signal`, and a screen sends several of those in its first tenth of a second (focus set,
screen pushed, bindings refreshed), all showing the same keys. On the customers screen that work competes
with the thread that imports the HTTP client, so it delays the first rows. This footer rebuilds once per
burst of signals, and not at all when the keys, their labels and whether they are enabled are unchanged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Footer as TextualFooter

if TYPE_CHECKING:
    from collections.abc import Hashable

    from textual.screen import Screen


class Footer(TextualFooter):
    """`textual.widgets.Footer` without the rebuilds that would show the same keys again."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._rebuild_pending = False
        self._shown: Hashable = None

    def bindings_changed(self, screen: Screen[object]) -> None:
        # Textual 8's own checks, then at most one pending rebuild.
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._rebuild_pending:
            self._rebuild_pending = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_pending = False
        shown = self._keys_shown()
        if shown == self._shown:
            return
        self._shown = shown
        await self.recompose()

    def _keys_shown(self) -> Hashable:
        """What `compose` would show: every shown binding with its label, state and tooltip."""
        if not self.is_attached:
            return None
        return (
            self.show_command_palette,
            tuple(
                (binding.key, binding.action, binding.description, binding.group, enabled, tooltip)
                for _node, binding, enabled, tooltip in self.screen.active_bindings.values()
                if binding.show or binding.key == self.app.COMMAND_PALETTE_BINDING
            ),
        )
