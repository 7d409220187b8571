"""Creating customers while the server fails: every submission succeeds exactly once or fails with the input
kept, and the bank ends with no duplicate.

The mock server (over loopback HTTP) adds 120-170 ms of latency against a client timeout of 0.15 s (about
40% of requests time out while the server carries on and completes them), then answers 30-40% of the rest
500/502/503 without doing anything and drops 15-20% of connections after doing the work (a create happens,
its answer is lost).

Why these numbers: a request that times out is acted on at most `latency + jitter` = 170 ms after it arrived,
and the duplicate check that follows is processed at least `timeout + latency` = 270 ms after it was sent.
So the check always sees a create that timed out; what `safe_create` documents as its one limit (a create
still in flight inside the server when the check runs) cannot happen here, and any duplicate is a bug.

Then the bank is read back with faults off: each tag the form generated belongs to exactly one customer for
a success and to none for a failure, and the number of tagged customers equals the number of successes.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest
from textual.widgets import Static

from cybrid_tui.api.client import CybridClient
from cybrid_tui.api.errors import CybridError, RequestTimeoutError
from cybrid_tui.api.models import PostCustomer
from cybrid_tui.api.retry import RetryPolicy
from cybrid_tui.api.safe_create import SafeCreator, is_tag
from cybrid_tui.app import CybridApp
from cybrid_tui.clock import SystemClock
from cybrid_tui.launch import real_backend
from cybrid_tui.mock.config import MockConfig
from cybrid_tui.screens.create_customer import CreateCustomerScreen
from cybrid_tui.screens.customers import CustomersScreen
from cybrid_tui.widgets.form_fields import FormField
from tests.support.mock_admin import clear_faults, point_app_at, set_faults
from tests.support.mock_server import CLIENT_ID, CLIENT_SECRET
from tests.support.waiting import wait_for

if TYPE_CHECKING:
    from cybrid_tui.api.models import Customer
    from cybrid_tui.api.safe_create import CreateResult
    from cybrid_tui.mock.backend import MockBackend
    from tests.support.mock_server import MakeMockServer, MockServerHandle

pytestmark = pytest.mark.integration

TIMEOUT = 0.15
LATENCY = {"latency_ms": 120, "jitter_ms": 50}
#: A person presses ctrl+s again at most this often while the outcome is known to be a failure.
GIVE_UP_AFTER = 6
#: ... and keeps pressing while it is unknown (the form says a retry is safe), up to this many times.
MAX_PRESSES = 40


def tagged_customers(backend: MockBackend) -> dict[str, list[str]]:
    """tag -> guids of the customers carrying it, read straight from the bank."""
    owners: dict[str, list[str]] = defaultdict(list)
    for guid in backend.guids():
        for label in backend.customer_json(guid, include_pii=False).get("labels") or ():
            if is_tag(label):
                owners[label].append(guid)
    return owners


@dataclass
class TimeoutCount:
    seen: int = 0


@pytest.fixture
def timeouts(monkeypatch: pytest.MonkeyPatch) -> TimeoutCount:
    """Counts the timeouts the client met: every one becomes a `RequestTimeoutError` (retried or raised)."""
    count = TimeoutCount()
    original = RequestTimeoutError.__init__

    def counting(self: RequestTimeoutError, *args: Any, **kwargs: Any) -> None:
        count.seen += 1
        original(self, *args, **kwargs)

    monkeypatch.setattr(RequestTimeoutError, "__init__", counting)
    return count


@dataclass
class Outcome:
    tag: str
    result: CreateResult[Customer] | None = None
    presses: int = 0
    errors: list[str] = field(default_factory=list)


async def submit_until_settled(client: CybridClient, rng: random.Random) -> Outcome:
    """One form: press "create" until it succeeds, or until it failed for certain a few times."""
    creator = SafeCreator(client.customers)
    body = PostCustomer.model_validate(
        {"type": rng.choice(("individual", "business")), "labels": ["soak", creator.tag]}
    )
    outcome = Outcome(creator.tag)
    while outcome.presses < MAX_PRESSES:
        outcome.presses += 1
        try:
            outcome.result = await creator.create(body)
        except CybridError as error:
            outcome.errors.append(type(error).__name__)
            if not creator.uncertain and outcome.presses >= GIVE_UP_AFTER:
                break
        else:
            break
        # The body (the person's input) is never changed by a failed attempt.
        assert body.labels == ["soak", creator.tag]
    assert outcome.result is not None or not creator.uncertain, "gave up not knowing whether it was created"
    return outcome


async def test_safe_create_under_faults_creates_each_customer_once(
    make_mock_server: MakeMockServer, timeouts: TimeoutCount
) -> None:
    server = make_mock_server(MockConfig(customers=10, seed=42), clock=SystemClock())
    await set_faults(server.url, error_rate=0.3, drop_rate=0.15, rate_limit_rps=40, **LATENCY)
    policy = RetryPolicy(max_attempts=4, base_delay=0.05, max_delay=0.2, total_budget=5.0)
    rng = random.Random(7)
    async with CybridClient(
        bank_url=server.url,
        id_url=server.url,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        timeout=TIMEOUT,
        retry=policy,
    ) as client:

        async def person() -> list[Outcome]:
            return [await submit_until_settled(client, rng) for _ in range(2)]

        outcomes = [o for batch in await asyncio.gather(*(person() for _ in range(8))) for o in batch]
    await clear_faults(server.url)

    owners = tagged_customers(server.backend)
    successes = [o for o in outcomes if o.result is not None]
    failures = [o for o in outcomes if o.result is None]
    for outcome in successes:
        assert outcome.result is not None
        assert owners.get(outcome.tag) == [outcome.result.customer.guid], outcome
        assert outcome.result.others == ()
    for outcome in failures:
        assert outcome.tag not in owners, outcome  # a failure created nothing
    assert sum(len(guids) for guids in owners.values()) == len(successes)
    errors = Counter(name for o in outcomes for name in o.errors)
    # The faults really bit: answers were lost and found again by the tag, and requests timed out.
    assert errors and sum(o.result.recovered for o in successes if o.result) >= 1, errors
    assert timeouts.seen >= 1, f"no request hit the {TIMEOUT} s timeout: the latency fault is off"
    print(
        f"\nFORM FIGURES submissions={len(outcomes)} successes={len(successes)} failures={len(failures)} "
        f"presses={sum(o.presses for o in outcomes)} "
        f"recovered={sum(bool(o.result and o.result.recovered) for o in outcomes)} "
        f"errors={dict(errors)} duplicates=0"
    )


# ------------------------------------------------------------------------------------------ through the UI


def status_of(form: CreateCustomerScreen) -> str:
    return str(form.query_one("#status", Static).content)


async def test_the_real_form_under_faults_keeps_input_and_never_duplicates(
    make_mock_server: MakeMockServer, monkeypatch: pytest.MonkeyPatch, timeouts: TimeoutCount
) -> None:
    """Two forms through the real app. Each one first meets two scripted failures, then random faults:
    1. every connection dropped after the work: the customer IS created, its answer and every look-up are
       lost; the form keeps the input and says a retry is safe;
    2. every request answered 5xx: the retry's look-up fails, so nothing is sent; input kept again;
    3. mixed faults until it gets through: the retry finds the customer of step 1 by its tag and sends
       nothing again, or (if the look-up fails again) keeps trying - never a second customer.
    """
    server: MockServerHandle = make_mock_server(MockConfig(customers=20, seed=3), clock=SystemClock())
    point_app_at(monkeypatch, server.url, timeout=TIMEOUT)
    app = CybridApp(backend=real_backend(), refresh_seconds=5.0, cursor_blink=False)
    created: list[str] = []
    presses = 0
    messages: Counter[str] = Counter()
    async with app.run_test(size=(120, 40)) as pilot:
        customers = app.screen
        assert isinstance(customers, CustomersScreen)
        await wait_for(lambda: customers.phase == "live", timeout=15, message="first load")

        async def submit(form: CreateCustomerScreen) -> bool:
            """ctrl+s (twice: the second, while the first runs, must send nothing); True once it closed."""
            nonlocal presses
            presses += 1
            await pilot.press("ctrl+s", "ctrl+s")
            await wait_for(
                lambda: app.screen is not form or not form.busy, timeout=15, message="the submission settles"
            )
            return app.screen is not form

        for _ in range(2):
            await clear_faults(server.url)
            await pilot.press("n")
            await wait_for(lambda: isinstance(app.screen, CreateCustomerScreen), message="the form opens")
            form = app.screen
            assert isinstance(form, CreateCustomerScreen)
            await pilot.pause()
            await pilot.press("down", "enter")  # business
            form.query_one("#field-labels", FormField).input.focus()
            await pilot.press(*"vip, soak")
            typed = form.values()
            assert typed.kind == "business" and typed.labels == "vip, soak"

            for scripted in ({"drop_rate": 1.0}, {"drop_rate": 0.0, "error_rate": 1.0}):
                await set_faults(server.url, **scripted)
                assert not await submit(form)
                text = status_of(form)
                messages[text.split(":", 1)[0]] += 1
                assert form.values() == typed, "a failed submission changed the input"
                assert "ctrl+s retries safely" in text and form.tag in text, text
                # Step 1 normally created the customer (its answer lost); on a loaded machine the 0.15 s
                # deadline can end the request before it left. Either way never more than one.
                assert len(tagged_customers(server.backend)[form.tag]) <= 1

            await set_faults(server.url, error_rate=0.4, drop_rate=0.2, **LATENCY)
            for _ in range(MAX_PRESSES):
                if await submit(form):
                    break
                text = status_of(form)
                messages[text.split(":", 1)[0]] += 1
                assert form.values() == typed, "a failed submission changed the input"
                assert "ctrl+s" in text, text
            else:
                pytest.fail("the form never got through")
            await pilot.pause()
            guid = customers.table.cursor_guid  # the new customer, selected in the table
            assert guid is not None and guid in customers.store
            assert tagged_customers(server.backend)[form.tag] == [guid]
            created.append(guid)
        await clear_faults(server.url)
    owners = tagged_customers(server.backend)
    assert sorted(guid for guids in owners.values() for guid in guids) == sorted(created)
    assert len(set(created)) == 2
    assert timeouts.seen >= 1, f"no request hit the {TIMEOUT} s timeout: the latency fault is off"
    print(f"\nFORM UI FIGURES forms=2 presses={presses} messages={dict(messages)} duplicates=0")
