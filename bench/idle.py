"""Idle rows: CPU time of the real app, idle on a pty with live refresh every 2 s against a quiet mock server.

The app is started as a person would start it (`cybrid-tui` with CYBRID_* pointing at `cybrid-tui
mock-server`), left to load, and then its process's CPU time (user + system, all threads) is read over the
window. The stock DataTable baseline app runs beside it over the same window. Several runs (issue 6's 10k
bank, issue 13's quiet 2k bank) share one window (`measure_together`): each is measured over exactly the
same seconds as its baseline, and CPU time is per process, so they do not count each other's work.

The app may slow its refresh while nothing changes (an adaptive pace): the pace its status line shows at
the end of the window ("live (2 s)", "live · every 8 s (quiet)") is read from the terminal output and
reported.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import psutil

from bench.procs import CLIENT_ID, CLIENT_SECRET
from bench.pty_run import PtyProcess, terminal_env

if TYPE_CHECKING:
    from collections.abc import Sequence

#: The status line's pace: "live (2 s)" at the chosen interval, `LivePace.label` while slowed down
#: ("live · every 8 s (quiet)", cybrid_tui/live/pace.py).
_PACE = re.compile(r"live (?:\(\d+(?:\.\d+)? (?:s|min)\)|· every \d+(?:\.\d+)? (?:s|min)(?: \(quiet\))?)")


@dataclass(frozen=True)
class IdleResult:
    app_pct: float
    baseline_pct: float
    window_s: float
    settle_s: float
    app_bytes_per_s: float
    #: The refresh pace the status line showed last ("live · every 8 s (quiet)"), None when it shows none.
    pace: str | None = None


def shown_pace(screen: str) -> str | None:
    """The last refresh pace painted in `screen` (terminal text without escapes): "live (2 s)", ..."""
    shown = [match.group(0) for match in _PACE.finditer(screen)]
    return shown[-1] if shown else None


def app_argv() -> list[str]:
    script = Path(sys.executable).with_name("cybrid-tui")
    return [str(script)] if script.exists() else [sys.executable, "-m", "cybrid_tui"]


def _cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return float(times.user + times.system)


def _wait_quiet(
    process: psutil.Process, *, timeout: float, period: float = 2.5, threshold: float = 0.03
) -> float:
    """Wait until the process used under `threshold` of a core over one `period` (it finished loading)."""
    started = time.monotonic()
    previous = _cpu_seconds(process)
    while time.monotonic() - started < timeout:
        time.sleep(period)
        now = _cpu_seconds(process)
        if (now - previous) / period < threshold:
            break
        previous = now
    return time.monotonic() - started


class IdleRun:
    """The real app and the baseline app, started early (`start`) and measured later (`measure`).

    Started early so that the mock's newest customers are old news by the window: the mock seeds its newest
    1% as `storing`, moving within its first minute, and a time shown in seconds ("35 s ago") changes on
    every refresh, which is a change on screen. Between `start` and `measure` the two apps only idle."""

    def __init__(self, url: str, rows: int, refresh_seconds: float = 2.0) -> None:
        self._home = tempfile.TemporaryDirectory(prefix="cybrid-bench-idle-")
        home = self._home.name
        env = terminal_env(
            {
                "HOME": home,
                "XDG_STATE_HOME": f"{home}/state",
                "XDG_CONFIG_HOME": f"{home}/cfg",
                "CYBRID_BANK_URL": url,
                "CYBRID_ID_URL": url,
                "CYBRID_CLIENT_ID": CLIENT_ID,
                "CYBRID_CLIENT_SECRET": CLIENT_SECRET,
                "CYBRID_REFRESH_SECONDS": str(refresh_seconds),
            }
        )
        self.app = PtyProcess(app_argv(), env, cwd=home)
        self._start = (0.0, 0.0, 0, 0.0)
        self.baseline = PtyProcess(
            [sys.executable, "-m", "bench.idle_datatable_app", str(rows)],
            terminal_env({"HOME": home}),
            cwd=home,
        )

    def __enter__(self) -> IdleRun:
        self.app.start()
        self.baseline.start()
        self.app.wait_first_frame(60)
        self.baseline.wait_first_frame(60)
        return self

    def __exit__(self, *exc: object) -> None:
        self.app.stop()
        self.baseline.stop()
        self._home.cleanup()

    def _processes(self) -> tuple[psutil.Process, psutil.Process]:
        app, baseline = self.app, self.baseline
        assert app.process is not None and baseline.process is not None
        if app.process.poll() is not None:
            raise RuntimeError(f"the app exited before the idle window: {app.tail()}")
        return psutil.Process(app.process.pid), psutil.Process(baseline.process.pid)

    def settle(self) -> float:
        """Wait until the app and the baseline are idle (done loading); returns the seconds it took."""
        app_proc, base_proc = self._processes()
        return max(_wait_quiet(app_proc, timeout=120), _wait_quiet(base_proc, timeout=30))

    def begin(self) -> None:
        """Start the window: read both processes' CPU time and the bytes painted so far."""
        app_proc, base_proc = self._processes()
        self._start = (
            _cpu_seconds(app_proc),
            _cpu_seconds(base_proc),
            self.app.received,
            time.perf_counter(),
        )

    def end(self, settle: float) -> IdleResult:
        """End the window started by `begin`: both processes' share of one core over the same seconds."""
        app_proc, base_proc = self._processes()
        app_cpu = _cpu_seconds(app_proc)
        base_cpu = _cpu_seconds(base_proc)
        painted = self.app.received
        elapsed = time.perf_counter() - self._start[3]
        if self.app.process is not None and self.app.process.poll() is not None:
            raise RuntimeError(f"the app exited during the idle window: {self.app.tail()}")
        return IdleResult(
            app_pct=100 * (app_cpu - self._start[0]) / elapsed,
            baseline_pct=100 * (base_cpu - self._start[1]) / elapsed,
            window_s=elapsed,
            settle_s=settle,
            app_bytes_per_s=(painted - self._start[2]) / elapsed,
            pace=shown_pace(self.app.recent_text()),
        )

    def measure(self, window: float) -> IdleResult:
        return measure_together([self], window)[0]


def measure_together(runs: Sequence[IdleRun], window: float) -> list[IdleResult]:
    """Settle every run, then measure all of them (apps and baselines) over one window of `window` seconds."""
    started = time.monotonic()
    for run in runs:
        run.settle()
    settle = time.monotonic() - started
    for run in runs:
        run.begin()
    time.sleep(window)
    return [run.end(settle) for run in runs]
