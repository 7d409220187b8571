"""`e` / `E` export what the table shows (filters and sort applied) to CSV / JSON in the current directory,
and the status line says where the file went."""

from __future__ import annotations

import csv
import json
from typing import TYPE_CHECKING

from tests.functional.test_palette import providers
from tests.support.ui_harness import Harness
from tests.support.waiting import wait_for

if TYPE_CHECKING:
    from pathlib import Path

    import pytest


def exported(folder: Path, suffix: str) -> list[Path]:
    return sorted(folder.glob(f"cybrid-customers-*.{suffix}"))


async def test_e_exports_the_filtered_sorted_rows_as_csv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    h = Harness()
    async with h.app.run_test(size=(100, 24)) as pilot:
        await h.live()
        await pilot.press("3", "s")  # verified only, sorted by the next key
        await pilot.pause()
        shown = [row.guid for row in h.screen.store.view]
        assert 0 < len(shown) < h.screen.store.total
        await pilot.press("e")
        await wait_for(lambda: bool(exported(tmp_path, "csv")), message="the CSV file was written")
        (path,) = exported(tmp_path, "csv")
        with path.open(newline="", encoding="utf-8") as handle:
            lines = list(csv.reader(handle))
        assert lines[0][:4] == ["guid", "type", "state", "name"]
        assert [line[0] for line in lines[1:]] == shown
        assert {line[2] for line in lines[1:]} == {"verified"}
        await wait_for(
            lambda: f"Exported {len(shown)} customers to ./{path.name}" in h.status_text(),
            message="the status line says where the file went",
        )


async def test_shift_e_exports_json_without_hidden_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    h = Harness()
    async with h.app.run_test(size=(100, 24)) as pilot:
        await h.live()
        await pilot.press("i")  # PII hidden: the export carries no names either
        await pilot.press("E")
        await wait_for(lambda: bool(exported(tmp_path, "json")), message="the JSON file was written")
        (path,) = exported(tmp_path, "json")
        await wait_for(lambda: path.stat().st_size > 0, message="the JSON file was filled")
        document = json.loads(path.read_text(encoding="utf-8"))
        assert [record["guid"] for record in document] == [row.guid for row in h.screen.store.view]
        assert all("name" not in record for record in document)


async def test_export_is_in_the_palette(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    h = Harness()
    async with h.app.run_test(size=(100, 24)):
        await h.live()
        hits = [hit for provider in providers(h.screen) async for hit in provider.search("save json")]
        best = max(hits)
        assert best.text == "Customers: Export JSON"
        await best.command()
        await wait_for(lambda: bool(exported(tmp_path, "json")), message="exported from the palette")
