"""Where the customers screen's data comes from: the first load, the live ticks, and how they went.

`CustomersFeedScreen` runs the workers (through `LiveRefresher`, which applies what it read to the
`CustomerStore`), handles the past-tense messages they post (`cybrid_tui.messages`) and keeps the feed's
state: phase, progress, the last problem, when it last succeeded. What is shown, and the keys, are the
customers screen's (`cybrid_tui.screens.customers`), which subclasses this and implements `_show`.

Refresh schedule (`cybrid_tui.screens.live_schedule`): the first load (every page, with progress), then one
cheap tick every `refresh_seconds` (see `cybrid_tui.live.refresher` for what a tick reads).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from textual import on, work

from cybrid_tui.live.store import CustomerStore
from cybrid_tui.messages import (
    Connected,
    CustomersLoaded,
    CustomersPageLoaded,
    CustomersRefreshed,
    RefreshFailed,
)
from cybrid_tui.screens import report_worker_failure
from cybrid_tui.screens.live_schedule import OVERDUE_SECONDS, RESTART_AFTER_SECONDS, LiveScreen
from cybrid_tui.widgets.customer_table import CustomerTable
from cybrid_tui.widgets.status_bar import Phase, Problem, problem_heading

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.timer import Timer
    from textual.worker import Worker

    from cybrid_tui.live.pace import LivePace
    from cybrid_tui.live.refresher import LiveRefresher
    from cybrid_tui.live.store import ChangeSet
    from cybrid_tui.live.verifications import OpenVerifications

log = logging.getLogger("cybrid_tui.screens.customers")
WORKER_GROUP = "customers"
#: How often the problem line's "Retrying in …" is brought up to date.
COUNTDOWN_SECONDS = 1.0


class CustomersFeedScreen(LiveScreen):
    """The customers screen's data feed; a subclass composes a `CustomerTable` and implements `_show`."""

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.store = CustomerStore()
        self._phase: Phase = "connecting"
        self._refresher: LiveRefresher | None = None
        self._problem: Problem | None = None
        self._countdown: Timer | None = None
        self._last_refreshed: float | None = None
        self._loaded = 0
        self._expected: int | None = None
        #: Successful loads and ticks so far (tests and the bench wait on it).
        self.refresh_count = 0
        #: Open identity verifications by customer (None: the token cannot read them, or not connected).
        self.verifications: OpenVerifications | None = None
        self._pace: LivePace | None = None

    @property
    def table(self) -> CustomerTable:
        return self.query_one(CustomerTable)

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

    def _show(self) -> None:
        """Bring every widget up to date with the store and the feed's state."""
        raise NotImplementedError

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
                    client = await self.cybrid_app.get_client()
                    # Imported after the await: the client's thread has imported it by then, and importing
                    # it here first (~3 ms on the event loop) held up the first frame.
                    from cybrid_tui.live.refresher import LiveRefresher

                    capabilities = await client.capabilities()
                    include_pii = capabilities.can_read_pii
                    # A quiet bank (nothing storing) costs 2 requests a tick, not 3 (see the refresher).
                    tracker = None
                    if capabilities.can_read_verifications:
                        from cybrid_tui.live.verifications import OpenVerifications

                        tracker = OpenVerifications(client.identity_verifications)
                    refresher = LiveRefresher(
                        client.customers,
                        self.store,
                        include_pii=include_pii,
                        take_turns_when_quiet=True,
                        verifications=tracker,
                    )
                    self.post_message(Connected(refresher, capabilities=capabilities))

                def progress(changes: ChangeSet, loaded: int, total: int | None) -> None:
                    self.post_message(CustomersPageLoaded(changes, loaded, total))

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
            self.post_message(
                CustomersRefreshed(result.changes, result.requests, verifications=result.verifications)
            )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if report_worker_failure(self.app, event.worker, event.state) and event.worker.group == WORKER_GROUP:
            # A bug in a refresh: keep the data, say so, and try again later like any failed refresh.
            delay = self._run_failed(None)
            self._problem = Problem("Unexpected error", "see the log file", delay, self._now())
            self._count_down()
            self._show()

    # ------------------------------------------------------------------------------------------ handlers

    @on(Connected)
    def _connected(self, message: Connected) -> None:
        self._refresher = message.refresher
        self.verifications = message.refresher.verifications
        self.cybrid_app.capabilities = message.capabilities
        self._phase = "loading"
        self._show()

    @on(CustomersPageLoaded)
    def _loading(self, message: CustomersPageLoaded) -> None:
        self._run_progressed()
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
        moved = message.verifications is not None and not message.verifications.empty
        self.pace.after_tick(changed=not changes.empty or moved, busy=self._busy())
        self._succeeded()

    def _succeeded(self) -> None:
        self.refresh_count += 1
        self._problem = None
        if self._countdown is not None:
            self._countdown.stop()
            self._countdown = None
        self._last_refreshed = self._now()
        self._run_succeeded()
        self._show()

    @on(RefreshFailed)
    def _failed(self, message: RefreshFailed) -> None:
        error = message.error
        delay = self._run_failed(error)
        log.warning("refresh failed (%s): %s; retrying in %.1f s", error.title, error, delay)
        self._problem = Problem(problem_heading(error.title), error.error_message, delay, self._now())
        self._count_down()
        self._show()

    def _count_down(self) -> None:
        """Repaint every second while a retry is due: "Retrying in 8 s." counts down (stops on success)."""
        if self._countdown is None:
            self._countdown = self.set_interval(COUNTDOWN_SECONDS, self._show)

    def _overdue(self) -> Problem | None:
        """A problem line for a run that has not answered for `OVERDUE_SECONDS` (None otherwise)."""
        silent = self.run_silent_for()
        if silent is None or silent < OVERDUE_SECONDS:
            return None
        return Problem("Refresh overdue", f"no answer for {silent:.0f} s (r restarts it)")

    def _notices(self) -> tuple[str, ...]:
        """Why the load holds fewer customers than the server counts (a ceiling, a list that ended early)."""
        notice = self._refresher.load_notice if self._refresher is not None else None
        return (f"⚠ {notice}",) if notice else ()

    def action_refresh(self) -> None:
        silent = self.run_silent_for()
        if silent is not None:
            if silent < RESTART_AFTER_SECONDS:
                self.notify("A refresh is already running.", timeout=2)
                return
            # A run that is not answering (a slow drip, a server that never ends a load): start afresh.
            log.info("refresh restarted by the user after %.0f s without an answer", silent)
            self.notify("Restarting the refresh.", timeout=2)
            self._restart_run()
            self._show()
            return
        self._run_now()

    # ------------------------------------------------------------------------------- pace and verifications

    @property
    def pace(self) -> LivePace:
        """The adaptive pace of live ticks: slower while nothing changes, the base on a change or a key."""
        if self._pace is None:
            from cybrid_tui.live.pace import LivePace

            self._pace = LivePace(self.cybrid_app.refresh_seconds)
        return self._pace

    def _next_interval(self) -> float:
        return self.pace.interval if self._phase == "live" else self.cybrid_app.refresh_seconds

    def _busy(self) -> bool:
        """Something is about to move: a customer being stored, a verification being created."""
        tracker = self.verifications
        storing = tracker is not None and any(item.state == "storing" for item in tracker.customers.values())
        return storing or bool(self.store.counts.get("storing"))

    def on_key(self) -> None:
        # Any key: the person is looking, so back to the base pace (and sooner, when the next tick was far).
        if not self.pace.wake():
            return
        if self._timer is not None and not self._in_flight:
            self._schedule(self.pace.interval)
        self._show()  # the status line drops "(quiet)"

    def _pace_label(self) -> str | None:
        """ "live · every 8 s (quiet)" while slowed down (None at the base pace: the usual "live (2 s)")."""
        pace = self._pace
        return pace.label if pace is not None and pace.quiet and self._phase == "live" else None

    def _sync_kyc(self) -> str:
        """Point the table's KYC column at the tracker; returns the status line's KYC part ("" for none)."""
        table, tracker = self.table, self.verifications
        show = tracker is not None and len(tracker) > 0
        table.kyc = _kyc_text(tracker) if tracker is not None else _no_kyc
        if show != table.show_kyc:
            table.show_kyc = show
            table.refresh()
        caps = self.cybrid_app.capabilities
        if caps is not None and not caps.can_read_verifications:
            return "no KYC access (identity_verifications:read)"
        if tracker is None or not tracker.ready or not tracker.open_total:
            return ""
        return f"KYC {tracker.open_total:,} in progress"


def _no_kyc(guid: str) -> str:
    return ""


def _kyc_text(tracker: OpenVerifications) -> Callable[[str], str]:
    def text(guid: str) -> str:
        item = tracker.get(guid)
        if item is None:
            return ""
        # More than one open for a customer is a duplicate someone should look at: say so.
        return item.state if item.count == 1 else f"{item.state} ({item.count})"

    return text
