"""The customers screen's export (`e` CSV, `E` JSON): what the table shows, written off the UI thread.

The rows are taken as the table shows them (filters and sort applied) when the key is pressed; turning them
into text and writing the file (`cybrid_tui.live.export`) happen on a thread. Names go in only when they are
shown. The file goes to the current directory; the status line says where for a while, and a notice gives the
full path (the status line may be too narrow for it).
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from cybrid_tui.pii import pii_view
from cybrid_tui.safe_text import safe_text

if TYPE_CHECKING:
    from cybrid_tui.live.export import ExportFormat
    from cybrid_tui.screens.customers import CustomersScreen

log = logging.getLogger(__name__)

#: How long the status line keeps saying where the last export went (app-clock seconds).
NOTICE_SECONDS = 30.0


class ExportDone(NamedTuple):
    path: Path
    rows: int
    at: float  # app-clock POSIX seconds


def shown_path(path: Path) -> str:
    """ "./cybrid-customers-….csv" inside the current directory, the full path elsewhere."""
    try:
        return "./" + str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def export_notice(done: ExportDone | None, now: float) -> str:
    """The status line's message about the last export, while it is recent ("" otherwise)."""
    if done is None or not 0 <= now - done.at < NOTICE_SECONDS:
        return ""
    noun = "customer" if done.rows == 1 else "customers"
    return f"Exported {done.rows:,} {noun} to {shown_path(done.path)}"  # StatusBar makes it safe


def start_export(screen: CustomersScreen, fmt: str) -> None:
    """Export the rows the table shows now, as `fmt` ("csv" or "json")."""
    # Imported here: csv and json are not needed for the first frame (the screen module is on its path).
    from cybrid_tui.live.export import export_directory, render, write_export

    if fmt not in ("csv", "json"):
        raise ValueError(f"unknown export format {fmt!r}")
    app = screen.cybrid_app
    rows = list(screen.store.view)
    if not rows:
        screen.notify("Nothing to export: the table shows no customers.", severity="warning", timeout=4)
        return
    include_names = pii_view(app.pii_available, app.pii_hidden) == "shown"
    now = screen._now()
    kind: ExportFormat = "csv" if fmt == "csv" else "json"

    def write() -> Path:
        text = render(rows, kind, include_names=include_names)
        return write_export(text, kind, directory=export_directory(), now=now)

    async def run() -> None:
        try:
            path = await asyncio.to_thread(write)
        except OSError as error:
            reason = error.strerror or type(error).__name__
            log.warning("export failed: %s", reason)
            screen.notify(
                safe_text(f"Could not write the export to {Path.cwd()}: {reason}."),
                title="Export failed",
                severity="error",
                timeout=8,
                markup=False,
            )
            return
        log.info("exported %d customers to %s", len(rows), path)
        screen.last_export = ExportDone(path, len(rows), now)
        screen.notify(
            f"{len(rows):,} customers as {kind.upper()}:\n{safe_text(str(path))}",
            title="Exported",
            timeout=6,
            markup=False,
        )
        screen._show()

    screen.run_worker(run(), group="export", exclusive=True, exit_on_error=False)
