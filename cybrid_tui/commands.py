"""The command palette's commands: every key binding active on the current screen, by its description.

Built from the screen's active bindings when the palette opens, so a new binding appears here without any
extra registration and a disabled one does not ("Customers: Refresh now   r").
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from textual.dom import DOMNode

#: Bindings the palette itself covers, and moving the cursor (nobody opens a palette to press "down").
_SKIP_ACTIONS = frozenset(
    {"command_palette", "cursor_up", "cursor_down", "page_up", "page_down", "first", "last"}
)

#: Palette names where the footer's word or two says too little ("New" -> "New customer"), by action (the
#: part before any arguments).
TITLES: dict[str, str] = {
    "new_customer": "New customer",
    "filter": "Filter customers",
    "refresh": "Refresh now",
    "pause": "Pause or resume live refresh",
    "sort": "Sort by the next column",
    "toggle_pii": "Hide or show personal data (PII)",
    "help": "Help: every key",
}

#: The words people search for, by action: the palette finds a command by these as well as by its name
#: ("create" and "add customer" find "New customer").
KEYWORDS: dict[str, str] = {
    "new_customer": "create add customer new customer onboard",
    "filter": "search find filter",
    "clear_filters": "reset clear filters",
    "clear_quick_filters": "reset clear state type filters",
    "toggle_state": "state quick filter",
    "cycle_type": "type individual business filter",
    "refresh": "reload update fetch",
    "pause": "pause resume stop start live refresh",
    "sort": "order sort column",
    "reverse_sort": "order ascending descending reverse",
    "copy_guid": "copy id guid clipboard yank",
    "open": "open details view customer",
    "toggle_pii": "personal data privacy mask hide show names screen share",
    "help": "keys shortcuts help bindings",
    "quit": "exit leave close quit",
    "export": "export save download write file",
    "open_log_location": "log file path logs debug where",
    "back": "back close return",
    "cancel": "cancel discard close",
    "submit": "send create submit save",
    "toggle_preview": "json body preview request",
    "add_id": "identification number document add",
    "copy_as_command": "copy command line shell curl cli script clipboard",
}

#: App-wide commands that have no key of their own: (action, name, help).
APP_COMMANDS: tuple[tuple[str, str, str], ...] = (
    # Offered even where a text field holds the focus and takes the letter `i` (the create form): masking
    # personal data must always be one command away.
    ("toggle_pii", TITLES["toggle_pii"], "key i · Mask personal data on every screen (for screen sharing)"),
    ("open_log_location", "Open log location", "Show the log file's path and copy it to the clipboard"),
)


def _action_name(action: str) -> str:
    """ "toggle_state('verified')" -> "toggle_state"."""
    return action.split("(", 1)[0]


def binding_label(binding: Binding) -> str:
    """What a binding does, in a few words (the footer's description)."""
    return binding.description or binding.action.replace("_", " ").capitalize()


def binding_help(binding: Binding) -> str:
    """What a binding does, in a sentence when it has one (the tooltip), for the help screen."""
    return binding.tooltip or binding_label(binding)


class BindingCommands(Provider):
    """One command per distinct action bound on the screen the palette was opened from, and the app's own.

    Only the app's actions: Textual's system commands (themes, screenshots, scrolling) are not offered.
    App-wide commands (Quit, Help, PII) carry no screen prefix; a screen's read "Customers: Refresh now".
    """

    def _commands(self) -> Iterator[tuple[str, str, str, Callable[[], object]]]:
        """(name, keywords, help, command) for every command on offer."""
        seen: set[tuple[int, str]] = set()
        group = _group(self.screen)
        actions: set[str] = set()
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if (
                binding.action in _SKIP_ACTIONS
                or not active.enabled
                or not _ours(active.node, binding.action)
            ):
                continue
            identity = (id(active.node), binding.action)
            if identity in seen:
                continue
            seen.add(identity)
            actions.add(binding.action)
            display = self.app.get_key_display(binding) or key
            action = _action_name(binding.action)
            label = binding_label(binding)
            title = TITLES.get(action, label)
            name = title if active.node is self.app else f"{group}: {title}"
            help_text = f"key {display}" + (f" · {binding.tooltip}" if binding.tooltip else "")
            # Keywords first, then the name: "save json" finds "Export JSON" (the matcher wants the order).
            keywords = f"{KEYWORDS.get(action, '')} {label} {name}"
            yield name, keywords, help_text, partial(self.app.run_action, binding.action, active.node)
        for action, name, help_text in APP_COMMANDS:
            if action not in actions and self.app.check_action(action, ()) is not False:
                keywords = f"{KEYWORDS.get(action, '')} {name}"
                yield name, keywords, help_text, partial(self.app.run_action, action, self.app)

    async def discover(self) -> Hits:
        for name, _, help_text, command in self._commands():
            yield DiscoveryHit(name, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, keywords, help_text, command in self._commands():
            by_name = matcher.match(name)
            # A hit by a keyword ranks a little below the same hit by name, and is not highlighted.
            score = max(by_name, matcher.match(keywords) * 0.9)
            if score > 0:
                shown = matcher.highlight(name) if by_name >= score else name
                yield Hit(score, shown, command, text=name, help=help_text)


class ProfileCommands(Provider):
    """ "Switch profile: <name>" for every profile of the config file (the current one is marked)."""

    async def startup(self) -> None:
        from cybrid_tui.profile_switch import profile_names

        self._profiles = await profile_names()

    def _commands(self) -> Iterator[tuple[str, str, Callable[[], object]]]:
        current = getattr(getattr(getattr(self.app, "backend", None), "settings", None), "profile", None)
        switch = getattr(self.app, "switch_profile", None)
        if switch is None:
            return
        for name in getattr(self, "_profiles", []):
            here = " (current)" if name == current else ""
            help_text = f"Reload every screen against the bank of profile {name}{here}"
            yield f"Switch profile: {name}", help_text, partial(switch, name)

    async def discover(self) -> Hits:
        for name, help_text, command in self._commands():
            yield DiscoveryHit(name, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, command in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), command, text=name, help=help_text)


def _ours(node: DOMNode, action: str) -> bool:
    """The action is bound by this app's own classes, not inherited from Textual's widgets (their scrolling,
    option moves and the like are not commands anyone looks for in the palette)."""
    for cls in type(node).__mro__:
        if not cls.__module__.startswith("cybrid_tui"):
            continue
        for item in cls.__dict__.get("BINDINGS", ()):
            if isinstance(item, Binding) and item.action == action:
                return True
    return False


def _group(screen: DOMNode) -> str:
    """ "Customers", "Customer", "Help": the screen's name for people."""
    return str(getattr(screen, "COMMAND_GROUP", "") or type(screen).__name__.removesuffix("Screen"))
