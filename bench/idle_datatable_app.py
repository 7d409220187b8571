"""Baseline for row 6: a stock DataTable app whose 2 s timer updates 10 cells (the issue's reference point).

`python -m bench.idle_datatable_app ROWS`, run on a pty by `bench.idle` exactly like the real app.
"""

from __future__ import annotations

import random
import sys

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header

from bench.datatable_bench import COLUMNS, STATES, synthetic_rows


class IdleTableApp(App[None]):
    def __init__(self, rows: int) -> None:
        super().__init__()
        self._rows = rows
        self._rng = random.Random(5)

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="table")
        yield Footer()

    def on_mount(self) -> None:
        table: DataTable[str] = self.query_one("#table", DataTable)
        self._columns = table.add_columns(*COLUMNS)
        self._keys = table.add_rows(synthetic_rows(self._rows))
        self.set_interval(2.0, self._tick)

    def _tick(self) -> None:
        table: DataTable[str] = self.query_one("#table", DataTable)
        for index in self._rng.sample(range(len(self._keys)), 10):
            table.update_cell(self._keys[index], self._columns[3], self._rng.choice(STATES))


if __name__ == "__main__":
    IdleTableApp(int(sys.argv[1]) if len(sys.argv) > 1 else 1000).run()
