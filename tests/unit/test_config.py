"""Settings from CYBRID_* variables and a .env file: typed, checked, and never echoing the secret."""

from __future__ import annotations

from pathlib import Path

import pytest

from cybrid_tui.api.capabilities import DEFAULT_SCOPES
from cybrid_tui.api.errors import ConfigurationError
from cybrid_tui.config import Settings, load_settings

SECRET = "SECRET-config-8c2a1f"


def test_defaults_point_at_sandbox(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CYBRID_CLIENT_ID", "abc")
    monkeypatch.setenv("CYBRID_CLIENT_SECRET", SECRET)
    settings = load_settings()
    assert settings.environment == "sandbox"
    assert settings.resolved_bank_url == "https://bank.sandbox.cybrid.app"
    assert settings.resolved_id_url == "https://id.sandbox.cybrid.app"
    assert settings.refresh_seconds == 5.0
    assert settings.scope_list == DEFAULT_SCOPES
    assert settings.client_secret is not None
    assert settings.client_secret.get_secret_value() == SECRET
    assert SECRET not in repr(settings) and SECRET not in str(settings)


def test_production_and_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CYBRID_ENVIRONMENT", "production")
    settings = load_settings(require_credentials=False)
    assert settings.resolved_bank_url == "https://bank.production.cybrid.app"
    assert settings.resolved_id_url == "https://id.production.cybrid.app"
    monkeypatch.setenv("CYBRID_BANK_URL", "http://127.0.0.1:8787/")
    monkeypatch.setenv("CYBRID_ID_URL", "http://localhost:8787")
    monkeypatch.setenv("CYBRID_REFRESH_SECONDS", "2.5")
    monkeypatch.setenv("CYBRID_SCOPES", "customers:read  customers:write")
    settings = load_settings(require_credentials=False)
    assert settings.resolved_bank_url == "http://127.0.0.1:8787"
    assert settings.resolved_id_url == "http://localhost:8787"
    assert settings.refresh_seconds == 2.5
    assert settings.scope_list == ("customers:read", "customers:write")


def test_dotenv_in_the_working_directory_is_read_and_environment_wins(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # conftest chdirs every test into an empty temporary folder.
    Path(".env").write_text(
        f"CYBRID_CLIENT_ID=from-file\nCYBRID_CLIENT_SECRET={SECRET}\nCYBRID_REFRESH_SECONDS=7\n",
        encoding="utf-8",
    )
    settings = load_settings()
    assert settings.client_id == "from-file"
    assert settings.refresh_seconds == 7
    monkeypatch.setenv("CYBRID_CLIENT_ID", "from-env")
    assert load_settings().client_id == "from-env"


def test_missing_credentials_name_the_variables_and_mention_demo() -> None:
    with pytest.raises(ConfigurationError) as caught:
        load_settings()
    message = str(caught.value)
    assert "CYBRID_CLIENT_ID" in message and "CYBRID_CLIENT_SECRET" in message
    assert "--demo" in message


def test_empty_secret_counts_as_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CYBRID_CLIENT_ID", "abc")
    monkeypatch.setenv("CYBRID_CLIENT_SECRET", "")
    with pytest.raises(ConfigurationError, match="CYBRID_CLIENT_SECRET") as caught:
        load_settings()
    assert "CYBRID_CLIENT_ID" not in str(caught.value).split("\n")[0]


def test_demo_needs_no_credentials() -> None:
    settings = load_settings(require_credentials=False)
    assert settings.client_id is None and settings.client_secret is None


@pytest.mark.parametrize(
    ("name", "value", "phrase"),
    [
        ("CYBRID_ENVIRONMENT", "staging", "CYBRID_ENVIRONMENT"),
        ("CYBRID_REFRESH_SECONDS", "0", "CYBRID_REFRESH_SECONDS"),
        ("CYBRID_REFRESH_SECONDS", "fast", "CYBRID_REFRESH_SECONDS"),
        ("CYBRID_REFRESH_SECONDS", "99999", "CYBRID_REFRESH_SECONDS"),
        ("CYBRID_BANK_URL", "ftp://bank.example", "CYBRID_BANK_URL"),
        ("CYBRID_BANK_URL", "bank.example", "CYBRID_BANK_URL"),
        ("CYBRID_ID_URL", "http://id.example.com", "https://"),
        ("CYBRID_ID_URL", "http://[::1", "CYBRID_ID_URL"),
        ("CYBRID_TIMEOUT_SECONDS", "-1", "CYBRID_TIMEOUT_SECONDS"),
    ],
)
def test_invalid_values_are_named_without_echoing_the_secret(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, phrase: str
) -> None:
    monkeypatch.setenv("CYBRID_CLIENT_ID", "abc")
    monkeypatch.setenv("CYBRID_CLIENT_SECRET", SECRET)
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError) as caught:
        load_settings()
    message = str(caught.value)
    assert name in message and phrase in message
    assert "--demo" in message
    assert SECRET not in message and SECRET not in repr(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_several_problems_are_reported_together(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CYBRID_ENVIRONMENT", "dev")
    monkeypatch.setenv("CYBRID_REFRESH_SECONDS", "nope")
    with pytest.raises(ConfigurationError) as caught:
        load_settings(require_credentials=False)
    assert "CYBRID_ENVIRONMENT" in str(caught.value) and "CYBRID_REFRESH_SECONDS" in str(caught.value)


def test_invalid_value_is_not_echoed(monkeypatch: pytest.MonkeyPatch) -> None:
    # Someone pastes the secret into the wrong variable: the message must not print it back.
    monkeypatch.setenv("CYBRID_REFRESH_SECONDS", SECRET)
    monkeypatch.setenv("CYBRID_ENVIRONMENT", SECRET)
    with pytest.raises(ConfigurationError) as caught:
        load_settings(require_credentials=False)
    assert SECRET not in str(caught.value)


def test_unrelated_variables_are_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CYBRID_SOMETHING_ELSE", "x")
    assert isinstance(load_settings(require_credentials=False), Settings)
