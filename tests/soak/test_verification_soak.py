"""Soak for issue 13: starting identity verifications while the server misbehaves never leaves a customer with
two verifications.

`cybrid-tui mock-server` runs over loopback HTTP with 30% of identity and bank requests answered 500/502/503
and 30% of connections dropped after the server acted on the request (a create really happens, its answer
is lost), plus the main soak's rate limit, 2-second tokens and jitter; the fault draws come from the mock's
seeded generator. On top of those random drops, the first create answer for every other customer is lost
on purpose (`lose_first_answers`), so every run goes through recovering one. Two ways in:

- the app (Pilot), on its real non-demo path: for each of several unverified customers, `v` on its row, then
  ctrl+s pressed twice quickly, and again after every failure the screen reports, as a person would, until
  the screen closes (started);
- the client alone: one `VerificationStarter` per customer, all customers at once, `start()` again after each
  error.

Then faults are cleared and the mock is read over HTTP. Every customer holds at most one open verification;
every customer started has exactly one verification, and the server created exactly one for it. The mock
itself refuses a second open verification (409 `data_exists`, its own choice: the spec documents none), so
the listing alone could not catch a duplicate: the server's create handler is also recorded, and no create
for a customer may ever have reached that refusal. A server without the guard would have made the second
verification. Each test takes 10-30 s; the waits are on conditions, bounded by timeouts.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from cybrid_tui.api.client import CybridClient
from cybrid_tui.api.errors import CybridError, RateLimitError
from cybrid_tui.api.models import PostIdentityVerification
from cybrid_tui.app import CybridApp
from cybrid_tui.clock import SystemClock
from cybrid_tui.launch import real_backend
from cybrid_tui.mock.config import MockConfig
from cybrid_tui.mock.errors import MockError
from cybrid_tui.screens.customers import CustomersScreen
from cybrid_tui.screens.verify_identity import VerifyIdentityScreen
from tests.support.mock_admin import clear_faults, point_app_at, set_faults
from tests.support.mock_server import CLIENT_ID, CLIENT_SECRET
from tests.support.waiting import wait_for

if TYPE_CHECKING:
    from collections.abc import Iterator

    from textual.pilot import Pilot

    from cybrid_tui.api.models import IdentityVerification
    from cybrid_tui.mock.backend import MockBackend
    from tests.support.mock_server import MakeMockServer, MockServerHandle

pytestmark = [pytest.mark.soak, pytest.mark.integration]

SEED = 20261126
FAULTS: dict[str, Any] = {
    "error_rate": 0.3,
    "drop_rate": 0.3,
    "rate_limit_rps": 8,
    "token_ttl_seconds": 2,
    "jitter_ms": 20,
}
OPEN_STATES = frozenset({"storing", "waiting", "pending", "reviewing"})
#: Customers started from the app, and from the client alone.
APP_CUSTOMERS = 6
CLIENT_CUSTOMERS = 8
#: The client-level starters retry this often (429s included) before the soak calls it stuck.
CLIENT_ATTEMPTS = 40
#: A person gives up after this many ctrl+s on one customer (the soak fails then: the app never got through).
MAX_PRESSES = 25
#: One start under these faults: token, a listing and a create, each with the client's retries and waits
#: (3 s request deadline, Retry-After of 1 s, backoff): a few seconds at most; generous for a loaded machine.
START_TIMEOUT = 60.0
REQUEST_TIMEOUT = 3.0


@dataclass(frozen=True)
class Create:
    """One call of the mock's create handler (past the fault middleware): what the server did."""

    customer_guid: str | None
    outcome: str  # "201" or "<status> <message_code>"


@dataclass
class Person:
    """What happened to one customer's start from the app."""

    presses: int = 0
    failures_shown: Counter[str] = field(default_factory=Counter)
    ended: str = ""  # "started" (the screen closed) or "shown open" (it showed the open verification)


def record_creates(monkeypatch: pytest.MonkeyPatch, backend: MockBackend) -> list[Create]:
    """Every create the mock's handler processed, from the server's side (it runs in the server thread)."""
    seen: list[Create] = []
    real = backend.create_identity_verification

    def recorded(body: Any) -> dict[str, Any]:
        customer = body.get("customer_guid") if isinstance(body, dict) else None
        try:
            answer = real(body)
        except MockError as exc:
            seen.append(Create(customer, f"{exc.status} {exc.message_code}"))
            raise
        seen.append(Create(customer, "201"))
        return answer

    monkeypatch.setattr(backend, "create_identity_verification", recorded)
    return seen


def lose_first_answers(monkeypatch: pytest.MonkeyPatch, customers: set[str]) -> list[str]:
    """For each of `customers`, the answer to the first create this process sends is lost after the server
    created the verification (the client sees the same error as a dropped connection). The mock's own drops
    are random; these make every run go through recovering a lost answer. Returns the customers it hit."""
    real = httpx.AsyncHTTPTransport.handle_async_request
    pending = set(customers)
    lost: list[str] = []

    async def handle(self: httpx.AsyncHTTPTransport, request: httpx.Request) -> httpx.Response:
        response = await real(self, request)
        if request.method != "POST" or request.url.path != "/api/identity_verifications":
            return response
        customer = json.loads(request.content).get("customer_guid")
        if customer not in pending or response.status_code != 201:
            return response
        pending.discard(customer)
        await response.aclose()
        lost.append(customer)
        raise httpx.RemoteProtocolError(
            "soak: the answer was lost after the server created it", request=request
        )

    monkeypatch.setattr(httpx.AsyncHTTPTransport, "handle_async_request", handle)
    return lost


@pytest.fixture
def unexpected_errors() -> Iterator[list[logging.LogRecord]]:
    """ERROR records of the app's loggers: a worker that died of an error it did not expect logs one."""
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep(logging.ERROR)
    logger = logging.getLogger("cybrid_tui")
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)


def unverified_without_verifications(backend: MockBackend, count: int) -> list[str]:
    """`count` customers that can be verified now and have never been (sorted: the same ones every run)."""
    from cybrid_tui.mock.records.identity_verifications import VerificationQuery

    listed = backend.list_identity_verifications(VerificationQuery(per_page=100))
    assert listed["total"] <= 100
    known = {v["customer_guid"] for v in listed["objects"]}
    chosen = sorted(
        guid
        for guid, state in backend.snapshot_states().items()
        if state == "unverified" and guid not in known
    )[:count]
    assert len(chosen) == count, f"the seeded bank has only {len(chosen)} unverified customers"
    return chosen


def client_for(server: MockServerHandle) -> CybridClient:
    return CybridClient(
        bank_url=server.url,
        id_url=server.url,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        timeout=REQUEST_TIMEOUT,
    )


async def verifications_by_customer(server: MockServerHandle) -> dict[str, list[IdentityVerification]]:
    """Every verification of the bank, read over HTTP through the list endpoint (faults off)."""
    grouped: dict[str, list[IdentityVerification]] = defaultdict(list)
    async with client_for(server) as client:
        async for verification in client.identity_verifications.iter(per_page=100):
            grouped[verification.customer_guid or ""].append(verification)
    return grouped


def assert_one_verification_each(
    listed: dict[str, list[IdentityVerification]], started: list[str], creates: list[Create]
) -> None:
    open_per_customer = {
        guid: [v.guid for v in found if v.state in OPEN_STATES] for guid, found in listed.items()
    }
    assert all(len(found) <= 1 for found in open_per_customer.values()), open_per_customer
    assert {guid: len(listed.get(guid, [])) for guid in started} == dict.fromkeys(started, 1), listed
    by_customer: dict[str | None, Counter[str]] = defaultdict(Counter)
    for create in creates:
        by_customer[create.customer_guid][create.outcome] += 1
    # Exactly one create reached the server's logic per customer and succeeded. A second one would have been
    # refused only by the mock's own guard (409 data_exists): against a server without it, a duplicate.
    assert {guid: dict(by_customer[guid]) for guid in started} == {guid: {"201": 1} for guid in started}
    assert set(by_customer) == set(started), "a create for a customer nobody started"


def assert_at_most_one_create(creates: list[Create], guid: str) -> None:
    """Checked after every attempt: a duplicate fails at once (not later as "never started" on a 409)."""
    mine = [c.outcome for c in creates if c.customer_guid == guid]
    assert len(mine) <= 1, (
        f"a second create for {guid} reached the server ({mine}): only the mock's own guard kept it from "
        "being a second verification"
    )


async def start_from_app(
    app: CybridApp, customers: CustomersScreen, pilot: Pilot[None], guid: str, creates: list[Create]
) -> Person:
    """`v` on the customer's row, then ctrl+s (twice quickly at first and every third time) after each
    failure the screen shows, until it closes (started) or shows the customer's open verification."""
    person = Person()
    assert customers.table.select_guid(guid), "the customer is in the table"
    await pilot.press("v")
    await wait_for(lambda: isinstance(app.screen, VerifyIdentityScreen), timeout=10, message="verify screen")
    opened = app.screen
    assert isinstance(opened, VerifyIdentityScreen) and opened.guid == guid
    screen: VerifyIdentityScreen = opened
    while True:
        assert person.presses < MAX_PRESSES, f"still not started after {MAX_PRESSES} presses: {person}"
        quickly = person.presses % 3 == 0
        # Pilot's press returns once the screen handled the key: the start is running (or already ended).
        await pilot.press(*(["ctrl+s", "ctrl+s"] if quickly else ["ctrl+s"]))
        person.presses += 1
        await wait_for(
            lambda: app.screen is not screen or not screen._starting,
            timeout=START_TIMEOUT,
            message="the start answers",
        )
        assert_at_most_one_create(creates, guid)
        if app.screen is not screen:
            assert app.screen is customers
            person.ended = "started"
            return person
        if screen.open_verification is not None and not screen._problem:
            person.ended = "shown open"
            await pilot.press("escape")
            await wait_for(lambda: app.screen is customers, timeout=10, message="verify screen closed")
            return person
        # A failure, in plain words; the person reads it and presses again.
        assert screen._problem and screen.status_text.startswith("⚠"), screen.status_text
        person.failures_shown[screen.status_text.split(":", 1)[0]] += 1
        if "may have reached Cybrid" in screen.status_text:
            person.failures_shown["(in doubt: ctrl+s again looks first)"] += 1


async def test_starting_verifications_from_the_app_under_faults_never_makes_two(
    make_mock_server: MakeMockServer,
    monkeypatch: pytest.MonkeyPatch,
    unexpected_errors: list[logging.LogRecord],
    record_property: Any,
) -> None:
    server = make_mock_server(MockConfig(seed=SEED, customers=60), clock=SystemClock())
    chosen = unverified_without_verifications(server.backend, APP_CUSTOMERS)
    creates = record_creates(monkeypatch, server.backend)
    lost = lose_first_answers(monkeypatch, set(chosen[::2]))
    point_app_at(monkeypatch, server.url, timeout=REQUEST_TIMEOUT)
    app = CybridApp(backend=real_backend(), refresh_seconds=1.0, cursor_blink=False, flash_seconds=0)
    began = time.monotonic()
    people: dict[str, Person] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        customers = app.screen
        assert isinstance(customers, CustomersScreen)
        await wait_for(lambda: customers.phase == "live", timeout=30, message="first load")
        await set_faults(server.url, **FAULTS)
        for guid in chosen:
            people[guid] = await start_from_app(app, customers, pilot, guid, creates)
            assert app.is_running, "the app stopped"
        await clear_faults(server.url)
        listed = await verifications_by_customer(server)
        await pilot.pause()
        assert app.is_running
    seconds = time.monotonic() - began

    assert app.return_code in (None, 0)
    assert not unexpected_errors, [r.getMessage() for r in unexpected_errors]
    assert_one_verification_each(listed, chosen, creates)
    # Every start ended with the screen closing on the verification it made, lost answers included: none
    # was taken for somebody else's open verification ("none was started" would be wrong there).
    assert [p.ended for p in people.values()] == ["started"] * len(chosen), people
    assert sorted(lost) == sorted(chosen[::2])
    failures = sum((p.failures_shown for p in people.values()), Counter[str]())
    figures = {
        "seconds": round(seconds, 1),
        "answers_lost_by_test": len(lost),
        "presses": [p.presses for p in people.values()],
        "ended": dict(Counter(p.ended for p in people.values())),
        "failures_shown": dict(failures),
        "server_creates": dict(Counter(c.outcome for c in creates)),
    }
    record_property("verification_soak_app", figures)
    print(f"\nVERIFICATION SOAK (app) {figures}")
    # The faults really reached the person: some starts failed and were pressed again.
    assert sum(failures.values()) > 0, figures


async def test_concurrent_starts_from_the_client_under_faults_never_make_two(
    make_mock_server: MakeMockServer, monkeypatch: pytest.MonkeyPatch, record_property: Any
) -> None:
    server = make_mock_server(MockConfig(seed=SEED + 1, customers=120), clock=SystemClock())
    chosen = unverified_without_verifications(server.backend, CLIENT_CUSTOMERS)
    creates = record_creates(monkeypatch, server.backend)
    lost = lose_first_answers(monkeypatch, set(chosen[::2]))
    errors: Counter[str] = Counter()
    results: dict[str, tuple[bool, bool]] = {}
    began = time.monotonic()
    await set_faults(server.url, **FAULTS)
    async with client_for(server) as client:

        async def start(guid: str) -> None:
            starter = client.identity_verifications.starter(guid)
            body = PostIdentityVerification.for_customer(
                guid, "individual" if _individual(server, guid) else "business"
            )
            for _ in range(CLIENT_ATTEMPTS):
                try:
                    result = await starter.start(body)
                except CybridError as error:
                    errors[type(error).__name__] += 1
                    assert_at_most_one_create(creates, guid)
                    if isinstance(error, RateLimitError):
                        # Pacing, as the client's own retries do: the server named when to come back.
                        await asyncio.sleep(error.retry_after or 1.0)
                    continue
                assert_at_most_one_create(creates, guid)
                results[guid] = (result.created, result.recovered)
                assert not result.others, result
                return
            raise AssertionError(f"{guid}: not started after {CLIENT_ATTEMPTS} attempts")

        await asyncio.wait_for(asyncio.gather(*(start(guid) for guid in chosen)), timeout=240)
    await clear_faults(server.url)
    listed = await verifications_by_customer(server)
    seconds = time.monotonic() - began

    assert_one_verification_each(listed, chosen, creates)
    assert sorted(lost) == sorted(chosen[::2])
    # A starter never takes its own verification for an open one found (that is `created=False`): a lost
    # answer is recovered as ours.
    assert all(created or recovered for created, recovered in results.values()), results
    assert all(results[guid][1] for guid in lost), "a lost answer was not recovered"
    figures = {
        "seconds": round(seconds, 1),
        "answers_lost_by_test": len(lost),
        "errors": dict(errors),
        "created_recovered": dict(Counter("recovered" if rec else "created" for _, rec in results.values())),
        "server_creates": dict(Counter(c.outcome for c in creates)),
    }  # fmt: skip
    record_property("verification_soak_client", figures)
    print(f"\nVERIFICATION SOAK (client) {figures}")
    assert sum(errors.values()) > 0, figures  # the faults reached the starters


def _individual(server: MockServerHandle, guid: str) -> bool:
    return bool(server.backend.customer_json(guid, include_pii=False)["type"] == "individual")
