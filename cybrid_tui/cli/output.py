"""How the commands print what they read: a table, one JSON document, JSON lines or CSV, on stdout.

Objects are printed as the API sent them (the parsed JSON of each page, never a model round trip), page by
page as they arrive, so a listing of any size keeps memory flat and a reader sees the first lines at once.

- JSON (`--json`, `--jsonl`) is ASCII: every character outside printable ASCII is escaped, so no control
  character (C0, C1, DEL), bidirectional override or line separator from the server can reach a terminal
  that `cat`s the output, and the output is still the same JSON to any parser. orjson writes it (ten times
  faster than the standard library: a 10,000-customer listing spent ~45 ms encoding); a line with anything
  outside ASCII is written again by the standard library with `ensure_ascii`, and DEL is escaped, so the
  bytes are the standard library's (a float may spell its exponent `1e-7` for `1e-07`: the same number).
  An object nested too deeply for either is left out and counted (`Unwritable`, `Printer.skipped`).
- Table and CSV cells go through `safe_text` (the project's one function for untrusted text). CSV cells that
  a spreadsheet would run as a formula (starting `=`, `+`, `-`, `@`) get a leading `'`, as OWASP advises.
- Colour only for a terminal, and never with `NO_COLOR` set (https://no-color.org).
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Literal, TextIO

import orjson

from cybrid_tui.safe_text import csv_cell, safe_text

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

Format = Literal["table", "json", "jsonl", "csv"]
FORMATS: Final[tuple[Format, ...]] = ("table", "json", "jsonl", "csv")

_ENCODE_ASCII = json.JSONEncoder(ensure_ascii=True, separators=(",", ":")).encode
_RESET: Final = "\x1b[0m"
_BOLD: Final = "\x1b[1m"
#: Colours of the states in a table, as the app's counters show them.
STATE_COLOURS: Final[dict[str, str]] = {
    "verified": "\x1b[32m",
    "rejected": "\x1b[31m",
    "frozen": "\x1b[36m",
    "storing": "\x1b[33m",
    "unverified": "\x1b[33m",
}


def use_colour(stream: TextIO) -> bool:
    """Colour when `stream` is a terminal and `NO_COLOR` is unset or empty."""
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


@dataclass(frozen=True, slots=True)
class Column:
    """A column of a table or CSV: its header, how to read its text from an object, its table width."""

    header: str
    read: Callable[[Mapping[str, Any]], str]
    #: Table width; None for the last column (as wide as its text, or what the terminal has left).
    width: int | None = None
    #: Colour the cell by its value (STATE_COLOURS) in a terminal.
    coloured: bool = False


class Unwritable(ValueError):
    """An object nested too deeply to write as JSON (only a hostile server sends one)."""


def json_line(document: Any) -> bytes:
    """`document` as one line of compact JSON in printable ASCII, no newline: the same JSON values."""
    try:
        encoded = orjson.dumps(document)
    except (orjson.JSONEncodeError, TypeError):  # an integer past 64 bits, a lone surrogate, 255+ levels
        return _standard_line(document)
    if not encoded.isascii():
        return _standard_line(document)
    # orjson leaves DEL as it is; `ensure_ascii` escapes it, and so does this.
    return encoded.replace(b"\x7f", b"\\u007f") if b"\x7f" in encoded else encoded


def _standard_line(document: Any) -> bytes:
    try:
        return _ENCODE_ASCII(document).encode("ascii")
    except RecursionError:
        raise Unwritable("an object nested too deeply to write as JSON") from None


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


class Printer:
    """Writes objects to `out` in one format; `page()` per page, `close()` once at the end."""

    def __init__(
        self, fmt: Format, columns: Sequence[Column], out: TextIO | None = None, *, colour: bool | None = None
    ) -> None:
        self.format = fmt
        self.columns = columns
        self.out = out if out is not None else sys.stdout
        self.colour = use_colour(self.out) if colour is None else colour
        self.count = 0
        #: Objects left out because no JSON can hold them (see `Unwritable`).
        self.skipped = 0
        self._started = False
        self._width = self._terminal_width()

    def _terminal_width(self) -> int | None:
        """The terminal's width for a table on one; None (no truncation of the last column) otherwise."""
        isatty = getattr(self.out, "isatty", None)
        if self.format != "table" or not (isatty and isatty()):
            return None
        import shutil

        return shutil.get_terminal_size().columns

    def page(self, objects: Iterable[Mapping[str, Any]]) -> None:
        """Print a page of objects and flush, so a reader downstream sees them now."""
        if not self._started:
            self._start()
        lines: list[str]
        if self.format in ("jsonl", "json"):
            encoded: list[bytes] = []
            for item in objects:
                try:
                    encoded.append(json_line(item))
                except Unwritable:
                    self.skipped += 1
            if self.format == "jsonl":
                data = b"".join(line + b"\n" for line in encoded)
            else:
                data = b"".join((b"  " if not self.count and not index else b",\n  ") + line
                                for index, line in enumerate(encoded))  # fmt: skip
            self.count += len(encoded)
            self._write_bytes(data)
            return
        if self.format == "csv":
            lines = [self._csv_row([column.read(item) for column in self.columns]) for item in objects]
        else:
            lines = [self._table_row(item) for item in objects]
        self.count += len(lines)
        if lines:
            self.out.write("\n".join(lines) + "\n")
        self.out.flush()

    def _write_bytes(self, data: bytes) -> None:
        """ASCII bytes straight to the stream's buffer when it has one (no decode and encode again)."""
        buffer = getattr(self.out, "buffer", None)
        if buffer is not None:
            self.out.flush()  # what was written as text goes first
            buffer.write(data)
            buffer.flush()
        else:
            self.out.write(data.decode("ascii"))
            self.out.flush()

    def close(self) -> None:
        if not self._started:
            self._start()
        if self.format == "json":
            self.out.write("\n]\n" if self.count else "]\n")
        self.out.flush()

    def _start(self) -> None:
        self._started = True
        if self.format == "json":
            self.out.write("[\n")
        elif self.format == "csv":
            self.out.write(self._csv_row([column.header for column in self.columns]) + "\n")
        elif self.format == "table":
            cells = [self._cell(column.header.upper(), column) for column in self.columns]
            header = "  ".join(cells).rstrip()
            self.out.write(f"{_BOLD}{header}{_RESET}\n" if self.colour else header + "\n")

    def _cell(self, text: str, column: Column, *, used: int = 0) -> str:
        if column.width is not None:
            return _fit(text, column.width).ljust(column.width)
        if self._width is not None:
            return _fit(text, max(8, self._width - used))
        return text

    def _table_row(self, item: Mapping[str, Any]) -> str:
        cells: list[str] = []
        used = 0
        for column in self.columns:
            text = safe_text(column.read(item))
            cell = self._cell(text, column, used=used)
            used += len(cell) + 2
            if self.colour and column.coloured and text in STATE_COLOURS:
                cell = f"{STATE_COLOURS[text]}{cell}{_RESET}"
            cells.append(cell)
        return "  ".join(cells).rstrip()

    @staticmethod
    def _csv_row(cells: Sequence[str]) -> str:
        return ",".join(_csv_cell(cell) for cell in cells)


def _csv_cell(value: str) -> str:
    text = csv_cell(value)
    if any(char in text for char in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def print_document(document: Any, fmt: Format, out: TextIO | None = None) -> None:
    """One object (`get`, `create`) as JSON (`--json`, `--jsonl`); see `print_fields` for table and CSV."""
    stream = out if out is not None else sys.stdout
    if fmt == "jsonl":
        stream.write(json_line(document).decode("ascii") + "\n")
    else:
        stream.write(json.dumps(document, ensure_ascii=True, indent=2) + "\n")
    stream.flush()


def flatten(document: Mapping[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """(dotted field, text) for every scalar of an object, in the server's order: `name.first`,
    `labels` joined with ", ", `identification_numbers.0.type`."""
    fields: list[tuple[str, str]] = []
    for key, value in document.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            fields.extend(flatten(value, name + "."))
        elif isinstance(value, list) and all(isinstance(item, str) for item in value):
            fields.append((name, ", ".join(value)))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    fields.extend(flatten(item, f"{name}.{index}."))
                else:
                    fields.append((f"{name}.{index}", _scalar(item)))
        else:
            fields.append((name, _scalar(value)))
    return fields


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def print_fields(document: Mapping[str, Any], fmt: Format, out: TextIO | None = None) -> None:
    """One object as `field  value` lines (table) or a two-column CSV (`field,value`)."""
    stream = out if out is not None else sys.stdout
    fields = [(safe_text(name), safe_text(text)) for name, text in flatten(document)]
    if fmt == "csv":
        stream.write("field,value\n")
        stream.write("".join(f"{_csv_cell(name)},{_csv_cell(text)}\n" for name, text in fields))
    else:
        width = max((len(name) for name, _ in fields), default=0)
        colour = use_colour(stream)
        for name, text in fields:
            shown = name.ljust(width)
            if colour:
                shown = f"{_BOLD}{shown}{_RESET}"
                if name == "state" and text in STATE_COLOURS:
                    text = f"{STATE_COLOURS[text]}{text}{_RESET}"
            stream.write(f"{shown}  {text}".rstrip() + "\n")
    stream.flush()
