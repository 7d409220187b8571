"""Issue 13's journey over real HTTP: the app against `cybrid-tui mock-server` (a loopback server thread),
configured as a person would (CYBRID_* variables). `v`, "passes", ctrl+s: the row goes verified by itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cybrid_tui.app import CybridApp
from cybrid_tui.clock import SystemClock
from cybrid_tui.launch import real_backend
from cybrid_tui.mock.config import MockConfig
from cybrid_tui.mock.records.identity_verifications import VerificationQuery
from cybrid_tui.screens.customers import CustomersScreen
from cybrid_tui.screens.verify_identity import VerifyIdentityScreen
from tests.support.mock_admin import point_app_at
from tests.support.waiting import wait_for

if TYPE_CHECKING:
    import pytest

    from tests.support.mock_server import MakeMockServer


async def test_start_over_http_passes_and_the_row_goes_verified_without_a_key(
    make_mock_server: MakeMockServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = MockConfig(customers=20, seed=5, verification_storing_seconds=0.2, verification_step_seconds=0.2)
    server = make_mock_server(config, clock=SystemClock())
    point_app_at(monkeypatch, server.url)
    app = CybridApp(backend=real_backend(), refresh_seconds=0.3, cursor_blink=False, flash_seconds=0)
    backend = server.app.state.backend
    async with app.run_test(size=(120, 40)) as pilot:
        customers = app.screen
        assert isinstance(customers, CustomersScreen)
        await wait_for(lambda: customers.phase == "live", timeout=15, message="first load")
        guid = next(g for g, state in backend.snapshot_states().items() if state == "unverified")
        assert customers.table.select_guid(guid)
        await pilot.press("v")
        await wait_for(lambda: isinstance(app.screen, VerifyIdentityScreen), message="verify screen")
        await pilot.click("#verify-outcome RadioButton", offset=(2, 1))  # passes
        await pilot.press("ctrl+s")
        await wait_for(lambda: app.screen is customers, timeout=15, message="started and closed")

        def row_state() -> str | None:
            row = customers.store.get(guid)
            return row.state if row is not None else None

        await wait_for(lambda: row_state() == "verified", timeout=20, message="the row goes verified")
        listed = backend.list_identity_verifications(_query(guid))["objects"]
        assert [(v["state"], v["outcome"]) for v in listed] == [("completed", "passed")]


def _query(guid: str) -> VerificationQuery:
    return VerificationQuery(customer_guids=frozenset({guid}), per_page=100)
