"""The figures of one run, each with its baseline, ratio, target and verdict; printed and saved as JSON.

`python -m bench.report RESULTS.json` prints a saved run (`python -m bench --json RESULTS.json`) as the
README's Performance table (markdown), so the table is regenerated from a run rather than typed.
"""

from __future__ import annotations

import argparse
import json
import operator
import platform
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

Comparison = Literal["<=", ">="]
# What the target is checked against: the measured figure itself, or its ratio to the baseline.
Subject = Literal["measured", "ratio"]
# How the ratio reads: measured / baseline ("x of"), or baseline / measured ("x faster").
RatioKind = Literal["of", "faster"]


@dataclass
class Figure:
    key: str
    label: str
    unit: str
    target: float
    comparison: Comparison = "<="
    subject: Subject = "measured"
    ratio_kind: RatioKind = "of"
    measured: float | None = None
    baseline: float | None = None
    baseline_label: str = ""
    note: str = ""
    error: str = ""

    @property
    def ratio(self) -> float | None:
        if self.measured is None or self.baseline is None or self.measured <= 0 or self.baseline <= 0:
            return None
        if self.ratio_kind == "faster":
            return self.baseline / self.measured
        return self.measured / self.baseline

    @property
    def met(self) -> bool | None:
        value = self.ratio if self.subject == "ratio" else self.measured
        if value is None:
            return None
        check = operator.le if self.comparison == "<=" else operator.ge
        return bool(check(value, self.target))

    def target_text(self) -> str:
        if self.subject == "ratio":
            return f"{self.comparison} {self.target:g}x" + (" faster" if self.ratio_kind == "faster" else "")
        return f"{self.comparison} {_number(self.target, self.unit)}"

    def as_json(self) -> dict[str, object]:
        data = asdict(self)
        data.update(ratio=self.ratio, met=self.met, target_text=self.target_text())
        return data


@dataclass
class Report:
    quick: bool
    figures: list[Figure] = field(default_factory=list)
    context: dict[str, object] = field(default_factory=dict)

    def add(self, figure: Figure) -> Figure:
        self.figures.append(figure)
        return figure

    def write_json(self, path: Path) -> None:
        data = {
            "quick": self.quick,
            "machine": {
                "python": platform.python_version(),
                "platform": platform.platform(),
                "cpus": _cpu_count(),
            },
            "context": self.context,
            "figures": [figure.as_json() for figure in self.figures],
        }
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")

    def render(self) -> str:
        headers = ("figure", "measured", "baseline", "ratio", "target", "met?")
        rows: list[tuple[str, ...]] = []
        for figure in self.figures:
            measured = _number(figure.measured, figure.unit) if figure.measured is not None else "-"
            if figure.error:
                measured = "ERROR"
            baseline = (
                f"{_number(figure.baseline, figure.unit)} ({figure.baseline_label})"
                if figure.baseline is not None
                else (f"- ({figure.baseline_label})" if figure.baseline_label else "-")
            )
            ratio = figure.ratio
            ratio_text = (
                "-"
                if ratio is None
                else f"{ratio:.3g}x" + (" faster" if figure.ratio_kind == "faster" else "")
            )
            verdict = {True: "MET", False: "MISSED", None: "n/a"}[figure.met]
            rows.append((figure.label, measured, baseline, ratio_text, figure.target_text(), verdict))
        widths = [max(len(row[i]) for row in (headers, *rows)) for i in range(len(headers))]
        lines = [
            "  ".join(cell.ljust(width) for cell, width in zip(headers, widths, strict=True)),
            "  ".join("-" * width for width in widths),
        ]
        for row in rows:
            lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
        notes = [f"  [{figure.key}] {figure.note}" for figure in self.figures if figure.note]
        errors = [f"  [{figure.key}] {figure.error}" for figure in self.figures if figure.error]
        if notes:
            lines += ["", "notes:", *notes]
        if errors:
            lines += ["", "errors:", *errors]
        met = sum(1 for figure in self.figures if figure.met)
        missed = [figure.key for figure in self.figures if figure.met is False]
        unknown = [figure.key for figure in self.figures if figure.met is None]
        lines += ["", f"{met} of {len(self.figures)} targets met"]
        if missed:
            lines.append("MISSED: " + ", ".join(missed))
        if unknown:
            lines.append("NOT MEASURED: " + ", ".join(unknown))
        return "\n".join(lines)


def markdown_table(figures: list[dict[str, Any]]) -> str:
    """Figures (as `Figure.as_json` gives them, e.g. read back from `--json`) as the README's table."""
    lines = ["| figure | measured | baseline | target | |", "|---|---|---|---|---|"]
    for figure in figures:
        unit, measured, baseline = figure["unit"], figure.get("measured"), figure.get("baseline")
        cell = "not measured" if measured is None or figure.get("error") else _number(measured, unit)
        ratio = figure.get("ratio")
        if figure.get("subject") == "ratio" and ratio is not None:
            faster = figure.get("ratio_kind") == "faster"
            cell += f" = {ratio:.{3 if ratio < 10 else 2}g}x" + (" faster" if faster else "")
        label = figure.get("baseline_label", "")
        base = f"{label} {_number(baseline, unit)}".strip() if baseline is not None else label or "-"
        verdict = {True: "met", False: "MISSED", None: "n/a"}[figure.get("met")]
        lines.append(f"| {figure['label']} | {cell} | {base} | {figure['target_text']} | {verdict} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.report", description=__doc__)
    parser.add_argument("results", type=Path, help="a JSON file written by `python -m bench --json PATH`")
    args = parser.parse_args(argv)
    data = json.loads(args.results.read_text(encoding="utf-8"))
    print(markdown_table(data["figures"]))
    return 0


def _number(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"
    if unit == "ms":
        return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"
    if unit == "%":
        return f"{value:.2f}%"
    if unit == "MB":
        return f"{value:.0f} MB"
    if unit == "req":
        return f"{value:g} req"
    return f"{value:g} {unit}".strip()


def _cpu_count() -> int | None:
    import os

    return os.cpu_count()


if __name__ == "__main__":
    sys.exit(main())
