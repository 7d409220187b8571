"""The client secret: read from a named variable or a command, refused in a file others can read, never
echoed in an error, and scrubbed from the log as soon as it is read."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

import pytest

from cybrid_tui.api.errors import ConfigurationError
from cybrid_tui.config import load_settings, resolve_settings
from cybrid_tui.logging_setup import redact
from cybrid_tui.settings.layers import Source
from cybrid_tui.settings.secrets import from_command
from tests.unit.test_settings_profiles import write_config

SECRET = "SECRET-cmd-51f0c2d9"
SOURCE = Source("file", "config.toml [profiles.a] client_secret_command")


def python_command(code: str) -> str:
    return shlex.join([sys.executable, "-c", code])


def test_a_command_prints_the_secret_and_the_log_scrubs_it() -> None:
    secret = from_command(python_command(f"print('  {SECRET}  ')"), SOURCE)
    assert secret == SECRET
    assert SECRET not in redact(f"client said {SECRET}")


def test_a_profile_with_a_command_gets_its_secret() -> None:
    write_config(
        '[profiles.a]\nclient_id = "id"\n'
        f"client_secret_command = {json.dumps(python_command(f'print({SECRET!r})'))}\n"
    )
    resolved = resolve_settings(profile="a")
    assert resolved.settings.client_secret is not None
    assert resolved.settings.client_secret.get_secret_value() == SECRET
    assert "client_secret_command" in str(resolved.sources["client_secret"])


@pytest.mark.parametrize(
    ("code", "phrase"),
    [
        (f"import sys; print({SECRET!r}); sys.exit(3)", "exit status 3"),
        (
            f"import sys; print({SECRET!r}); print('vault is locked', file=sys.stderr); sys.exit(1)",
            "vault is locked",
        ),
        ("print('')", "printed nothing"),
        (f"print({SECRET!r}); print('user: me')", "2 lines"),
    ],
)
def test_a_failing_command_is_named_and_its_stdout_never_shown(code: str, phrase: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        from_command(python_command(code), SOURCE)
    message = str(caught.value)
    assert phrase in message and str(SOURCE) in message
    assert SECRET not in message and SECRET not in repr(caught.value)
    # No chained exception for a traceback printer to show.
    assert caught.value.__context__ is None or caught.value.__suppress_context__


def test_a_command_that_hangs_is_stopped() -> None:
    with pytest.raises(ConfigurationError, match=r"no answer within 0\.5 s"):
        from_command(python_command("import time; time.sleep(30)"), SOURCE, timeout=0.5)


@pytest.mark.parametrize(
    ("command", "phrase"),
    [
        ("no-such-program-6d1e --get", "command not found: no-such-program-6d1e"),
        ("", "is empty"),
        ("'x", "split"),
    ],
)
def test_a_command_that_cannot_run_says_why(command: str, phrase: str) -> None:
    with pytest.raises(ConfigurationError, match=phrase):
        from_command(command, SOURCE)


def test_the_command_runs_without_a_shell(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    # With a shell, `;` would run `touch`; without one it is just an argument to print.
    secret = from_command(python_command("import sys; print(sys.argv[1])") + f" ';touch {marker}'", SOURCE)
    assert secret == f";touch {marker}" and not marker.exists()


def test_client_secret_env_names_the_missing_variable() -> None:
    path = write_config('[profiles.a]\nclient_id = "id"\nclient_secret_env = "BANK_A_SECRET"\n')
    with pytest.raises(ConfigurationError) as caught:
        load_settings(profile="a")
    message = str(caught.value)
    assert "BANK_A_SECRET" in message and f"{path} [profiles.a] client_secret_env" in message


def test_client_secret_env_may_be_in_dotenv() -> None:
    write_config('[profiles.a]\nclient_id = "id"\nclient_secret_env = "BANK_A_SECRET"\n')
    Path(".env").write_text(f"BANK_A_SECRET={SECRET}\n", encoding="utf-8")
    settings = load_settings(profile="a")
    assert settings.client_secret is not None and settings.client_secret.get_secret_value() == SECRET


def test_a_secret_in_a_file_others_can_read_is_refused_with_the_fix() -> None:
    path = write_config(f'[profiles.a]\nclient_id = "id"\nclient_secret = "{SECRET}"\n', mode=0o644)
    with pytest.raises(ConfigurationError) as caught:
        load_settings(profile="a")
    message = str(caught.value)
    assert f"chmod 600 {path}" in message and "other users can read" in message
    assert "client_secret_env" in message and "client_secret_command" in message
    assert SECRET not in message


def test_a_secret_in_an_owner_only_file_is_accepted_and_scrubbed() -> None:
    write_config(f'[profiles.a]\nclient_id = "id"\nclient_secret = "{SECRET}-file"\n', mode=0o600)
    settings = load_settings(profile="a")
    assert (
        settings.client_secret is not None and settings.client_secret.get_secret_value() == f"{SECRET}-file"
    )
    assert f"{SECRET}-file" not in redact(f"x {SECRET}-file y")


def test_a_readable_file_without_secrets_is_fine() -> None:
    write_config('[profiles.a]\nclient_id = "id"\nclient_secret_env = "S"\n', mode=0o644)
    assert load_settings(profile="a", require_credentials=False).client_id == "id"


def test_the_variable_beats_the_profile_command_which_is_not_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    marker = tmp_path / "ran"
    write_config(
        '[profiles.a]\nclient_id = "id"\n'
        f"client_secret_command = {json.dumps(shlex.join(['touch', str(marker)]))}\n"
    )
    monkeypatch.setenv("CYBRID_CLIENT_SECRET", SECRET)
    resolved = resolve_settings(profile="a")
    assert resolved.settings.client_secret is not None
    assert resolved.settings.client_secret.get_secret_value() == SECRET
    assert str(resolved.sources["client_secret"]) == "CYBRID_CLIENT_SECRET"
    assert not marker.exists()


def test_two_ways_of_giving_the_secret_in_one_place_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    write_config('[profiles.a]\nclient_secret_env = "A"\nclient_secret_command = "pass show a"\n')
    with pytest.raises(ConfigurationError, match="only one of client_secret_env, client_secret_command"):
        load_settings(profile="a")
    monkeypatch.setenv("CYBRID_CLIENT_SECRET", SECRET)
    monkeypatch.setenv("CYBRID_CLIENT_SECRET_COMMAND", "pass show a")
    write_config("")
    with pytest.raises(
        ConfigurationError, match="CYBRID_CLIENT_SECRET, CYBRID_CLIENT_SECRET_COMMAND"
    ) as caught:
        load_settings()
    assert SECRET not in str(caught.value)
