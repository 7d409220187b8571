"""Every binding of the app, by where it works, and the keys in force once the `[keys]` table is applied.

The catalogue feeds the start-up check of the `[keys]` table (`cybrid_tui.settings.keymap`); `in_force` gives
the help screen the same keys the footer and palette show (they read Textual's active bindings, which
already carry the keymap), and leaves out what this session refuses (read-only).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from textual.app import App
    from textual.binding import BindingType

    from cybrid_tui.settings.keymap import BindingSpec


def _bindings(items: Iterable[BindingType]) -> list[Binding]:
    return [item for item in items if isinstance(item, Binding)]


def binding_scopes() -> dict[str, list[Binding]]:
    """Scope -> its bindings: `app` (every screen) and one scope per screen (its widgets' keys included)."""
    from cybrid_tui.app import CybridApp
    from cybrid_tui.screens.confirm import ConfirmScreen
    from cybrid_tui.screens.create_customer import CreateCustomerScreen
    from cybrid_tui.screens.customers import CustomersScreen
    from cybrid_tui.screens.detail import CustomerDetailScreen
    from cybrid_tui.screens.discard_changes import DiscardChangesScreen
    from cybrid_tui.screens.form_copy import CommandCopyingScreen
    from cybrid_tui.screens.help import HelpScreen
    from cybrid_tui.widgets.customer_table import CustomerTable

    return {
        "app": _bindings(CybridApp.BINDINGS),
        "customers": _bindings(CustomerTable.BINDINGS) + _bindings(CustomersScreen.BINDINGS),
        "detail": _bindings(CustomerDetailScreen.BINDINGS),
        "form": _bindings(CommandCopyingScreen.BINDINGS) + _bindings(CreateCustomerScreen.BINDINGS),
        "discard": _bindings(DiscardChangesScreen.BINDINGS),
        "confirm": _bindings(ConfirmScreen.BINDINGS),
        "help": _bindings(HelpScreen.BINDINGS),
    }


def catalogue() -> list[BindingSpec]:
    """Every binding with an id, for checking the `[keys]` table."""
    from cybrid_tui.settings.keymap import catalogue as specs

    return specs(binding_scopes())


def build_app_keymap(table: Mapping[str, tuple[str, ...]], *, where: str) -> dict[str, str]:
    """The checked Textual keymap for `table` (empty table: no imports of the screens at all)."""
    if not table:
        return {}
    from cybrid_tui.settings.keymap import build_keymap

    return build_keymap(table, catalogue(), where=where)


def in_force(app: App[object], bindings: Iterable[Binding]) -> list[Binding]:
    """`bindings` with the app's keymap applied, without those the session refuses (read-only)."""
    keymap: Mapping[str, str] = getattr(app, "keymap", {})
    allows = getattr(app, "allows", None)
    shown: list[Binding] = []
    for binding in bindings:
        if allows is not None and not allows(binding.action):
            continue
        keys = keymap.get(binding.id or "")
        if keys:
            shown.extend(binding.with_key(key, key_display=None) for key in keys.split(","))
        else:
            shown.append(binding)
    return shown
