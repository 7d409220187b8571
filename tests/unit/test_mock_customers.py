"""The mock's customer endpoints over raw HTTP, in-process: listing, filters, PII, create, patch, errors."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from cybrid_tui.mock.app import create_mock_app
from cybrid_tui.mock.config import DEFAULT_BANK_GUID, MockConfig
from tests.support.mock_server import assert_error, bearer, get_token

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from starlette.applications import Starlette

    from cybrid_tui.clock import FrozenClock
    from cybrid_tui.mock.backend import MockBackend

GUID = re.compile(r"[0-9a-f]{32}")
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")
PII_FIELDS = ("name", "address", "aliases", "website", "date_of_birth", "phone_number", "email_address")

ADDRESS: dict[str, Any] = {
    "street": "12 Market Street",
    "city": "San Francisco",
    "subdivision": "CA",
    "postal_code": "94105",
    "country_code": "US",
}
INDIVIDUAL: dict[str, Any] = {
    "type": "individual",
    "name": {"first": "Ada", "middle": "K", "last": "Lovelace"},
    "address": ADDRESS,
    "date_of_birth": "1990-12-10",
    "phone_number": "+14155550123",
    "email_address": "ada@example.com",
    "identification_numbers": [
        {"type": "social_security_number", "issuing_country_code": "US", "identification_number": "912345678"}
    ],
    "labels": ["vip"],
}
BUSINESS: dict[str, Any] = {
    "type": "business",
    "name": {"full": "Acme Trading LLC"},
    "aliases": [{"full": "Acme"}],
    "website": "https://acme.example.com",
    "address": {"street": "1 Main Street", "city": "Austin", "subdivision": "TX", "country_code": "US"},
    "email_address": "ops@acme.example.com",
    "identification_numbers": [
        {
            "type": "employer_identification_number",
            "issuing_country_code": "US",
            "identification_number": "12-3456789",
        }
    ],
}


@pytest.fixture
async def token(mock_client: httpx.AsyncClient) -> str:
    return await get_token(mock_client)


@pytest.fixture
def backend(mock_app: Starlette) -> MockBackend:
    backend: MockBackend = mock_app.state.backend
    return backend


async def list_page(client: httpx.AsyncClient, token: str, **params: Any) -> dict[str, Any]:
    response = await client.get("/api/customers", params=params, headers=bearer(token))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


# ---------------------------------------------------------------------------------------------- listing


async def test_the_default_listing_is_newest_first_with_cybrid_formats(
    mock_client: httpx.AsyncClient, token: str
) -> None:
    body = await list_page(mock_client, token, per_page=100)

    assert body["total"] == 60
    assert (body["page"], body["per_page"]) == (0, 100)
    objects = body["objects"]
    assert len(objects) == 60
    created = [item["created_at"] for item in objects]
    assert created == sorted(created, reverse=True)
    for item in objects:
        assert GUID.fullmatch(item["guid"])
        assert item["bank_guid"] == DEFAULT_BANK_GUID
        assert TIMESTAMP.fullmatch(item["created_at"])
        assert TIMESTAMP.fullmatch(item["updated_at"])
        assert item["updated_at"] >= item["created_at"]
        assert item["type"] in ("individual", "business")
    assert {item["state"] for item in objects} == {"storing", "unverified", "verified", "rejected", "frozen"}


async def test_seeded_customers_span_months_and_some_have_labels(
    mock_client: httpx.AsyncClient, token: str
) -> None:
    objects = (await list_page(mock_client, token, per_page=100))["objects"]

    created = [dt.datetime.fromisoformat(item["created_at"]) for item in objects]
    assert max(created) - min(created) > dt.timedelta(days=60)
    labelled = [item for item in objects if item["labels"]]
    assert 3 <= len(labelled) < 40
    assert {item["type"] for item in objects} == {"individual", "business"}


async def test_pages_cover_every_customer_once(mock_client: httpx.AsyncClient, token: str) -> None:
    seen: list[str] = []
    for page in range(7):
        body = await list_page(mock_client, token, page=page, per_page=9)
        assert body["total"] == 60
        seen += [item["guid"] for item in body["objects"]]

    assert len(seen) == 60
    assert len(set(seen)) == 60
    everyone = [item["guid"] for item in (await list_page(mock_client, token, per_page=100))["objects"]]
    assert seen == everyone


async def test_a_page_past_the_end_is_empty(mock_client: httpx.AsyncClient, token: str) -> None:
    body = await list_page(mock_client, token, page=50, per_page=100)
    assert body == {"total": 60, "page": 50, "per_page": 100, "objects": []}


async def test_a_missing_per_page_uses_the_default(mock_client: httpx.AsyncClient, token: str) -> None:
    body = await list_page(mock_client, token)
    assert body["per_page"] == 10
    assert len(body["objects"]) == 10


async def test_filters_by_comma_separated_guids(
    mock_client: httpx.AsyncClient, token: str, backend: MockBackend
) -> None:
    guids = backend.guids()
    wanted = [guids[40], guids[3], "0" * 32, guids[17]]

    body = await list_page(mock_client, token, guid=",".join(wanted), per_page=100)

    assert body["total"] == 3
    assert [item["guid"] for item in body["objects"]] == [guids[3], guids[17], guids[40]]  # newest first


async def test_filters_by_type_label_and_bank(mock_client: httpx.AsyncClient, token: str) -> None:
    everyone = (await list_page(mock_client, token, per_page=100))["objects"]
    businesses = await list_page(mock_client, token, type="business", per_page=100)
    both = await list_page(mock_client, token, type="business,individual", per_page=100)
    label = next(item["labels"][0] for item in everyone if item["labels"])
    labelled = await list_page(mock_client, token, label=label, per_page=100)
    labelled_businesses = await list_page(mock_client, token, label=label, type="business", per_page=100)
    this_bank = await list_page(mock_client, token, bank_guid=DEFAULT_BANK_GUID, per_page=100)
    other_bank = await list_page(mock_client, token, bank_guid="f" * 32, per_page=100)

    assert [item["guid"] for item in businesses["objects"]] == [
        item["guid"] for item in everyone if item["type"] == "business"
    ]
    assert both["total"] == 60
    assert [item["guid"] for item in labelled["objects"]] == [
        item["guid"] for item in everyone if label in (item["labels"] or [])
    ]
    assert {item["type"] for item in labelled_businesses["objects"]} <= {"business"}
    assert labelled_businesses["total"] == sum(
        1 for item in everyone if label in (item["labels"] or []) and item["type"] == "business"
    )
    assert this_bank["total"] == 60
    assert other_bank["total"] == 0


async def test_several_labels_match_customers_with_any_of_them(
    mock_client: httpx.AsyncClient, token: str
) -> None:
    everyone = (await list_page(mock_client, token, per_page=100))["objects"]
    labels = sorted({label for item in everyone for label in item["labels"] or []})[:2]

    body = await list_page(mock_client, token, label=",".join(labels), per_page=100)

    expected = [item["guid"] for item in everyone if set(labels) & set(item["labels"] or [])]
    assert [item["guid"] for item in body["objects"]] == expected


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"page": "-1"}, "page must be an integer greater than or equal to 0"),
        ({"page": "one"}, "page must be an integer greater than or equal to 0"),
        ({"per_page": "0"}, "per_page must be an integer between 1 and 100"),
        ({"per_page": "101"}, "per_page must be an integer between 1 and 100"),
        ({"per_page": "2.5"}, "per_page must be an integer between 1 and 100"),
        (
            {"bank_guid": ",".join(["a" * 32] * 125)},
            "comma separated bank guids must be at the most 4096 characters long",
        ),
        ({"guid": "b" * 4097}, "comma separated guids must be at the most 4096 characters long"),
        ({"include_pii": "maybe"}, "include_pii must be true or false"),
    ],
)
async def test_bad_list_parameters_are_400(
    mock_client: httpx.AsyncClient, token: str, params: dict[str, str], message: str
) -> None:
    response = await mock_client.get("/api/customers", params=params, headers=bearer(token))
    assert_error(response, 400, "invalid_value", message)


# ---------------------------------------------------------------------------------------------------- PII


async def test_pii_only_with_include_pii(
    mock_client: httpx.AsyncClient, token: str, backend: MockBackend
) -> None:
    guid = backend.guids()[5]
    plain = (await mock_client.get(f"/api/customers/{guid}", headers=bearer(token))).json()
    with_pii = (
        await mock_client.get(f"/api/customers/{guid}?include_pii=true", headers=bearer(token))
    ).json()
    listed = (await list_page(mock_client, token, guid=guid, include_pii="true"))["objects"][0]

    assert all(plain[field] is None for field in PII_FIELDS)
    assert plain["identification_numbers"] is None
    assert with_pii["name"] is not None
    assert with_pii["address"]["country_code"]
    assert with_pii["email_address"]
    assert with_pii["identification_numbers"]
    assert listed == with_pii
    assert {
        key: value for key, value in with_pii.items() if key not in (*PII_FIELDS, "identification_numbers")
    } == {key: value for key, value in plain.items() if key not in (*PII_FIELDS, "identification_numbers")}


async def test_pii_needs_the_pii_scope_too(mock_client: httpx.AsyncClient, backend: MockBackend) -> None:
    token = await get_token(mock_client, scope="customers:read")
    guid = backend.guids()[5]

    single = (await mock_client.get(f"/api/customers/{guid}?include_pii=true", headers=bearer(token))).json()
    listed = await list_page(mock_client, token, include_pii="true", per_page=100)

    assert all(single[field] is None for field in PII_FIELDS)
    assert all(item["name"] is None and item["email_address"] is None for item in listed["objects"])


async def test_unknown_customer_is_404(mock_client: httpx.AsyncClient, token: str) -> None:
    for guid in ("0" * 32, "not-a-guid"):
        response = await mock_client.get(f"/api/customers/{guid}", headers=bearer(token))
        assert_error(response, 404, "not_found", "customer not found")


# ------------------------------------------------------------------------------------------------- create


async def test_a_type_only_customer_is_created_storing_then_unverified(
    mock_client: httpx.AsyncClient, token: str, mock_clock: FrozenClock
) -> None:
    response = await mock_client.post("/api/customers", json={"type": "individual"}, headers=bearer(token))

    assert response.status_code == 201, response.text
    created = response.json()
    assert GUID.fullmatch(created["guid"])
    assert created["state"] == "storing"
    assert created["created_at"] == created["updated_at"]
    assert created["created_at"] == mock_clock.now().strftime("%Y-%m-%dT%H:%M:%S.000Z")
    first = (await list_page(mock_client, token, per_page=1))["objects"][0]
    assert first["guid"] == created["guid"]  # newest first

    mock_clock.advance(1.9)
    assert (await mock_client.get(f"/api/customers/{created['guid']}", headers=bearer(token))).json()[
        "state"
    ] == ("storing")
    mock_clock.advance(0.1)
    later = (await mock_client.get(f"/api/customers/{created['guid']}", headers=bearer(token))).json()
    assert later["state"] == "unverified"
    assert later["updated_at"] > later["created_at"]


async def test_details_come_back_with_pii_and_not_in_the_create_answer(
    mock_client: httpx.AsyncClient, token: str
) -> None:
    response = await mock_client.post("/api/customers", json=INDIVIDUAL, headers=bearer(token))
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["name"] is None  # PII only on GET with include_pii
    assert created["labels"] == ["vip"]

    stored = (
        await mock_client.get(f"/api/customers/{created['guid']}?include_pii=true", headers=bearer(token))
    ).json()

    assert stored["name"] == {"first": "Ada", "middle": "K", "last": "Lovelace", "full": None}
    assert stored["address"] == {**ADDRESS, "street2": None}
    assert stored["date_of_birth"] == "1990-12-10"
    assert stored["email_address"] == "ada@example.com"
    assert stored["phone_number"] == "+14155550123"
    assert stored["identification_numbers"] == INDIVIDUAL["identification_numbers"]


async def test_a_detailed_business_is_created(mock_client: httpx.AsyncClient, token: str) -> None:
    response = await mock_client.post("/api/customers", json=BUSINESS, headers=bearer(token))
    assert response.status_code == 201, response.text
    guid = response.json()["guid"]

    stored = (await mock_client.get(f"/api/customers/{guid}?include_pii=true", headers=bearer(token))).json()

    assert stored["type"] == "business"
    assert stored["name"]["full"] == "Acme Trading LLC"
    assert stored["aliases"] == [{"first": None, "middle": None, "last": None, "full": "Acme"}]
    assert stored["website"] == "https://acme.example.com"


async def test_created_customers_get_deterministic_guids() -> None:
    async def created_guid() -> str:
        app = create_mock_app(MockConfig(customers=3, seed=11))
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app), base_url="http://mock.test"
        ) as client:
            token = await get_token(client)
            response = await client.post("/api/customers", json={"type": "business"}, headers=bearer(token))
            guid: str = response.json()["guid"]
            return guid

    assert await created_guid() == await created_guid()


def with_ids(*numbers: dict[str, str]) -> dict[str, Any]:
    return {**INDIVIDUAL, "identification_numbers": list(numbers)}


SSN = {"type": "social_security_number", "issuing_country_code": "US", "identification_number": "912345678"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            with_ids(SSN, {**SSN, "identification_number": "987654321"}),
            "Identification number duplicate type supplied",
        ),
        (with_ids({**SSN, "identification_number": "  "}), "Identification number missing"),
        (
            with_ids({"type": "social_security_number", "issuing_country_code": "US"}),
            "Identification number missing",
        ),
        (with_ids({**SSN, "type": "library_card"}), "Identification number not supported"),
        (
            {**INDIVIDUAL, "address": {**ADDRESS, "country_code": "ZZ"}},
            "Address country code not supported",
        ),
        (
            {**INDIVIDUAL, "address": {**ADDRESS, "country_code": "us"}},
            "Address country code not supported",
        ),
    ],
)
async def test_invalid_values_are_422_as_the_spec_examples(
    mock_client: httpx.AsyncClient, token: str, backend: MockBackend, body: dict[str, Any], message: str
) -> None:
    before = backend.customer_count
    response = await mock_client.post("/api/customers", json=body, headers=bearer(token))

    assert_error(response, 422, "invalid_value", message)
    assert backend.customer_count == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "type"),
        ({"type": "robot"}, "type"),
        ({"type": None}, "type"),
        ({"type": 1}, "type"),
        ({"type": "individual", "name": "Ada"}, "name"),
        ({"type": "individual", "name": {"first": 7}}, "name.first"),
        ({"type": "individual", "address": {"city": "Paris", "country_code": "FR"}}, "address.street"),
        (
            {"type": "individual", "address": {**ADDRESS, "country_code": "USA"}},
            "address.country_code",
        ),
        (
            {"type": "individual", "address": {**ADDRESS, "subdivision": "ABCD"}},
            "address.subdivision",
        ),
        ({"type": "individual", "date_of_birth": "10/12/1990"}, "date_of_birth"),
        ({"type": "individual", "date_of_birth": "1990-02-30"}, "date_of_birth"),
        ({"type": "individual", "labels": ["x"] * 9}, "labels"),
        ({"type": "individual", "labels": [""]}, "labels"),
        ({"type": "individual", "labels": ["x" * 65]}, "labels"),
        ({"type": "individual", "labels": [5]}, "labels"),
        ({"type": "individual", "identification_numbers": []}, "identification_numbers"),
        ({"type": "individual", "identification_numbers": [SSN] * 11}, "identification_numbers"),
        ({"type": "individual", "identification_numbers": ["912345678"]}, "identification_numbers[0]"),
        ({"type": "business", "aliases": [{"full": "A"}, {"full": "B"}]}, "aliases"),
        ({"type": "individual", "email_address": ["a@example.com"]}, "email_address"),
    ],
)
async def test_bodies_that_do_not_fit_the_schema_are_400(
    mock_client: httpx.AsyncClient, token: str, backend: MockBackend, body: dict[str, Any], field: str
) -> None:
    before = backend.customer_count
    response = await mock_client.post("/api/customers", json=body, headers=bearer(token))

    assert_error(response, 400, "invalid_parameter")
    assert response.json()["error_message"].startswith(field)
    assert backend.customer_count == before


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"{",
        b"[]",
        b'"individual"',
        b"null",
        b'{"type": NaN}',
        b"\xff\xfe",
        b"[" * 20_000 + b"]" * 20_000,
    ],
    ids=["empty", "truncated", "array", "string", "null", "nan", "not-utf8", "deeply-nested"],
)
async def test_malformed_bodies_are_400_never_500(
    mock_client: httpx.AsyncClient, token: str, raw: bytes
) -> None:
    response = await mock_client.post(
        "/api/customers", content=raw, headers={**bearer(token), "Content-Type": "application/json"}
    )
    assert_error(response, 400, "invalid_parameter")


async def test_an_oversized_body_is_413(mock_client: httpx.AsyncClient, token: str) -> None:
    body = {"type": "individual", "website": "x" * 70_000}
    response = await mock_client.post("/api/customers", json=body, headers=bearer(token))
    assert_error(response, 413, "request_too_large")


async def test_an_oversized_body_without_content_length_is_413(
    mock_client: httpx.AsyncClient, token: str
) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"type": "individual", "website": "'
        for _ in range(100):
            yield b"x" * 1000
        yield b'"}'

    response = await mock_client.post("/api/customers", content=chunks(), headers=bearer(token))
    assert_error(response, 413, "request_too_large")


async def test_unknown_fields_are_ignored(mock_client: httpx.AsyncClient, token: str) -> None:
    body = {"type": "business", "citizenship": "US", "extra": {"nested": True}}
    response = await mock_client.post("/api/customers", json=body, headers=bearer(token))
    assert response.status_code == 201, response.text


# ------------------------------------------------------------------------------- bank-provided details


@pytest.fixture
async def kyc_client() -> AsyncIterator[httpx.AsyncClient]:
    app = create_mock_app(MockConfig(customers=0, require_details=True))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://mock.test") as client:
        yield client


def without(body: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {key: value for key, value in body.items() if key not in keys}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"type": "individual"}, "Customer name required"),
        ({"type": "business"}, "Customer name required"),
        ({**INDIVIDUAL, "name": {"first": "Ada"}}, "Customer name required"),
        ({**BUSINESS, "name": {"first": "Acme"}}, "Customer name required"),
        (without(INDIVIDUAL, "address"), "Customer address required"),
        (without(INDIVIDUAL, "date_of_birth"), "Customer date of birth required"),
        (without(INDIVIDUAL, "email_address"), "Customer email address required"),
        (without(BUSINESS, "email_address"), "Customer email address required"),
        (without(INDIVIDUAL, "identification_numbers"), "Customer identification numbers required"),
        (without(BUSINESS, "identification_numbers"), "Customer identification numbers required"),
        (without(INDIVIDUAL, "address", "email_address"), "Customer address required"),  # the spec's order
    ],
)
async def test_a_bank_requiring_details_answers_422_missing_parameter(
    kyc_client: httpx.AsyncClient, body: dict[str, Any], message: str
) -> None:
    token = await get_token(kyc_client)
    response = await kyc_client.post("/api/customers", json=body, headers=bearer(token))
    assert_error(response, 422, "missing_parameter", message)


async def test_a_bank_requiring_details_accepts_complete_customers(kyc_client: httpx.AsyncClient) -> None:
    token = await get_token(kyc_client)
    for body in (INDIVIDUAL, BUSINESS):
        response = await kyc_client.post("/api/customers", json=body, headers=bearer(token))
        assert response.status_code == 201, response.text


# -------------------------------------------------------------------------------------------------- patch


async def test_patch_moves_a_customer_back_to_unverified(
    mock_client: httpx.AsyncClient, token: str, backend: MockBackend, mock_clock: FrozenClock
) -> None:
    guid = next(guid for guid, state in backend.snapshot_states().items() if state == "rejected")
    mock_clock.advance(5)

    response = await mock_client.patch(
        f"/api/customers/{guid}", json={"state": "unverified"}, headers=bearer(token)
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["state"] == "unverified"
    assert body["updated_at"] == mock_clock.now().strftime("%Y-%m-%dT%H:%M:%S.000Z")
    assert backend.snapshot_states()[guid] == "unverified"


async def test_patch_without_a_state_changes_nothing(
    mock_client: httpx.AsyncClient, token: str, backend: MockBackend
) -> None:
    guid = backend.guids()[10]
    before = backend.customer_json(guid, include_pii=False)
    for body in ({}, {"state": None}):
        response = await mock_client.patch(f"/api/customers/{guid}", json=body, headers=bearer(token))
        assert response.json() == before


@pytest.mark.parametrize("state", ["verified", "frozen", "storing", "UNVERIFIED", 3, ["unverified"]])
async def test_patch_to_another_state_is_400_invalid_state(
    mock_client: httpx.AsyncClient, token: str, backend: MockBackend, state: object
) -> None:
    guid = backend.guids()[10]
    before = backend.snapshot_states()[guid]

    response = await mock_client.patch(f"/api/customers/{guid}", json={"state": state}, headers=bearer(token))

    assert_error(response, 400, "invalid_parameter", "Invalid state")
    assert backend.snapshot_states()[guid] == before


async def test_patch_of_an_unknown_customer_is_404(mock_client: httpx.AsyncClient, token: str) -> None:
    response = await mock_client.patch(
        f"/api/customers/{'0' * 32}", json={"state": "unverified"}, headers=bearer(token)
    )
    assert_error(response, 404, "not_found", "customer not found")


async def test_patch_with_a_broken_body_is_400(
    mock_client: httpx.AsyncClient, token: str, backend: MockBackend
) -> None:
    guid = backend.guids()[0]
    response = await mock_client.patch(
        f"/api/customers/{guid}",
        content=b"{state",
        headers={**bearer(token), "Content-Type": "application/json"},
    )
    assert_error(response, 400, "invalid_parameter")


# ------------------------------------------------------------------------------------- unknown routes


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "/", 404, "not_found"),
        ("GET", "/api/customers/", 404, "not_found"),
        ("GET", "/api/accounts", 404, "not_found"),
        ("DELETE", "/api/customers", 405, "method_not_allowed"),
        ("PUT", "/api/customers/abc", 405, "method_not_allowed"),
        ("GET", "/oauth/token", 405, "method_not_allowed"),
    ],
)
async def test_unknown_paths_and_methods_answer_error_json(
    mock_client: httpx.AsyncClient, token: str, method: str, path: str, status: int, code: str
) -> None:
    response = await mock_client.request(method, path, headers=bearer(token))
    assert_error(response, status, code)
    json.loads(response.text)


async def test_405_lists_the_allowed_methods(mock_client: httpx.AsyncClient) -> None:
    response = await mock_client.delete("/api/customers")
    assert set(response.headers["allow"].replace(" ", "").split(",")) == {"GET", "HEAD", "POST"}


async def test_every_answer_has_a_request_id(mock_client: httpx.AsyncClient, token: str) -> None:
    ok = await mock_client.get("/api/customers", headers=bearer(token))
    missing = await mock_client.get("/nowhere")
    assert GUID.fullmatch(ok.headers["x-request-id"])
    assert GUID.fullmatch(missing.headers["x-request-id"])
    assert ok.headers["x-request-id"] != missing.headers["x-request-id"]
