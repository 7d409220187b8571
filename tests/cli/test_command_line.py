"""The command line itself: help, usage errors (issue 11 point 19), every app action has its command, a watch
ends quietly on Ctrl-C, and untrusted text cannot reach the terminal through the output formats."""

from __future__ import annotations

import importlib
import io
import json
import signal
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cybrid_tui.__main__ import build_parser
from cybrid_tui.cli.output import Column, Printer, json_line, print_document
from tests.cli.conftest import environment, run_cli

#: Every action of the app that reads or changes the bank, and the command that does it from a script.
APP_ACTIONS = {
    "list customers": ("customers", "list"),
    "read one customer": ("customers", "get"),
    "create a customer": ("customers", "create"),
    "verify a customer": ("customers", "verify"),
    "reset a rejected customer": ("customers", "reset"),
    "watch the bank change": ("customers", "watch"),
    "list identity verifications": ("verifications", "list"),
    "read one identity verification": ("verifications", "get"),
}


@pytest.mark.parametrize("action", sorted(APP_ACTIONS))
def test_every_app_action_has_a_command_with_help_and_examples(action: str) -> None:
    command = APP_ACTIONS[action]
    parser = build_parser()
    args = parser.parse_args([*command, *(["x"] if command[1] in ("get", "verify", "reset") else [])]
                             + (["--type", "business"] if command[1] == "create" else []))  # fmt: skip
    module_name, _, function_name = str(args.handler).partition(":")
    assert callable(getattr(importlib.import_module(module_name), function_name)), f"{action}: {command}"
    ran = run_cli(*command, "--help")
    assert ran.status == 0 and "examples:" in ran.out
    assert "not available" not in ran.out


def test_verify_help_documents_the_wait_exit_statuses() -> None:
    ran = run_cli("customers", "verify", "--help")
    text = " ".join(ran.out.split())
    assert "exits 0 when it passed, 3 when it failed or expired" in text
    assert "refused in production" in text


def test_help_names_the_settings_and_the_log_file() -> None:
    ran = run_cli("--help")
    assert ran.status == 0
    for name in ("CYBRID_SCOPES", "CYBRID_TIMEOUT_SECONDS", "CYBRID_CLIENT_ID", "NO_COLOR", "customers"):
        assert name in ran.out
    assert "log file: " in ran.out and "cybrid-tui.log" in ran.out


def test_demo_with_mock_server_is_a_usage_error() -> None:
    ran = run_cli("--demo", "mock-server")
    assert ran.status == 2
    assert "mock-server --help" in ran.err


def test_a_bad_flag_shows_that_commands_usage() -> None:
    ran = run_cli("mock-server", "--bogus")
    assert ran.status == 2
    assert ran.err.startswith("usage: cybrid-tui mock-server")
    listing = run_cli("customers", "list", "--bogus")
    assert listing.err.startswith("usage: cybrid-tui customers list")
    state = run_cli("customers", "list", "--state", "verifed")
    assert state.status == 2 and "unknown state 'verifed'" in state.err


def test_completion_scripts_for_bash_and_zsh() -> None:
    for shell in ("bash", "zsh"):
        ran = run_cli("completion", shell)
        assert ran.status == 0 and "cybrid-tui" in ran.out


def test_watch_prints_changes_and_exits_0_on_ctrl_c() -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cybrid_tui",
            "customers",
            "watch",
            "--demo",
            "--refresh-seconds",
            "0.5",
            "--jsonl",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment(),
    )
    assert process.stderr is not None
    started = process.stderr.readline()  # waits for the first load: the watch is running
    assert started.startswith("Watching 60 customers")
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 0
    assert "Traceback" not in err
    for line in out.splitlines():
        assert set(json.loads(line)) == {"at", "guid", "type", "from", "to", "name"}


HOSTILE = "Evil\x1b]0;pwned\x07 \u202egnp.exe \x9b2J\x7f\u2028 caf\u00e9 \U0001f600"


def test_table_and_csv_cells_are_made_safe_and_formulas_defused() -> None:
    columns = [Column("name", lambda item: str(item["name"]))]
    for fmt in ("table", "csv"):
        out = io.StringIO()
        printer = Printer(fmt, columns, out, colour=False)  # type: ignore[arg-type]
        printer.page([{"name": HOSTILE}, {"name": "=HYPERLINK(1)"}])
        printer.close()
        text = out.getvalue()
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text and "\x9b" not in text
        assert "\x7f" not in text and "\u2028" not in text
        if fmt == "csv":
            assert "'=HYPERLINK(1)" in text


def test_json_output_is_ascii_so_no_control_reaches_a_terminal() -> None:
    out = io.StringIO()
    print_document({"name": HOSTILE}, "jsonl", out)
    assert out.getvalue().isascii() and "\x7f" not in out.getvalue()
    assert json.loads(out.getvalue())["name"] == HOSTILE


STDLIB_LINE = json.JSONEncoder(ensure_ascii=True, separators=(",", ":")).encode


@pytest.mark.parametrize("fmt", ["jsonl", "json"])
@pytest.mark.parametrize("stream", ["text", "terminal bytes"])
def test_listed_objects_are_the_same_ascii_json_whichever_way_they_are_written(fmt: str, stream: str) -> None:
    objects = [
        {"guid": "a", "name": HOSTILE, "n": 2**70, "ok": True},
        {"guid": "b", "name": "plain", "l": []},
    ]
    raw = io.BytesIO()
    out = io.StringIO() if stream == "text" else io.TextIOWrapper(raw, encoding="utf-8", write_through=False)
    printer = Printer(fmt, [], out, colour=False)  # type: ignore[arg-type]
    printer.page(objects[:1])
    printer.page(objects[1:])
    printer.close()
    written = out.getvalue() if isinstance(out, io.StringIO) else raw.getvalue().decode("utf-8")
    assert written.isascii() and "\x7f" not in written
    if fmt == "jsonl":
        assert written == "".join(STDLIB_LINE(item) + "\n" for item in objects)
    else:
        assert json.loads(written) == objects and written.startswith("[\n  {") and written.endswith("}\n]\n")


@pytest.mark.parametrize("fmt", ["table", "csv", "jsonl", "json"])
def test_a_lone_surrogate_from_the_server_is_written_not_a_traceback(fmt: str) -> None:
    # orjson refuses a "\ud800" escape and the standard library reads it: the string then holds a surrogate
    # that a UTF-8 stdout cannot encode. Every format must still write (safe text, or a JSON escape).
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8", errors="strict")
    printer = Printer(fmt, [Column("name", lambda item: str(item["name"]))], out, colour=False)  # type: ignore[arg-type]
    printer.page([{"guid": "a", "name": "bad \ud800 half"}])
    printer.close()
    out.flush()
    written = raw.getvalue().decode("utf-8")
    assert "bad" in written and "half" in written


json_scalars = st.none() | st.booleans() | st.integers() | st.text()
json_documents = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@given(document=json_documents)
def test_a_json_line_is_exactly_what_the_standard_library_writes_with_ensure_ascii(document: Any) -> None:
    # orjson writes the lines (10x faster); whatever the server sent, the bytes must not change.
    assert json_line(document) == STDLIB_LINE(document).encode("ascii")


@given(number=st.floats(allow_nan=False, allow_infinity=False))
def test_a_json_line_keeps_every_number(number: float) -> None:
    assert json.loads(json_line({"n": number})) == {"n": number}


def test_no_color_and_pipes_get_no_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    from cybrid_tui.cli.output import use_colour

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_colour(Terminal())
    assert not use_colour(io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_colour(Terminal())


def test_commands_do_not_import_textual() -> None:
    # Nor what a listing does not use: httpx's own command line (click, rich), the verification client.
    unused = ("textual", "click", "rich", "cybrid_tui.api.identity_verifications")
    code = (
        "import sys; from cybrid_tui.__main__ import main; "
        "main(['customers', 'list', '--demo', '--limit', '1', '--jsonl']); "
        f"print(any(name in sys.modules for name in {unused!r}), file=sys.stderr)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=environment(),
        timeout=60,
        check=False,
    )
    assert result.stderr.strip().splitlines()[-1] == "False"


def test_the_app_says_a_configuration_problem_and_its_advice_once() -> None:
    ran = run_cli()  # `cybrid-tui` alone, with no settings: the app's own start
    assert ran.status == 2
    assert ran.err.count("--demo") == 1
    assert ran.err.count("CYBRID_CLIENT_ID") == 1
