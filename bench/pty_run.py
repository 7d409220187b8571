"""Run a terminal app under a pseudo-terminal, as a person's terminal would, and watch what it paints.

Time to first frame is read from the outside: the clock starts just before the process is spawned and stops
when the terminal has received the last row of the first full-screen paint (Textual's first compositor
update moves to row 1 and writes every row down to the last). No hook in the app is needed, and a bare
Textual app is timed by exactly the same method.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import termios
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

COLUMNS = 120
ROWS = 40
RECENT_BYTES = 65_536
_ESCAPES = re.compile(r"\x1b\[[0-9;?<>=$]*[A-Za-z~]|\x1b\][^\x07]*\x07|\x1b[=>]")


def plain_text(output: bytes) -> str:
    """Terminal output with its escape sequences dropped (cursor moves and styles), as text."""
    return _ESCAPES.sub("", output.decode("utf-8", "replace"))


class FirstFrameTimeout(RuntimeError):
    """The app did not paint a full screen in time (its output is attached for the report)."""


def terminal_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a plain 256-colour terminal, without the harness's own CYBRID_* settings."""
    from bench.procs import bench_env

    env = bench_env()
    env.update({"TERM": "xterm-256color", "COLORTERM": "truecolor", "COLUMNS": str(COLUMNS)})
    env.update({"LINES": str(ROWS)})
    for name in ("TEXTUAL", "TEXTUAL_DEBUG", "TEXTUAL_DEVTOOLS_PORT"):
        env.pop(name, None)
    if extra:
        env.update(extra)
    return env


@dataclass
class PtyProcess:
    """A child on a pty of ROWS x COLUMNS whose output is drained (and timed) by a reader thread."""

    argv: Sequence[str]
    env: Mapping[str, str]
    cwd: str | None = None
    started: float = 0.0
    process: subprocess.Popen[bytes] | None = None
    _master: int = -1
    _buffer: bytearray = field(default_factory=bytearray)
    _first_frame: float | None = None
    _frame_start: int = -1
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _painted: threading.Event = field(default_factory=threading.Event)
    _reader: threading.Thread | None = None
    #: Bytes the app has written to the terminal so far (what it repaints, when idle).
    received: int = 0
    _closing: bool = False
    #: The latest output (at least RECENT_BYTES of it), to read what the screen says now.
    _recent: bytearray = field(default_factory=bytearray)

    def start(self) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        self._master = master
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            list(self.argv),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=dict(self.env),
            cwd=self.cwd,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self._reader = threading.Thread(target=self._drain, name="pty-reader", daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        last_row = f"\x1b[{ROWS};1H".encode()
        while not self._closing:
            ready, _, _ = select.select([self._master], [], [], 0.1)
            if not ready:
                continue
            try:
                data = os.read(self._master, 65536)
            except OSError:
                break
            if not data:
                break
            now = time.perf_counter()
            with self._lock:
                self.received += len(data)
                # Only the start of the output is kept: enough to find the first frame and to report a crash.
                if len(self._buffer) < 1_000_000:
                    self._buffer.extend(data)
                self._recent.extend(data)
                if len(self._recent) > 2 * RECENT_BYTES:
                    del self._recent[:-RECENT_BYTES]
                if self._first_frame is None:
                    if self._frame_start < 0:
                        self._frame_start = self._buffer.find(b"\x1b[1;1H")
                    if self._frame_start >= 0 and self._buffer.find(last_row, self._frame_start) >= 0:
                        self._first_frame = now
                        self._painted.set()

    def wait_first_frame(self, timeout: float) -> float:
        """Seconds from spawn to the first full-screen paint."""
        deadline = time.perf_counter() + timeout
        while not self._painted.wait(0.05):
            exited = self.process is not None and self.process.poll() is not None
            if exited or time.perf_counter() > deadline:
                break
        if not self._painted.is_set():
            # Let the reader catch the last words of a process that exited (a traceback).
            time.sleep(0.2)
            raise FirstFrameTimeout(
                f"no first frame within {timeout}s from {' '.join(self.argv)}: {self.tail()}"
            )
        assert self._first_frame is not None
        return self._first_frame - self.started

    def tail(self, size: int = 600) -> str:
        with self._lock:
            return bytes(self._buffer[-size:]).decode("utf-8", "replace")

    def screen_text(self) -> str:
        """Everything printed so far with escape sequences dropped (to check what the app shows)."""
        with self._lock:
            return plain_text(bytes(self._buffer))

    def recent_text(self) -> str:
        """The latest output (RECENT_BYTES or more) with escape sequences dropped: what was painted last."""
        with self._lock:
            return plain_text(bytes(self._recent))

    def stop(self) -> None:
        """Kill the child's process group (it was started in a session of its own) and close the pty."""
        self._closing = True
        if self.process is not None:
            if self.process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        if self._reader is not None:
            self._reader.join(timeout=2)
        with contextlib.suppress(OSError):
            os.close(self._master)

    def __enter__(self) -> PtyProcess:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def time_to_first_frame(
    argv: Sequence[str], env: Mapping[str, str], *, cwd: str | None = None, timeout: float = 30.0
) -> float:
    """Seconds from spawning `argv` on a fresh pty to its first full-screen paint."""
    with PtyProcess(argv, env, cwd) as child:
        return child.wait_first_frame(timeout)
