"""Profiles in config.toml: choosing one, precedence (flags > variables > .env > profile > defaults), sources,
and errors that name the file and key (or the variable) at fault."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cybrid_tui.api.errors import ConfigurationError
from cybrid_tui.config import load_settings, resolve_settings
from cybrid_tui.settings.config_file import default_path

TWO_BANKS = """
default_profile = "a"

[profiles.a]
environment = "sandbox"
bank_url = "http://127.0.0.1:8001"
id_url = "http://127.0.0.1:8001"
client_id = "id-a"
client_secret_env = "BANK_A_SECRET"
refresh_seconds = 3

[profiles.b]
environment = "production"
bank_url = "https://bank.b.example"
client_id = "id-b"
client_secret_env = "BANK_B_SECRET"
read_only = true
scopes = ["customers:read", "customers:pii:read"]
duplicate_guard = false
"""


def write_config(text: str, path: Path | None = None, mode: int = 0o600) -> Path:
    target = default_path() if path is None else path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    target.chmod(mode)
    return target


@pytest.fixture
def two_banks(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BANK_A_SECRET", "secret-of-bank-a")
    monkeypatch.setenv("BANK_B_SECRET", "secret-of-bank-b")
    return write_config(TWO_BANKS)


def test_the_file_lives_in_the_user_config_folder() -> None:
    assert default_path() == Path(os.environ["XDG_CONFIG_HOME"]) / "cybrid-tui" / "config.toml"


def test_default_profile_is_used_and_every_value_knows_its_source(two_banks: Path) -> None:
    resolved = resolve_settings()
    settings = resolved.settings
    assert settings.profile == "a"
    assert settings.resolved_bank_url == "http://127.0.0.1:8001"
    assert settings.client_id == "id-a" and settings.refresh_seconds == 3
    assert (
        settings.client_secret is not None and settings.client_secret.get_secret_value() == "secret-of-bank-a"
    )
    assert str(resolved.profile_source) == f"{two_banks} default_profile"
    assert str(resolved.sources["bank_url"]) == f"{two_banks} [profiles.a] bank_url"
    assert str(resolved.sources["timeout_seconds"]) == "default"
    assert "BANK_A_SECRET" in str(resolved.sources["client_secret"])
    assert "client_secret_env" in str(resolved.sources["client_secret"])


def test_profile_flag_beats_variable_beats_default_profile(
    two_banks: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CYBRID_PROFILE", "b")
    resolved = resolve_settings()
    assert resolved.settings.profile == "b" and str(resolved.profile_source) == "CYBRID_PROFILE"
    resolved = resolve_settings(profile="a")
    assert resolved.settings.profile == "a" and str(resolved.profile_source) == "--profile"


def test_a_profile_brings_production_read_only_scopes_and_no_guard(two_banks: Path) -> None:
    settings = load_settings(profile="b")
    assert settings.is_production and settings.read_only
    assert settings.resolved_id_url == "https://id.production.cybrid.app"
    assert settings.scope_list == ("customers:read", "customers:pii:read")
    assert settings.duplicate_guard is False
    assert load_settings(profile="a").duplicate_guard is True


def test_precedence_flags_then_variables_then_dotenv_then_profile(
    two_banks: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Path(".env").write_text("CYBRID_REFRESH_SECONDS=7\nCYBRID_TIMEOUT_SECONDS=20\n", encoding="utf-8")
    resolved = resolve_settings()
    assert resolved.settings.refresh_seconds == 7
    assert str(resolved.sources["refresh_seconds"]) == ".env CYBRID_REFRESH_SECONDS"
    assert [str(source) for source in resolved.shadowed["refresh_seconds"]] == [
        f"{two_banks} [profiles.a] refresh_seconds"
    ]
    monkeypatch.setenv("CYBRID_REFRESH_SECONDS", "9")
    resolved = resolve_settings()
    assert resolved.settings.refresh_seconds == 9
    assert str(resolved.sources["refresh_seconds"]) == "CYBRID_REFRESH_SECONDS"
    assert resolved.settings.timeout_seconds == 20
    resolved = resolve_settings(flags={"refresh_seconds": 11.0, "read_only": True})
    assert resolved.settings.refresh_seconds == 11 and resolved.settings.read_only
    assert str(resolved.sources["refresh_seconds"]) == "--refresh-seconds"
    assert str(resolved.sources["read_only"]) == "--read-only"
    # A flag left unset (None) does not override anything.
    assert resolve_settings(flags={"read_only": None}).settings.read_only is False


def test_config_variable_points_at_another_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    elsewhere = write_config('[profiles.x]\nclient_id = "x"\nclient_secret_env = "X"\n', tmp_path / "c.toml")
    monkeypatch.setenv("CYBRID_TUI_CONFIG", str(elsewhere))
    monkeypatch.setenv("X", "secret-x")
    resolved = resolve_settings(profile="x")
    assert resolved.settings.client_id == "x"
    assert resolved.config.path == elsewhere and str(resolved.config_source) == "CYBRID_TUI_CONFIG"


def test_no_file_and_no_profile_keeps_the_variables_working(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CYBRID_CLIENT_ID", "abc")
    monkeypatch.setenv("CYBRID_CLIENT_SECRET", "secret-from-env")
    resolved = resolve_settings()
    assert resolved.settings.profile is None and not resolved.config.exists
    assert str(resolved.sources["client_id"]) == "CYBRID_CLIENT_ID"


def test_an_unknown_profile_names_where_it_was_asked_for_and_lists_the_profiles(
    two_banks: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CYBRID_PROFILE", "prod")
    with pytest.raises(ConfigurationError) as caught:
        load_settings()
    message = str(caught.value)
    assert "CYBRID_PROFILE" in message and "'prod'" in message and "a, b" in message


def test_asking_for_a_profile_without_a_file_says_there_is_none() -> None:
    with pytest.raises(ConfigurationError, match="no config file") as caught:
        load_settings(profile="a", require_credentials=False)
    assert "--profile" in str(caught.value)


def test_unknown_keys_are_named_not_ignored() -> None:
    path = write_config('[profiles.a]\nbank_ur = "https://x.example"\nread_onyl = true\n')
    with pytest.raises(ConfigurationError) as caught:
        load_settings(require_credentials=False)
    message = str(caught.value)
    assert str(path) in message and "bank_ur" in message and "read_onyl" in message
    assert "[profiles.a]" in message


def test_unknown_top_level_key_and_bad_default_profile() -> None:
    write_config('default_profile = "c"\nbank_url = "https://x.example"\n[profiles.a]\n')
    with pytest.raises(ConfigurationError, match=r"bank_url.*at the top level"):
        load_settings(require_credentials=False)
    write_config('default_profile = "c"\n[profiles.a]\n')
    with pytest.raises(ConfigurationError, match="default_profile: no profile named 'c'"):
        load_settings(require_credentials=False)


@pytest.mark.parametrize(
    ("line", "phrase"),
    [
        ("refresh_seconds = 0", "refresh_seconds"),
        ('environment = "staging"', "environment"),
        ('bank_url = "http://bank.example.com"', "https://"),
        ('read_only = "maybe"', "read_only"),
        ("client_id = 5", "client_id"),
    ],
)
def test_a_bad_value_in_a_profile_names_the_file_and_key(line: str, phrase: str) -> None:
    path = write_config(f"[profiles.a]\n{line}\n")
    with pytest.raises(ConfigurationError) as caught:
        load_settings(profile="a", require_credentials=False)
    message = str(caught.value)
    assert f"{path} [profiles.a] {line.split()[0]}" in message and phrase in message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_invalid_toml_names_the_file_and_line_without_a_traceback() -> None:
    path = write_config('[profiles.a]\nbank_url = "https://x.example\n')
    with pytest.raises(ConfigurationError) as caught:
        load_settings(require_credentials=False)
    message = str(caught.value)
    assert str(path) in message and "line 2" in message and "Traceback" not in message
    assert caught.value.__suppress_context__


def test_missing_credentials_in_a_profile_say_where_to_put_them() -> None:
    path = write_config('[profiles.a]\nenvironment = "sandbox"\n')
    with pytest.raises(ConfigurationError) as caught:
        load_settings(profile="a")
    message = str(caught.value)
    assert "CYBRID_CLIENT_ID" in message and f"[profiles.a] of {path}" in message


def test_a_profile_url_the_client_would_refuse_is_refused_naming_the_profile_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BANK_A_SECRET", "secret-of-bank-a")
    path = write_config(TWO_BANKS.replace('"http://127.0.0.1:8001"', '"https://user:pw@bank.a.example"', 1))
    with pytest.raises(ConfigurationError) as caught:
        resolve_settings()
    message = str(caught.value)
    assert f"{path} [profiles.a] bank_url" in message and "user name or password" in message
    assert "CYBRID_BANK_URL" not in message.split("\n")[1]
