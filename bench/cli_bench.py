"""Issue 14's speed rows: `cybrid-tui customers list --jsonl` as whole processes, beside the SDK script.

Worker: `python -m bench.cli_bench --url URL --customers N [--runs R] [--sdk-runs S] [--first-line-runs F]`.
Every measured run is a fresh process started as a person starts it (the installed `cybrid-tui` script,
CYBRID_* pointing at the mock, a HOME of its own so no profile or config file of the developer counts):

- **wall**: from just before the spawn to its exit (`os.wait4`), stdout redirected to a file (`> file`),
  imports included; the SDK script (`bench/sdk_jsonl.py`) is timed the same way;
- **first line**: stdout is a pipe read as it fills; the clock stops at the first newline that arrives;
- **peak RSS**: the child's `ru_maxrss` from `os.wait4` (what `/usr/bin/time -v` reports), for every run.

One untimed run of each side comes first (bytecode caches written, the mock's rendered pages warm). Each
run's output is checked: as many JSON lines as the bank has customers, or the run is an error.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.idle import app_argv
from bench.procs import CLIENT_ID, CLIENT_SECRET, bench_env, emit
from bench.stats import median

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

SDK_SCRIPT = Path(__file__).with_name("sdk_jsonl.py")


class RunFailed(RuntimeError):
    """A measured command exited non-zero or printed the wrong number of lines."""


def child_env(url: str, home: str) -> dict[str, str]:
    env = bench_env()
    env.update(
        {
            "HOME": home,
            "XDG_CONFIG_HOME": f"{home}/cfg",
            "XDG_STATE_HOME": f"{home}/state",
            "CYBRID_BANK_URL": url,
            "CYBRID_ID_URL": url,
            "CYBRID_CLIENT_ID": CLIENT_ID,
            "CYBRID_CLIENT_SECRET": CLIENT_SECRET,
        }
    )
    return env


def cli_argv(include_pii: bool) -> list[str]:
    return [*app_argv(), "customers", "list", "--jsonl", *(["--include-pii"] if include_pii else [])]


def sdk_argv(include_pii: bool) -> list[str]:
    return [sys.executable, str(SDK_SCRIPT), *(["--include-pii"] if include_pii else [])]


def _reap(process: subprocess.Popen[bytes], timeout: float) -> tuple[float, float]:
    """Wait for `process` (polling, so a hung child cannot hang the bench); (exit time, peak RSS in MB)."""
    deadline = time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            ended = time.perf_counter()
            process.returncode = os.waitstatus_to_exitcode(status)
            return ended, usage.ru_maxrss / 1024  # Linux reports KiB
        if time.monotonic() > deadline:
            process.kill()
            process.wait()
            raise RunFailed(f"{process.args!r} did not finish within {timeout:.0f} s")
        time.sleep(0.002)


def _check(process: subprocess.Popen[bytes], lines: int, expected: int, errors: bytes) -> None:
    if process.returncode != 0 or lines != expected:
        raise RunFailed(
            f"{process.args!r} exited {process.returncode} with {lines} lines "
            f"(expected {expected}): {errors.decode('utf-8', 'replace')[-800:]}"
        )


def to_file(
    argv: Sequence[str], env: Mapping[str, str], expected: int, *, timeout: float
) -> dict[str, float]:
    """`argv > file`: seconds from spawn to exit and the child's peak RSS."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(argv), stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=dict(env)
        )
        ended, rss_mb = _reap(process, timeout)
        out.seek(0)
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: out.read(1 << 20), b""))
        err.seek(0)
        _check(process, lines, expected, err.read())
    return {"wall_s": ended - started, "rss_mb": rss_mb}


def to_pipe(
    argv: Sequence[str], env: Mapping[str, str], expected: int, *, timeout: float
) -> dict[str, float]:
    """`argv | reader`: seconds from spawn to the first complete line read, and to exit."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(argv), stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL, env=dict(env), bufsize=0
        )
        assert process.stdout is not None
        fd = process.stdout.fileno()
        first: float | None = None
        lines = 0
        while chunk := os.read(fd, 1 << 16):
            if first is None and b"\n" in chunk:
                first = time.perf_counter()
            lines += chunk.count(b"\n")
        process.stdout.close()
        ended, _ = _reap(process, timeout)
        err.seek(0)
        _check(process, lines, expected, err.read())
    assert first is not None
    return {"first_line_s": first - started, "wall_s": ended - started}


def measure(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="cybrid-bench-cli-") as home:
        env = child_env(args.url, home)
        cli, sdk = cli_argv(args.include_pii), sdk_argv(args.include_pii)
        expected, timeout = args.customers, args.timeout
        sides = [("cli", cli)] + ([("sdk", sdk)] if args.sdk_runs else [])
        for _, argv in sides:  # warm-up, untimed
            to_file(argv, env, expected, timeout=timeout)
        result: dict[str, Any] = {"customers": expected, "include_pii": args.include_pii}
        cli_runs = [to_file(cli, env, expected, timeout=timeout) for _ in range(args.runs)]
        sdk_runs = [to_file(sdk, env, expected, timeout=timeout) for _ in range(args.sdk_runs)]
        cli_first = [to_pipe(cli, env, expected, timeout=timeout) for _ in range(args.first_line_runs)]
        sdk_first = [
            to_pipe(sdk, env, expected, timeout=timeout)
            for _ in range(min(args.first_line_runs, args.sdk_runs))
        ]
    result["cli"] = _summary(cli_runs, cli_first)
    if sdk_runs:
        result["sdk"] = _summary(sdk_runs, sdk_first)
    return result


def _summary(whole: list[dict[str, float]], piped: list[dict[str, float]]) -> dict[str, Any]:
    summary: dict[str, Any] = {
        "wall_s": median([run["wall_s"] for run in whole]),
        "rss_mb": max(run["rss_mb"] for run in whole),
        "wall_samples_s": [run["wall_s"] for run in whole],
        "rss_samples_mb": [run["rss_mb"] for run in whole],
    }
    if piped:
        summary["first_line_s"] = median([run["first_line_s"] for run in piped])
        summary["first_line_samples_s"] = [run["first_line_s"] for run in piped]
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--customers", type=int, required=True, help="customers the mock holds (checked)")
    parser.add_argument("--runs", type=int, default=5, help="timed `> file` runs of the command")
    parser.add_argument("--sdk-runs", type=int, default=3, help="timed runs of the SDK script (0: none)")
    parser.add_argument("--first-line-runs", type=int, default=5, help="runs read through a pipe")
    parser.add_argument("--include-pii", action="store_true", help="both sides ask for personal details")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds one run may take")
    emit(measure(parser.parse_args()))


if __name__ == "__main__":
    main()
