"""Settings from CYBRID_* variables and a .env file: typed, checked, and never echoing the secret."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from dataclasses import FrozenInstanceError, fields
from pathlib import Path

import pytest

from cybrid_tui.api.capabilities import DEFAULT_SCOPES
from cybrid_tui.api.errors import ConfigurationError
from cybrid_tui.api.secret import Secret
from cybrid_tui.config import FIELDS, Settings, SettingsProblems, load_settings
from cybrid_tui.settings.config_file import default_path

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


# ------------------------------------------------------------------------------------ without pydantic

_IMPORTS_WITHOUT_PYDANTIC = """
import sys
from cybrid_tui.config import load_settings
from cybrid_tui.settings import report, resolve
load_settings(require_credentials=False)
load_settings(flags={"read_only": True, "refresh_seconds": "2.5"})
assert report.config_show().code == 0
loaded = (name for name, module in sys.modules.items() if module is not None)
print(sorted(name for name in loaded if name.startswith("pydantic")))
"""


def test_reading_the_settings_never_imports_pydantic() -> None:
    # A fresh process: this one has imported pydantic long ago (the models, other tests).
    environ = {**os.environ, "CYBRID_CLIENT_ID": "abc", "CYBRID_CLIENT_SECRET": SECRET}
    done = subprocess.run(
        [sys.executable, "-c", _IMPORTS_WITHOUT_PYDANTIC],
        capture_output=True,
        text=True,
        env=environ,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


# ------------------------------------------------------------------------------- checks and coercions


def write_profile(body: str) -> Path:
    path = default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'default_profile = "a"\n[profiles.a]\n{body}\n', encoding="utf-8")
    path.chmod(0o600)
    return path


def invalid(monkeypatch: pytest.MonkeyPatch, **variables: str) -> str:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError) as caught:
        load_settings(require_credentials=False)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    return str(caught.value)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        *((word, True) for word in ("true", "True", "TRUE", "1", "yes", "on", "y", "t")),
        *((word, False) for word in ("false", "False", "0", "no", "Off", "n", "f")),
    ],
)
def test_booleans_are_read_from_the_usual_words(
    monkeypatch: pytest.MonkeyPatch, word: str, expected: bool
) -> None:
    monkeypatch.setenv("CYBRID_READ_ONLY", word)
    monkeypatch.setenv("CYBRID_DUPLICATE_GUARD", word)
    settings = load_settings(require_credentials=False)
    assert settings.read_only is expected and settings.duplicate_guard is expected


@pytest.mark.parametrize("word", ["maybe", "2", "", " true", "enabled"])
def test_other_words_are_not_booleans(monkeypatch: pytest.MonkeyPatch, word: str) -> None:
    message = invalid(monkeypatch, CYBRID_READ_ONLY=word)
    assert "CYBRID_READ_ONLY: must be true or false" in message


@pytest.mark.parametrize(("text", "expected"), [("2.5", 2.5), ("7", 7.0), (" 3 ", 3.0), ("1e1", 10.0)])
def test_numbers_are_read_from_text(monkeypatch: pytest.MonkeyPatch, text: str, expected: float) -> None:
    monkeypatch.setenv("CYBRID_REFRESH_SECONDS", text)
    monkeypatch.setenv("CYBRID_TIMEOUT_SECONDS", text)
    settings = load_settings(require_credentials=False)
    assert settings.refresh_seconds == expected and settings.timeout_seconds == expected
    assert type(settings.refresh_seconds) is float


def test_a_profile_gives_toml_types() -> None:
    write_profile(
        "refresh_seconds = 3\ntimeout_seconds = 2.5\nread_only = true\nduplicate_guard = false\n"
        'scopes = ["customers:read", "customers:pii:read"]'
    )
    settings = load_settings(require_credentials=False)
    assert (settings.refresh_seconds, settings.timeout_seconds) == (3.0, 2.5)
    assert settings.read_only is True and settings.duplicate_guard is False
    assert settings.scopes == "customers:read customers:pii:read"
    assert settings.scope_list == ("customers:read", "customers:pii:read")


@pytest.mark.parametrize(
    ("body", "key", "phrase"),
    [
        ("refresh_seconds = true", "refresh_seconds", "must be a number"),
        ('refresh_seconds = "soon"', "refresh_seconds", "must be a number"),
        ("refresh_seconds = nan", "refresh_seconds", "must be a number"),
        ("timeout_seconds = inf", "timeout_seconds", "must be more than 0 and at most 300 seconds"),
        ("read_only = 2", "read_only", "must be true or false"),
        ("scopes = [1, 2]", "scopes", "must be scopes separated by spaces, or a list of scopes"),
        ("client_id = 5", "client_id", "must be text"),
        ("bank_url = 5", "bank_url", "must be an http(s) URL"),
    ],
)
def test_a_profile_value_of_the_wrong_type_names_the_key(body: str, key: str, phrase: str) -> None:
    path = write_profile(body)
    with pytest.raises(ConfigurationError) as caught:
        load_settings(require_credentials=False)
    assert f"{path} [profiles.a] {key}: {phrase}" in str(caught.value)


@pytest.mark.parametrize(
    ("name", "value", "phrase"),
    [
        ("CYBRID_REFRESH_SECONDS", "0.2", "must be more than 0.2 and at most 3600 seconds"),
        ("CYBRID_REFRESH_SECONDS", "3600.5", "must be more than 0.2 and at most 3600 seconds"),
        ("CYBRID_REFRESH_SECONDS", "nan", "must be a number"),
        ("CYBRID_REFRESH_SECONDS", "inf", "must be more than 0.2 and at most 3600 seconds"),
        ("CYBRID_TIMEOUT_SECONDS", "0", "must be more than 0 and at most 300 seconds"),
        ("CYBRID_TIMEOUT_SECONDS", "", "must be a number"),
        ("CYBRID_ENVIRONMENT", "Production", "must be sandbox or production"),
        ("CYBRID_BANK_URL", "ftp://bank.example", "must be an http(s) URL such as https://"),
        ("CYBRID_ID_URL", "http://id.example.com", "must use https://"),
    ],
)
def test_each_refusal_is_said_in_plain_words(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, phrase: str
) -> None:
    message = invalid(monkeypatch, **{name: value})
    assert message.startswith("Invalid settings:\n")
    assert f"  {name}: {phrase}" in message
    assert "Input should" not in message and "Value error" not in message


def test_the_bounds_hold_at_their_edges() -> None:
    assert Settings(refresh_seconds=3600, timeout_seconds=300).refresh_seconds == 3600.0
    assert Settings(refresh_seconds=0.21).refresh_seconds == 0.21
    with pytest.raises(SettingsProblems):
        Settings(refresh_seconds=0.2)


def test_a_secret_in_every_wrong_variable_is_never_echoed(monkeypatch: pytest.MonkeyPatch) -> None:
    names = [
        "CYBRID_REFRESH_SECONDS",
        "CYBRID_TIMEOUT_SECONDS",
        "CYBRID_READ_ONLY",
        "CYBRID_DUPLICATE_GUARD",
        "CYBRID_ENVIRONMENT",
        "CYBRID_BANK_URL",
        "CYBRID_ID_URL",
    ]
    message = invalid(monkeypatch, **dict.fromkeys(names, SECRET))
    lines = message.split("\n")
    # Every problem at once, one line each, in the order the settings are listed.
    assert [line.split(":")[0].strip() for line in lines[1:-1]] == [
        "CYBRID_ENVIRONMENT",
        "CYBRID_BANK_URL",
        "CYBRID_ID_URL",
        "CYBRID_REFRESH_SECONDS",
        "CYBRID_TIMEOUT_SECONDS",
        "CYBRID_READ_ONLY",
        "CYBRID_DUPLICATE_GUARD",
    ]
    assert SECRET not in message and SECRET[:8] not in message


# ------------------------------------------------------------------------------- the Settings class


def test_validate_lists_every_problem_and_unknown_keys_by_field() -> None:
    with pytest.raises(SettingsProblems) as caught:
        Settings.validate({"refresh_seconds": "x", "colour": "red", "read_only": "maybe"})
    assert caught.value.problems == (
        ("refresh_seconds", "must be a number"),
        ("read_only", "must be true or false"),
        ("colour", "is not a setting"),
    )
    assert isinstance(caught.value, ValueError) and "red" not in str(caught.value)


def test_settings_built_directly_are_checked_and_normalised() -> None:
    settings = Settings(client_id="id", client_secret=SECRET, scopes=["a", "b"], refresh_seconds=7)  # type: ignore[arg-type]
    assert isinstance(settings.client_secret, Secret)
    assert settings.client_secret.get_secret_value() == SECRET
    assert settings.scopes == "a b" and settings.refresh_seconds == 7.0
    assert SECRET not in repr(settings) and SECRET not in str(settings)
    with pytest.raises(SettingsProblems) as caught:
        Settings(environment="staging", timeout_seconds=-1)  # type: ignore[arg-type]
    assert [field for field, _ in caught.value.problems] == ["environment", "timeout_seconds"]


def test_a_pydantic_secret_is_kept_as_a_secret() -> None:
    from pydantic import SecretStr

    settings = Settings(client_id="id", client_secret=SecretStr(SECRET))  # type: ignore[arg-type]
    assert settings.client_secret == Secret(SECRET)


def test_settings_are_frozen_compared_by_value_and_keyword_only() -> None:
    settings = Settings(environment="production", profile="live")
    with pytest.raises(FrozenInstanceError):
        settings.read_only = True  # type: ignore[misc]
    assert settings == Settings(environment="production", profile="live")
    assert hash(settings) == hash(Settings(environment="production", profile="live"))
    assert settings.is_production and not Settings().is_production
    with pytest.raises(TypeError):
        Settings("id")  # type: ignore[misc]


def test_empty_urls_mean_the_environment_default() -> None:
    settings = Settings.validate({"bank_url": "", "id_url": None, "environment": "production"})
    assert settings.bank_url is None and settings.resolved_bank_url == "https://bank.production.cybrid.app"
    assert Settings(bank_url="https://bank.example/").bank_url == "https://bank.example"


def test_fields_are_the_dataclass_fields() -> None:
    assert tuple(field.name for field in fields(Settings)) == FIELDS
    assert math.isclose(Settings().refresh_seconds, 5.0)


def test_a_bad_setting_beside_a_secret_leaves_the_settings_masked_where_it_is_raised() -> None:
    # A crash screen shows each frame's locals: `self` in `__post_init__` held the secret in plain text
    # (`validate`, the path the program takes, hands it a `Secret` already; direct construction did not).
    with pytest.raises(SettingsProblems) as caught:
        Settings(client_secret="hunter2-plain", environment="bad")  # type: ignore[arg-type]
    frame = caught.tb.tb_frame
    tb = caught.tb
    while tb.tb_next is not None:
        tb = tb.tb_next
        frame = tb.tb_frame
    assert frame.f_code.co_name == "__post_init__"
    shown = repr(frame.f_locals["self"])
    assert "Settings(" in shown and "hunter2-plain" not in shown
