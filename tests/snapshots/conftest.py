"""Shared by every snapshot test: what would differ between machines is fixed here."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _fixed_log_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """The help screen shows the log file's path: the same on every machine, and whatever another test left
    configured (a file handler from a launch test would otherwise name its temporary folder)."""
    monkeypatch.setattr(
        "cybrid_tui.logging_setup.log_file_path",
        lambda: Path.home() / ".local/state/cybrid-tui/log/cybrid-tui.log",
    )
