"""The one rule for personal data (PII) on every screen: what may be shown right now, and how to say so.

Pure (no Textual, no pydantic): the customers table, the status line, the detail view and the create form all
ask `pii_view` and show what it answers, so no two screens can disagree. Precedence, strongest first:

1. `unavailable`: the token lacks `customers:pii:read`. Pressing `i` would not show anything, so saying
   "hidden (i shows it)" would mislead; this wins over `hidden`.
2. `hidden`: the person pressed `i` (screen sharing).
3. `unknown` ("not loaded yet"): the scopes are not known yet, or the copy in hand was read without PII.
4. `shown`.

What is hidden is also not searchable (the table's text filter skips hidden fields), so a shared screen does
not reveal who matches a typed name.
"""

from __future__ import annotations

from typing import Final, Literal

PiiView = Literal["shown", "hidden", "unavailable", "unknown"]

#: What a screen says in place of personal data it does not show.
PII_NOTES: Final[dict[str, str]] = {
    "hidden": "Hidden (i shows personal data).",
    "unavailable": "Not available: the API token lacks the customers:pii:read scope.",
    "unknown": "Not loaded yet.",
}
#: What the masked text of a hidden value reads (one bullet per character would leak its length).
MASK: Final = "••••••"


def pii_view(available: bool | None, hidden: bool, *, loaded: bool = True) -> PiiView:
    """What may be shown: `available` is whether the token allows PII (None: not known yet), `hidden` the
    `i` key, `loaded` whether the data in hand was read with PII (the detail view's copy)."""
    if available is False:
        return "unavailable"
    if hidden:
        return "hidden"
    if available is None or not loaded:
        return "unknown"
    return "shown"


def masked(text: str) -> str:
    """`text` as a hidden field shows it: a fixed mask when there is anything, "" when empty."""
    return MASK if text else ""
