"""Snapshots of issue 13's screens: the verify screen, a detail view with a failed and a passed verification,
and the table with verifications in progress (KYC column and counter).

Deterministic like the other snapshots: fixed seed, one frozen clock shared by the mock and the app, a refresh
far longer than a capture, no highlights, no blinking cursors. The verifications are made through the mock's
backend before the app starts, the clock moved on between steps so their times differ.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cybrid_tui.screens.detail import CustomerDetailScreen
from cybrid_tui.screens.verify_identity import VerifyIdentityScreen
from tests.support.ui_harness import Harness
from tests.support.waiting import wait_for

if TYPE_CHECKING:
    from textual.pilot import Pilot

SnapCompare = Any
REFRESH = 30.0


def _unverified(h: Harness, kind: str = "individual", skip: int = 0) -> str:
    found = [
        guid
        for guid, state in h.mock.snapshot_states().items()
        if state == "unverified" and h.mock.customer_json(guid, include_pii=False)["type"] == kind
    ]
    return found[skip]


def _start(h: Harness, guid: str, *behaviours: str) -> str:
    kind = h.mock.customer_json(guid, include_pii=False)["type"]
    method = "id_and_selfie" if kind == "individual" else "business_registration"
    body: dict[str, Any] = {"type": "kyc", "method": method, "customer_guid": guid}
    if behaviours:
        body["expected_behaviours"] = list(behaviours)
    return str(h.mock.create_identity_verification(body)["guid"])


def test_verify_screen_80x24(snap_compare: SnapCompare) -> None:
    h = Harness(refresh_seconds=REFRESH)
    guid = _unverified(h)

    async def run_before(pilot: Pilot[None]) -> None:
        await h.live()
        assert h.table.select_guid(guid)
        await pilot.press("v")
        await wait_for(lambda: isinstance(h.app.screen, VerifyIdentityScreen), message="verify screen")
        await pilot.press("u", "s")
        await pilot.click("#verify-outcome RadioButton", offset=(2, 1))
        await pilot.pause()

    assert snap_compare(h.app, terminal_size=(80, 24), run_before=run_before)


def test_detail_with_a_failed_and_a_passed_verification(snap_compare: SnapCompare) -> None:
    h = Harness(refresh_seconds=REFRESH)
    guid = _unverified(h)
    _start(h, guid, "failed_immediately")
    h.clock.advance(60)  # completed failed: the customer is rejected
    h.mock.update_customer(guid, "unverified")  # reset, as `R` does
    h.clock.advance(60)
    _start(h, guid, "passed_immediately")
    h.clock.advance(60)

    async def run_before(pilot: Pilot[None]) -> None:
        await h.live()
        assert h.table.select_guid(guid)
        await pilot.press("enter")
        await wait_for(lambda: isinstance(h.app.screen, CustomerDetailScreen), message="detail")
        screen = h.app.screen
        assert isinstance(screen, CustomerDetailScreen)
        await wait_for(lambda: screen.verifications is not None, message="verifications read")
        await pilot.pause()
        await pilot.press("end")  # the verifications are below the customer's own fields
        await pilot.pause()

    assert snap_compare(h.app, terminal_size=(120, 50), run_before=run_before)


def test_table_with_verifications_in_progress(snap_compare: SnapCompare) -> None:
    h = Harness(refresh_seconds=REFRESH)
    waiting = _unverified(h)
    _start(h, waiting)
    pending = _unverified(h, skip=1)
    moved = _start(h, pending)
    business = _unverified(h, "business")
    _start(h, business, "passed_immediately")
    h.clock.advance(1.5)  # storing -> waiting for all three; the business one on its way to review
    h.mock.move_identity_verification(moved, "pending")
    h.clock.advance(1)  # the business one is pending, then reviewing one step on
    h.clock.advance(1)

    async def run_before(pilot: Pilot[None]) -> None:
        await h.live()
        for _ in range(4):  # the open-verifications listing is one of the rotating slots of a tick
            before = h.refreshes
            await pilot.press("r")
            await h.refreshed(before)
            await pilot.pause()
            if h.table.show_kyc:
                break
        assert h.table.kyc(business) == "reviewing"
        await pilot.press("2")  # the unverified quick filter: the customers being verified are all on screen
        await pilot.pause()
        assert all(h.table.kyc(guid) for guid in (waiting, pending, business))

    assert snap_compare(h.app, terminal_size=(120, 40), run_before=run_before)
