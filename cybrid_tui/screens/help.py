"""Every key of the app on one screen, read from the bindings themselves so the list cannot drift.

Fits 80x24 without scrolling: the customers table's keys in the left column, the other screens' keys on the
right, the filter syntax across the bottom. Keys that belong together share a row (the cursor keys, the
five state filters); the gaps between sections close up on a short terminal. With room to spare (30 rows
or more) it also lists the keys each screen shows in its own footer anyway (the verify screen's, the form's
`f3`): 80x24 has no line left for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from cybrid_tui.commands import binding_help
from cybrid_tui.paths import stylesheet

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from rich.console import RenderableType
    from textual.app import App, ComposeResult
    from textual.events import Resize

FILTER_HELP = (
    "Every word must match the guid, name, labels, type or state; a prefix narrows one field: "
    "state:unv  type:b  label:vip  guid:3f2a"
)
#: Keys longer than this (a combined row like the cursor keys) get a line of their own, not the key column.
KEY_COLUMN = 8
#: Below this terminal height the blank lines between sections go, so the help fits 80x24.
COMPACT_BELOW = 30
#: How many sections (of `binding_groups`) the left column holds; the rest go right.
LEFT_SECTIONS = 1


def bindings(items: Iterable[BindingType]) -> list[Binding]:
    """The `Binding`s of a BINDINGS list (the tuple shorthand is not used in this app)."""
    return [item for item in items if isinstance(item, Binding)]


def binding_groups() -> list[tuple[str, list[Binding]]]:
    """(section, bindings) for every screen and widget with keys, in the order people meet them."""
    from cybrid_tui.app import CybridApp
    from cybrid_tui.screens.create_customer import CreateCustomerScreen
    from cybrid_tui.screens.customers import CustomersScreen
    from cybrid_tui.screens.detail import CustomerDetailScreen
    from cybrid_tui.widgets.customer_table import CustomerTable

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


def roomy_groups() -> list[tuple[str, list[Binding]]]:
    """(section, bindings) listed only when the terminal has room (see the module doc). A section named as
    one of `binding_groups` continues it; a new one goes at the end of the left column."""
    from cybrid_tui.screens.form_copy import CommandCopyingScreen
    from cybrid_tui.screens.verify_identity import VerifyIdentityScreen

    return [
        ("Create-customer form", bindings(CommandCopyingScreen.BINDINGS)),
        ("Verify identity", bindings(VerifyIdentityScreen.BINDINGS)),
    ]


#: The action a roomy section is about: not listed when the session refuses it (read-only).
ROOMY_NEEDS = {"Verify identity": "start_verification"}


def combined_actions() -> list[tuple[frozenset[str], str]]:
    """(actions, what they do together): actions listed on one row of the help."""
    from cybrid_tui.widgets.state_counters import STATES

    return [
        (frozenset({"cursor_up", "cursor_down", "page_up", "page_down", "first", "last"}), "Move"),
        (frozenset(f"toggle_state('{state}')" for state in STATES), "Toggle " + ", ".join(STATES)),
        (frozenset({"sort", "reverse_sort"}), "Sort: next column / reverse"),
        (frozenset({"export('csv')", "export('json')"}), "Export: CSV / JSON"),
    ]


def log_location() -> str:
    """The log file's path, with the home folder as "~" (shorter, and the same for every user)."""
    from pathlib import Path

    from cybrid_tui.logging_setup import log_file_path

    path = log_file_path()
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except ValueError:
        return str(path)


def _joined(keys: list[str], *, combined: bool) -> str:
    """ "y, c" for one action's keys; "↑ ↓ pgup" or a range "1-5" for a combined row."""
    if not combined:
        return ", ".join(keys)
    if len(keys) > 2 and all(len(key) == 1 and key.isdigit() for key in keys):
        numbers = [int(key) for key in keys]
        if numbers == list(range(numbers[0], numbers[0] + len(numbers))):
            return f"{keys[0]}-{keys[-1]}"
    return " ".join(keys)


def key_rows(app: App[object], items: list[Binding]) -> list[tuple[str, str]]:
    """(keys, what they do): bindings with the same action share a row ("y, c"), as do combined actions."""
    combined = combined_actions()
    rows: dict[tuple[bool, str], tuple[list[str], str]] = {}
    for binding in items:
        together = next((label for actions, label in combined if binding.action in actions), None)
        row = (True, together) if together is not None else (False, binding.action)
        keys, _ = rows.setdefault(row, ([], together or binding_help(binding)))
        display = app.get_key_display(binding)
        if display not in keys:
            keys.append(display)
    return [(_joined(keys, combined=is_combined), label) for (is_combined, _), (keys, label) in rows.items()]


def _keys_table(rows: list[tuple[str, str]], key_width: int) -> RenderableType:
    """The rows as aligned columns; a row whose keys are too long for the key column is a line of its own."""
    parts: list[RenderableType] = []
    grid: Table | None = None
    for keys, label in rows:
        if cell_len(keys) > KEY_COLUMN:
            parts.append(Text.assemble((keys, "bold"), "  ", label))
            grid = None
            continue
        if grid is None:
            grid = Table.grid(padding=(0, 2))
            grid.add_column(style="bold", min_width=key_width, no_wrap=True)
            grid.add_column()
            parts.append(grid)
        grid.add_row(Text(keys), Text(label))
    return Group(*parts)


def _section(
    title: str | None, rows: list[tuple[str, str]], key_width: int, *, roomy: bool = False
) -> Iterator[Static]:
    """A section's title (None: more rows of the section above) and its keys; `roomy` ones hide on a short
    terminal (see the module doc)."""
    extra = " help-roomy" if roomy else ""
    if title is not None:
        yield Static(title, classes="help-section" + extra, markup=False)
    yield Static(_keys_table(rows, key_width), classes="help-keys" + extra)


class HelpScreen(ModalScreen[None]):
    """The keys, grouped by where they work; `escape` or `?` closes it."""

    COMMAND_GROUP = "Help"
    CSS_PATH = str(stylesheet("help.tcss"))

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="help.close"),
        Binding("question_mark", "close", "Close", show=False, id="help.close_alt"),
    ]

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        #: (section, keys, what they do) as listed, for tests.
        self.rows: list[tuple[str, str, str]] = []

    def compose(self) -> ComposeResult:
        from cybrid_tui.keys import in_force

        # The keys in force (the `[keys]` table applied), without what this session refuses (read-only).
        sections = [
            (title, key_rows(self.app, in_force(self.app, items))) for title, items in binding_groups()
        ]
        allows = getattr(self.app, "allows", lambda action: True)
        roomy = {
            title: key_rows(self.app, in_force(self.app, items))
            for title, items in roomy_groups()
            if allows(ROOMY_NEEDS.get(title, ""))
        }
        key_width = max(
            (
                cell_len(keys)
                for rows in [*(rows for _, rows in sections), *roomy.values()]
                for keys, _ in rows
                if cell_len(keys) <= KEY_COLUMN
            ),
            default=1,
        )
        for title, rows in [*sections, *roomy.items()]:
            self.rows.extend((title, keys, label) for keys, label in rows)
        titles = {title for title, _ in sections}
        panel = VerticalScroll(id="help")
        read_only = bool(getattr(self.app, "read_only", False))
        off = "Keys · read-only: creating, verifying and resetting are off"
        panel.border_title = off if read_only else "Keys"
        panel.border_subtitle = "esc closes"
        with panel:
            with Horizontal(id="help-columns"):
                for index, column in enumerate((sections[:LEFT_SECTIONS], sections[LEFT_SECTIONS:])):
                    with Vertical(classes="help-column"):
                        for title, rows in column:
                            yield from _section(title, rows, key_width)
                            if title in roomy:  # continues the section, in the same key column
                                yield from _section(None, roomy[title], key_width, roomy=True)
                        new = [(title, rows) for title, rows in roomy.items() if title not in titles and rows]
                        for title, rows in new if index == 0 else ():
                            yield from _section(title, rows, key_width, roomy=True)
            with Horizontal(id="help-filter", classes="help-note"):
                yield Static("Filter", classes="help-section", markup=False)
                yield Static(FILTER_HELP, classes="help-keys", markup=False)
            with Horizontal(id="help-log", classes="help-note"):
                yield Static("Log file", classes="help-section", markup=False)
                yield Static(log_location(), classes="help-keys", markup=False)

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.height < COMPACT_BELOW, "-compact")

    def action_close(self) -> None:
        self.dismiss(None)
