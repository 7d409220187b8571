"""Row 6: CPU time of the real app, idle on a pty with live refresh every 2 s against a quiet mock server.

The app is started as a person would start it (`cybrid-tui` with CYBRID_* pointing at `cybrid-tui
mock-server`), left to load, and then its process's CPU time (user + system, all threads) is read over the
window. The stock DataTable baseline app runs beside it over the same window.
"""

from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from bench.procs import CLIENT_ID, CLIENT_SECRET
from bench.pty_run import PtyProcess, terminal_env


@dataclass(frozen=True)
class IdleResult:
    app_pct: float
    baseline_pct: float
    window_s: float
    settle_s: float
    app_bytes_per_s: float


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

    def measure(self, window: float) -> IdleResult:
        app, baseline = self.app, self.baseline
        assert app.process is not None and baseline.process is not None
        if app.process.poll() is not None:
            raise RuntimeError(f"the app exited before the idle window: {app.tail()}")
        app_proc = psutil.Process(app.process.pid)
        base_proc = psutil.Process(baseline.process.pid)
        settle = max(_wait_quiet(app_proc, timeout=120), _wait_quiet(base_proc, timeout=30))
        app_cpu0, base_cpu0 = _cpu_seconds(app_proc), _cpu_seconds(base_proc)
        bytes0 = app.received
        started = time.perf_counter()
        time.sleep(window)
        elapsed = time.perf_counter() - started
        app_cpu = _cpu_seconds(app_proc) - app_cpu0
        base_cpu = _cpu_seconds(base_proc) - base_cpu0
        painted = app.received - bytes0
        if app.process.poll() is not None:
            raise RuntimeError(f"the app exited during the idle window: {app.tail()}")
        return IdleResult(
            app_pct=100 * app_cpu / elapsed,
            baseline_pct=100 * base_cpu / elapsed,
            window_s=elapsed,
            settle_s=settle,
            app_bytes_per_s=painted / elapsed,
        )
