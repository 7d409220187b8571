"""Copy as command: the cybrid-tui and curl lines send exactly the form's body when a shell runs them,
whatever the user typed (quotes, `$(...)`, newlines, a label starting with "-"), and name no secret."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess

import pytest

from cybrid_tui.forms.as_command import as_commands, curl_command, cybrid_tui_command, request_body
from cybrid_tui.forms.values import FormValues, IdRow

HOSTILE = 'O\'Brien "Q" $(touch /tmp/pwned) `id` \\ \n\t\x1b[2J é'


def details(**texts: str) -> FormValues:
    return FormValues(
        kind="individual",
        approach="details",
        first_name=texts.get("first_name", "Ada"),
        last_name=texts.get("last_name", HOSTILE),
        email="a@b.io",
        identification=(IdRow(type="passport", country="gb", number="P1"),),
        labels=texts.get("labels", "vip, -x, it's"),
    )


# Fake `cybrid-tui` and `curl`: print each argument NUL-terminated, then stdin, so the test sees what a shell
# really passed them.
FAKES = r"""
cybrid-tui() { printf '%s\0' "$@"; printf 'STDIN\0'; cat; }
curl() { printf '%s\0' "$@"; }
"""


def run_in_bash(command: str) -> list[str]:
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("no bash")
    out = subprocess.run(
        [bash, "-c", FAKES + command],
        capture_output=True,
        check=True,
        env={"CYBRID_BANK_URL": "http://127.0.0.1:1", "CYBRID_TOKEN": "tkn", "PATH": "/usr/bin:/bin"},
        timeout=30,
    ).stdout.decode()
    return out.split("\0")


def test_the_cybrid_tui_heredoc_passes_the_body_unchanged_through_a_shell() -> None:
    values = details()
    words = run_in_bash(cybrid_tui_command(values))
    assert words[:6] == ["customers", "create", "--type", "individual", "--body", "-"]
    assert words[6] == "STDIN"
    assert json.loads(words[7]) == request_body(values)
    assert request_body(values)["name"]["last"] == HOSTILE
    assert not any(label.startswith("cybrid-tui-") for label in request_body(values)["labels"])


def test_the_curl_line_sends_the_body_with_placeholders_for_secrets() -> None:
    values = details()
    line = curl_command(values)
    assert "\n" not in line and line.isascii() and "\x1b" not in line
    words = run_in_bash(line)
    assert words[:3] == ["-X", "POST", "http://127.0.0.1:1/api/customers"]
    assert "Authorization: Bearer tkn" in words and "Content-Type: application/json" in words
    assert json.loads(words[words.index("--data") + 1]) == request_body(values)
    assert '"$CYBRID_BANK_URL/api/customers"' in line and "$CYBRID_TOKEN" in line


def test_platform_kyc_is_type_and_label_flags_and_the_demo_and_profile_are_kept() -> None:
    values = FormValues(kind="business", approach="platform", labels="vip, -x, it's")
    line = cybrid_tui_command(values, demo=True, profile="my prof")
    assert shlex.split(line) == [
        "cybrid-tui", "customers", "create", "--type", "business", "--demo", "--profile", "my prof",
        "--label=vip", "--label=-x", "--label=it's",
    ]  # fmt: skip
    assert run_in_bash(line)[-3:] == ["--label=it's", "STDIN", ""]


def test_both_commands_are_copied_together_and_run_as_a_script() -> None:
    text = as_commands(details())
    assert text.count("\n# the same with curl") == 1 and text.endswith("\n")
    words = run_in_bash(text)
    assert words.count("STDIN") == 1 and words.count("--data") == 1
    assert "secret" not in text.lower() and "mock-client" not in text
