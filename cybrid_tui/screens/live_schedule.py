"""When a self-refreshing screen reads again: one schedule shared by the customers table and the detail view.

One run (a load, a tick, a read) at a time: the next is scheduled when the previous one ends, so runs never
overlap. A success waits `refresh_seconds`; a failure waits longer each time (`cybrid_tui.live.backoff`) and
the first success goes back to the normal pace. Nothing is scheduled while the screen is suspended (another
screen on top) or paused; each screen's `on_screen_resume` decides how to start again when it comes back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

from cybrid_tui.live.backoff import refresh_backoff

#: A run that has shown no sign of life (an answer, a page) for this long is reported as overdue: longer than
#: the default request timeout (10 s), so only a run that retries or a server that drips bytes gets there.
OVERDUE_SECONDS = 15.0
#: `r` during a run restarts it once the run has been silent this long (a run just started is left alone).
RESTART_AFTER_SECONDS = 2.0

if TYPE_CHECKING:
    from textual.timer import Timer

    from cybrid_tui.api.errors import CybridError
    from cybrid_tui.app import CybridApp


class LiveScreen(Screen[None]):
    """A screen that re-reads its data on a timer; subclasses start one run in `_start_run`.

    A run must end in `_run_succeeded()` or `_run_failed(...)`, which schedule the next one.
    """

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._timer: Timer | None = None
        self._in_flight = False
        self._paused = False
        self._suspended = True
        self._failures = 0
        #: App-clock time of the run in flight's last sign of life (its start, a page): None when idle.
        self._run_alive_at: float | None = None

    @property
    def cybrid_app(self) -> CybridApp:
        return self.app  # type: ignore[return-value]

    def _now(self) -> float:
        """The app clock's time as POSIX seconds (a frozen clock in tests and snapshots)."""
        return float(self.cybrid_app.clock.now().timestamp())

    def on_screen_suspend(self) -> None:
        self._suspended = True
        self._cancel_timer()

    def _start_run(self) -> None:
        """Start the worker for one run (called with `_in_flight` already set)."""
        raise NotImplementedError

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _schedule(self, delay: float) -> None:
        self._cancel_timer()
        if self._paused or self._suspended:
            return
        self._timer = self.set_timer(delay, self._run_now)

    def _run_now(self) -> None:
        """Start the next run, unless one is running (it schedules the next when it ends)."""
        self._cancel_timer()
        if self._in_flight:
            return
        self._in_flight = True
        self._run_alive_at = self._now()
        self._start_run()

    def _run_progressed(self) -> None:
        """The run in flight got an answer (a page of a load): it is not stuck."""
        if self._in_flight:
            self._run_alive_at = self._now()

    def run_silent_for(self) -> float | None:
        """Seconds since the run in flight last showed a sign of life (None when no run is in flight)."""
        if not self._in_flight or self._run_alive_at is None:
            return None
        return max(0.0, self._now() - self._run_alive_at)

    def _restart_run(self) -> None:
        """Abandon the run in flight and start again: the new worker replaces it (workers of a screen's
        refresh are exclusive in their group, so starting one cancels the one running)."""
        self._in_flight = False
        self._run_now()

    def _run_succeeded(self) -> None:
        self._in_flight = False
        self._run_alive_at = None
        self._failures = 0
        self._schedule(self._next_interval())

    def _next_interval(self) -> float:
        """Seconds from a successful run to the next (a screen with an adaptive pace says its own)."""
        return self.cybrid_app.refresh_seconds

    def _run_failed(self, error: CybridError | None) -> float:
        """Schedule the retry after a failed run; returns its delay. `error`'s Retry-After may lengthen it."""
        self._in_flight = False
        self._run_alive_at = None
        self._failures += 1
        delay = self._backoff(error)
        self._schedule(delay)
        return delay

    def _backoff(self, error: CybridError | None) -> float:
        retry_after = getattr(error, "retry_after", None)
        return refresh_backoff(
            self.cybrid_app.refresh_seconds,
            self._failures,
            retry_after=float(retry_after) if isinstance(retry_after, int | float) else None,
        )
