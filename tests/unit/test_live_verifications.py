"""Open verifications in the live refresh: one listing per turn, the tick budget, the pace."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pytest

from cybrid_tui.api.errors import ServerError
from cybrid_tui.api.models import IdentityVerification, IdentityVerificationList
from cybrid_tui.live.pace import LivePace
from cybrid_tui.live.refresher import LiveRefresher
from cybrid_tui.live.turns import SWEEP, VERIFICATIONS, VOLATILE, Turns
from cybrid_tui.live.verifications import OPEN_STATES, InProgress, OpenVerifications
from tests.support.listing_bank import ListingBank
from tests.unit.test_refresher import loaded_store

if TYPE_CHECKING:
    from collections.abc import Sequence


@dataclass
class VerificationBank:
    """Verifications answering `identity_verifications.list(page, per_page, state)`, newest first."""

    items: list[tuple[str, str, str]] = field(default_factory=list)  # (guid, customer, state), newest first
    calls: list[tuple[int, int, tuple[str, ...]]] = field(default_factory=list)
    fail: bool = False

    def open(self, customer: str, state: str = "waiting") -> str:
        guid = f"{len(self.items) + 1:032x}"
        self.items.insert(0, (guid, customer, state))
        return guid

    def move(self, guid: str, state: str) -> None:
        self.items = [(g, c, state if g == guid else s) for g, c, s in self.items]

    async def list(
        self, *, page: int = 0, per_page: int = 100, state: Sequence[str] | str | None = None
    ) -> IdentityVerificationList:
        wanted = tuple(state.split(",") if isinstance(state, str) else state or ())
        self.calls.append((page, per_page, wanted))
        await asyncio.sleep(0)
        if self.fail:
            raise ServerError("down", status=503)
        found = [item for item in self.items if not wanted or item[2] in wanted]
        when = dt.datetime(2026, 3, 14, tzinfo=dt.UTC)
        objects = [
            IdentityVerification.model_construct(
                guid=g, customer_guid=c, state=s, method="id_and_selfie", created_at=when
            )
            for g, c, s in found[page * per_page : (page + 1) * per_page]
        ]
        return IdentityVerificationList.model_construct(
            total=len(found), page=page, per_page=per_page, objects=objects
        )


# --------------------------------------------------------------------------------------------- the tracker


async def test_one_listing_marks_every_customer_with_a_verification_in_progress() -> None:
    ivs = VerificationBank()
    first = ivs.open("a" * 32, "pending")
    ivs.open("b" * 32, "completed")
    tracker = OpenVerifications(ivs)
    assert not tracker.ready
    changes = await tracker.refresh()
    assert ivs.calls == [(0, 100, OPEN_STATES)], "one request, filtered by the open states"
    assert tracker.ready and changes.changed == {"a" * 32} and not changes.settled
    assert tracker.get("a" * 32) == InProgress("pending", 1, first, "id_and_selfie")
    assert tracker.get("b" * 32) is None and tracker.open_total == 1
    assert tracker.counts_by_state() == {"storing": 0, "waiting": 0, "pending": 1, "reviewing": 0}

    ivs.move(first, "completed")
    changes = await tracker.refresh()
    assert changes.settled == {"a" * 32} and changes.changed == {"a" * 32}
    assert tracker.get("a" * 32) is None and len(tracker) == 0
    assert (await tracker.refresh()).empty, "nothing moved: nothing to repaint"


async def test_two_open_for_one_customer_are_counted_and_the_newest_shown() -> None:
    ivs = VerificationBank()
    ivs.open("a" * 32, "reviewing")
    newest = ivs.open("a" * 32, "waiting")
    tracker = OpenVerifications(ivs)
    await tracker.refresh()
    assert tracker.get("a" * 32) == InProgress("waiting", 2, newest, "id_and_selfie")


async def test_more_than_a_page_open_is_read_one_page_per_turn_and_switched_at_the_end() -> None:
    ivs = VerificationBank()
    for index in range(250):
        ivs.open(f"{index:032x}")
    tracker = OpenVerifications(ivs)
    assert (await tracker.refresh()).empty and (await tracker.refresh()).empty
    changes = await tracker.refresh()
    assert [call[0] for call in ivs.calls] == [0, 1, 2]
    assert len(changes.changed) == 250 and len(tracker) == 250 and tracker.rounds == 1
    await tracker.refresh()
    assert ivs.calls[-1][0] == 0, "the next round starts over"


async def test_a_server_ignoring_the_state_filter_marks_nothing_closed_as_open() -> None:
    ivs = VerificationBank()
    ivs.open("a" * 32, "completed")
    ivs.open("b" * 32, "brand_new_open_state")  # unknown: not one of the documented open states
    tracker = OpenVerifications(ivs)
    result = await ivs.list()  # every state: what a server ignoring the filter would answer
    tracker.apply(result)
    assert len(tracker) == 0


async def test_a_failed_turn_leaves_the_tracker_as_it_was() -> None:
    ivs = VerificationBank()
    ivs.open("a" * 32)
    tracker = OpenVerifications(ivs)
    await tracker.refresh()
    ivs.fail = True
    with pytest.raises(ServerError):
        await tracker.refresh()
    assert tracker.get("a" * 32) is not None and tracker.rounds == 1


# ---------------------------------------------------------------------------------------------- the turns


def test_turns_share_the_budget_round_robin() -> None:
    everything = frozenset({VOLATILE, SWEEP, VERIFICATIONS})
    quiet = Turns(take_turns_when_quiet=True)
    seen = []
    for _ in range(6):
        plan = quiet.plan(everything, storing=False)
        quiet.commit(plan)
        seen.append(plan.chosen)
    assert seen == [{VOLATILE}, {SWEEP}, {VERIFICATIONS}] * 2
    busy = Turns(take_turns_when_quiet=True)
    plans = [busy.plan(everything, storing=True) for _ in range(1)]
    assert plans[0].chosen == {VOLATILE, SWEEP}, "storing: the volatile batch every tick, one other in turn"
    uncommitted = Turns(take_turns_when_quiet=True)
    uncommitted.plan(everything, storing=False)
    assert uncommitted.plan(everything, storing=False).chosen == {VOLATILE}, "a failed tick keeps its turn"


# -------------------------------------------------------------------------------- inside the live refresh


async def test_a_tick_at_100000_customers_with_verifications_stays_within_3_requests() -> None:
    bank = ListingBank()
    bank.add(70_000, state="verified")
    unverified = bank.add(30_000, state="unverified")
    ivs = VerificationBank()
    for guid in unverified[:150]:  # more than a page open: the listing pages, one page per turn
        ivs.open(guid)
    store = loaded_store(bank)
    tracker = OpenVerifications(ivs)
    for take_turns, most in ((False, 3), (True, 2)):
        refresher = LiveRefresher(
            bank, store, include_pii=False, take_turns_when_quiet=take_turns, verifications=tracker
        )
        for _ in range(9):
            bank.calls.clear()
            ivs.calls.clear()
            result = await refresher.tick()
            assert result.requests == len(bank.calls) + len(ivs.calls) <= most
            assert len(ivs.calls) <= 1
    assert tracker.rounds >= 2 and len(tracker) == 150


async def test_a_closed_verification_gets_its_customer_re_read_at_the_next_tick() -> None:
    bank = ListingBank()
    bank.add(500, state="verified")
    backlog = bank.add(1_000, state="unverified")
    bank.add(200, state="verified")  # the backlog is off page 0
    customer = backlog[10]
    ivs = VerificationBank()
    guid = ivs.open(customer, "pending")
    store = loaded_store(bank)
    tracker = OpenVerifications(ivs)
    refresher = LiveRefresher(
        bank, store, include_pii=False, take_turns_when_quiet=True, verifications=tracker
    )
    for _ in range(3):
        await refresher.tick()
    assert tracker.get(customer) is not None
    ivs.move(guid, "completed")
    bank.states[customer] = "verified"
    while not (await refresher.tick()).verifications.settled:
        pass
    bank.calls.clear()
    result = await refresher.tick()
    assert customer in result.changes.state_changed, "re-read at once, not after the backlog's rotation"
    assert store.get(customer).state == "verified"  # type: ignore[union-attr]


# ----------------------------------------------------------------------------------------------- the pace


def test_the_pace_slows_while_quiet_and_wakes_on_a_change_or_a_key() -> None:
    pace = LivePace(2.0, quiet_ticks=3, max_factor=4)
    assert pace.label == "live · every 2 s" and not pace.quiet
    intervals = [pace.after_tick(changed=False) for _ in range(9)]
    assert intervals == [2, 2, 4, 4, 4, 8, 8, 8, 8], "doubles after 3 quiet ticks, up to 4x"
    assert pace.quiet and pace.label == "live · every 8 s (quiet)"
    assert pace.after_tick(changed=True) == 2.0 and not pace.quiet
    for _ in range(3):
        pace.after_tick(changed=False)
    assert pace.interval == 4.0
    assert pace.wake() is True and pace.interval == 2.0, "a key press: back to the base pace"
    assert pace.wake() is False, "already there: no timer to re-create"
    for _ in range(10):
        assert pace.after_tick(changed=False, busy=True) == 2.0, "something moving keeps the base pace"


def test_the_pace_label_names_minutes_and_refuses_a_bad_interval() -> None:
    pace = LivePace(30, quiet_ticks=1, max_factor=4)
    pace.after_tick(changed=False)
    assert pace.label == "live · every 1 min (quiet)"
    with pytest.raises(ValueError, match="positive"):
        LivePace(0)
