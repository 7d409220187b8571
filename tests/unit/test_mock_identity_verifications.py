"""The mock's identity-verification endpoints over raw HTTP, in-process: create, list, get, persona sessions,
the customer's move on completion, the admin's moves, and every error in the spec's shape."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx
import pytest

from cybrid_tui.mock.app import create_mock_app
from cybrid_tui.mock.config import DEFAULT_BANK_GUID, MockConfig
from tests.support.mock_server import MOCK_EPOCH, assert_error, bearer, get_token

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from starlette.applications import Starlette

    from cybrid_tui.clock import FrozenClock
    from cybrid_tui.mock.backend import MockBackend

IV_SCOPES = "customers:read customers:execute identity_verifications:read identity_verifications:execute"
ALL = IV_SCOPES + " persona_sessions:execute"


@pytest.fixture
async def client(mock_app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(mock_app), base_url="http://mock.test"
    ) as client:
        client.headers.update(bearer(await get_token(client, scope=ALL)))
        yield client


def backend_of(app: Starlette) -> MockBackend:
    backend: MockBackend = app.state.backend
    return backend


def customer_in(app: Starlette, state: str, kind: str = "individual") -> str:
    backend = backend_of(app)
    return next(
        guid
        for guid, current in backend.snapshot_states().items()
        if current == state and backend.customer_json(guid, include_pii=False)["type"] == kind
    )


def body(customer: str, method: str = "id_and_selfie", **extra: Any) -> dict[str, Any]:
    return {"type": "kyc", "method": method, "customer_guid": customer, **extra}


async def test_passed_immediately_verifies_the_customer_within_seconds(
    client: httpx.AsyncClient, mock_app: Starlette, mock_clock: FrozenClock
) -> None:
    customer = customer_in(mock_app, "unverified")
    created = await client.post(
        "/api/identity_verifications", json=body(customer, expected_behaviours=["passed_immediately"])
    )
    assert created.status_code == 201, created.text
    started = created.json()
    assert (started["state"], started["outcome"], started["customer_guid"]) == ("storing", None, customer)
    assert "persona_inquiry_id" not in started  # details are on the single GET only

    seen = []
    for _ in range(6):
        detail = (await client.get(f"/api/identity_verifications/{started['guid']}")).json()
        seen.append(detail["state"])
        mock_clock.advance(1)
    assert seen[:4] == ["storing", "waiting", "pending", "completed"]
    assert detail["outcome"] == "passed" and detail["failure_codes"] == []
    assert detail["persona_inquiry_id"].startswith("inq_") and detail["persona_state"] == "completed"
    person = (await client.get(f"/api/customers/{customer}")).json()
    assert person["state"] == "verified"
    assert person["compliance_decisions"] == [
        {"type": "person_verification", "state": "passed", "failure_codes": []}
    ]


async def test_failed_immediately_rejects_with_requested_failure(
    client: httpx.AsyncClient, mock_app: Starlette, mock_clock: FrozenClock
) -> None:
    customer = customer_in(mock_app, "unverified")
    created = await client.post(
        "/api/identity_verifications", json=body(customer, expected_behaviours=["failed_immediately"])
    )
    mock_clock.advance(5)
    detail = (await client.get(f"/api/identity_verifications/{created.json()['guid']}")).json()
    person = (await client.get(f"/api/customers/{customer}")).json()

    assert (detail["state"], detail["outcome"], detail["failure_codes"]) == (
        "completed",
        "failed",
        ["requested_failure"],
    )
    assert person["state"] == "rejected"
    assert person["compliance_decisions"][-1]["failure_codes"] == ["requested_failure"]


async def test_a_business_goes_through_reviewing(
    client: httpx.AsyncClient, mock_app: Starlette, mock_clock: FrozenClock
) -> None:
    customer = customer_in(mock_app, "unverified", "business")
    created = await client.post(
        "/api/identity_verifications",
        json=body(customer, "business_registration", expected_behaviours=["passed_immediately"]),
    )
    seen = set()
    for _ in range(8):
        seen.add((await client.get(f"/api/identity_verifications/{created.json()['guid']}")).json()["state"])
        mock_clock.advance(1)
    assert {"reviewing", "completed"} <= seen


async def test_without_behaviours_it_waits_and_only_the_admin_moves_it(
    client: httpx.AsyncClient, mock_app: Starlette, mock_clock: FrozenClock
) -> None:
    customer = customer_in(mock_app, "unverified")
    guid = (await client.post("/api/identity_verifications", json=body(customer))).json()["guid"]
    mock_clock.advance(1_800)  # half an hour (within the token's lifetime): nobody moved it
    assert (await client.get(f"/api/identity_verifications/{guid}")).json()["state"] == "waiting"
    assert (await client.get(f"/api/customers/{customer}")).json()["state"] == "unverified"

    moved = await client.post(f"/_mock/identity_verifications/{guid}/state", json={"state": "pending"})
    assert moved.json()["persona_state"] == "pending"
    done = await client.post(
        f"/_mock/identity_verifications/{guid}/state",
        json={"state": "completed", "outcome": "failed", "failure_codes": ["selfie_failure"]},
    )
    assert (done.json()["outcome"], done.json()["failure_codes"]) == ("failed", ["selfie_failure"])
    assert (await client.get(f"/api/customers/{customer}")).json()["state"] == "rejected"
    again = await client.post(f"/_mock/identity_verifications/{guid}/state", json={"state": "pending"})
    assert_error(again, 409, "data_exists")


async def test_a_waiting_verification_expires_after_its_lifetime(mock_clock: FrozenClock) -> None:
    app = create_mock_app(MockConfig(customers=20, verification_lifetime_seconds=60), clock=mock_clock)
    backend = backend_of(app)
    customer = customer_in(app, "unverified")
    guid = backend.create_identity_verification(body(customer))["guid"]
    mock_clock.advance(60)
    assert backend.identity_verification_json(guid)["state"] == "waiting"
    mock_clock.advance(2)
    assert backend.identity_verification_json(guid)["state"] == "expired"
    assert backend.customer_json(customer, include_pii=False)["state"] == "unverified"
    # After expiry a new one may start.
    assert backend.create_identity_verification(body(customer))["state"] == "storing"


async def test_refusals_are_clear_4xx_in_the_spec_shape(
    client: httpx.AsyncClient, mock_app: Starlette
) -> None:
    unverified = customer_in(mock_app, "unverified")
    verified = customer_in(mock_app, "verified")
    business = customer_in(mock_app, "unverified", "business")
    await client.post("/api/identity_verifications", json=body(unverified))

    cases: list[tuple[Any, int, str]] = [
        (body("f" * 32), 404, "not_found"),
        (body(verified), 422, "invalid_parameter"),
        (body(unverified), 409, "data_exists"),
        (body(business), 422, "unsupported_value"),
        (body(unverified, "attested"), 422, "unsupported_value"),
        ({**body(unverified), "type": "counterparty"}, 422, "unsupported_value"),
        (body(unverified, country_code="XX"), 422, "invalid_value"),
        ({"type": "kyc", "customer_guid": unverified}, 400, "invalid_parameter"),
        ({"method": "id_and_selfie", "customer_guid": unverified}, 400, "invalid_parameter"),
        ({"type": "kyc", "method": "id_and_selfie"}, 400, "invalid_parameter"),
        (body(unverified, method="selfie_only"), 400, "invalid_parameter"),
        (body(unverified, expected_behaviours=["passed_immediately"] * 51), 400, "invalid_parameter"),
        (body(unverified, expected_behaviours=["teleport"]), 400, "invalid_parameter"),
        (body("x" * 33), 400, "invalid_parameter"),
        ([1, 2], 400, "invalid_parameter"),
    ]
    for request_body, status, code in cases:
        response = await client.post("/api/identity_verifications", json=request_body)
        assert_error(response, status, code)
    assert_error(await client.get(f"/api/identity_verifications/{'0' * 32}"), 404, "not_found")


@pytest.mark.parametrize(
    ("scope", "method", "path", "required"),
    [
        ("customers:read", "GET", "/api/identity_verifications", "identity_verifications:read"),
        (
            "identity_verifications:read",
            "POST",
            "/api/identity_verifications",
            "identity_verifications:execute",
        ),
        (
            "identity_verifications:execute",
            "GET",
            f"/api/identity_verifications/{'0' * 32}",
            "identity_verifications:read",
        ),
        ("identity_verifications:read", "POST", "/api/persona_sessions", "persona_sessions:execute"),
    ],
)
async def test_a_token_without_the_scope_is_403(
    mock_client: httpx.AsyncClient, scope: str, method: str, path: str, required: str
) -> None:
    token = await get_token(mock_client, scope=scope)
    response = await mock_client.request(
        method, path, json={} if method == "POST" else None, headers=bearer(token)
    )
    assert_error(response, 403, "invalid_scopes", f"Invalid scopes. Required: {required}")


async def test_list_pages_newest_first_with_filters(
    client: httpx.AsyncClient, mock_app: Starlette, mock_clock: FrozenClock
) -> None:
    backend = backend_of(mock_app)
    customers = [guid for guid, state in backend.snapshot_states().items() if state == "unverified"][:5]
    created = []
    for number, customer in enumerate(customers):
        kind = backend.customer_json(customer, include_pii=False)["type"]
        method = "business_registration" if kind == "business" else "id_and_selfie"
        behaviours = ["passed_immediately"] if number % 2 == 0 else []
        response = await client.post(
            "/api/identity_verifications", json=body(customer, method, expected_behaviours=behaviours)
        )
        created.append(response.json()["guid"])
        mock_clock.advance(1)
    mock_clock.advance(10)

    everything = (await client.get("/api/identity_verifications", params={"per_page": 100})).json()
    pages = [
        (await client.get("/api/identity_verifications", params={"per_page": 2, "page": page})).json()
        for page in range(3)
    ]
    completed = (await client.get("/api/identity_verifications", params={"state": "completed"})).json()
    open_ones = (
        await client.get("/api/identity_verifications", params={"state": "storing,waiting,pending,reviewing"})
    ).json()
    mine = (
        await client.get(
            "/api/identity_verifications", params={"customer_guid": f"{customers[1]},{customers[3]}"}
        )
    ).json()
    some = (await client.get("/api/identity_verifications", params={"guid": created[2]})).json()
    other_bank = (await client.get("/api/identity_verifications", params={"bank_guid": "0" * 32})).json()
    this_bank = (
        await client.get(
            "/api/identity_verifications", params={"bank_guid": DEFAULT_BANK_GUID, "type": "kyc"}
        )
    ).json()
    other_type = (await client.get("/api/identity_verifications", params={"type": "bank_account"})).json()

    assert [item["guid"] for item in everything["objects"]] == created[::-1]
    assert everything["total"] == 5
    assert [len(page["objects"]) for page in pages] == [2, 2, 1]
    assert [item["guid"] for page in pages for item in page["objects"]] == created[::-1]
    assert {item["guid"] for item in completed["objects"]} == {created[0], created[2], created[4]}
    assert {item["guid"] for item in open_ones["objects"]} == {created[1], created[3]}
    assert [item["guid"] for item in mine["objects"]] == [created[3], created[1]]
    assert [item["guid"] for item in some["objects"]] == [created[2]]
    assert (other_bank["total"], this_bank["total"], other_type["total"]) == (0, 5, 0)
    for params in ({"per_page": 0}, {"per_page": 101}, {"page": -1}, {"state": "x" * 4097}):
        assert_error(await client.get("/api/identity_verifications", params=params), 400, "invalid_value")


async def test_persona_sessions(
    client: httpx.AsyncClient, mock_app: Starlette, mock_clock: FrozenClock
) -> None:
    customer = customer_in(mock_app, "unverified")
    guid = (await client.post("/api/identity_verifications", json=body(customer))).json()["guid"]
    storing = await client.post(
        "/api/persona_sessions", json={"identity_verification_guid": guid, "persona_inquiry_id": "inq_x"}
    )
    assert_error(storing, 404, "not_found", "Identity verification not found")
    mock_clock.advance(2)
    inquiry = (await client.get(f"/api/identity_verifications/{guid}")).json()["persona_inquiry_id"]

    session = await client.post(
        "/api/persona_sessions",
        json={"identity_verification_guid": guid, "persona_inquiry_id": inquiry, "customer_guid": customer},
    )
    assert session.status_code == 201, session.text
    assert session.json()["persona_inquiry_id"] == inquiry and session.json()["persona_session_token"]
    for wrong in (
        {"identity_verification_guid": "0" * 32, "persona_inquiry_id": inquiry},
        {"identity_verification_guid": guid, "persona_inquiry_id": "inq_other"},
        {"identity_verification_guid": guid, "persona_inquiry_id": inquiry, "customer_guid": "1" * 32},
    ):
        assert_error(await client.post("/api/persona_sessions", json=wrong), 404, "not_found")
    assert_error(
        await client.post("/api/persona_sessions", json={"persona_inquiry_id": inquiry}),
        400,
        "invalid_parameter",
    )

    await client.post(f"/_mock/identity_verifications/{guid}/state", json={"state": "completed"})
    done = await client.post(
        "/api/persona_sessions", json={"identity_verification_guid": guid, "persona_inquiry_id": inquiry}
    )
    assert_error(done, 409, "data_exists", "Data exists: Inquiry already completed")


async def test_the_admin_path_answers_loopback_only_and_checks_its_body(mock_app: Starlette) -> None:
    customer = customer_in(mock_app, "unverified")
    guid = backend_of(mock_app).create_identity_verification(body(customer))["guid"]
    remote = httpx.ASGITransport(mock_app, client=("203.0.113.9", 4000))
    async with httpx.AsyncClient(transport=remote, base_url="http://mock.test") as stranger:
        refused = await stranger.post(
            f"/_mock/identity_verifications/{guid}/state", json={"state": "pending"}
        )
    assert_error(refused, 403, "forbidden")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(mock_app), base_url="http://mock.test"
    ) as admin:
        path = f"/_mock/identity_verifications/{guid}/state"
        assert_error(await admin.post(path, json={"state": "storing"}), 400, "invalid_parameter")
        assert_error(
            await admin.post(path, json={"state": "completed", "outcome": "maybe"}), 400, "invalid_parameter"
        )
        assert_error(
            await admin.post(f"/_mock/identity_verifications/{'0' * 32}/state", json={"state": "pending"}),
            404,
            "not_found",
        )


def test_the_demo_activity_decides_customers_through_verifications(mock_clock: FrozenClock) -> None:
    app = create_mock_app(MockConfig(customers=60, activity=True), clock=mock_clock)
    backend = backend_of(app)
    start = backend.snapshot_states()
    mock_clock.advance(120)
    end = backend.snapshot_states()
    decided = [
        guid for guid in start if start[guid] == "unverified" and end[guid] in ("verified", "rejected")
    ]
    assert decided, "the demo decided nobody in two minutes"
    for guid in decided:
        listing = backend.list_identity_verifications(_query(guid))
        latest = listing["objects"][0]
        assert latest["state"] == "completed"
        assert latest["outcome"] == ("passed" if end[guid] == "verified" else "failed")
        decisions = backend.customer_json(guid, include_pii=False)["compliance_decisions"]
        assert decisions[-1]["state"] == latest["outcome"]
    assert MOCK_EPOCH  # the frozen clock starts at the fixtures' epoch


def _query(customer: str) -> Any:
    from cybrid_tui.mock.records.identity_verifications import VerificationQuery

    return VerificationQuery(customer_guids=frozenset({customer}))
