"""The in-memory bank itself: seeded data, states as a function of the clock, demo activity, scale."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections import Counter

import phonenumbers
import pycountry
import pytest

from cybrid_tui.clock import FrozenClock
from cybrid_tui.mock.backend import ListQuery, MockBackend
from cybrid_tui.mock.config import MockConfig
from cybrid_tui.mock.errors import MockError
from cybrid_tui.mock.seed_data import COUNTRIES
from tests.support.mock_server import MOCK_EPOCH

STATES = {"storing", "unverified", "verified", "rejected", "frozen"}


def backend(clock: FrozenClock | None = None, **config: object) -> MockBackend:
    return MockBackend(MockConfig(**config), clock=clock or FrozenClock(MOCK_EPOCH))  # type: ignore[arg-type]


def test_the_same_seed_gives_the_same_bank_and_another_seed_another() -> None:
    first, again, other = backend(seed=3), backend(seed=3), backend(seed=4)

    assert first.guids() == again.guids()
    assert first.snapshot_states() == again.snapshot_states()
    guid = first.guids()[7]
    assert first.customer_json(guid, include_pii=True) == again.customer_json(guid, include_pii=True)
    assert set(first.guids()).isdisjoint(other.guids())


@pytest.mark.parametrize("count", [0, 1, 4, 60])
def test_the_bank_has_the_requested_number_of_customers(count: int) -> None:
    bank = backend(customers=count)
    assert len(bank.guids()) == count
    assert len(set(bank.guids())) == count
    assert all(re.fullmatch(r"[0-9a-f]{32}", guid) for guid in bank.guids())


def test_a_small_bank_has_every_state() -> None:
    for seed in range(20):
        assert set(backend(seed=seed, customers=15).snapshot_states().values()) == STATES


def test_storing_customers_become_unverified_as_the_clock_moves() -> None:
    clock = FrozenClock(MOCK_EPOCH)
    bank = backend(clock)
    storing = [guid for guid, state in bank.snapshot_states().items() if state == "storing"]
    assert storing

    clock.advance(61)

    assert all(bank.snapshot_states()[guid] == "unverified" for guid in storing)


def test_a_created_customer_stores_for_the_configured_time() -> None:
    clock = FrozenClock(MOCK_EPOCH)
    bank = backend(clock, storing_seconds=5)
    guid = bank.create_customer({"type": "business"})["guid"]

    clock.advance(4.999)
    assert bank.snapshot_states()[guid] == "storing"
    clock.advance(0.001)
    assert bank.snapshot_states()[guid] == "unverified"
    assert bank.guids()[0] == guid


def test_set_state_takes_effect_now_and_sets_updated_at() -> None:
    clock = FrozenClock(MOCK_EPOCH)
    bank = backend(clock)
    guid = bank.guids()[-1]
    clock.advance(30)

    bank.set_state(guid, "frozen")

    customer = bank.customer_json(guid, include_pii=False)
    assert customer["state"] == "frozen"
    assert customer["updated_at"] == "2026-03-14T15:09:56.000Z"
    with pytest.raises(MockError):
        bank.set_state(guid, "deleted")
    with pytest.raises(MockError):
        bank.set_state("0" * 32, "frozen")


def test_set_state_on_a_storing_customer_cancels_its_pending_change() -> None:
    clock = FrozenClock(MOCK_EPOCH)
    bank = backend(clock)
    guid = bank.create_customer({"type": "individual"})["guid"]

    bank.set_state(guid, "rejected")
    clock.advance(10)

    assert bank.snapshot_states()[guid] == "rejected"


def test_a_cached_page_follows_state_changes() -> None:
    clock = FrozenClock(MOCK_EPOCH)
    bank = backend(clock)
    query = ListQuery(per_page=100)
    bank.list_customers(query)  # warm the cache
    guid = bank.guids()[20]

    bank.set_state(guid, "frozen")
    clock.advance(120)  # and the storing ones finish storing

    page = bank.list_customers(query).decode()
    assert f'"guid":"{guid}"' in page
    states = dict(re.findall(r'"guid":"([0-9a-f]{32})".*?"state":"([a-z]+)"', page))
    assert states == bank.snapshot_states()
    assert "storing" not in states.values()


def test_demo_activity_changes_something_every_ten_seconds_or_so() -> None:
    clock = FrozenClock(MOCK_EPOCH)
    bank = backend(clock, activity=True)
    quiet = backend(FrozenClock(MOCK_EPOCH))
    changes = []
    before = bank.snapshot_states()
    for _ in range(360):  # an hour, minute by minute
        clock.advance(10)
        after = bank.snapshot_states()
        changes.append(sum(before[guid] != after[guid] for guid in after))
        before = after

    assert sum(changes) >= 250  # ~one change per 10 s (plus the storing ones finishing)
    assert sum(1 for count in changes if count == 0) < 90
    assert bank.guids() == quiet.guids()  # activity changes states, not the seeded customers
    transitions = Counter(after.values())
    assert transitions["verified"] > 0 and transitions["unverified"] > 0


def test_seeded_details_are_realistic() -> None:
    bank = backend(customers=200)
    countries = {country.code for country in COUNTRIES}
    for guid in bank.guids():
        customer = bank.customer_json(guid, include_pii=True)
        address = customer["address"]
        assert address["country_code"] in countries
        code = f"{address['country_code']}-{address['subdivision']}"
        assert pycountry.subdivisions.get(code=code) is not None  # type: ignore[no-untyped-call]
        number = phonenumbers.parse(customer["phone_number"])
        assert phonenumbers.is_possible_number(number), customer["phone_number"]
        assert customer["phone_number"] == phonenumbers.format_number(
            number, phonenumbers.PhoneNumberFormat.E164
        )
        assert re.fullmatch(
            r"[a-z0-9.]+@[a-z0-9.]+\.example\.com|[a-z0-9.]+@example\.com", customer["email_address"]
        )
        assert 1 <= len(customer["identification_numbers"]) <= 2
        if customer["type"] == "individual":
            assert customer["name"]["first"] and customer["name"]["last"]
            born = dt.date.fromisoformat(customer["date_of_birth"])
            assert 18 <= (MOCK_EPOCH.date() - born).days // 365 <= 86
            assert customer["website"] is None
        else:
            assert customer["name"]["full"]
            assert customer["website"].startswith("https://www.")
            assert customer["date_of_birth"] is None
        for label in customer["labels"] or []:
            assert 1 <= len(label) <= 64


def test_compliance_decisions_follow_the_state() -> None:
    bank = backend()
    for guid, state in bank.snapshot_states().items():
        decisions = bank.customer_json(guid, include_pii=False)["compliance_decisions"]
        if state in ("verified", "frozen"):
            assert {decision["state"] for decision in decisions} == {"passed"}
        elif state == "rejected":
            assert decisions[0]["state"] == "failed" and decisions[0]["failure_codes"]
        else:
            assert decisions == []


def test_100k_customers_seed_fast_and_serve_pages_and_guid_filters() -> None:
    started = time.perf_counter()
    bank = backend(customers=100_000)
    seeded = time.perf_counter() - started
    guids = bank.guids()
    wanted = guids[::997][:100]

    page = bank.list_customers(ListQuery(page=500, per_page=100))
    filtered = bank.list_customers(ListQuery(per_page=100, guids=wanted))

    assert seeded < 15  # generous for slow CI machines; ~0.6 s on a laptop core
    assert page.count(b'"guid":') == 100
    assert page.index(guids[50_000].encode()) < page.index(guids[50_099].encode())
    assert filtered.count(b'"guid":') == 100
    assert b'"total":100,' in filtered
    assert Counter(bank.snapshot_states().values()).keys() == STATES
