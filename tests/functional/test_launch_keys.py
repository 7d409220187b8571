"""Start-up with a `[keys]` table and `--read-only`: a bad table is a short message (exit 2), a good one and
the flag reach the app, in demo mode too."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from cybrid_tui import launch as launch_module
from cybrid_tui.__main__ import main
from cybrid_tui.app import CybridApp
from cybrid_tui.backend import SettingsBackend

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture
def ran(monkeypatch: pytest.MonkeyPatch) -> list[CybridApp]:
    apps: list[CybridApp] = []

    def run(self: CybridApp, *args: Any, **kwargs: Any) -> None:
        apps.append(self)

    monkeypatch.setattr(CybridApp, "run", run)
    return apps


def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    monkeypatch.setenv("CYBRID_TUI_CONFIG", str(path))
    return path


@pytest.mark.parametrize("demo", [True, False])
def test_a_clash_in_the_keys_table_stops_the_start_with_a_clear_message(
    demo: bool,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    ran: list[CybridApp],
) -> None:
    path = config(tmp_path, monkeypatch, '[keys]\n"customers.new" = "r"\n')
    monkeypatch.setenv("CYBRID_CLIENT_ID", "id")
    monkeypatch.setenv("CYBRID_CLIENT_SECRET", "secret")
    assert launch_module.launch(demo=demo, refresh_seconds=None, log_level="info") == 2
    err = capsys.readouterr().err
    assert f"{path} [keys]" in err and "customers.new and customers.refresh" in err
    assert "Traceback" not in err
    assert not ran


def test_the_keys_table_and_read_only_flag_reach_the_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ran: list[CybridApp]
) -> None:
    config(tmp_path, monkeypatch, '[keys]\n"customers.new" = "a"\n')
    assert main(["--demo", "--read-only"]) == 0
    (app,) = ran
    assert app.keymap == {"customers.new": "a"}
    assert app.read_only


def test_a_profile_can_make_the_app_read_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ran: list[CybridApp]
) -> None:
    config(
        tmp_path,
        monkeypatch,
        '[profiles.safe]\nclient_id = "id"\nclient_secret_env = "SAFE_SECRET"\nread_only = true\n'
        'bank_url = "http://127.0.0.1:8123"\nid_url = "http://127.0.0.1:8123"\n',
    )
    monkeypatch.setenv("SAFE_SECRET", "secret")
    assert main(["--profile", "safe"]) == 0
    (app,) = ran
    assert app.read_only
    assert "read-only" in app.sub_title


def test_the_read_only_flag_holds_for_a_profile_switched_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ran: list[CybridApp]
) -> None:
    # Profile b does not say read_only: `--read-only` must still hold after the palette switches to it.
    profile = 'client_id = "id"\nclient_secret_env = "SAFE_SECRET"\nbank_url = "http://127.0.0.1:8123"\n'
    config(tmp_path, monkeypatch, f"[profiles.a]\n{profile}\n[profiles.b]\n{profile}")
    monkeypatch.setenv("SAFE_SECRET", "secret")
    assert main(["--profile", "a", "--read-only"]) == 0
    (app,) = ran
    assert app.read_only
    backend = app.profile_backend("b")
    assert isinstance(backend, SettingsBackend)
    assert backend.settings.read_only


def test_a_log_folder_that_cannot_be_made_is_a_warning_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], ran: list[CybridApp]
) -> None:
    blocker = tmp_path / "state"
    blocker.write_text("a file where the log folder would go")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocker))
    config(tmp_path, monkeypatch, "")
    assert main(["--demo"]) == 0
    assert ran
    err = capsys.readouterr().err
    assert "no log file" in err and "Traceback" not in err
