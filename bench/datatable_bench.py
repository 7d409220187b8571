"""Baselines for rows 2-4 and 7: the stock Textual DataTable holding the same columns, measured headless.

Worker: `python -m bench.datatable_bench --rows N --ticks K [--filter]`, one process per size so the memory
figure is the table's alone. The table is used the way its docs suggest: `add_rows` to load, `update_cell`
for changed cells, and `clear()` + `add_rows` of the matches to filter (it has no filter of its own).
"""

from __future__ import annotations

import argparse
import random
import time
from typing import TYPE_CHECKING, Any

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header

from bench.headless import SIZE, CpuTimer, FrameProbe, rss_mb
from bench.procs import emit
from bench.stats import median, percentile
from cybrid_tui.api import vocab

if TYPE_CHECKING:
    from textual.widgets.data_table import ColumnKey

STATES = vocab.CUSTOMER_STATES
TYPES = vocab.CUSTOMER_TYPES
COLUMNS = ("GUID", "Type", "Name", "State", "Labels", "Created", "Updated")


def synthetic_rows(count: int, *, seed: int = 7) -> list[tuple[str, ...]]:
    """Display strings shaped like the customers table's (guid, type, name, state, labels, times)."""
    rng = random.Random(seed)
    first = ("Ada", "Grace", "Alan", "Edsger", "Barbara", "Ken", "Dennis", "Frances", "Radia", "Leslie")
    last = ("Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Thompson", "Ritchie", "Allen", "Perlman")
    rows: list[tuple[str, ...]] = []
    for index in range(count):
        guid = f"{rng.getrandbits(128):032x}"
        rows.append(
            (
                guid,
                rng.choice(TYPES),
                f"{rng.choice(first)} {rng.choice(last)}",
                rng.choice(STATES),
                "vip" if index % 17 == 0 else "",
                f"{index % 59 + 1} min ago",
                f"{index % 23 + 1} min ago",
            )
        )
    return rows


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="table")
        yield Footer()


async def measure(rows: int, ticks: int, with_filter: bool) -> dict[str, Any]:
    data = synthetic_rows(rows)
    app = TableApp()
    result: dict[str, Any] = {"rows": rows}
    async with app.run_test(size=SIZE) as pilot:
        probe = FrameProbe(app)
        table: DataTable[str] = app.query_one("#table", DataTable)
        keys: list[ColumnKey] = table.add_columns(*COLUMNS)
        await probe.settle(pilot)
        rss_before = rss_mb()
        started = time.perf_counter()
        row_keys = table.add_rows(data)
        await probe.settle(pilot)
        result["load_s"] = probe.last_frame_at - started
        result["rss_mb"] = rss_mb()
        result["rss_delta_mb"] = result["rss_mb"] - rss_before

        rng = random.Random(11)
        state_column = keys[3]
        samples = []
        for _ in range(ticks):
            changed = rng.sample(range(rows), max(1, rows // 100))
            with CpuTimer() as timer:
                for index in changed:
                    table.update_cell(row_keys[index], state_column, rng.choice(STATES))
                # Measured like the customers table's ticks: up to the frame that shows the change.
                await probe.until(lambda: True)
            samples.append(timer.cpu * 1000)
            await probe.settle(pilot, max_pauses=2)
        if samples:
            result["tick_ms_p50"] = median(samples)
            result["tick_ms_p95"] = percentile(samples, 95)

        if with_filter:
            # One keystroke narrowing the table: "a" over names keeps most rows, the usual first keystroke.
            with CpuTimer() as timer:
                table.clear()
                table.add_rows(row for row in data if "a" in row[2].lower())
                await probe.settle(pilot)
            result["filter_ms"] = timer.wall * 1000
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--ticks", type=int, default=10)
    parser.add_argument("--filter", action="store_true")
    args = parser.parse_args()
    import asyncio

    emit(asyncio.run(measure(args.rows, args.ticks, args.filter)))


if __name__ == "__main__":
    main()
