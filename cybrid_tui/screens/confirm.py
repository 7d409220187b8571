"""A modal that asks before a change to a production bank; the question names the bank."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

if TYPE_CHECKING:
    from textual.app import ComposeResult


class ConfirmScreen(ModalScreen[bool]):
    """Dismisses with True to go ahead, False to cancel (the default: escape and the focused button)."""

    DEFAULT_CSS = """
    ConfirmScreen {
        align: center middle;
        background: $background 60%;
    }
    ConfirmScreen > Vertical {
        width: 60;
        height: auto;
        padding: 1 2;
        border: thick $error;
        border-title-color: $text;
        border-title-background: $error;
        border-title-style: bold;
        background: $surface;
    }
    ConfirmScreen #confirm-question { margin-bottom: 1; }
    ConfirmScreen Horizontal { height: auto; align-horizontal: right; }
    ConfirmScreen Button { margin-left: 2; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "cancel", "Cancel", id="confirm.cancel"),
        Binding("y", "confirm", "Go ahead", id="confirm.confirm"),
    ]

    def __init__(
        self, question: str, *, confirm_label: str = "Go ahead (y)", title: str = "PRODUCTION"
    ) -> None:
        super().__init__()
        self._question = question
        self._confirm_label = confirm_label
        self._title = title

    def compose(self) -> ComposeResult:
        box = Vertical()
        box.border_title = self._title
        with box:
            yield Static(self._question, id="confirm-question", markup=False)
            with Horizontal():
                yield Button("Cancel", id="cancel", variant="primary")
                yield Button(self._confirm_label, id="confirm", variant="error")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm")

    def action_cancel(self) -> None:
        self.dismiss(False)

    def action_confirm(self) -> None:
        self.dismiss(True)
