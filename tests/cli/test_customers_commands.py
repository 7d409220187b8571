"""`cybrid-tui customers ...` in a fresh process against a mock server on loopback: every command, format
and exit status. Golden files (tests/cli/golden/) hold the table and the CSV of the seeded bank (seed 7,
frozen clock); regenerate them with UPDATE_GOLDEN=1 after a deliberate change, and read the diff."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.cli.conftest import run_cli, server_env

if TYPE_CHECKING:
    from tests.cli.conftest import Cli

pytestmark = pytest.mark.integration

GOLDEN = Path(__file__).parent / "golden"


def golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8")


def test_list_table_is_every_customer_newest_first(cli: Cli) -> None:
    ran = cli("customers", "list")
    assert ran.status == 0, ran.err
    golden("customers_list.txt", ran.out)
    lines = ran.out.splitlines()
    assert lines[0].split() == ["GUID", "TYPE", "STATE", "CREATED", "LABELS"]
    assert [line.split()[0] for line in lines[1:]] == cli.server.backend.guids()
    assert "\x1b[" not in ran.out  # no colour into a pipe


def test_list_csv_has_a_header_and_pii_when_asked(cli: Cli) -> None:
    ran = cli("customers", "list", "--csv", "--include-pii")
    assert ran.status == 0, ran.err
    golden("customers_list.csv", ran.out)
    rows = list(csv.DictReader(io.StringIO(ran.out)))
    assert len(rows) == 60
    assert all(row["name"] for row in rows)


def test_jsonl_is_the_apis_objects_one_per_line(cli: Cli) -> None:
    ran = cli("customers", "list", "--jsonl")
    objects = [json.loads(line) for line in ran.out.splitlines()]
    assert ran.status == 0
    assert [item["guid"] for item in objects] == cli.server.backend.guids()
    assert {"guid", "type", "state", "created_at", "bank_guid"} <= set(objects[0])
    assert ran.err == ""


def test_listing_over_http_never_imports_pydantic(cli: Cli) -> None:
    # pydantic's import and teardown were a quarter of a 10,000-customer listing (see the README's
    # Performance section): a command that only lists reads pages without models.
    code = (
        "import sys; from cybrid_tui.__main__ import main; "
        "status = main(['customers', 'list', '--jsonl', '--state', 'unverified,verified']); "
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'pydantic', 'pydantic_core', 'textual'}); "
        "print(status, heavy, file=sys.stderr)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=cli.env, timeout=60, check=False
    )
    assert result.stderr.strip().splitlines()[-1] == "0 []", result.stderr
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert objects and {item["state"] for item in objects} <= {"unverified", "verified"}


def test_json_is_one_array_and_filters_apply(cli: Cli) -> None:
    everyone = json.loads(cli("customers", "list", "--json").out)
    ran = cli(
        "customers", "list", "--json", "--state", "rejected,frozen", "--type", "business", "--limit", "3"
    )
    chosen = json.loads(ran.out)
    expected = [c for c in everyone if c["state"] in ("rejected", "frozen") and c["type"] == "business"][:3]
    assert ran.status == 0
    assert chosen == expected and len(chosen) == 3


def test_get_prints_one_customer(cli: Cli) -> None:
    guid = cli.server.backend.guids()[5]
    ran = cli("customers", "get", guid, "--json")
    assert ran.status == 0
    assert json.loads(ran.out)["guid"] == guid
    table = cli("customers", "get", guid)
    assert table.out.splitlines()[0].split() == ["guid", guid]


def test_a_missing_customer_exits_1_with_one_line_and_a_json_error(cli: Cli) -> None:
    ran = cli("customers", "get", "0" * 32, "--json")
    assert ran.status == 1
    assert ran.out == ""
    line, document = ran.err.splitlines()
    assert line.startswith("cybrid-tui: Not found")
    assert json.loads(document)["error"]["http_status"] == 404


def test_create_prints_the_customer_and_carries_the_guard_tag(cli: Cli) -> None:
    ran = cli("customers", "create", "--type", "business", "--label", "vip", "--json")
    assert ran.status == 0, ran.err
    created = json.loads(ran.out)
    assert created["type"] == "business"
    assert "vip" in created["labels"]
    assert any(label.startswith("cybrid-tui-") for label in created["labels"])
    assert cli.server.backend.guids()[0] == created["guid"]


def test_create_with_details_from_stdin(cli: Cli) -> None:
    body = {
        "name": {"first": "Ada", "last": "Lovelace"},
        "date_of_birth": "1990-12-10",
        "email_address": "ada@example.com",
        "address": {"street": "1 Main St", "city": "London", "country_code": "gb"},
        "identification_numbers": [
            {"type": "passport", "issuing_country_code": "GB", "identification_number": "123456789"}
        ],
    }
    ran = cli("customers", "create", "--type", "individual", "--body", "-", "--jsonl", stdin=json.dumps(body))
    assert ran.status == 0, ran.err
    assert json.loads(ran.out)["type"] == "individual"


def test_an_invalid_body_is_refused_before_anything_is_sent(cli: Cli) -> None:
    before = len(cli.server.backend.guids())
    body = {"name": {"first": "Ada"}, "email_address": "not-an-email"}
    ran = cli("customers", "create", "--type", "individual", "--body", "-", stdin=json.dumps(body))
    assert ran.status == 2
    assert "name.last: Required" in ran.err and "email_address" in ran.err
    assert "nothing was sent" in ran.err
    wrong_field = cli(
        "customers", "create", "--type", "business", "--body", "-", stdin='{"date_of_birth": "x"}'
    )
    assert wrong_field.status == 2 and "date_of_birth" in wrong_field.err
    assert len(cli.server.backend.guids()) == before


def test_reset_sets_a_rejected_customer_back_to_unverified(cli: Cli) -> None:
    everyone = json.loads(cli("customers", "list", "--json", "--state", "rejected").out)
    guid = everyone[0]["guid"]
    ran = cli("customers", "reset", guid, "--json")
    assert ran.status == 0, ran.err
    assert json.loads(ran.out)["state"] == "unverified"
    refused = cli("customers", "reset", guid, "--read-only")
    assert refused.status == 2 and "read-only" in refused.err


def test_reset_refuses_a_customer_that_is_not_rejected(cli: Cli) -> None:
    verified = json.loads(cli("customers", "list", "--json", "--state", "verified").out)[0]["guid"]
    ran = cli("customers", "reset", verified)
    assert ran.status == 1 and "only a rejected customer" in ran.err and "Nothing was sent" in ran.err
    after = json.loads(cli("customers", "get", verified, "--json").out)
    assert after["state"] == "verified"


def test_a_wrong_secret_exits_4_and_never_prints_the_secret(cli: Cli) -> None:
    ran = run_cli("customers", "list", env=server_env(cli.server.url, secret="wrong-s3cret-value"))
    assert ran.status == 4
    assert len(ran.err.splitlines()) == 1
    assert "wrong-s3cret-value" not in ran.err + ran.out
    assert "Traceback" not in ran.err


def test_missing_settings_exit_2_with_the_advice_once() -> None:
    ran = run_cli("customers", "list")
    assert ran.status == 2
    assert ran.err.count("--demo") == 1
    assert len(ran.err.splitlines()) == 1 and "CYBRID_CLIENT_ID" in ran.err


def test_an_unreachable_bank_exits_1() -> None:
    ran = run_cli("customers", "get", "abc", env=server_env("http://127.0.0.1:9"))
    assert ran.status == 1
    assert "Traceback" not in ran.err


def test_demo_jsonl_into_head_prints_three_customers_quietly(tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.cli.conftest import environment

    script = f"{sys.executable} -m cybrid_tui customers list --demo --jsonl | head -3"
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", script],
        capture_output=True,
        text=True,
        env=environment(),
        timeout=60,
    )
    lines = result.stdout.splitlines()
    assert len(lines) == 3 and all(json.loads(line)["guid"] for line in lines)
    assert result.stderr == ""  # no traceback, no "Exception ignored"
    assert result.returncode == 0


def test_demo_create_prints_the_created_customer() -> None:
    ran = run_cli("customers", "create", "--demo", "--type", "business", "--json")
    assert ran.status == 0, ran.err
    assert json.loads(ran.out)["state"] == "storing"


def test_create_with_the_duplicate_guard_off_sends_no_tag(cli: Cli) -> None:
    env = {**server_env(cli.server.url), "CYBRID_DUPLICATE_GUARD": "false"}
    ran = run_cli("customers", "create", "--type", "business", "--label", "vip", "--json", env=env)
    assert ran.status == 0, ran.err
    assert json.loads(ran.out)["labels"] == ["vip"]
    guarded = cli("customers", "create", "--type", "business", "--label", "vip", "--json")
    labels = json.loads(guarded.out)["labels"]
    assert "vip" in labels and any(label.startswith("cybrid-tui-") for label in labels)


def test_include_pii_without_the_scope_says_why_the_names_are_empty(cli: Cli) -> None:
    env = {**server_env(cli.server.url), "CYBRID_SCOPES": "customers:read"}
    ran = run_cli("customers", "list", "--include-pii", "--limit", "3", "--jsonl", env=env)
    assert ran.status == 0, ran.err
    assert "personal data is not included" in ran.err and "customers:pii:read" in ran.err
    assert all(json.loads(line).get("name") is None for line in ran.out.splitlines())
    allowed = cli("customers", "list", "--include-pii", "--limit", "3", "--jsonl")
    assert "personal data is not included" not in allowed.err
