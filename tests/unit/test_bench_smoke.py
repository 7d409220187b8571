"""The benchmark harness's own logic: verdicts, the printed report, and a tiny first-frame measurement."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from bench.pty_run import terminal_env, time_to_first_frame
from bench.report import Figure, Report
from bench.stats import percentile

if TYPE_CHECKING:
    from pathlib import Path

    from tests.support.mock_server import MakeMockServer


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


def test_cli_bench_times_the_command_and_the_sdk_script_as_whole_processes(
    make_mock_server: MakeMockServer,
) -> None:
    from bench.cli_bench import measure
    from cybrid_tui.mock.config import MockConfig

    server = make_mock_server(config=MockConfig(customers=250))
    options = {"runs": 1, "sdk_runs": 1, "first_line_runs": 1, "include_pii": False, "timeout": 120.0}

    result = measure(argparse.Namespace(url=server.url, customers=250, **options))

    for side in ("cli", "sdk"):  # each run's output was checked: 250 JSON lines, exit status 0
        assert 0 < result[side]["first_line_s"] < 30
        assert 0 < result[side]["wall_s"] < 60
        assert result[side]["rss_mb"] > 10  # a Python process, in MB (ru_maxrss is KiB on Linux)


def test_idle_bench_reads_the_pace_the_status_line_shows_last() -> None:
    from bench.idle import shown_pace

    painted = "● live (2 s)  refreshed 2 s ago  2,000 customers ● live · every 8 s (quiet)  refreshed"
    assert shown_pace(painted) == "live · every 8 s (quiet)"
    assert shown_pace("● live (2 s)  2,000 customers") == "live (2 s)"
    assert shown_pace("loaded 300 / 2,000") is None


def test_saved_run_becomes_the_readme_table(tmp_path: Path) -> None:
    from bench.report import main as report_main
    from bench.report import markdown_table

    report = Report(quick=False)
    report.add(
        Figure(
            key="cli10k_vs_sdk",
            label="list > file, 10k",
            unit="s",
            target=10,
            comparison=">=",
            subject="ratio",
            ratio_kind="faster",
            measured=0.25,
            baseline=3.0,
            baseline_label="SDK script",
        )
    )
    report.add(Figure(key="idle", label="idle CPU", unit="%", target=0.5, measured=0.62))
    out = tmp_path / "bench.json"
    report.write_json(out)

    table = markdown_table(json.loads(out.read_text())["figures"]).splitlines()

    assert table[0] == "| figure | measured | baseline | target | |"
    assert table[2] == "| list > file, 10k | 250 ms = 12x faster | SDK script 3.00 s | >= 10x faster | met |"
    assert table[3] == "| idle CPU | 0.62% | - | <= 0.50% | MISSED |"
    assert report_main([str(out)]) == 0
