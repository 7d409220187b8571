"""The create-customer form's status line: what the last submit or create said, kept true as the form changes.

A message about the input follows it: the form's own refusal ("Nothing was sent: 3 fields need attention.
First name: Required") is recomputed as fields change and goes once nothing is wrong; the server's refusal
of what was sent goes once the input differs from what was sent. Other messages (creating, a lost answer, a
network failure) stay until the next one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from textual.widgets import Static

from cybrid_tui.forms.error_book import submit_refusal
from cybrid_tui.safe_text import safe_text

if TYPE_CHECKING:
    from collections.abc import Callable

    from cybrid_tui.forms.values import FormValues

#: "refusal": the form's own errors; "input": the server refused what was sent; "": anything else.
About = Literal["refusal", "input", ""]
KINDS = ("-error", "-busy", "-warning")


class FormStatus(Static):
    """One line (wrapping) under the form; hidden while it has nothing to say."""

    def __init__(self, *, id: str | None = "status") -> None:
        super().__init__("", id=id, markup=False)
        self.about: About = ""
        self._values: FormValues | None = None

    def say(
        self, message: str, kind: str = "", *, about: About = "", values: FormValues | None = None
    ) -> None:
        """Show `message` (`kind`: "-error", "-busy", "-warning" or ""); `values`: the input it is about."""
        self.about = about
        self._values = values
        self.update(safe_text(message))  # a failure quotes the server's error message
        for name in KINDS:
            self.set_class(name == kind, name)
        self.set_class(bool(message), "-shown")

    def follow(self, values: FormValues, errors: Callable[[], dict[str, str]]) -> None:
        """Bring a message about the input up to date with the form's `values` (`errors` computes its
        current errors, only when needed)."""
        if self.about == "refusal":
            current = errors()
            if current:
                self.say(submit_refusal(current), "-error", about="refusal", values=values)
            else:
                self.say("")
        elif self.about == "input" and values != self._values:
            self.say("")
