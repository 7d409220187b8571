"""The "Verify identity" screen: start, refusals, reuse of an open verification, read-only and scopes."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import httpx

from cybrid_tui.screens.verify_identity import VerifyIdentityScreen
from tests.support.ui_harness import Harness
from tests.support.waiting import wait_for

if TYPE_CHECKING:
    from textual.pilot import Pilot


def _first(h: Harness, state: str, kind: str = "individual") -> str:
    return next(
        guid
        for guid, found in h.mock.snapshot_states().items()
        if found == state and h.mock.customer_json(guid, include_pii=False)["type"] == kind
    )


def _open_verifications(h: Harness, guid: str) -> list[dict[str, object]]:
    from cybrid_tui.mock.records.identity_verifications import VerificationQuery

    listed = h.mock.list_identity_verifications(
        VerificationQuery(customer_guids=frozenset({guid}), per_page=100)
    )
    return [v for v in listed["objects"] if v["state"] in ("storing", "waiting", "pending", "reviewing")]


def _row_state(h: Harness, guid: str) -> str | None:
    row = h.screen.store.get(guid)
    return row.state if row is not None else None


async def _verify(h: Harness, pilot: Pilot[None], guid: str) -> VerifyIdentityScreen:
    assert h.table.select_guid(guid)
    await pilot.press("v")
    await wait_for(lambda: isinstance(h.app.screen, VerifyIdentityScreen), message="verify screen opened")
    screen = h.app.screen
    assert isinstance(screen, VerifyIdentityScreen)
    await pilot.pause()
    return screen


async def test_v_opens_the_screen_with_the_method_of_the_type_and_ctrl_s_starts_it() -> None:
    h = Harness()
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.live()
        guid = _first(h, "unverified")
        screen = await _verify(h, pilot, guid)
        preview = str(screen.query_one("#verify-preview").render())
        assert '"method": "id_and_selfie"' in preview and guid in preview
        await pilot.press("u", "s")
        await pilot.pause()
        assert '"country_code": "US"' in str(screen.query_one("#verify-preview").render())
        await pilot.press("ctrl+s")
        await wait_for(lambda: h.app.screen is h.screen, message="screen closed after the start")
        opened = _open_verifications(h, guid)
        assert len(opened) == 1 and opened[0]["method"] == "id_and_selfie"


async def test_passes_in_the_demo_goes_verified_by_itself_and_the_detail_shows_completed_passed() -> None:
    from cybrid_tui.screens.detail import CustomerDetailScreen

    h = Harness(refresh_seconds=0.2)
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.live()
        guid = _first(h, "unverified")
        screen = await _verify(h, pilot, guid)
        await pilot.click("#verify-outcome RadioButton", offset=(2, 1))  # the second button: passes
        await pilot.pause()
        assert screen.outcome == "passes"
        await pilot.press("ctrl+s")
        await wait_for(lambda: h.app.screen is h.screen, message="screen closed after the start")
        h.clock.advance(10)  # the mock's sandbox path: waiting, pending, completed passed
        await wait_for(lambda: _row_state(h, guid) == "verified", timeout=10, message="row verified")
        await pilot.press("enter")
        await wait_for(lambda: isinstance(h.app.screen, CustomerDetailScreen), message="detail opened")
        detail = h.app.screen
        assert isinstance(detail, CustomerDetailScreen)
        await wait_for(lambda: detail.verifications is not None, message="verifications read")
        newest = detail.verifications[0] if detail.verifications else None
        assert newest is not None and newest.state == "completed" and newest.outcome == "passed"


async def _start(h: Harness, pilot: Pilot[None], guid: str, outcome: int | None = None) -> None:
    """`v`, the outcome button at `outcome` (0 none, 1 passes, 2 fails), ctrl+s, until the screen closed."""
    await _verify(h, pilot, guid)
    if outcome is not None:
        await pilot.click("#verify-outcome RadioButton", offset=(2, outcome))
        await pilot.pause()
    await pilot.press("ctrl+s")
    await wait_for(lambda: h.app.screen is h.screen, message="screen closed after the start")


async def test_it_refuses_a_customer_still_storing_or_already_verified_and_sends_nothing() -> None:
    h = Harness()
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.live()
        for state, words in (("storing", "still being stored"), ("verified", "already verified")):
            guid = _first(h, state)
            screen = await _verify(h, pilot, guid)
            assert words in screen.status_text
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert h.app.screen is screen  # nothing started: the screen stays, saying why
            assert words in screen.status_text
            assert _open_verifications(h, guid) == []
            await pilot.press("escape")
            await wait_for(lambda: h.app.screen is h.screen, message="closed")


async def test_an_open_verification_is_shown_instead_of_starting_a_second() -> None:
    h = Harness()
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.live()
        guid = _first(h, "unverified")
        first = h.mock.create_identity_verification(
            {"type": "kyc", "method": "id_and_selfie", "customer_guid": guid}
        )
        screen = await _verify(h, pilot, guid)
        await wait_for(lambda: screen.open_verification is not None, message="open one shown on opening")
        await pilot.press("ctrl+s")
        await wait_for(lambda: "already in progress" in screen.status_text, message="reuse said")
        assert h.app.screen is screen
        assert first["guid"] in screen.status_text
        assert [v["guid"] for v in _open_verifications(h, guid)] == [first["guid"]]


async def test_fails_ends_rejected_with_the_failure_explained_and_reset_makes_it_unverified() -> None:
    from cybrid_tui.screens.confirm import ConfirmScreen
    from cybrid_tui.screens.detail import CustomerDetailScreen
    from cybrid_tui.widgets.customer_details import CustomerDetails

    h = Harness(refresh_seconds=0.2)
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.live()
        guid = _first(h, "unverified")
        await _start(h, pilot, guid, outcome=2)
        h.clock.advance(10)
        await wait_for(lambda: _row_state(h, guid) == "rejected", timeout=10, message="row rejected")
        await pilot.press("enter")
        await wait_for(lambda: isinstance(h.app.screen, CustomerDetailScreen), message="detail opened")
        detail = h.app.screen
        assert isinstance(detail, CustomerDetailScreen)
        await wait_for(lambda: detail.verifications is not None, message="verifications read")
        fields = [f for s in detail.query_one(CustomerDetails).sections for f in s.fields]
        why = next(f.value for f in fields if f.label == "Why")
        assert "Sandbox: the failure was requested" in why and "[requested_failure]" in why
        assert any(f.label == "Outcome" and f.value == "failed" for f in fields)
        await pilot.press("R")
        await wait_for(lambda: isinstance(h.app.screen, ConfirmScreen), message="confirmation asked")
        await pilot.press("y")
        await wait_for(
            lambda: h.mock.snapshot_states()[guid] == "unverified", message="the bank has it unverified"
        )
        await wait_for(
            lambda: detail.customer is not None and detail.customer.state == "unverified",
            message="the view shows it unverified",
        )


async def test_a_business_goes_through_reviewing_to_verified() -> None:
    h = Harness(refresh_seconds=0.2)
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.live()
        guid = _first(h, "unverified", "business")
        screen = await _verify(h, pilot, guid)
        assert '"method": "business_registration"' in str(screen.query_one("#verify-preview").render())
        await pilot.press("escape")
        await _start(h, pilot, guid, outcome=1)
        seen: set[str] = set()

        def reviewing_seen() -> bool:
            seen.add(h.table.kyc(guid))
            return "reviewing" in seen

        for _ in range(8):  # one mock step at a time, the table's KYC column following
            h.clock.advance(1)
            if reviewing_seen():
                break
            await pilot.pause(0.3)
        assert "reviewing" in seen, seen
        assert "KYC 1 in progress" in h.status_text()
        h.clock.advance(10)
        await wait_for(lambda: _row_state(h, guid) == "verified", timeout=10, message="row verified")
        await wait_for(lambda: h.table.kyc(guid) == "", message="KYC cell cleared")


async def test_read_only_hides_and_refuses_verify_and_a_token_without_the_scope_says_why() -> None:
    h = Harness()
    h.app.read_only = True
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.live()
        assert h.table.select_guid(_first(h, "unverified"))
        await pilot.press("v")
        await pilot.pause()
        assert h.app.screen is h.screen
    scopes = frozenset({"customers:read", "customers:pii:read", "identity_verifications:read"})
    h = Harness(granted_scopes=scopes)
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.live()
        screen = await _verify(h, pilot, _first(h, "unverified"))
        assert "lacks" in screen.status_text and "identity_verifications:execute" in screen.status_text
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert h.app.screen is screen


async def test_the_pace_slows_while_nothing_changes_says_so_and_a_key_brings_it_back() -> None:
    h = Harness(refresh_seconds=0.05)
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.live()
        h.clock.advance(120)  # every seeded customer settled: nothing moves any more
        await wait_for(lambda: "(quiet)" in h.status_text(), timeout=10, message="the pace slowed down")
        assert "live · every 0.1 s (quiet)" in h.status_text() or "every 0.2 s (quiet)" in h.status_text()
        await pilot.press("down")
        await pilot.pause()
        assert "(quiet)" not in h.status_text() and "live (0.05 s)" in h.status_text()


async def test_escape_and_quit_wait_while_a_start_is_on_its_way() -> None:
    h = Harness()
    async with h.app.run_test(size=(120, 40)) as pilot:
        await h.live()
        gate = asyncio.Event()
        inner = h.transport.inner

        class HoldStarts(httpx.AsyncBaseTransport):
            async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
                if request.method == "POST" and request.url.path == "/api/identity_verifications":
                    await gate.wait()
                return await inner.handle_async_request(request)

        h.transport.inner = HoldStarts()
        guid = _first(h, "unverified")
        screen = await _verify(h, pilot, guid)
        await pilot.press("ctrl+s")
        await wait_for(lambda: screen.has_unsaved_input(), message="the start is on its way")
        await pilot.press("escape")
        await pilot.pause()
        assert h.app.screen is screen, "escape closed the screen while the answer was on its way"
        assert "Cybrid is answering" in str(screen.query_one("#verify-status").render())
        gate.set()
        await wait_for(lambda: h.app.screen is h.screen, message="screen closed after the answer")
        assert len(_open_verifications(h, guid)) == 1
