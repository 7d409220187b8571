"""Every key of the app on one screen, read from the bindings themselves so the list cannot drift."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from cybrid_tui.commands import binding_help
from cybrid_tui.paths import stylesheet

if TYPE_CHECKING:
    from collections.abc import Iterable

    from textual.app import App, ComposeResult

FILTER_HELP = (
    "Words must all match (guid, name, labels, type or state). Narrow one field with a prefix: "
    "state:unv  type:b  label:vip  guid:3f2a"
)


def binding_groups() -> list[tuple[str, list[Binding]]]:
    """(section, bindings) for every screen and widget with keys, in the order people meet them."""
    from cybrid_tui.app import CybridApp
    from cybrid_tui.screens.create_customer import CreateCustomerScreen
    from cybrid_tui.screens.customers import CustomersScreen
    from cybrid_tui.screens.detail import CustomerDetailScreen
    from cybrid_tui.widgets.customer_table import CustomerTable

    def bindings(items: Iterable[BindingType]) -> list[Binding]:
        return [item for item in items if isinstance(item, Binding)]

    everywhere = [
        *bindings(CybridApp.BINDINGS),
        Binding(CybridApp.COMMAND_PALETTE_BINDING, "command_palette", "Command palette"),
    ]
    return [
        ("Customers table", bindings(CustomerTable.BINDINGS) + bindings(CustomersScreen.BINDINGS)),
        ("Customer detail", bindings(CustomerDetailScreen.BINDINGS)),
        ("Create-customer form", bindings(CreateCustomerScreen.BINDINGS)),
        ("Everywhere", everywhere),
    ]


def key_rows(app: App[object], items: list[Binding]) -> list[tuple[str, str]]:
    """(keys, what they do): bindings with the same action share a row ("y, c")."""
    rows: dict[str, tuple[list[str], str]] = {}
    for binding in items:
        keys, _label = rows.setdefault(binding.action, ([], binding_help(binding)))
        display = app.get_key_display(binding)
        if display not in keys:
            keys.append(display)
    return [(", ".join(keys), label) for keys, label in rows.values()]


class HelpScreen(ModalScreen[None]):
    """The keys, grouped by where they work; `escape` or `?` closes it."""

    COMMAND_GROUP = "Help"
    CSS_PATH = str(stylesheet("help.tcss"))

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("question_mark", "close", "Close", show=False),
    ]

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        #: (section, keys, what they do) as listed, for tests.
        self.rows: list[tuple[str, str, str]] = []

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static("Keys", id="help-title")
            for title, items in binding_groups():
                yield Static(title, classes="help-section", markup=False)
                table = Table.grid(padding=(0, 2))
                table.add_column(style="bold", min_width=12, no_wrap=True)
                table.add_column()
                for keys, label in key_rows(self.app, items):
                    table.add_row(Text(keys), Text(label))
                    self.rows.append((title, keys, label))
                yield Static(table, classes="help-keys")
            yield Static("Filter", classes="help-section")
            yield Static(FILTER_HELP, classes="help-keys", markup=False)
            yield Static("escape closes this help", id="help-footer")

    def action_close(self) -> None:
        self.dismiss(None)
