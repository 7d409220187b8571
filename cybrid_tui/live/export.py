"""Export what the customers table shows (after its filters and sort) to a CSV or JSON file.

Pure except for `write_export`, which writes one new file and never overwrites one. Every cell is made safe
with `safe_text` (the guid comes from the server as sent); in CSV a cell that a spreadsheet would run as a
formula (starting with `=`, `+`, `-` or `@`) gets a leading apostrophe, as spreadsheets expect. Names are
exported only when they are shown (`include_names`): an export with PII hidden carries no names either.
The file is readable by its owner only, like the log: it may hold personal data.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from cybrid_tui.safe_text import csv_cell, safe_text

if TYPE_CHECKING:
    from collections.abc import Iterable

    from cybrid_tui.live.rows import CustomerRow

ExportFormat = Literal["csv", "json"]
FORMATS: tuple[ExportFormat, ...] = ("csv", "json")
#: The fields of a row, in file order ("name" only when names are shown).
FIELDS = ("guid", "type", "state", "name", "labels", "created_at", "updated_at")
_FILE_MODE = 0o600


def iso_time(seconds: float) -> str:
    """ "2026-11-25T12:00:00Z"; "" for a time the server did not send (0)."""
    if not seconds > 0:
        return ""
    when = dt.datetime.fromtimestamp(seconds, dt.UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%S") + (f".{when.microsecond:06d}" if when.microsecond else "") + "Z"


def fields(*, include_names: bool) -> tuple[str, ...]:
    return FIELDS if include_names else tuple(name for name in FIELDS if name != "name")


def records(rows: Iterable[CustomerRow], *, include_names: bool) -> list[dict[str, str | list[str]]]:
    """The rows as plain records, every string made safe; labels a list."""
    out: list[dict[str, str | list[str]]] = []
    for row in rows:
        record: dict[str, str | list[str]] = {
            "guid": safe_text(row.guid),
            "type": safe_text(row.type),
            "state": safe_text(row.state),
        }
        if include_names:
            record["name"] = safe_text(row.name or "")
        record["labels"] = [safe_text(label) for label in row.labels]
        record["created_at"] = iso_time(row.created_at)
        record["updated_at"] = iso_time(row.updated_at)
        out.append(record)
    return out


def to_csv(rows: Iterable[CustomerRow], *, include_names: bool) -> str:
    """A header line and one line per row; labels joined with ", " in one cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    names = fields(include_names=include_names)
    writer.writerow(names)
    for record in records(rows, include_names=include_names):
        cells = []
        for name in names:
            value = record[name]
            cells.append(csv_cell(", ".join(value) if isinstance(value, list) else value))
        writer.writerow(cells)
    return buffer.getvalue()


def to_json(rows: Iterable[CustomerRow], *, include_names: bool) -> str:
    """A JSON array of objects, one per row, in the table's order."""
    return json.dumps(records(rows, include_names=include_names), ensure_ascii=False, indent=2) + "\n"


def render(rows: Iterable[CustomerRow], fmt: ExportFormat, *, include_names: bool) -> str:
    if fmt == "csv":
        return to_csv(rows, include_names=include_names)
    return to_json(rows, include_names=include_names)


def file_name(fmt: ExportFormat, now: float) -> str:
    """ "cybrid-customers-20261125-120000.csv" (UTC): sorts by time, no characters a shell minds."""
    stamp = dt.datetime.fromtimestamp(now, dt.UTC).strftime("%Y%m%d-%H%M%S")
    return f"cybrid-customers-{stamp}.{fmt}"


def write_export(text: str, fmt: ExportFormat, *, directory: Path, now: float) -> Path:
    """Write `text` to a new file in `directory` (owner-only); "-2", "-3" … when the name is taken.
    Raises OSError when the folder cannot be written."""
    base = file_name(fmt, now)
    stem, suffix = base.rsplit(".", 1)
    for attempt in range(1, 100):
        path = directory / (base if attempt == 1 else f"{stem}-{attempt}.{suffix}")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _FILE_MODE)
        except FileExistsError:
            continue
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        return path
    raise FileExistsError(f"{directory / base} and 98 numbered variants exist already")


def export_directory() -> Path:
    """Where exports go: the current directory, like a shell redirect would put them."""
    return Path.cwd()
