"""The live data layer alone at 10,000 and 100,000 customers: bulk load, refresh ticks, filter, sort, memory.

    python -m bench.store_bench            # both sizes, each in a fresh process (clean RSS figures)
    python -m bench.store_bench --size 100000 --json

No Textual and no network: this measures what the store costs on the UI thread, the part the table adds on top
is measured by the full benchmark (`python -m bench`). `measure(size)` returns the figures for other code.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import os
import random
import subprocess
import sys
import time
from typing import TYPE_CHECKING

from bench.stats import median, percentile
from cybrid_tui.api import vocab
from cybrid_tui.live.rows import CustomerRow
from cybrid_tui.live.store import CustomerStore

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

PER_PAGE = 100
PAGES_PER_BATCH = 50  # what LiveRefresher applies at most per batch during a load
STATES = vocab.CUSTOMER_STATES
STATE_WEIGHTS = (1, 30, 60, 5, 4)
FIRST = ("Ada", "Grace", "Alan", "Barbara", "Edsger", "Frances", "Ken", "Margaret", "Dennis", "Radia")
LAST = ("Lovelace", "Hopper", "Turing", "Liskov", "Dijkstra", "Allen", "Thompson", "Hamilton", "Ritchie")
# Typed one key at a time, then erased: a name fragment, then a guid prefix.
TYPED = ("h", "ho", "hop", "hopp", "hoppe", "hopper", "hoppe", "hopp", "hop", "ho", "h", "", "3", "3f", "3fa")


@dataclasses.dataclass
class StoreFigures:
    size: int
    rows_seconds: float  # building the CustomerRow objects (what the refresher converts), for reference
    load_seconds: float  # store.apply of every page, in the refresher's batches
    tick_p50_ms: float  # 1% of the customers change state, default sort (created, newest first)
    tick_p95_ms: float
    tick_state_sort_p50_ms: float  # the same, sorted by state: every changed row moves
    tick_state_sort_p95_ms: float
    tick_filtered_p50_ms: float  # the same, with a quick filter on two states
    tick_filtered_p95_ms: float
    idle_tick_ms: float  # a tick's 300 rows, none changed
    filter_keystroke_median_ms: float
    filter_keystroke_max_ms: float
    sort_switch_ms: dict[str, float]
    rss_growth_mb: float  # rows + store, from an empty process


def _rss_mb() -> float:
    with open(f"/proc/{os.getpid()}/statm") as statm:  # noqa: PTH123 - Linux only, no psutil needed
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def _customers(size: int, rnd: random.Random) -> list[CustomerRow]:
    """Newest first, as the API lists them."""
    base = 1_760_000_000.0
    rows = []
    for index in range(size):
        created = base + (size - index) * 7.3 + rnd.random()
        rows.append(
            CustomerRow(
                guid=f"{rnd.getrandbits(128):032x}",
                type="business" if rnd.random() < 0.2 else "individual",
                state=rnd.choices(STATES, STATE_WEIGHTS)[0],
                name=f"{rnd.choice(FIRST)} {rnd.choice(LAST)}",
                labels=("vip",) if rnd.random() < 0.05 else (),
                created_at=created,
                updated_at=created + rnd.random() * 1000,
            )
        )
    return rows


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _ticks(store: CustomerStore, rnd: random.Random, count: int, changed: int) -> list[float]:
    samples = []
    known = list(store.rows())
    for _ in range(count):
        fresh = []
        for row in rnd.sample(known, changed):
            state = rnd.choice([s for s in STATES if s != row.state])
            fresh.append(dataclasses.replace(row, state=state, updated_at=row.updated_at + 5, search=""))
        samples.append(_timed(lambda fresh=fresh: store.apply(fresh)) * 1000)  # type: ignore[misc]
    return samples


def measure(size: int, *, seed: int = 7, ticks: int = 40) -> StoreFigures:
    rnd = random.Random(seed)
    gc.collect()
    rss_before = _rss_mb()
    start = time.perf_counter()
    customers = _customers(size, rnd)
    rows_seconds = time.perf_counter() - start

    store = CustomerStore()
    batch = PER_PAGE * PAGES_PER_BATCH
    # page 0 at once, then the refresher's batches
    batches = [customers[:PER_PAGE]] + [
        customers[offset : offset + batch] for offset in range(PER_PAGE, size, batch)
    ]
    del customers
    load_seconds = 0.0
    for rows in batches:
        load_seconds += _timed(lambda rows=rows: store.apply(rows))  # type: ignore[misc]
    del batches
    gc.collect()
    rss_growth = _rss_mb() - rss_before

    changed = max(1, size // 100)
    default_ticks = _ticks(store, rnd, ticks, changed)
    idle = list(store.rows())[:300]
    idle_copy = [dataclasses.replace(row) for row in idle]
    idle_tick_ms = median([_timed(lambda: store.apply(idle_copy)) * 1000 for _ in range(20)])

    store.set_sort("state", descending=False)
    state_ticks = _ticks(store, rnd, ticks, changed)
    store.set_sort("created", descending=True)
    store.set_filter(states=frozenset({"unverified", "storing"}))
    filtered_ticks = _ticks(store, rnd, ticks, changed)
    store.set_filter()

    keystrokes = [_timed(lambda text=text: store.set_filter(text=text)) * 1000 for text in TYPED]  # type: ignore[misc]
    store.set_filter()

    sort_switch: dict[str, float] = {}
    for key, descending in (("updated", True), ("state", False), ("type", False), ("name", False)):
        sort_switch[f"{key}{' desc' if descending else ''}"] = (
            _timed(lambda key=key, descending=descending: store.set_sort(key, descending=descending)) * 1000  # type: ignore[misc]
        )
    sort_switch["created desc"] = _timed(lambda: store.set_sort("created", descending=True)) * 1000
    sort_switch["created asc (flip)"] = _timed(lambda: store.set_sort("created", descending=False)) * 1000

    return StoreFigures(
        size=size,
        rows_seconds=rows_seconds,
        load_seconds=load_seconds,
        tick_p50_ms=median(default_ticks),
        tick_p95_ms=percentile(default_ticks, 95),
        tick_state_sort_p50_ms=median(state_ticks),
        tick_state_sort_p95_ms=percentile(state_ticks, 95),
        tick_filtered_p50_ms=median(filtered_ticks),
        tick_filtered_p95_ms=percentile(filtered_ticks, 95),
        idle_tick_ms=idle_tick_ms,
        filter_keystroke_median_ms=median(keystrokes),
        filter_keystroke_max_ms=max(keystrokes),
        sort_switch_ms=sort_switch,
        rss_growth_mb=rss_growth,
    )


def _print(figures: StoreFigures) -> None:
    print(f"{figures.size:,} customers")
    print(
        f"  building rows            {figures.rows_seconds * 1000:8.1f} ms (reference: the refresher's share)"
    )
    print(f"  bulk load (store.apply)  {figures.load_seconds * 1000:8.1f} ms")
    print(f"  tick, 1% state changes   p50 {figures.tick_p50_ms:6.2f} ms   p95 {figures.tick_p95_ms:6.2f} ms")
    print(
        f"    sorted by state        p50 {figures.tick_state_sort_p50_ms:6.2f} ms"
        f"   p95 {figures.tick_state_sort_p95_ms:6.2f} ms"
    )
    print(
        f"    filtered by state      p50 {figures.tick_filtered_p50_ms:6.2f} ms"
        f"   p95 {figures.tick_filtered_p95_ms:6.2f} ms"
    )
    print(f"  tick, nothing changed    {figures.idle_tick_ms:8.2f} ms (300 rows compared)")
    print(
        f"  filter per keystroke     median {figures.filter_keystroke_median_ms:5.2f} ms"
        f"   max {figures.filter_keystroke_max_ms:5.2f} ms"
    )
    for key, ms in figures.sort_switch_ms.items():
        print(f"  sort switch to {key:<18}{ms:7.1f} ms")
    print(f"  RSS growth (rows + store){figures.rss_growth_mb:8.1f} MB")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--size", type=int, action="append", help="customers (repeatable; default 10000 and 100000)"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    sizes: list[int] = args.size or [10_000, 100_000]
    if len(sizes) == 1:
        figures = measure(sizes[0])
        if args.json:
            print(json.dumps(dataclasses.asdict(figures)))
        else:
            _print(figures)
        return 0
    for size in sizes:  # one process per size: memory figures start from an empty heap
        command = [sys.executable, "-m", "bench.store_bench", "--size", str(size)]
        subprocess.run([*command, "--json"] if args.json else command, check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
