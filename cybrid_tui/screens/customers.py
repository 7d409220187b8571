"""The customers screen: the live table, the state counters, the filter and the status line.

Data flow: workers call the client through `LiveRefresher`, which applies what it read to the
`CustomerStore`; the workers then post past-tense messages (`cybrid_tui.messages`) and the handlers here tell
the widgets to catch up with the store. Sorting, filtering and counting live in the store, not in widgets.

Refresh schedule (`cybrid_tui.screens.live_schedule`): the first load (every page, with progress), then one
cheap tick every `refresh_seconds` (see `cybrid_tui.live.refresher` for what a tick reads). The next run is
scheduled when the previous one ends, so runs never overlap; a failure doubles the delay (up to
`MAX_BACKOFF_INTERVALS` intervals, or the server's Retry-After) and the first success goes back to the
normal pace. Nothing is polled while the screen is hidden (detail view or form on top) or paused with `p`;
coming back refreshes at once.

| Key | Action |
| :- | :- |
| n | New customer |
| v | Verify the highlighted customer's identity |
| / | Filter as you type (guid, name, label, type, state; `state:`, `type:`, `label:`, `guid:` narrow it) |
| 1-5 | Toggle a state quick filter (storing, unverified, verified, rejected, frozen) |
| t | Cycle the type filter (all, individual, business) |
| 0 | Clear the quick filters |
| escape | Clear every filter |
| s / S | Next sort column / reverse the sort |
| r | Refresh now |
| p | Pause or resume live refresh |
| y or c | Copy the full guid |
| e / E | Export the rows shown to CSV / JSON (current directory) |
| enter | Open the customer |
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.widgets import Header, Input

from cybrid_tui.api.vocab import CUSTOMER_TYPES
from cybrid_tui.live.store import SORT_KEYS
from cybrid_tui.pii import pii_view
from cybrid_tui.safe_text import safe_text
from cybrid_tui.screens.customers_feed import CustomersFeedScreen
from cybrid_tui.screens.exporting import ExportDone, export_notice, start_export
from cybrid_tui.widgets.customer_table import CustomerTable
from cybrid_tui.widgets.filter_bar import FilterBar, Filters
from cybrid_tui.widgets.footer import Footer
from cybrid_tui.widgets.state_counters import STATES, StateCounters
from cybrid_tui.widgets.status_bar import StatusBar, StatusInfo

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from cybrid_tui.api.models import Customer

log = logging.getLogger(__name__)

#: How often relative times ("refreshed 12 s ago") are brought up to date when nothing else repaints.
CLOCK_SECONDS = 5.0
TYPES = CUSTOMER_TYPES
#: Natural direction per sort key: newest first for times, A-Z / lifecycle order otherwise.
SORT_DESCENDING = {"created": True, "updated": True, "state": False, "type": False, "name": False}


class CustomersScreen(CustomersFeedScreen):
    """Every customer of the bank, live."""

    COMMAND_GROUP = "Customers"
    # Styles: styles/customers.tcss, loaded by the app (see CybridApp.CSS_PATH).
    AUTO_FOCUS = "CustomerTable"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_customer", "New", id="customers.new", tooltip="Create a customer"),
        Binding(
            "v",
            "start_verification",
            "Verify",
            id="customers.verify",
            tooltip="Verify identity (KYC / KYB)",
        ),
        Binding(
            "slash",
            "filter",
            "Filter",
            id="customers.filter",
            tooltip="Filter as you type",
        ),
        Binding("r", "refresh", "Refresh", id="customers.refresh", tooltip="Refresh now"),
        Binding("p", "pause", "Pause", id="customers.pause", tooltip="Pause or resume live refresh"),
        Binding("s", "sort", "Sort", id="customers.sort", tooltip="Sort by the next column"),
        Binding(
            "S",
            "reverse_sort",
            "Reverse sort",
            show=False,
            id="customers.reverse_sort",
            tooltip="Reverse the sort order",
        ),
        Binding(
            "t",
            "cycle_type",
            "Type filter",
            show=False,
            id="customers.type_filter",
            tooltip="Cycle the type filter",
        ),
        *(
            Binding(
                str(number),
                f"toggle_state('{state}')",
                f"Filter {state}",
                show=False,
                id=f"customers.state_{state}",
                tooltip=f"Show {state} customers (toggle; states combine)",
            )
            for number, state in enumerate(STATES, start=1)
        ),
        Binding(
            "0",
            "clear_quick_filters",
            "Clear quick filters",
            show=False,
            id="customers.clear_quick_filters",
            tooltip="Clear state and type filters",
        ),
        Binding(
            "escape",
            "clear_filters",
            "Clear filters",
            show=False,
            id="customers.clear_filters",
            tooltip="Clear every filter",
        ),
        Binding(
            "y",
            "copy_guid",
            "Copy guid",
            show=False,
            id="customers.copy_guid",
            tooltip="Copy the full guid",
        ),
        Binding("c", "copy_guid", "Copy guid", show=False, id="customers.copy_guid_alt"),
        Binding(
            "e",
            "export('csv')",
            "Export CSV",
            show=False,
            id="customers.export_csv",
            tooltip="Save the rows shown (filtered, sorted) as CSV in the current directory",
        ),
        Binding(
            "E",
            "export('json')",
            "Export JSON",
            show=False,
            id="customers.export_json",
            tooltip="Save the rows shown (filtered, sorted) as JSON in the current directory",
        ),
    ]

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._filters = Filters()
        #: The last export, for the status line's "exported … to …" (`cybrid_tui.screens.exporting`).
        self.last_export: ExportDone | None = None

    @property
    def filter_bar(self) -> FilterBar:
        return self.query_one(FilterBar)

    @property
    def status(self) -> StatusBar:
        return self.query_one(StatusBar)

    # ------------------------------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        app = self.cybrid_app
        yield Header()
        yield StateCounters(id="counters")
        yield FilterBar(self._filters_changed, states=STATES, types=TYPES, cursor_blink=app.cursor_blink)
        yield CustomerTable(self.store, flash_seconds=app.flash_seconds, id="customers")
        yield StatusBar(id="customers-status")
        yield Footer()

    def on_mount(self) -> None:
        app = self.cybrid_app
        self.watch(app, "pii_hidden", self._pii_changed, init=False)
        self.watch(app, "pii_available", self._pii_changed, init=False)
        self.set_interval(CLOCK_SECONDS, self._clock_tick)
        self._show()

    def _clock_tick(self) -> None:
        self._show()

    def _pii_changed(self) -> None:
        self._apply_filter()  # hidden names are not searchable: the same text may keep fewer rows

    # ------------------------------------------------------------------------------------------ display

    def _show(self) -> None:
        """Bring every widget up to date with the store and the screen's state (cheap when nothing moved)."""
        app = self.cybrid_app
        now = self._now()
        store = self.store
        table = self.table
        pii = pii_view(app.pii_available, app.pii_hidden)
        table.show_name = pii in ("shown", "unknown")  # "unknown": the column waits for the names
        table.empty_message = self._empty_message()
        # The table's "3 min ago"s move on CLOCK_SECONDS boundaries only: rows whose minute turns over at
        # different seconds then repaint together, once per boundary, instead of on nearly every refresh.
        kyc = self._sync_kyc()  # before the sync: a line's key holds its KYC cell
        table.sync(now - now % CLOCK_SECONDS)
        self.query_one(StateCounters).update_counts(store.counts, self._filters.states)
        self.status.info = StatusInfo(
            demo=app.demo,
            phase=self._phase,
            paused=self._paused,
            refresh_seconds=app.refresh_seconds,
            last_refreshed=self._last_refreshed,
            now=now,
            loaded=self._loaded,
            expected=self._expected,
            total=store.total,
            shown=len(store.view),
            filtered=store.filtered,
            pii=pii,
            read_only=app.read_only,
            problem=self._problem or self._overdue(),
            sort=self._sort_label(),
            extra=self._notices(),
            message=export_notice(self.last_export, now),
            pace=self._pace_label(),
            kyc=kyc,
        )

    def _sort_label(self) -> str | None:
        """ "sorted by updated ↑" when the order is not the default newest first."""
        store = self.store
        if store.sort_key == "created" and store.sort_descending:
            return None
        return f"sorted by {store.sort_key} {'↓' if store.sort_descending else '↑'}"

    def _empty_message(self) -> str:
        """What the table says when it has no row to show."""
        if self.store.filtered and self.store.total:
            return "No customers match the filter (esc clears it)."
        if self._problem is not None and not self.store.total:
            return "Could not load the customers: see the message below."
        if self._phase == "connecting":
            return "Connecting…"
        if self._phase == "loading":
            return "Loading customers…"
        return "No customers yet (n creates one)."

    # ------------------------------------------------------------------------------------------ filters

    def _filters_changed(self, filters: Filters) -> None:
        self._filters = filters
        self._apply_filter()

    def _apply_filter(self) -> None:
        filters, app = self._filters, self.cybrid_app
        names = pii_view(app.pii_available, app.pii_hidden) in ("shown", "unknown")
        self.store.set_filter(text=filters.text, states=filters.states, types=filters.types, names=names)
        self._show()

    async def action_filter(self) -> None:
        await self.filter_bar.open()

    @on(Input.Submitted, "#filter-input")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        self.filter_bar.close()
        self.table.focus()

    def action_toggle_state(self, state: str) -> None:
        self.filter_bar.toggle_state(state)

    def action_cycle_type(self) -> None:
        self.filter_bar.cycle_type()

    def action_clear_quick_filters(self) -> None:
        self.filter_bar.clear_quick()

    def action_clear_filters(self) -> None:
        if self.filter_bar.clear():
            self.table.focus()

    # ------------------------------------------------------------------------------------------ sorting

    def _sort(self, key: str, descending: bool) -> None:
        self.store.set_sort(key, descending=descending)
        self._show()

    def action_sort(self) -> None:
        key = SORT_KEYS[(SORT_KEYS.index(self.store.sort_key) + 1) % len(SORT_KEYS)]
        self._sort(key, SORT_DESCENDING[key])

    def action_reverse_sort(self) -> None:
        self._sort(self.store.sort_key, not self.store.sort_descending)

    @on(CustomerTable.HeaderClicked)
    def _header_clicked(self, event: CustomerTable.HeaderClicked) -> None:
        key = event.sort_key
        if key is None:
            return
        if key == self.store.sort_key:
            self.action_reverse_sort()
        else:
            self._sort(key, SORT_DESCENDING[key])

    # ------------------------------------------------------------------------------------------ actions

    def action_pause(self) -> None:
        self._paused = not self._paused
        if self._paused:
            self._cancel_timer()
        else:
            self._run_now()
        self._show()

    def action_export(self, fmt: str) -> None:
        start_export(self, fmt)

    def action_copy_guid(self) -> None:
        guid = self.table.cursor_guid
        if guid is None:
            return
        # The guid is the server's: a hostile one must not reach the clipboard (or the toast) as sent.
        guid = safe_text(guid)
        self.app.copy_to_clipboard(guid)
        self.notify(f"Copied {guid} to the clipboard.", title="Guid copied", timeout=3, markup=False)

    @on(CustomerTable.Selected)
    def _open(self, event: CustomerTable.Selected) -> None:
        from cybrid_tui.screens.detail import CustomerDetailScreen

        guid = event.guid

        def back(_: None) -> None:
            self.table.select_guid(guid)

        self.app.push_screen(CustomerDetailScreen(guid, row=self.store.get(guid)), back)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Read-only hides creating customers from the footer, help and palette (one rule: app.allows).
        return self.cybrid_app.allows(action)

    def action_new_customer(self) -> None:
        if self.cybrid_app.refuse("new_customer"):
            return
        client = self.cybrid_app.client
        if client is None:
            self.notify("Still connecting to the Cybrid API; try again in a moment.", timeout=3)
            return
        from cybrid_tui.screens.create_customer import CreateCustomerScreen

        screen = CreateCustomerScreen(
            client=client.customers,
            clock=self.cybrid_app.clock,
            cursor_blink=self.cybrid_app.cursor_blink,
            duplicate_guard=self.cybrid_app.duplicate_guard,
        )
        self.app.push_screen(screen, self._created)

    def action_start_verification(self) -> None:
        from cybrid_tui.screens.verify_identity import open_verify

        guid = self.table.cursor_guid
        row = self.store.get(guid) if guid is not None else None
        kind, state = (row.type, row.state) if row is not None else (None, None)
        open_verify(self.cybrid_app, guid, kind, state, self.table.flash)

    def _created(self, customer: Customer | None) -> None:
        if customer is None:
            return
        self.add_customer(customer)

    def add_customer(self, customer: Customer) -> None:
        """Show a customer this app just created: in the table, selected, highlighted, and announced."""
        from cybrid_tui.live.rows import CustomerRow

        row = CustomerRow.from_customer(customer)
        self.store.apply([row])
        self._show()
        table = self.table
        if not table.select_guid(row.guid):
            self.notify("The filter hides it: esc clears the filter.", timeout=5)
        table.flash([row.guid])
        self.notify(
            safe_text(f"Customer {row.short_guid} created ({row.state or 'state unknown'})."),
            title="Customer created",
            timeout=5,
            markup=False,
        )
