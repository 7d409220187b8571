"""Starting the app: configuration problems end in a short message (exit 2), demo needs nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING, Any

import pytest

from cybrid_tui import launch as launch_module
from cybrid_tui.app import CybridApp
from cybrid_tui.backend import DemoBackend, SettingsBackend

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture
def ran(monkeypatch: pytest.MonkeyPatch) -> list[CybridApp]:
    """Capture the app `launch` builds instead of taking over the terminal."""
    apps: list[CybridApp] = []

    def run(self: CybridApp, *args: Any, **kwargs: Any) -> None:
        apps.append(self)

    monkeypatch.setattr(CybridApp, "run", run)
    return apps


def test_missing_credentials_name_the_variables_and_suggest_demo(capsys: pytest.CaptureFixture[str]) -> None:
    status = launch_module.launch(demo=False, refresh_seconds=None, log_level="info")
    assert status == 2
    err = capsys.readouterr().err
    assert "CYBRID_CLIENT_ID" in err and "CYBRID_CLIENT_SECRET" in err
    assert "--demo" in err
    assert "Traceback" not in err


def test_plain_http_to_a_remote_host_is_refused_before_starting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], ran: list[CybridApp]
) -> None:
    monkeypatch.setenv("CYBRID_CLIENT_ID", "id")
    monkeypatch.setenv("CYBRID_CLIENT_SECRET", "s3cret-value")
    monkeypatch.setenv("CYBRID_BANK_URL", "http://bank.example.com")
    status = launch_module.launch(demo=False, refresh_seconds=None, log_level="info")
    assert status == 2
    err = capsys.readouterr().err
    assert "CYBRID_BANK_URL" in err
    assert "s3cret-value" not in err
    assert not ran


def test_configured_app_uses_the_settings(monkeypatch: pytest.MonkeyPatch, ran: list[CybridApp]) -> None:
    monkeypatch.setenv("CYBRID_CLIENT_ID", "id")
    monkeypatch.setenv("CYBRID_CLIENT_SECRET", "secret")
    monkeypatch.setenv("CYBRID_BANK_URL", "http://127.0.0.1:8123")
    monkeypatch.setenv("CYBRID_ID_URL", "http://127.0.0.1:8123")
    monkeypatch.setenv("CYBRID_REFRESH_SECONDS", "7")
    assert launch_module.launch(demo=False, refresh_seconds=None, log_level="debug") == 0
    (app,) = ran
    assert isinstance(app.backend, SettingsBackend)
    assert app.refresh_seconds == 7.0
    assert not app.demo
    assert "127.0.0.1:8123" in app.sub_title


def test_demo_needs_no_credentials_and_says_it_is_a_demo(ran: list[CybridApp], tmp_path: Path) -> None:
    assert launch_module.launch(demo=True, refresh_seconds=None, log_level="info") == 0
    (app,) = ran
    assert isinstance(app.backend, DemoBackend)
    assert app.demo and app.refresh_seconds == 2.0
    assert "DEMO" in app.sub_title
    logs = list((tmp_path / "home").rglob("cybrid-tui.log"))
    assert logs, "the log file is configured"


def test_the_command_line_exits_2_without_a_traceback() -> None:
    env = {name: value for name, value in os.environ.items() if not name.startswith("CYBRID_")}
    result = subprocess.run(
        [sys.executable, "-m", "cybrid_tui"], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert result.returncode == 2
    assert "CYBRID_CLIENT_ID" in result.stderr and "--demo" in result.stderr
    assert "Traceback" not in result.stderr
