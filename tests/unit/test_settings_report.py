"""`cybrid-tui config path | show | profiles`: where the file is, every effective setting with its source and
no secret, and the profiles with the default marked."""

from __future__ import annotations

import json
import shlex
from typing import TYPE_CHECKING

from cybrid_tui.settings.config_file import default_path
from cybrid_tui.settings.report import EXIT_CONFIGURATION, config_path, config_profiles, config_show
from tests.unit.test_settings_profiles import TWO_BANKS, write_config

if TYPE_CHECKING:
    from pathlib import Path

    import pytest

SECRET = "qz7-show-77aa10-kw"


def rows(text: str) -> dict[str, str]:
    """`config show`'s table as {setting: the rest of its line}."""
    return {line.split()[0]: line for line in text.splitlines()[1:] if line.split()}


def test_path_prints_the_default_location_and_says_it_does_not_exist_yet() -> None:
    out = config_path()
    assert out.code == 0 and out.stdout == f"{default_path()}\n"
    assert "does not exist yet" in out.stderr


def test_path_follows_the_variable_and_says_who_set_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = write_config("", tmp_path / "mine.toml")
    monkeypatch.setenv("CYBRID_TUI_CONFIG", str(target))
    out = config_path()
    assert out.stdout == f"{target}\n" and "exists" in out.stderr and "CYBRID_TUI_CONFIG" in out.stderr


def test_show_lists_every_setting_with_its_source_and_never_the_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = write_config(TWO_BANKS)
    monkeypatch.setenv("BANK_B_SECRET", SECRET)
    monkeypatch.setenv("CYBRID_TIMEOUT_SECONDS", "30")
    out = config_show(profile="b", flags={"refresh_seconds": 4.0})
    assert out.code == 0, out.stderr
    assert SECRET not in out.stdout and SECRET[:6] not in out.stdout and SECRET[-6:] not in out.stdout
    table = rows(out.stdout)
    for key in (
        "profile",
        "environment",
        "bank_url",
        "id_url",
        "client_id",
        "client_secret",
        "refresh_seconds",
        "timeout_seconds",
        "scopes",
        "read_only",
        "duplicate_guard",
    ):
        assert key in table, key
    assert "--profile" in table["profile"]
    assert "production" in table["environment"] and f"{path} [profiles.b] environment" in table["environment"]
    assert (
        "https://id.production.cybrid.app" in table["id_url"] and "default for environment" in table["id_url"]
    )
    assert "(set, hidden)" in table["client_secret"] and "BANK_B_SECRET" in table["client_secret"]
    assert "--refresh-seconds" in table["refresh_seconds"]
    assert "30" in table["timeout_seconds"] and "CYBRID_TIMEOUT_SECONDS" in table["timeout_seconds"]
    assert "true" in table["read_only"] and "false" in table["duplicate_guard"]


def test_show_does_not_run_the_secret_command(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    write_config(f"[profiles.a]\nclient_secret_command = {json.dumps(shlex.join(['touch', str(marker)]))}\n")
    out = config_show(profile="a")
    assert out.code == 0 and not marker.exists()
    assert "not run" in rows(out.stdout)["client_secret"]


def test_show_with_only_variables_names_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CYBRID_CLIENT_ID", "abc")
    monkeypatch.setenv("CYBRID_CLIENT_SECRET", SECRET)
    out = config_show()
    assert SECRET not in out.stdout
    table = rows(out.stdout)
    assert "CYBRID_CLIENT_SECRET" in table["client_secret"] and "CYBRID_CLIENT_ID" in table["client_id"]
    assert "(none)" in table["profile"] and "not found" in table["config"]
    assert "default" in table["refresh_seconds"]


def test_show_reports_a_variable_overriding_the_profile(monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_config(TWO_BANKS)
    monkeypatch.setenv("CYBRID_BANK_URL", "https://bank.sandbox.cybrid.app")
    line = rows(config_show(profile="b").stdout)["bank_url"]
    assert "CYBRID_BANK_URL" in line and f"overrides {path} [profiles.b] bank_url" in line


def test_show_on_a_broken_file_exits_2_with_the_reason() -> None:
    write_config("[profiles.a]\nbank_ur = 1\n")
    out = config_show()
    assert out.code == EXIT_CONFIGURATION and out.stdout == ""
    assert "bank_ur" in out.stderr and "Traceback" not in out.stderr


def test_show_escapes_control_characters_in_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CYBRID_CLIENT_ID", "abc\x1b[31mred")
    out = config_show()
    assert "\x1b" not in out.stdout and "abc\u241b[31mred" in out.stdout


def test_profiles_lists_environment_and_bank_with_the_default_marked() -> None:
    write_config(TWO_BANKS)
    out = config_profiles()
    lines = out.stdout.splitlines()
    assert lines[1].split() == ["*", "a", "sandbox", "http://127.0.0.1:8001"]
    assert lines[2].split() == ["b", "production", "https://bank.b.example"]
    assert "default" in out.stderr


def test_profiles_without_a_file_says_the_variables_are_used() -> None:
    out = config_profiles()
    assert out.code == 0 and out.stdout == "" and "does not exist" in out.stderr
