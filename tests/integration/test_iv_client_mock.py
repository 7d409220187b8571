"""Identity verifications end to end against the real mock: in-process and over loopback HTTP."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from cybrid_tui.api.client import CybridClient
from cybrid_tui.api.errors import InvalidRequestError, NotFoundError
from cybrid_tui.api.models import PostIdentityVerification
from cybrid_tui.api.retry import RetryPolicy
from cybrid_tui.live.failure_codes import PROCESS, group_codes
from cybrid_tui.live.verifications import OpenVerifications
from tests.support.mock_server import CLIENT_ID, CLIENT_SECRET, MakeMockServer

if TYPE_CHECKING:
    from cybrid_tui.clock import FrozenClock


@dataclass
class Bank:
    app: Any
    url: str
    transport: httpx.AsyncBaseTransport | None
    clock: FrozenClock

    @property
    def backend(self) -> Any:
        return self.app.state.backend

    def client(self) -> CybridClient:
        async def sleep(seconds: float) -> None:
            self.clock.advance(seconds)
            await asyncio.sleep(0)

        return CybridClient(
            bank_url=self.url,
            id_url=self.url,
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            transport=self.transport,
            sleep=sleep,
            retry=RetryPolicy(max_attempts=4, base_delay=0.05, random=lambda: 0.5),
            timeout=5.0,
        )

    async def unverified(self, client: CybridClient, customer_type: str) -> str:
        """An unverified customer of `customer_type` without any open verification."""
        states = self.backend.snapshot_states()
        for guid in self.backend.guids():
            if states[guid] != "unverified":
                continue
            if self.backend.customer_json(guid, include_pii=False)["type"] != customer_type:
                continue
            if await client.identity_verifications.open_for_customer(guid) is None:
                return str(guid)
        raise AssertionError(f"the mock has no unverified {customer_type} free to verify")


@pytest.fixture(params=["in-process", pytest.param("loopback-http", marks=pytest.mark.integration)])
def bank(request: pytest.FixtureRequest, mock_clock: FrozenClock, make_mock_server: MakeMockServer) -> Bank:
    if request.param == "in-process":
        from cybrid_tui.mock.app import create_mock_app

        app = create_mock_app(clock=mock_clock)
        return Bank(app, "http://127.0.0.1", httpx.ASGITransport(app), mock_clock)
    handle = make_mock_server(clock=mock_clock)
    return Bank(handle.app, handle.url, None, mock_clock)


async def test_an_individual_passes_and_the_customer_is_verified(bank: Bank) -> None:
    async with bank.client() as client:
        guid = await bank.unverified(client, "individual")
        body = PostIdentityVerification.for_customer(
            guid, "individual", expected_behaviours=["passed_immediately"]
        )
        starter = client.identity_verifications.starter(guid, now=bank.clock.now)
        started = await starter.start(body)
        assert started.created and started.verification.state == "storing"
        again = await starter.start(body)
        assert not again.created and again.verification.guid == started.verification.guid, (
            "reused, not doubled"
        )

        tracker = OpenVerifications(client.identity_verifications)
        await tracker.refresh()
        assert tracker.get(guid) is not None and tracker.get(guid).guid == started.verification.guid  # type: ignore[union-attr]

        bank.clock.advance(1.1)
        waiting = await client.identity_verifications.get(started.verification.guid)
        assert waiting.state == "waiting" and (waiting.persona_inquiry_id or "").startswith("inq_")
        session = await client.persona_sessions.create(waiting.guid, waiting.persona_inquiry_id or "")
        assert session.persona_session_token.get_secret_value()

        bank.clock.advance(10)
        done = await client.identity_verifications.get(started.verification.guid)
        assert (done.state, done.outcome) == ("completed", "passed")
        assert (await client.customers.get(guid)).state == "verified"
        changes = await tracker.refresh()
        assert guid in changes.settled and tracker.get(guid) is None
        history = await client.identity_verifications.for_customer(guid)
        assert history[0].guid == done.guid


async def test_a_failed_run_rejects_the_customer_with_the_code_explained(bank: Bank) -> None:
    async with bank.client() as client:
        guid = await bank.unverified(client, "individual")
        body = PostIdentityVerification.for_customer(
            guid, "individual", expected_behaviours=["failed_immediately"]
        )
        started = await client.identity_verifications.starter(guid, now=bank.clock.now).start(body)
        bank.clock.advance(10)
        (done,) = [
            v
            for v in await client.identity_verifications.for_customer(guid)
            if v.guid == started.verification.guid
        ]
        assert (done.state, done.outcome, done.codes) == ("completed", "failed", ("requested_failure",))
        assert group_codes(done.codes)[0][0] == PROCESS
        assert (await client.customers.get(guid)).state == "rejected"
        with pytest.raises(InvalidRequestError, match="rejected"):
            await client.identity_verifications.starter(guid).start(body)


async def test_a_business_passes_through_reviewing(bank: Bank) -> None:
    states = []
    async with bank.client() as client:
        guid = await bank.unverified(client, "business")
        body = PostIdentityVerification.for_customer(
            guid, "business", expected_behaviours=["passed_immediately"]
        )
        assert body.method == "business_registration"
        started = await client.identity_verifications.starter(guid, now=bank.clock.now).start(body)
        for _ in range(12):
            bank.clock.advance(0.5)
            states.append((await client.identity_verifications.get(started.verification.guid)).state)
    assert "reviewing" in states and states[-1] == "completed"


async def test_filters_and_unknown_guid(bank: Bank) -> None:
    async with bank.client() as client:
        everything = [v async for v in client.identity_verifications.iter(per_page=7)]
        if everything:
            one = everything[0]
            by_guid = await client.identity_verifications.list(guid=[one.guid])
            assert [v.guid for v in by_guid.objects] == [one.guid]
            created = [v.created_at for v in everything]
            assert created == sorted(created, reverse=True), "newest first"  # type: ignore[type-var]
        with pytest.raises(NotFoundError):
            await client.identity_verifications.get("f" * 32)
