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
| / | Filter as you type (guid, name, label, type, state; `state:`, `type:`, `label:`, `guid:` narrow it) |
| 1-5 | Toggle a state quick filter (storing, unverified, verified, rejected, frozen) |
| t | Cycle the type filter (all, individual, business) |
| 0 | Clear the quick filters |
| escape | Clear every filter |
| s / S | Next sort column / reverse the sort |
| r | Refresh now |
| p | Pause or resume live refresh |
| y or c | Copy the full guid |
| enter | Open the customer |
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Header, Input, Label, Static

from cybrid_tui.live.store import SORT_KEYS, CustomerStore
from cybrid_tui.messages import (
    Connected,
    CustomersLoaded,
    CustomersLoading,
    CustomersRefreshed,
    RefreshFailed,
)
from cybrid_tui.screens import report_worker_failure
from cybrid_tui.screens.live_schedule import LiveScreen
from cybrid_tui.widgets.customer_table import CustomerTable
from cybrid_tui.widgets.footer import Footer
from cybrid_tui.widgets.state_counters import STATES, StateCounters
from cybrid_tui.widgets.status_bar import Phase, Pii, Problem, StatusBar, StatusInfo, problem_heading

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.worker import Worker

    from cybrid_tui.api.models import Customer
    from cybrid_tui.live.refresher import LiveRefresher
    from cybrid_tui.live.store import ChangeSet

log = logging.getLogger(__name__)

#: How often relative times ("refreshed 12 s ago") are brought up to date when nothing else repaints.
CLOCK_SECONDS = 5.0
TYPES = ("individual", "business")
#: Natural direction per sort key: newest first for times, A-Z / lifecycle order otherwise.
SORT_DESCENDING = {"created": True, "updated": True, "state": False, "type": False, "name": False}
WORKER_GROUP = "customers"
#: Same as `cybrid_tui.api.models.PII_SCOPE`, without importing pydantic before the first frame.
PII_SCOPE = "customers:pii:read"


class CustomersScreen(LiveScreen):
    """Every customer of the bank, live."""

    COMMAND_GROUP = "Customers"
    # Styles: styles/customers.tcss, loaded by the app (see CybridApp.CSS_PATH).
    AUTO_FOCUS = "CustomerTable"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_customer", "New", tooltip="Create a customer"),
        Binding("slash", "filter", "Filter", tooltip="Filter as you type: guid, name, label, type, state"),
        Binding("r", "refresh", "Refresh", tooltip="Refresh now"),
        Binding("p", "pause", "Pause", tooltip="Pause or resume live refresh"),
        Binding("s", "sort", "Sort", tooltip="Sort by the next column"),
        Binding("S", "reverse_sort", "Reverse sort", show=False, tooltip="Reverse the sort order"),
        Binding(
            "t", "cycle_type", "Type filter", show=False, tooltip="Filter by type: all, individual, business"
        ),
        *(
            Binding(
                str(number),
                f"toggle_state('{state}')",
                f"Filter {state}",
                show=False,
                tooltip=f"Show {state} customers (toggle; states combine)",
            )
            for number, state in enumerate(STATES, start=1)
        ),
        Binding(
            "0",
            "clear_quick_filters",
            "Clear quick filters",
            show=False,
            tooltip="Clear state and type filters",
        ),
        Binding("escape", "clear_filters", "Clear filters", show=False, tooltip="Clear every filter"),
        Binding("y", "copy_guid", "Copy guid", show=False, tooltip="Copy the full guid to the clipboard"),
        Binding("c", "copy_guid", "Copy guid", show=False),
    ]

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.store = CustomerStore()
        self._phase: Phase = "connecting"
        self._refresher: LiveRefresher | None = None
        self._problem: Problem | None = None
        self._last_refreshed: float | None = None
        self._loaded = 0
        self._expected: int | None = None
        self._states: frozenset[str] = frozenset()
        self._types: frozenset[str] = frozenset()
        self._filter_text = ""
        self._summary_text = ""
        #: Successful loads and ticks so far (tests and the bench wait on it).
        self.refresh_count = 0

    @property
    def table(self) -> CustomerTable:
        return self.query_one(CustomerTable)

    @property
    def status(self) -> StatusBar:
        return self.query_one(StatusBar)

    @property
    def phase(self) -> Phase:
        return self._phase

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def failures(self) -> int:
        """Consecutive failed refreshes (0 once one succeeds)."""
        return self._failures

    # ------------------------------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        app = self.cybrid_app
        yield Header()
        yield StateCounters(id="counters")
        with Horizontal(id="filter-bar"):
            # The Input is mounted on the first `/`: one widget less to style before the first frame.
            yield Label("/", id="filter-prompt")
        yield Static("", id="filter-summary")
        yield CustomerTable(self.store, flash_seconds=app.flash_seconds, id="customers")
        yield StatusBar(id="customers-status")
        yield Footer()

    def on_mount(self) -> None:
        app = self.cybrid_app
        self.watch(app, "pii_hidden", self._pii_changed, init=False)
        self.watch(app, "pii_available", self._pii_changed, init=False)
        self.set_interval(CLOCK_SECONDS, self._clock_tick)
        self._show()

    # ------------------------------------------------------------------------------------------ schedule

    def on_screen_resume(self) -> None:
        self._suspended = False
        if self._paused:
            return
        if self._phase == "connecting" and not self._in_flight:
            # First show: the first frame is painted before the worker builds the client (its imports, on a
            # thread, would compete with it), and not a refresh later: that second frame comes ~30 ms on.
            self.call_later(self._run_now)
        else:
            self._run_now()

    def _start_run(self) -> None:
        if self._phase == "live":
            self._tick()
        else:
            self._load()

    # ------------------------------------------------------------------------------------------ workers

    @work(exclusive=True, group=WORKER_GROUP, exit_on_error=False)
    async def _load(self) -> None:
        """Connect (first time), then read every customer into the store, posting progress."""
        from cybrid_tui.api.errors import CybridError
        from cybrid_tui.live.gc_pause import collector_paused

        # The refresher pauses the garbage collector for the load; pausing it here already keeps it off
        # while the client is built too (its imports: ~110 ms of long-lived objects that every pass of the
        # collector would walk), with no collection of all of them in between.
        with collector_paused():
            try:
                refresher = self._refresher
                if refresher is None:
                    from cybrid_tui.live.refresher import LiveRefresher

                    client = await self.cybrid_app.get_client()
                    include_pii = PII_SCOPE in await client.granted_scopes()
                    # A quiet bank (nothing storing) costs 2 requests a tick, not 3 (see the refresher).
                    refresher = LiveRefresher(
                        client, self.store, include_pii=include_pii, take_turns_when_quiet=True
                    )
                    self.post_message(Connected(refresher, include_pii=include_pii))

                def progress(changes: ChangeSet, loaded: int, total: int | None) -> None:
                    self.post_message(CustomersLoading(changes, loaded, total))

                await refresher.load_all(progress)
            except CybridError as error:
                self.post_message(RefreshFailed(error))
            else:
                self.post_message(CustomersLoaded())

    @work(exclusive=True, group=WORKER_GROUP, exit_on_error=False)
    async def _tick(self) -> None:
        """One live-refresh step."""
        from cybrid_tui.api.errors import CybridError

        refresher = self._refresher
        assert refresher is not None  # ticks start after the first load
        try:
            result = await refresher.tick()
        except CybridError as error:
            self.post_message(RefreshFailed(error))
        else:
            self.post_message(CustomersRefreshed(result.changes, result.requests))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if report_worker_failure(self.app, event.worker, event.state) and event.worker.group == WORKER_GROUP:
            # A bug in a refresh: keep the data, say so, and try again later like any failed refresh.
            delay = self._run_failed(None)
            self._problem = Problem("Unexpected error", "see the log file", delay)
            self._show()

    # ------------------------------------------------------------------------------------------ handlers

    @on(Connected)
    def _connected(self, message: Connected) -> None:
        self._refresher = message.refresher
        self.cybrid_app.pii_available = message.include_pii
        self._phase = "loading"
        self._show()

    @on(CustomersLoading)
    def _loading(self, message: CustomersLoading) -> None:
        self._loaded = message.loaded
        self._expected = message.total
        if self._last_refreshed is not None:
            # A reload after an outage: what changed meanwhile is news.
            self.table.flash(message.changes.added | message.changes.state_changed)
        self._show()

    @on(CustomersLoaded)
    def _loaded_all(self, message: CustomersLoaded) -> None:
        self._phase = "live"
        self._succeeded()

    @on(CustomersRefreshed)
    def _refreshed(self, message: CustomersRefreshed) -> None:
        changes = message.changes
        self.table.flash(changes.added | changes.state_changed)
        self._succeeded()

    def _succeeded(self) -> None:
        self.refresh_count += 1
        self._problem = None
        self._last_refreshed = self._now()
        self._run_succeeded()
        self._show()

    @on(RefreshFailed)
    def _failed(self, message: RefreshFailed) -> None:
        error = message.error
        delay = self._run_failed(error)
        log.warning("refresh failed (%s): %s; retrying in %.1f s", error.title, error, delay)
        self._problem = Problem(problem_heading(error.title), error.error_message, delay)
        self._show()

    def _clock_tick(self) -> None:
        self._show()

    def _pii_changed(self) -> None:
        self._show()

    # ------------------------------------------------------------------------------------------ display

    def _show(self) -> None:
        """Bring every widget up to date with the store and the screen's state (cheap when nothing moved)."""
        app = self.cybrid_app
        now = self._now()
        store = self.store
        table = self.table
        table.show_name = app.pii_available is not False and not app.pii_hidden
        table.empty_message = self._empty_message()
        # The table's "3 min ago"s move on CLOCK_SECONDS boundaries only: rows whose minute turns over at
        # different seconds then repaint together, once per boundary, instead of on nearly every refresh.
        table.sync(now - now % CLOCK_SECONDS)
        self.query_one(StateCounters).update_counts(store.counts, self._states)
        pii: Pii
        if app.pii_available is None:
            pii = "hidden" if app.pii_hidden else "unknown"
        elif not app.pii_available:
            pii = "unavailable"
        else:
            pii = "hidden" if app.pii_hidden else "shown"
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
            problem=self._problem,
            sort=self._sort_label(),
        )
        self._show_filter_summary()

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

    def _show_filter_summary(self) -> None:
        parts = []
        if self._filter_text.strip():
            parts.append(f'text "{self._filter_text.strip()}"')
        if self._states:
            parts.append("state " + " or ".join(state for state in STATES if state in self._states))
        if self._types:
            parts.append("type " + " or ".join(sorted(self._types)))
        summary = self.query_one("#filter-summary", Static)
        if parts:
            text = "Filtered by " + ", ".join(parts) + "  (esc clears)"
            if text != self._summary_text:
                # One line whatever the text: only appearing needs a layout pass (the class change does it).
                summary.update(text, layout=False)
                self._summary_text = text
        summary.set_class(bool(parts), "-active")

    # ------------------------------------------------------------------------------------------ filters

    def _apply_filter(self) -> None:
        self.store.set_filter(text=self._filter_text, states=self._states, types=self._types)
        self._show()

    def _filter_input(self) -> Input | None:
        found = self.query("#filter-input")
        return found.first(Input) if found else None

    async def action_filter(self) -> None:
        self.set_class(True, "-filtering")
        filter_input = self._filter_input()
        if filter_input is None:
            from cybrid_tui.widgets.filter_input import FilterInput

            # Filters as each key is handled, so the letter and the filtered table share one frame.
            filter_input = FilterInput(
                self._filter_changed,
                placeholder="type to filter: guid, name, label, type or state (enter keeps, esc clears)",
                id="filter-input",
                select_on_focus=False,
            )
            filter_input.cursor_blink = self.cybrid_app.cursor_blink
            await self.query_one("#filter-bar").mount(filter_input)
        filter_input.focus()

    def _filter_changed(self, value: str) -> None:
        if value != self._filter_text:
            self._filter_text = value
            self._apply_filter()

    @on(Input.Changed, "#filter-input")
    def _filter_typed(self, event: Input.Changed) -> None:
        self._filter_changed(event.value)  # already applied by FilterInput: a no-op then

    @on(Input.Submitted, "#filter-input")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        self._leave_filter()

    def _leave_filter(self) -> None:
        self.set_class(bool(self._filter_text), "-filtering")
        self.table.focus()

    def action_toggle_state(self, state: str) -> None:
        self._states = self._states ^ {state}
        self._apply_filter()

    def action_cycle_type(self) -> None:
        # all -> individual -> business -> all
        if not self._types:
            self._types = frozenset({TYPES[0]})
        elif self._types == {TYPES[0]}:
            self._types = frozenset({TYPES[1]})
        else:
            self._types = frozenset()
        self._apply_filter()

    def action_clear_quick_filters(self) -> None:
        self._states = frozenset()
        self._types = frozenset()
        self._apply_filter()

    def action_clear_filters(self) -> None:
        filter_input = self._filter_input()
        if filter_input is not None and filter_input.has_focus and filter_input.value:
            filter_input.value = ""  # posts Changed: the text filter goes
            self._filter_text = ""
            self._apply_filter()
            self._leave_filter()
            return
        if filter_input is not None and filter_input.has_focus:
            self._leave_filter()
            return
        if not (self._filter_text or self._states or self._types):
            return
        self._states = frozenset()
        self._types = frozenset()
        self._filter_text = ""
        if filter_input is not None:
            with filter_input.prevent(Input.Changed):
                filter_input.value = ""
        self.set_class(False, "-filtering")
        self._apply_filter()

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

    def action_refresh(self) -> None:
        if self._in_flight:
            self.notify("A refresh is already running.", timeout=2)
            return
        self._run_now()

    def action_pause(self) -> None:
        self._paused = not self._paused
        if self._paused:
            self._cancel_timer()
        else:
            self._run_now()
        self._show()

    def action_copy_guid(self) -> None:
        guid = self.table.cursor_guid
        if guid is None:
            return
        self.app.copy_to_clipboard(guid)
        self.notify(f"Copied {guid} to the clipboard.", title="Guid copied", timeout=3)

    @on(CustomerTable.Selected)
    def _open(self, event: CustomerTable.Selected) -> None:
        from cybrid_tui.screens.detail import CustomerDetailScreen

        guid = event.guid

        def back(_: None) -> None:
            self.table.select_guid(guid)

        self.app.push_screen(CustomerDetailScreen(guid, row=self.store.get(guid)), back)

    def action_new_customer(self) -> None:
        client = self.cybrid_app.client
        if client is None:
            self.notify("Still connecting to the Cybrid API; try again in a moment.", timeout=3)
            return
        from cybrid_tui.screens.create_customer import CreateCustomerScreen

        screen = CreateCustomerScreen(
            client=client, clock=self.cybrid_app.clock, cursor_blink=self.cybrid_app.cursor_blink
        )
        self.app.push_screen(screen, self._created)

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
            f"Customer {row.short_guid} created ({row.state or 'state unknown'}).",
            title="Customer created",
            timeout=5,
        )
