"""Rows 2-4 and 7: the customers table at 10,000 and 100,000 customers, measured in the process that holds it.

Worker: `python -m bench.app_bench --url URL --customers N --ticks K [--filter]`, one fresh process per size
(the RSS reported is this process's: the app, its store and its client, nothing else).

- Listing: time from creating the app (its modules imported; httpx and pydantic not yet, as in production) to
  the first frame showing customer rows, and to the frame showing all of them, through the real data path
  (CybridClient over loopback + LiveRefresher.load_all + CustomerStore + the customers screen), headless.
  Without the customers screen it falls back to the data path alone (client + refresher + store).
- Tick: 1% of the customers change state; the UI-loop cost is the UI thread's CPU time to apply the changed
  rows to the store and paint the table (see bench/headless.py).
- Filter as you type: a word typed one key at a time and erased again; the cost per keystroke.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import gc
import random
import time
from typing import TYPE_CHECKING, Any

from bench.headless import CpuTimer, rss_mb
from bench.procs import bench_settings, emit
from bench.stats import median, percentile
from cybrid_tui.api import vocab

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from textual.pilot import Pilot

    from bench.headless import FrameProbe
    from cybrid_tui.live.rows import CustomerRow
    from cybrid_tui.live.store import CustomerStore

STATES = vocab.CUSTOMER_STATES


def changed_rows(store: CustomerStore, fraction: float, rng: random.Random) -> list[CustomerRow]:
    """A tick's result: `fraction` of the customers, each in a different state and just updated."""
    rows = list(store.rows())
    picked = rng.sample(rows, max(1, int(len(rows) * fraction)))
    now = time.time()
    return [
        dataclasses.replace(
            row,
            state=rng.choice([state for state in STATES if state != row.state]),
            updated_at=now,
            search="",
        )
        for row in picked
    ]


def typed_word(store: CustomerStore) -> str:
    """What a person would type to find a customer: part of a name from the middle of the table."""
    view = store.view
    for row in view[len(view) // 2 : len(view) // 2 + 50]:
        if row.name:
            word = row.name.split()[-1].lower()
            if len(word) >= 3:
                return word[:6]
    return view[len(view) // 2].guid[:6]


async def load_datapath(url: str) -> tuple[CustomerStore, dict[str, Any]]:
    from bench.counting import CountingTransport
    from cybrid_tui.live.refresher import LiveRefresher
    from cybrid_tui.live.store import CustomerStore

    transport = CountingTransport()
    store = CustomerStore()
    started = time.perf_counter()
    first: float | None = None

    def on_progress(changes: object, loaded: int, total: int | None) -> None:
        nonlocal first
        if first is None and loaded > 0:
            first = time.perf_counter() - started

    from cybrid_tui.session import open_session

    async with open_session(bench_settings(url), transport=transport).client as client:
        include_pii = (await client.capabilities()).can_read_pii
        refresher = LiveRefresher(client.customers, store, include_pii=include_pii)
        await refresher.load_all(on_progress)
        every = time.perf_counter() - started
    return store, {
        "first_rows_s": first,
        "all_rows_s": every,
        "requests": transport.count,
        "customers": store.total,
    }


def store_ticks(store: CustomerStore, ticks: int, fraction: float = 0.01) -> list[float]:
    """Store-only tick cost (ms): apply 1% changed rows and read the visible window, as a repaint would."""
    rng = random.Random(3)
    samples = []
    for _ in range(ticks):
        rows = changed_rows(store, fraction, rng)
        with CpuTimer() as timer:
            store.apply(rows)
            _visible: Sequence[CustomerRow] = store.view[0:40]
        samples.append(timer.cpu * 1000)
    return samples


def store_filter(store: CustomerStore) -> tuple[list[float], str]:
    """Store-only filter cost (ms) per keystroke of a word typed and erased."""
    word = typed_word(store)
    texts = [word[:i] for i in range(1, len(word) + 1)] + [word[:i] for i in range(len(word) - 1, -1, -1)]
    samples = []
    for text in texts:
        with CpuTimer() as timer:
            store.set_filter(text=text)
            _visible = store.view[0:40]
            len(store.view)
        samples.append(timer.wall * 1000)
    return samples, word


class BenchBackend:
    """The app's `BackendFactory` for a mock server over loopback, with requests counted at the transport.

    Opened through `cybrid_tui.session` like the real `SettingsBackend` client (same defaults), so the app's
    data path is the production one; httpx and pydantic are imported only when the app asks for the client,
    as in production."""

    demo = False
    description = "benchmark mock server"

    def __init__(self, url: str) -> None:
        self.url = url
        self.transport: Any = None

    def create_client(self) -> Any:
        from bench.counting import CountingTransport
        from cybrid_tui.session import open_session

        self.transport = CountingTransport()
        return open_session(bench_settings(self.url), transport=self.transport).client


def _table_caught_up(screen: Any) -> bool:
    """The customers table has drawn the store's current version (it repaints only on version changes)."""
    table = screen.table
    return bool(getattr(table, "_version", -1) == screen.store.version)


def _filtered_to(screen: Any, text: str) -> Callable[[], bool]:
    """The frame shows the table filtered by `text`."""
    return lambda: bool(screen.filter_bar.filters.text == text and _table_caught_up(screen))


async def measure_app(url: str, customers: int, ticks: int, with_filter: bool) -> dict[str, Any]:
    """Everything through the real app, headless, at the size the server holds."""
    from bench.headless import SIZE, FrameProbe
    from cybrid_tui.app import CybridApp

    result: dict[str, Any] = {}
    backend = BenchBackend(url)
    # No live ticks of its own while measuring (the ticks below are driven by hand).
    started = time.perf_counter()
    app = CybridApp(backend=backend, refresh_seconds=3600)
    probe = FrameProbe(app)
    first_frame: float | None = None
    first_rows: float | None = None
    all_rows: float | None = None

    def on_frame() -> None:
        nonlocal first_frame, first_rows, all_rows
        now = time.perf_counter() - started
        if first_frame is None:
            first_frame = now
        screen = app.screen
        store = getattr(screen, "store", None)
        if store is None or not _table_caught_up(screen):
            return
        if first_rows is None and len(store.view) > 0:
            first_rows = now
        if all_rows is None and getattr(screen, "phase", "") == "live" and store.total >= customers:
            all_rows = now

    probe.on_frame = on_frame
    async with app.run_test(size=SIZE) as pilot:
        # Plain sleeps: a Pilot pause would post to every widget and force a repaint on each poll.
        deadline = time.monotonic() + 120
        while all_rows is None and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        if all_rows is None:
            raise RuntimeError(f"the app did not show all {customers} customers within 120 s")
        screen: Any = app.screen
        store: CustomerStore = screen.store
        result.update(
            first_frame_s=first_frame,
            first_rows_s=first_rows,
            all_rows_s=all_rows,
            customers=store.total,
            load_requests=backend.transport.count if backend.transport else None,
        )
        gc.collect()
        result["rss_mb"] = rss_mb()
        await probe.settle(pilot)

        # Pilot overhead: a settle with nothing to do (reported, not subtracted).
        with CpuTimer() as idle:
            await probe.settle(pilot, max_pauses=2)
        result["settle_overhead_ms"] = idle.cpu * 1000

        if ticks > 0:
            await _ticks(result, app, probe, pilot, ticks)
        if with_filter:
            await _filter(result, app, probe, pilot)
    result["method"] = (
        "headless app (run_test, 120x40) against the mock over loopback; time from creating the app to the "
        f"frame showing the rows (first frame at {first_frame or 0:.2f} s)"
    )
    return result


async def _ticks(result: dict[str, Any], app: Any, probe: FrameProbe, pilot: Pilot[Any], ticks: int) -> None:
    """Row 3: what a tick costs the UI loop; and real ticks (`r`) end to end for reference."""
    from bench.headless import send_key
    from cybrid_tui.messages import CustomersRefreshed

    screen = app.screen
    store = screen.store
    backend: BenchBackend = app.backend
    rng = random.Random(3)
    samples = []
    walls = []
    for _ in range(ticks):
        rows = changed_rows(store, 0.01, rng)
        with CpuTimer() as timer:
            # Exactly what the tick worker does once its responses are parsed, then the screen's handler.
            changes = store.apply(rows)
            screen.post_message(CustomersRefreshed(changes, 3))
            painted_at = await probe.until(lambda: _table_caught_up(screen))
        samples.append(timer.cpu * 1000)
        walls.append((painted_at - timer.started) * 1000)
        # Let the flash timers and the footer settle between ticks, as the 2 s between real ticks would.
        await probe.settle(pilot, max_pauses=2)
    result["tick_ms_p50"] = median(samples)
    result["tick_ms_p95"] = percentile(samples, 95)
    result["tick_wall_ms_p50"] = median(walls)
    result["tick_method"] = (
        f"headless app: store.apply(1% = {len(rows)} changed rows) + CustomersRefreshed handled + the "
        f"frame showing it painted and rendered to terminal text; UI-thread CPU over {ticks} ticks "
        f"(wall to frame p50 {median(walls):.1f} ms)"
    )

    # A real tick end to end (`r`): 3 requests, parsing and applying on the UI loop, then the repaint.
    real = []
    for _ in range(5):
        before = backend.transport.count
        with CpuTimer() as timer:
            send_key(app, "r")
            deadline = time.monotonic() + 30
            while backend.transport.count == before or screen._in_flight:
                if time.monotonic() > deadline:
                    raise RuntimeError("a refresh (r) did not finish within 30 s")
                await asyncio.sleep(0.0005)
            with contextlib.suppress(TimeoutError):
                await probe.until(lambda: True, timeout=0.1)
        real.append((timer.cpu * 1000, timer.wall * 1000, backend.transport.count - before))
        await probe.settle(pilot, max_pauses=2)
    result["real_tick_cpu_ms"] = [sample[0] for sample in real]
    result["real_tick_wall_ms"] = [sample[1] for sample in real]
    result["real_tick_requests"] = [sample[2] for sample in real]


async def _filter(result: dict[str, Any], app: Any, probe: FrameProbe, pilot: Pilot[Any]) -> None:
    """Row 7: a word typed into the filter and erased, key by key."""
    from bench.headless import send_key

    screen = app.screen
    store = screen.store
    word = typed_word(store)
    await pilot.press("slash")
    await probe.settle(pilot)
    keys = [*word, *(["backspace"] * len(word))]
    expected = [word[: i + 1] for i in range(len(word))] + [word[:i] for i in reversed(range(len(word)))]
    latencies = []
    cpu = []
    for key, text in zip(keys, expected, strict=True):
        with CpuTimer() as timer:
            send_key(app, key)
            painted_at = await probe.until(_filtered_to(screen, text))
        latencies.append((painted_at - timer.started) * 1000)
        cpu.append(timer.cpu * 1000)
        await probe.settle(pilot, max_pauses=2)
    result["filter_ms_max"] = max(latencies)
    result["filter_ms_p50"] = median(latencies)
    result["filter_cpu_ms"] = cpu
    result["filter_method"] = (
        f"headless app: {word!r} typed into the filter and erased, key by key as the terminal "
        f"driver delivers them; wall time from key to the frame showing the filtered table, max of "
        f"{len(keys)} (p50 {median(latencies):.1f} ms; UI CPU per key max {max(cpu):.1f} ms)"
    )


async def measure(url: str, customers: int, ticks: int, with_filter: bool) -> dict[str, Any]:
    from importlib.util import find_spec

    if find_spec("cybrid_tui.app") is None or find_spec("cybrid_tui.screens.customers") is None:
        return await measure_store_only(url, customers, ticks, with_filter)
    return await measure_app(url, customers, ticks, with_filter)


async def measure_store_only(url: str, customers: int, ticks: int, with_filter: bool) -> dict[str, Any]:
    """Fallback while the app does not exist: the data path and the store, without a screen."""
    result: dict[str, Any] = {"customers_requested": customers}
    store, listing = await load_datapath(url)
    result.update(listing)
    gc.collect()
    result["rss_mb"] = rss_mb()
    result["method"] = "data path only (client + LiveRefresher.load_all + CustomerStore), no app"
    samples = store_ticks(store, ticks)
    result["tick_ms_p50"] = median(samples)
    result["tick_ms_p95"] = percentile(samples, 95)
    result["tick_method"] = "store only: CustomerStore.apply(1% changed rows) + visible window"
    if with_filter:
        keystrokes, word = store_filter(store)
        result["filter_ms_max"] = max(keystrokes)
        result["filter_ms_p50"] = median(keystrokes)
        result["filter_method"] = (
            f"store only: set_filter per keystroke typing and erasing {word!r}; max of {len(keystrokes)}"
        )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--customers", type=int, required=True)
    parser.add_argument("--ticks", type=int, default=20)
    parser.add_argument("--filter", action="store_true")
    args = parser.parse_args()
    emit(asyncio.run(measure(args.url, args.customers, args.ticks, args.filter)))


if __name__ == "__main__":
    main()
