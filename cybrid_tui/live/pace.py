"""The pace of live refresh: the chosen interval while things move, slower while nothing does.

A bank where nothing changes still costs a listing every tick. After `quiet_ticks` ticks in a row with no
change the interval doubles, and doubles again after as many more, up to `max_factor` times the base (2 s
becomes 4 s, then 8 s). Any change, anything known to be moving (`busy`: a customer `storing`, a
verification being watched) or a key press brings it back to the base at once. The status line says which:
"live · every 2 s" or "live · every 8 s (quiet)".

Pure (no Textual, no clock): the screen owns the timer and re-creates it when `interval` changes.
"""

from __future__ import annotations

from typing import Final

from cybrid_tui.timefmt import interval_text

DEFAULT_QUIET_TICKS: Final = 5
DEFAULT_MAX_FACTOR: Final = 4


class LivePace:
    """The adaptive refresh interval (see the module doc)."""

    def __init__(
        self,
        base_seconds: float,
        *,
        quiet_ticks: int = DEFAULT_QUIET_TICKS,
        max_factor: int = DEFAULT_MAX_FACTOR,
    ) -> None:
        if not base_seconds > 0:
            raise ValueError("the refresh interval must be positive")
        self.base = float(base_seconds)
        self.quiet_ticks = max(1, quiet_ticks)
        self.max_factor = max(1, max_factor)
        self.factor = 1
        self._quiet_streak = 0

    @property
    def interval(self) -> float:
        """Seconds until the next tick."""
        return self.base * self.factor

    @property
    def quiet(self) -> bool:
        """Slowed down because nothing changed for a while."""
        return self.factor > 1

    @property
    def label(self) -> str:
        """For the status line: "live · every 2 s", "live · every 8 s (quiet)"."""
        text = f"live · every {interval_text(self.interval)}"
        return f"{text} (quiet)" if self.quiet else text

    def after_tick(self, *, changed: bool, busy: bool = False) -> float:
        """Record one successful tick; returns the interval until the next one."""
        if changed or busy:
            self._reset()
            return self.interval
        self._quiet_streak += 1
        if self._quiet_streak >= self.quiet_ticks and self.factor < self.max_factor:
            self.factor = min(self.max_factor, self.factor * 2)
            self._quiet_streak = 0
        return self.interval

    def wake(self) -> bool:
        """A key press (or anything the person did): back to the base pace. True when the interval changed,
        so the caller re-creates its timer (and may tick at once)."""
        was = self.factor
        self._reset()
        return was != self.factor

    def _reset(self) -> None:
        self.factor = 1
        self._quiet_streak = 0
