"""Duplicate protection per resource: a resource without labels (identity verifications) is reconciled by
listing the customer's records created since the attempt started."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field

import pytest

from cybrid_tui.api.errors import InvalidRequestError, RequestTimeoutError, ServerError
from cybrid_tui.api.safe_create import Attempt, CreatedSinceStrategy, GuardedCreator

CUSTOMER = "c" * 32
START = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Verification:
    guid: str
    customer_guid: str | None
    created_at: dt.datetime | None


@dataclass
class FakeVerifications:
    """An in-memory bank of identity verifications whose next creates fail as scripted."""

    script: list[str] = field(default_factory=list)
    records: list[Verification] = field(default_factory=list)
    now: dt.datetime = START
    creates: int = 0
    lists: int = 0
    _guids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def add(self, customer: str | None, at: dt.datetime) -> Verification:
        record = Verification(f"{next(self._guids):032x}", customer, at)
        self.records.append(record)
        return record

    async def create(self, customer: str) -> Verification:
        self.creates += 1
        self.now += dt.timedelta(seconds=5)
        outcome = self.script.pop(0) if self.script else "ok"
        if outcome == "refused":
            raise InvalidRequestError("Customer not verified", status=422)
        record = self.add(customer, self.now) if outcome != "lost-before" else None
        if outcome in ("lost-after", "lost-before"):
            raise RequestTimeoutError("The request timed out", request_sent=True)
        if outcome == "502-after":
            raise ServerError("Bad gateway.", status=502)
        assert record is not None
        return record

    async def list_for_customer(self, customer: str) -> list[Verification]:
        self.lists += 1
        # Newest first, and (like a careless server) other customers' records mixed in.
        return sorted(self.records, key=lambda r: r.created_at or START, reverse=True)


def creator(bank: FakeVerifications) -> GuardedCreator[str, Verification]:
    strategy = CreatedSinceStrategy(bank.list_for_customer, CUSTOMER, skew=dt.timedelta(seconds=30))
    return GuardedCreator(bank.create, strategy, now=lambda: START)


async def test_a_plain_create_does_not_look() -> None:
    bank = FakeVerifications()
    result = await creator(bank).create(CUSTOMER)
    assert not result.recovered and bank.lists == 0 and bank.creates == 1


@pytest.mark.parametrize("outcome", ["lost-after", "502-after"])
async def test_a_lost_answer_finds_the_verification_it_created(outcome: str) -> None:
    bank = FakeVerifications(script=[outcome])
    # Older verifications of the customer, and a new one of another customer, are not this attempt's.
    bank.add(CUSTOMER, START - dt.timedelta(days=3))
    bank.add("d" * 32, START + dt.timedelta(seconds=2))
    result = await creator(bank).create(CUSTOMER)
    assert result.recovered
    assert result.record.customer_guid == CUSTOMER and result.record.created_at == START + dt.timedelta(
        seconds=5
    )
    assert result.others == () and bank.creates == 1


async def test_nothing_found_sends_again_once_and_only_once() -> None:
    bank = FakeVerifications(script=["lost-before"])
    guarded = creator(bank)
    with pytest.raises(RequestTimeoutError):
        await guarded.create(CUSTOMER)
    assert guarded.uncertain
    result = await guarded.create(CUSTOMER)
    assert not result.recovered and bank.creates == 2
    assert [r.customer_guid for r in bank.records] == [CUSTOMER]


async def test_a_refusal_is_certain_and_not_looked_up() -> None:
    bank = FakeVerifications(script=["refused"])
    guarded = creator(bank)
    with pytest.raises(InvalidRequestError):
        await guarded.create(CUSTOMER)
    assert not guarded.uncertain and bank.lists == 0


async def test_clock_skew_within_the_margin_still_counts() -> None:
    bank = FakeVerifications()
    # The server's clock runs 20 s behind this machine's: its record looks older than the attempt.
    bank.add(CUSTOMER, START - dt.timedelta(seconds=20))
    strategy = CreatedSinceStrategy(bank.list_for_customer, CUSTOMER, skew=dt.timedelta(seconds=30))
    found = await strategy.find_existing(Attempt(tag="unused", started_at=START))
    assert found is not None and found.record.created_at == START - dt.timedelta(seconds=20)
    earlier = await strategy.find_existing(Attempt(tag="unused", started_at=START + dt.timedelta(minutes=5)))
    assert earlier is None
