"""The one rule for what a read-only session may do, shared by keys, help, palette and the actions.

Read-only (`--read-only` or `read_only = true` in a profile) hides and refuses every action that changes the
bank: creating customers, starting identity verifications and resetting customers (a new action that changes
the bank is named here, and the footer, help, palette and the refusal follow). No Textual here: the command
line uses it too.
"""

from __future__ import annotations

from typing import Final

#: Action name (as bound to a key) -> what it does, in words that finish "cannot ...".
MUTATING_ACTIONS: Final[dict[str, str]] = {
    "new_customer": "create customers",
    "start_verification": "start identity verifications",
    "reset": "reset customers",
}


def is_mutating(action: str) -> bool:
    """`action` changes the bank (a bare name such as `new_customer`, or `screen.new_customer`)."""
    return action.rpartition(".")[2].partition("(")[0] in MUTATING_ACTIONS


def refusal(action: str, *, read_only: bool) -> str | None:
    """Why `action` is refused (None when it is allowed)."""
    name = action.rpartition(".")[2].partition("(")[0]
    what = MUTATING_ACTIONS.get(name)
    if not read_only or what is None:
        return None
    return f"Read-only: this session cannot {what} (started with --read-only or read_only = true)."
