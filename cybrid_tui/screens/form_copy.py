"""Copy as command, for the create form: f3 (or the palette) copies the `cybrid-tui customers create` and
`curl` commands that send what the form shows (the text comes from `cybrid_tui.forms.as_command`).

A screen base class rather than code in `create_customer.py`, which keeps that file within its size limit:
Textual merges a base screen's bindings into the subclass's. The key is not in the footer (the form's footer
is full at 80 columns); the help screen and the palette list it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.screen import Screen

if TYPE_CHECKING:
    from cybrid_tui.api.models import Customer  # noqa: F401 (the form's result)
    from cybrid_tui.forms.values import FormValues


class CommandCopyingScreen(Screen["Customer | None"]):
    """A form screen that can copy its request as shell commands. Subclasses provide `values()`,
    `pii_hidden` and `_set_status(message, kind)`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "f3",
            "copy_as_command",
            "Copy as command",
            show=False,
            id="form.copy_command",
            tooltip="Copy as cybrid-tui and curl commands",
        ),
    ]

    def values(self) -> FormValues:
        raise NotImplementedError

    @property
    def pii_hidden(self) -> bool:
        return False

    def _set_status(self, message: str, kind: str = "") -> None:
        raise NotImplementedError

    def action_copy_as_command(self) -> None:
        from cybrid_tui.forms.as_command import as_commands

        if self.pii_hidden:
            # Hidden data must not leave the screen through the clipboard either (a screen share's paste).
            self._set_status("Personal data is hidden (i): show it to copy the form as commands.", "-warning")
            return
        settings = getattr(getattr(self.app, "backend", None), "settings", None)
        text = as_commands(
            self.values(),
            demo=bool(getattr(self.app, "demo", False)),
            profile=getattr(settings, "profile", None),
        )
        self.app.copy_to_clipboard(text)
        self._set_status(
            "Copied the cybrid-tui and curl commands for this form (no secrets: $CYBRID_TOKEN and "
            "$CYBRID_BANK_URL are placeholders)."
        )
