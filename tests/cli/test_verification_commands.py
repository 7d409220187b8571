"""`cybrid-tui customers verify`, `verifications list|get` in a fresh process against a mock server on
loopback (frozen clock: a test moves time on), and `--demo`; read-only by flag and by profile; `--expect`
refused in production."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from tests.cli.conftest import environment, run_cli

if TYPE_CHECKING:
    from pathlib import Path

    from tests.cli.conftest import Cli, Ran

pytestmark = pytest.mark.integration

OPEN = "storing,waiting,pending,reviewing"


def objects(ran: Ran) -> list[dict[str, object]]:
    assert ran.status == 0, ran.err
    found: list[dict[str, object]] = json.loads(ran.out)
    return found


def free_customer(cli: Cli, kind: str = "individual") -> str:
    """An unverified customer of `kind` with no open verification (one a verify really starts for)."""
    unverified = objects(cli("customers", "list", "--json", "--state", "unverified", "--type", kind))
    busy = {
        item["customer_guid"] for item in objects(cli("verifications", "list", "--json", "--state", OPEN))
    }
    return next(str(item["guid"]) for item in unverified if item["guid"] not in busy)


def verifications_of(cli: Cli, guid: str) -> list[dict[str, object]]:
    return objects(cli("verifications", "list", "--customer", guid, "--json"))


def test_verify_starts_one_and_a_second_verify_reuses_it(cli: Cli) -> None:
    guid = free_customer(cli)
    ran = cli("customers", "verify", guid, "--json", "--country", "ca")
    started = json.loads(ran.out)
    assert ran.status == 0, ran.err
    assert started["customer_guid"] == guid and started["state"] == "storing"
    assert started["method"] == "id_and_selfie"
    again = cli("customers", "verify", guid, "--jsonl")
    assert again.status == 0, again.err
    assert json.loads(again.out)["guid"] == started["guid"]
    assert "already exists: reusing it" in again.err and "Nothing was sent" in again.err
    assert [item["guid"] for item in verifications_of(cli, guid)] == [started["guid"]]


def _wait_in_background(cli: Cli, *args: str) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "cybrid_tui", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli.env,
    )
    assert process.stderr is not None
    for _ in range(20):  # the line that says the verification was started and is being waited for
        if process.stderr.readline().startswith("Waiting for verification"):
            return process
    process.kill()
    raise AssertionError("the command never started waiting")


def test_wait_for_a_failure_exits_3_and_explains_the_codes(cli: Cli) -> None:
    guid = free_customer(cli)
    process = _wait_in_background(cli, "customers", "verify", guid, "--expect", "fails", "--wait", "--jsonl")
    cli.server.clock.advance(30)  # the mock's sandbox failure completes a few seconds after the start
    out, err = process.communicate(timeout=60)
    assert process.returncode == 3, err
    states = [json.loads(line) for line in out.splitlines()]
    assert states[0]["state"] == "storing"
    assert states[-1]["state"] == "completed" and states[-1]["outcome"] == "failed"
    assert "requested_failure: Sandbox: the failure was requested" in err
    assert "Traceback" not in err
    rejected = json.loads(cli("customers", "get", guid, "--json").out)
    assert rejected["state"] == "rejected"


def test_wait_for_a_pass_exits_0_and_prints_the_outcome(cli: Cli) -> None:
    guid = free_customer(cli, "business")
    process = _wait_in_background(cli, "customers", "verify", guid, "--expect", "passes", "--wait")
    cli.server.clock.advance(30)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    fields = dict(line.split(None, 1) for line in out.splitlines() if len(line.split(None, 1)) == 2)
    assert fields["state"] == "completed" and fields["outcome"] == "passed"
    assert fields["method"] == "business_registration"
    assert "passed." in err


def test_a_customer_who_is_not_unverified_is_refused_in_plain_words(cli: Cli) -> None:
    verified = objects(cli("customers", "list", "--json", "--state", "verified", "--limit", "1"))[0]["guid"]
    before = verifications_of(cli, str(verified))
    ran = cli("customers", "verify", str(verified), "--json")
    assert ran.status == 1 and ran.out == ""
    assert f"customer {verified} is verified: only an unverified customer can be verified" in ran.err
    assert verifications_of(cli, str(verified)) == before
    rejected = objects(cli("customers", "list", "--json", "--state", "rejected", "--limit", "1"))[0]["guid"]
    refused = cli("customers", "verify", str(rejected))
    assert refused.status == 1 and f"customers reset {rejected}` first" in refused.err


def test_expect_is_refused_in_production_before_anything_is_sent(cli: Cli) -> None:
    guid = free_customer(cli)
    env = {**cli.env, "CYBRID_ENVIRONMENT": "production"}
    ran = run_cli("customers", "verify", guid, "--expect", "passes", env=env)
    assert ran.status == 2, ran.err
    assert "--expect is for the sandbox and the demo" in ran.err
    assert verifications_of(cli, guid) == []


def test_read_only_by_flag_or_by_profile_refuses_every_change(cli: Cli, tmp_path: Path) -> None:
    guid = free_customer(cli)
    flagged = cli("customers", "verify", guid, "--read-only")
    assert (
        flagged.status == 2 and "Read-only: this session cannot start identity verifications" in flagged.err
    )
    config = tmp_path / "config.toml"
    config.write_text(
        f'[profiles.safe]\nbank_url = "{cli.server.url}"\nid_url = "{cli.server.url}"\n'
        'client_id = "mock-client-id"\nclient_secret_env = "SAFE_SECRET"\nread_only = true\n'
    )
    env = environment(CYBRID_TUI_CONFIG=str(config), SAFE_SECRET="mock-client-secret")
    rejected = objects(cli("customers", "list", "--json", "--state", "rejected", "--limit", "1"))[0]["guid"]
    for command in (
        ("customers", "verify", guid),
        ("customers", "reset", str(rejected)),
        ("customers", "create", "--type", "business"),
    ):
        ran = run_cli(*command, "--profile", "safe", env=env)
        assert ran.status == 2, (command, ran.err)
        assert "Read-only" in ran.err and "Nothing was sent" in ran.err
    reading = run_cli("verifications", "list", "--profile", "safe", "--limit", "1", "--jsonl", env=env)
    assert reading.status == 0, reading.err  # reading is what a read-only profile is for
    assert verifications_of(cli, guid) == []


def start_some(cli: Cli) -> list[str]:
    """Three verifications a second apart (newest first): a sandbox failure, a pass, one left waiting."""
    started = []
    for expect in ("fails", "passes", None):
        guid = free_customer(cli)
        ran = cli("customers", "verify", guid, "--jsonl", *(["--expect", expect] if expect else []))
        started.append(json.loads(ran.out)["guid"])
        cli.server.clock.advance(1)
    cli.server.clock.advance(30)
    return started[::-1]


def test_verifications_list_filters_limits_and_formats(cli: Cli) -> None:
    started = start_some(cli)
    table = cli("verifications", "list")
    assert table.status == 0, table.err
    lines = table.out.splitlines()
    assert lines[0].split()[:5] == ["GUID", "CUSTOMER", "STATE", "OUTCOME", "CREATED"]
    everything = objects(cli("verifications", "list", "--json"))
    assert len(lines) == len(everything) + 1
    assert [item["guid"] for item in everything] == started  # newest first
    assert [item["state"] for item in everything] == ["waiting", "completed", "completed"]
    completed = objects(cli("verifications", "list", "--json", "--state", "completed,expired"))
    assert completed == [item for item in everything if item["state"] in ("completed", "expired")]
    two = cli("verifications", "list", "--jsonl", "--limit", "2")
    assert [json.loads(line) for line in two.out.splitlines()] == everything[:2]
    csv = cli("verifications", "list", "--csv", "--limit", "1")
    assert csv.out.splitlines()[0].startswith("guid,type,method,customer_guid,state,outcome")
    mine = everything[0]["customer_guid"]
    assert {item["customer_guid"] for item in verifications_of(cli, str(mine))} == {mine}


def test_verifications_get_has_details_and_explains_failures(cli: Cli) -> None:
    failed = {"guid": start_some(cli)[-1]}
    ran = cli("verifications", "get", str(failed["guid"]), "--json")
    detail = json.loads(ran.out)
    assert ran.status == 0, ran.err
    assert detail["guid"] == failed["guid"] and detail["persona_inquiry_id"].startswith("inq_")
    assert "persona_session_token" not in ran.out and "session-token" not in ran.out
    table = cli("verifications", "get", str(failed["guid"]))
    assert "persona_inquiry_id" in table.out
    assert detail["outcome"] == "failed" and detail["failure_codes"]
    for code in detail["failure_codes"]:
        assert f"  {code}: " in table.out  # each code explained in words under its group
    missing = cli("verifications", "get", "0" * 32, "--json")
    assert missing.status == 1 and json.loads(missing.err.splitlines()[1])["error"]["http_status"] == 404


def test_demo_verify_and_verifications() -> None:
    env = environment()
    listing = run_cli("verifications", "list", "--demo", "--jsonl", "--state", OPEN, env=env)
    busy = {json.loads(line)["customer_guid"] for line in listing.out.splitlines()}
    customers = run_cli("customers", "list", "--demo", "--jsonl", "--state", "unverified", env=env)
    free = [c["guid"] for c in map(json.loads, customers.out.splitlines()) if c["guid"] not in busy]
    assert listing.status == customers.status == 0 and free
    ran = run_cli("customers", "verify", free[-1], "--demo", "--expect", "fails", "--wait", "--json", env=env)
    assert ran.status == 3, ran.err
    assert json.loads(ran.out)["outcome"] == "failed"
    assert "requested_failure" in ran.err
