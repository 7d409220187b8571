"""A small modal that asks before a form with input is thrown away."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

if TYPE_CHECKING:
    from textual.app import ComposeResult


class DiscardChangesScreen(ModalScreen[bool]):
    """Dismisses with True to discard, False to keep editing (the default: escape and the focused button).

    | Key | Action |
    | :- | :- |
    | d, y | Discard |
    | escape, n | Keep editing |
    """

    DEFAULT_CSS = """
    DiscardChangesScreen {
        align: center middle;
        background: $background 60%;
    }
    DiscardChangesScreen > Vertical {
        width: 52;
        height: auto;
        padding: 1 2;
        border: thick $warning;
        background: $surface;
    }
    DiscardChangesScreen #discard-question { margin-bottom: 1; }
    DiscardChangesScreen Horizontal { height: auto; align-horizontal: right; }
    DiscardChangesScreen Button { margin-left: 2; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "keep", "Keep editing", id="discard.keep"),
        Binding("d,y", "discard", "Discard", id="discard.discard"),
    ]

    def __init__(self, question: str = "Discard this new customer? What you typed will be lost.") -> None:
        super().__init__()
        self._question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self._question, id="discard-question", markup=False)
            with Horizontal():
                yield Button("Keep editing", id="keep", variant="primary")
                yield Button("Discard (d)", id="discard", variant="error")

    def on_mount(self) -> None:
        from cybrid_tui.guard import production_marker

        # No header on a dialog: against production its border says so (styles/app.tcss colours it).
        self.query_one(Vertical).border_title = production_marker(self.app)
        self.query_one("#keep", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "discard")

    def action_keep(self) -> None:
        self.dismiss(False)

    def action_discard(self) -> None:
        self.dismiss(True)
