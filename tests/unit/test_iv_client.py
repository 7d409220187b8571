"""`client.identity_verifications` and `client.persona_sessions` against a scripted server (MockTransport)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from cybrid_tui.api.client import CybridClient
from cybrid_tui.api.errors import (
    CybridError,
    InvalidRequestError,
    MalformedResponseError,
    NotFoundError,
    RequestValidationError,
    TransportError,
)
from cybrid_tui.api.identity_verifications import persona_link
from cybrid_tui.api.models import PostIdentityVerification
from cybrid_tui.api.retry import RetryPolicy
from cybrid_tui.logging_setup import redact
from tests.support.client_fakes import FakeTime

if TYPE_CHECKING:
    from collections.abc import Callable

BANK = "https://bank.sandbox.cybrid.app"
ID = "https://id.sandbox.cybrid.app"
CUSTOMER = "c" * 32
SESSION_TOKEN = "persona-session-SECRET-3f9a1c"


def verification(
    index: int, *, customer: str = CUSTOMER, state: str = "waiting", **extra: Any
) -> dict[str, Any]:
    when = (dt.datetime(2026, 3, 14, 15, 0, tzinfo=dt.UTC) + dt.timedelta(minutes=index)).isoformat()
    return {
        "guid": f"{index:032x}",
        "type": "kyc",
        "method": "id_and_selfie",
        "created_at": when,
        "updated_at": when,
        "customer_guid": customer,
        "state": state,
        "outcome": None,
        "failure_codes": [],
        "compliance_decisions": [],
        **extra,
    }


class Server:
    """Identity verifications of one bank, newest first; `on_create` may script a lost answer."""

    def __init__(self) -> None:
        self.verifications: list[dict[str, Any]] = []  # newest first
        self.requests: list[httpx.Request] = []
        self.on_create: Callable[[], None] | None = None
        self.clock = dt.datetime(2026, 3, 14, 16, 0, tzinfo=dt.UTC)  # the server's "now"

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == httpx.URL(ID).host:
            return httpx.Response(
                200,
                json={"access_token": "tok", "token_type": "Bearer", "expires_in": 3600, "scope": ""},
            )
        self.requests.append(request)
        path, method = request.url.path, request.method
        if path == "/api/identity_verifications" and method == "GET":
            params = request.url.params
            found = self.verifications
            for key in ("guid", "customer_guid", "state", "type"):
                if key in params:
                    wanted = set(params[key].split(","))
                    found = [v for v in found if v[key] in wanted]
            page, per_page = int(params.get("page", "0")), int(params.get("per_page", "10"))
            body = {
                "total": len(found),
                "page": page,
                "per_page": per_page,
                "objects": found[page * per_page : (page + 1) * per_page],
            }
            return httpx.Response(200, json=body)
        if path == "/api/identity_verifications" and method == "POST":
            sent = json.loads(request.content)
            created = verification(
                100 + len(self.verifications), customer=sent["customer_guid"], state="storing"
            )
            created["created_at"] = self.clock.isoformat()
            self.verifications.insert(0, created)
            if self.on_create is not None:
                self.on_create()
            return httpx.Response(201, json=created)
        if path.startswith("/api/identity_verifications/"):
            guid = path.rsplit("/", 1)[1]
            for v in self.verifications:
                if v["guid"] == guid:
                    return httpx.Response(
                        200, json={**v, "persona_inquiry_id": "inq_abc", "persona_state": "x"}
                    )
            body = {
                "status": 404,
                "error_message": "identity_verification not found",
                "message_code": "not_found",
            }
            return httpx.Response(404, json=body)
        if path == "/api/persona_sessions":
            sent = json.loads(request.content)
            return httpx.Response(201, json={**sent, "persona_session_token": SESSION_TOKEN})
        return httpx.Response(500)


@pytest.fixture
def server() -> Server:
    return Server()


def client_for(server: Server) -> CybridClient:
    clock = FakeTime()
    return CybridClient(
        bank_url=BANK,
        id_url=ID,
        client_id="id",
        client_secret="secret-value-123",
        transport=server.transport(),
        retry=RetryPolicy(max_attempts=3, base_delay=0.01, random=lambda: 0.5),
        sleep=clock.sleep,
        monotonic=clock.monotonic,
    )


async def test_list_sends_filters_comma_separated_and_keeps_unknown_values(server: Server) -> None:
    server.verifications = [
        verification(
            2, state="brand_new_state", method="telepathy", failure_codes=["new_code"], outcome="maybe"
        ),
        verification(1, state="waiting"),
    ]
    async with client_for(server) as client:
        page = await client.identity_verifications.list(
            state=["waiting", "brand_new_state"], customer_guid=CUSTOMER, type="kyc", per_page=50
        )
    query = server.requests[-1].url.params
    assert query["state"] == "waiting,brand_new_state"
    assert query["customer_guid"] == CUSTOMER and query["type"] == "kyc" and query["per_page"] == "50"
    newest = page.objects[0]
    assert (newest.state, newest.method, newest.outcome, newest.codes) == (
        "brand_new_state",
        "telepathy",
        "maybe",
        ("new_code",),
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"per_page": 101}, "per_page"),
        ({"page": -1}, "page"),
        ({"state": "x" * 4097}, "4096"),
        ({"colour": "red"}, "unknown filter"),
    ],
)
async def test_bad_arguments_are_refused_before_sending(server: Server, kwargs: Any, message: str) -> None:
    async with client_for(server) as client:
        with pytest.raises(RequestValidationError, match=message):
            await client.identity_verifications.list(**kwargs)
    assert server.requests == []


async def test_get_reads_details_and_quotes_the_guid(server: Server) -> None:
    server.verifications = [verification(1)]
    async with client_for(server) as client:
        found = await client.identity_verifications.get(f"{1:032x}")
        assert found.persona_inquiry_id == "inq_abc" and found.persona_state == "x"
        with pytest.raises(NotFoundError):
            await client.identity_verifications.get("../customers")
    assert server.requests[-1].url.raw_path == b"/api/identity_verifications/..%2Fcustomers"


async def test_iter_pages_reads_every_page_through_the_shared_pager(server: Server) -> None:
    server.verifications = [verification(i) for i in range(25, 0, -1)]
    async with client_for(server) as client:
        guids = [v.guid async for v in client.identity_verifications.iter(per_page=10)]
    assert guids == [v["guid"] for v in server.verifications]
    assert len(server.requests) == 3


async def test_start_reuses_an_open_verification_instead_of_creating(server: Server) -> None:
    server.verifications = [verification(1, state="pending")]
    async with client_for(server) as client:
        starter = client.identity_verifications.starter(CUSTOMER)
        result = await starter.start(PostIdentityVerification.for_customer(CUSTOMER, "individual"))
    assert not result.created and result.verification.guid == f"{1:032x}"
    assert all(r.method == "GET" for r in server.requests)


async def test_start_after_a_lost_answer_finds_the_verification_and_never_sends_twice(server: Server) -> None:
    server.verifications = [verification(1, state="completed", outcome="failed")]  # an old, closed one

    def lose_the_answer() -> None:
        server.on_create = None
        raise httpx.ReadTimeout("lost")

    server.on_create = lose_the_answer
    body = PostIdentityVerification.for_customer(CUSTOMER, "individual")
    async with client_for(server) as client:
        starter = client.identity_verifications.starter(CUSTOMER, now=lambda: server.clock)
        # The answer was lost but the lookup right after it finds the new verification.
        result = await starter.start(body)
    posts = [r for r in server.requests if r.method == "POST"]
    assert len(posts) == 1
    assert result.recovered and result.verification.guid == server.verifications[0]["guid"]
    assert result.verification.guid != f"{1:032x}", "the old, closed verification is not taken for ours"


async def test_an_uncertain_start_looks_again_before_sending(server: Server) -> None:
    calls = {"lists": 0}
    body = PostIdentityVerification.for_customer(CUSTOMER, "individual")

    def fail(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            raise httpx.ReadTimeout("lost")  # nothing created
        if request.method == "GET" and calls["lists"] == 1:
            calls["lists"] += 1
            raise httpx.ConnectError("down")  # the lookup after the failure fails too
        calls["lists"] += 1
        return server.handle(request)

    transport = httpx.MockTransport(
        lambda r: fail(r) if r.url.host != httpx.URL(ID).host else server.handle(r)
    )
    clock = FakeTime()
    client = CybridClient(
        bank_url=BANK,
        id_url=ID,
        client_id="id",
        client_secret="secret-value-123",
        transport=transport,
        retry=RetryPolicy(max_attempts=1),
        sleep=clock.sleep,
        monotonic=clock.monotonic,
    )
    async with client:
        starter = client.identity_verifications.starter(CUSTOMER, now=lambda: server.clock)
        with pytest.raises(TransportError):
            await starter.start(body)
        assert starter.uncertain and starter.attempts == 1
        server.verifications.insert(0, verification(9, state="storing"))  # it did land after all
        server.verifications[0]["created_at"] = server.clock.isoformat()
        result = await starter.start(body)
    assert result.recovered and starter.attempts == 1, "found, not sent again"


async def test_a_clock_running_ahead_never_starts_a_second_verification(server: Server) -> None:
    # The created-since lookup compares the server's created_at with this machine's clock; with the clock
    # ten minutes ahead it cannot see the lost attempt's verification, but the open one is still ours.
    def lose_the_answer() -> None:
        server.on_create = None
        raise httpx.ReadTimeout("lost")

    server.on_create = lose_the_answer
    body = PostIdentityVerification.for_customer(CUSTOMER, "individual")
    ahead = server.clock + dt.timedelta(minutes=10)
    async with client_for(server) as client:
        starter = client.identity_verifications.starter(CUSTOMER, now=lambda: ahead)
        with contextlib.suppress(CybridError):
            await starter.start(body)
        result = await starter.start(body)
    posts = [r for r in server.requests if r.method == "POST"]
    assert len(posts) == 1, "a second create was sent"
    assert result.recovered and result.verification.guid == server.verifications[0]["guid"]


async def test_a_409_data_exists_shows_the_open_verification(server: Server) -> None:
    def conflict(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/identity_verifications" and request.method == "POST":
            server.verifications.insert(0, verification(5, state="waiting"))  # someone else started one
            body = {"status": 409, "error_message": "Data exists", "message_code": "data_exists"}
            return httpx.Response(409, json=body)
        return server.handle(request)

    client = client_for(server)
    client._transport = httpx.MockTransport(conflict)
    async with client:
        result = await client.identity_verifications.starter(CUSTOMER).start(
            PostIdentityVerification.for_customer(CUSTOMER, "individual")
        )
    assert not result.created and result.verification.guid == f"{5:032x}"


async def test_a_refused_start_raises_the_servers_reason(server: Server) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/identity_verifications" and request.method == "POST":
            body = {
                "status": 422,
                "error_message": "Customer is verified",
                "message_code": "invalid_parameter",
            }
            return httpx.Response(422, json=body)
        return server.handle(request)

    client = client_for(server)
    client._transport = httpx.MockTransport(refuse)
    async with client:
        starter = client.identity_verifications.starter(CUSTOMER)
        with pytest.raises(InvalidRequestError, match="Customer is verified"):
            await starter.start(PostIdentityVerification.for_customer(CUSTOMER, "individual"))
    assert not starter.uncertain


async def test_persona_session_token_is_secret_and_scrubbed_from_logs(
    server: Server, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with client_for(server) as client:
        session = await client.persona_sessions.create("g" * 32, "inq_abc")
    assert session.persona_session_token.get_secret_value() == SESSION_TOKEN
    assert SESSION_TOKEN not in repr(session) and SESSION_TOKEN not in caplog.text
    assert SESSION_TOKEN not in redact(f"resume at {persona_link('inq_abc', SESSION_TOKEN)}")
    assert json.loads(server.requests[-1].content) == {
        "identity_verification_guid": "g" * 32,
        "persona_inquiry_id": "inq_abc",
    }


async def test_persona_session_needs_both_ids(server: Server) -> None:
    async with client_for(server) as client:
        with pytest.raises(RequestValidationError):
            await client.persona_sessions.create("g" * 32, "")
    assert server.requests == []


def test_persona_link_is_the_hosted_flow() -> None:
    assert persona_link("inq_123") == "https://inquiry.withpersona.com/verify?inquiry-id=inq_123"
    assert persona_link("inq_1", "t&k").endswith("inquiry-id=inq_1&session-token=t%26k")


async def test_a_page_bigger_than_asked_for_is_refused(server: Server) -> None:
    server.verifications = [verification(i) for i in range(5)]
    real = server.handle

    def ignore_per_page(request: httpx.Request) -> httpx.Response:
        if request.method == "GET" and request.url.path == "/api/identity_verifications":
            request.url = request.url.copy_set_param("per_page", "100")  # answers far more than asked
        return real(request)

    server.handle = ignore_per_page  # type: ignore[method-assign]
    async with client_for(server) as client:
        with pytest.raises(MalformedResponseError, match="5 objects in a page of at most 2"):
            await client.identity_verifications.list(per_page=2)
