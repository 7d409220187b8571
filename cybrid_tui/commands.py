"""The command palette's commands: every key binding active on the current screen, by its description.

Built from the screen's active bindings when the palette opens, so a new binding appears here without any
extra registration and a disabled one does not ("Customers: Refresh now   r").
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from textual.binding import Binding
    from textual.dom import DOMNode

#: Bindings the palette itself or Textual's system commands already cover.
_SKIP_ACTIONS = frozenset({"command_palette"})


def binding_label(binding: Binding) -> str:
    """What a binding does, in a few words (the footer's description)."""
    return binding.description or binding.action.replace("_", " ").capitalize()


def binding_help(binding: Binding) -> str:
    """What a binding does, in a sentence when it has one (the tooltip), for the help screen."""
    return binding.tooltip or binding_label(binding)


class BindingCommands(Provider):
    """One command per distinct action bound on the screen the palette was opened from."""

    def _commands(self) -> Iterator[tuple[str, str, Callable[[], object]]]:
        seen: set[tuple[int, str]] = set()
        group = _group(self.screen)
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if binding.action in _SKIP_ACTIONS or not active.enabled:
                continue
            identity = (id(active.node), binding.action)
            if identity in seen:
                continue
            seen.add(identity)
            display = self.app.get_key_display(binding) or key
            name = f"{group}: {binding_label(binding)}"
            help_text = f"key {display}" + (f" · {binding.tooltip}" if binding.tooltip else "")
            yield name, help_text, partial(self.app.run_action, binding.action, active.node)

    async def discover(self) -> Hits:
        for name, help_text, command in self._commands():
            yield DiscoveryHit(name, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, command in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), command, text=name, help=help_text)


def _group(screen: DOMNode) -> str:
    """ "Customers", "Customer", "Help": the screen's name for people."""
    return str(getattr(screen, "COMMAND_GROUP", "") or type(screen).__name__.removesuffix("Screen"))
