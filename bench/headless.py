"""In-process measurement of a Textual app run headless (`App.run_test`), with the terminal output restored.

Headless Textual composes every frame but skips turning it into escape sequences; `FrameProbe` puts that step
back (the rendered text is built and dropped instead of written), so a frame's cost here is a real terminal's
minus the write system call. UI-loop cost is the UI thread's CPU time (`time.thread_time`) from the change to
the painted frame: the app, the pilot and the measured code share one thread and one event loop, and waiting
(for sockets, timers) costs no CPU time, so what is counted is what would hold up keystrokes.
"""

from __future__ import annotations

import asyncio
import time
import unicodedata
from typing import TYPE_CHECKING, Any

from textual import events
from textual._compositor import CompositorUpdate

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.app import App
    from textual.pilot import Pilot

SIZE = (120, 40)


class FrameProbe:
    """Counts the frames an app paints and renders each one to terminal text, as a real terminal run would."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.frames = 0
        self.last_frame_at = 0.0
        self.bytes = 0
        #: Called after each frame (to note what the frame showed).
        self.on_frame: Callable[[], None] | None = None
        original = app._display

        def display(screen: Any, renderable: Any) -> None:
            original(screen, renderable)
            if renderable is None:
                return
            if isinstance(renderable, CompositorUpdate):
                self.bytes += len(renderable.render_segments(app.console))
            self.frames += 1
            self.last_frame_at = time.perf_counter()
            if self.on_frame is not None:
                self.on_frame()

        app._display = display  # type: ignore[method-assign]

    async def settle(self, pilot: Pilot[Any], *, max_pauses: int = 20) -> bool:
        """Let the app process what is pending and paint; True if a frame was painted meanwhile."""
        before = self.frames
        for _ in range(max_pauses):
            await pilot.pause()
            if self.frames > before:
                # One more pass: a paint can schedule follow-up work (scrollbars, counters).
                await pilot.pause()
                return True
        return False

    async def until(self, predicate: Callable[[], bool], *, timeout: float = 30.0) -> float:
        """Wait (without driving the app: no Pilot pauses) for the first frame painted from now on for
        which `predicate` holds when it is painted; returns that frame's `perf_counter` time."""
        hit: list[float] = []
        previous = self.on_frame

        def check() -> None:
            if previous is not None:
                previous()
            if not hit and predicate():
                hit.append(time.perf_counter())

        self.on_frame = check
        deadline = time.perf_counter() + timeout
        try:
            while not hit:
                if time.perf_counter() > deadline:
                    raise TimeoutError(f"no matching frame within {timeout}s")
                await asyncio.sleep(0.0005)
        finally:
            self.on_frame = previous
        return hit[0]


def send_key(app: App[Any], key: str) -> None:
    """Deliver a key press the way the terminal driver does (Pilot.press, minus its waiting for idle)."""
    from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
    except KeyError:
        char = key if len(key) == 1 else None
    event = events.Key(key, char)
    event.set_sender(app)
    assert app._driver is not None
    app._driver.send_message(event)


class CpuTimer:
    """UI-thread CPU time and wall time of a block."""

    def __init__(self) -> None:
        self.cpu = 0.0
        self.wall = 0.0
        self._cpu0 = 0.0
        self._wall0 = 0.0
        self.started = 0.0

    def __enter__(self) -> CpuTimer:
        self._cpu0 = time.thread_time()
        self._wall0 = self.started = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.cpu = time.thread_time() - self._cpu0
        self.wall = time.perf_counter() - self._wall0


def rss_mb() -> float:
    import psutil

    return float(psutil.Process().memory_info().rss) / 2**20
