"""Guards around actions that change the bank: the read-only refusal of a pressed key, and the production
confirmation that names the bank. One place, so creating customers and starting verifications behave alike.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cybrid_tui.banner import PRODUCTION_CLASS
from cybrid_tui.permissions import is_mutating

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.app import App

    from cybrid_tui.app import CybridApp


def refused_action(app: CybridApp, key: str) -> str | None:
    """The refused action `key` is bound to on the current screen (keymap applied), None otherwise."""
    if not app.read_only:
        return None
    # The binding chain (private in Textual 8) is the one view of the keys in force after the keymap;
    # `active_bindings` leaves refused bindings out, which is why this reads the chain.
    for _node, bindings in app.screen._modal_binding_chain:
        for binding in bindings.key_to_bindings.get(key, ()):
            if is_mutating(binding.action) and not app.allows(binding.action):
                return binding.action
    return None


def bank_name(app: App[Any]) -> str:
    """The bank as people know it here: its address, and the profile it came from."""
    backend = getattr(app, "backend", None)
    profile = getattr(getattr(backend, "settings", None), "profile", None)
    where = str(getattr(backend, "description", "the bank"))
    return f"{where} (profile {profile})" if profile else where


def production_marker(app: App[Any]) -> str | None:
    """ "PRODUCTION · <bank>" for screens without a header (the form, dialogs); None off production."""
    return f"PRODUCTION · {bank_name(app)}" if app.has_class(PRODUCTION_CLASS) else None


def confirm_change(app: CybridApp, what: str, proceed: Callable[[], object]) -> None:
    """Run `proceed` now; against production only once the person confirmed `what` on the named bank."""
    if not app.has_class(PRODUCTION_CLASS):
        proceed()
        return
    from cybrid_tui.screens.confirm import ConfirmScreen

    def answered(confirmed: bool | None) -> None:
        if confirmed:
            proceed()

    question = f"{what} in the PRODUCTION bank {bank_name(app)}?\nThis changes real data."
    app.push_screen(ConfirmScreen(question, confirm_label=f"{what} (y)"), answered)
