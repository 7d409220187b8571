"""The benchmark harness's own logic: verdicts, the printed report, and a tiny first-frame measurement."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

from bench.pty_run import terminal_env, time_to_first_frame
from bench.report import Figure, Report
from bench.stats import percentile

if TYPE_CHECKING:
    from pathlib import Path

    from tests.mock_fixtures import MakeMockServer


def test_report_marks_met_missed_and_unmeasured_targets(tmp_path: Path) -> None:
    report = Report(quick=True)
    report.add(Figure(key="fast", label="fast thing", unit="s", target=0.3, measured=0.25))
    report.add(Figure(key="slow", label="slow thing", unit="ms", target=30, measured=45.0))
    report.add(
        Figure(
            key="vs_sdk",
            label="listing vs SDK",
            unit="s",
            target=10,
            comparison=">=",
            subject="ratio",
            ratio_kind="faster",
            measured=0.2,
            baseline=3.0,
            baseline_label="SDK",
        )
    )
    report.add(Figure(key="broken", label="broken", unit="%", target=0.5, error="worker failed"))

    text = report.render()

    lines = {line.split("  ")[0]: line for line in text.splitlines()}
    assert lines["fast thing"].rstrip().endswith("MET")
    assert lines["slow thing"].rstrip().endswith("MISSED")
    assert "15x faster" in lines["listing vs SDK"]
    assert "ERROR" in lines["broken"]
    assert "3 of 4" not in text and "2 of 4 targets met" in text
    assert "MISSED: slow" in text

    out = tmp_path / "bench.json"
    report.write_json(out)
    figures = {figure["key"]: figure for figure in json.loads(out.read_text())["figures"]}
    assert figures["vs_sdk"]["met"] is True and figures["slow"]["met"] is False
    assert figures["broken"]["met"] is None


def test_percentile_is_a_measured_sample() -> None:
    samples = [float(value) for value in range(1, 101)]
    assert percentile(samples, 95) == 95.0
    assert percentile([7.0], 50) == 7.0


def test_first_frame_of_a_bare_textual_app_is_seen_on_the_pty(tmp_path: Path) -> None:
    seconds = time_to_first_frame(
        [sys.executable, "-m", "bench.bare_app"], terminal_env({"HOME": str(tmp_path)}), cwd=str(tmp_path)
    )
    assert 0 < seconds < 30


async def test_listing_worker_reads_every_customer_over_http(make_mock_server: MakeMockServer) -> None:
    from bench.listing_bench import list_all
    from cybrid_tui.mock.config import MockConfig

    server = make_mock_server(config=MockConfig(customers=250))

    result = await list_all(server.url)

    assert result["customers"] == 250
    assert 0 < result["first_page_s"] <= result["listing_s"] < result["seconds"]
    assert result["import_s"] >= 0
