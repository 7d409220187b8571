"""Row 1: launch to first frame of `cybrid-tui --demo` against a bare Textual App, in the same run.

Both are spawned the same way (a fresh interpreter on a fresh pty) and alternate run by run, so drift in the
machine's load hits both alike. One discarded warm-up run each fills the page cache and the bytecode cache.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.pty_run import terminal_env, time_to_first_frame
from bench.stats import median


@dataclass(frozen=True)
class StartupResult:
    demo_s: float
    bare_s: float
    widgets_s: float
    runs: int
    demo_samples: tuple[float, ...]
    bare_samples: tuple[float, ...]


def demo_argv() -> list[str]:
    """`cybrid-tui --demo` as installed (the console script next to this interpreter), else `-m`."""
    script = Path(sys.executable).with_name("cybrid-tui")
    if script.exists():
        return [str(script), "--demo"]
    found = shutil.which("cybrid-tui")
    return [found, "--demo"] if found else [sys.executable, "-m", "cybrid_tui", "--demo"]


def measure_startup(runs: int) -> StartupResult:
    variants = {
        "demo": demo_argv(),
        "bare": [sys.executable, "-m", "bench.bare_app"],
        "widgets": [sys.executable, "-m", "bench.bare_app", "--widgets"],
    }
    samples: dict[str, list[float]] = {name: [] for name in variants}
    with tempfile.TemporaryDirectory(prefix="cybrid-bench-home-") as home:
        # The demo writes a request log under the user's state folder: keep the person's own out of it.
        env = terminal_env(
            {"HOME": home, "XDG_STATE_HOME": f"{home}/state", "XDG_CONFIG_HOME": f"{home}/cfg"}
        )
        for argv in variants.values():
            time_to_first_frame(argv, env, cwd=home)
        for _ in range(runs):
            for name, argv in variants.items():
                samples[name].append(time_to_first_frame(argv, env, cwd=home))
    return StartupResult(
        demo_s=median(samples["demo"]),
        bare_s=median(samples["bare"]),
        widgets_s=median(samples["widgets"]),
        runs=runs,
        demo_samples=tuple(samples["demo"]),
        bare_samples=tuple(samples["bare"]),
    )
