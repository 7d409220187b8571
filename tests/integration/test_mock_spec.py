"""The mock's answers validated against Cybrid's published spec (`bank-openapi.yaml`), and every documented
4xx example for the customer paths reproduced exactly.
"""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING, Any

import httpx
import jsonschema
import pytest
import yaml

from cybrid_tui.mock.app import create_mock_app
from cybrid_tui.mock.config import MockConfig
from tests.support.mock_server import bearer, get_token

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path

    from starlette.applications import Starlette

TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")

# Spec examples the mock does not emulate: they need a token for another kind of subject, audience or issuer,
# or a bank that no longer exists or lacks a customer type; a mock bank token can never be in those states.
NOT_EMULATED = {"invalid_subject", "invalid_audience", "invalid_issuer", "unknown_bank", "unsupported_value"}


def openapi_to_json_schema(node: Any) -> Any:
    """OpenAPI 3.0 schema objects as JSON Schema: `nullable: true` becomes a "null" type; examples go."""
    if isinstance(node, list):
        return [openapi_to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: openapi_to_json_schema(value) for key, value in node.items() if key != "example"}
    if converted.pop("nullable", False):
        if "type" in converted:
            converted["type"] = [converted["type"], "null"]
        if "enum" in converted:
            converted["enum"] = [*converted["enum"], None]
    return converted


@pytest.fixture(scope="session")
def spec(openapi_path: Path) -> dict[str, Any]:
    with openapi_path.open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return loaded


@pytest.fixture(scope="session")
def validators(spec: dict[str, Any]) -> dict[str, jsonschema.Draft4Validator]:
    components = {
        "components": {"schemas": openapi_to_json_schema(copy.deepcopy(spec["components"]["schemas"]))}
    }
    names = ("Customer", "CustomerList", "ErrorResponse")
    return {
        name: jsonschema.Draft4Validator({**components, "$ref": f"#/components/schemas/{name}"})
        for name in names
    }


@pytest.fixture
async def client(mock_app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(mock_app), base_url="http://mock.test"
    ) as client:
        yield client


def check_customer(customer: dict[str, Any], spec: dict[str, Any], validators: dict[str, Any]) -> None:
    validators["Customer"].validate(customer)
    documented = set(spec["components"]["schemas"]["Customer"]["properties"])
    assert set(customer) <= documented, set(customer) - documented
    assert TIMESTAMP.fullmatch(customer["created_at"])
    assert TIMESTAMP.fullmatch(customer["updated_at"])


async def test_customer_responses_match_the_spec(
    client: httpx.AsyncClient, mock_app: Starlette, spec: dict[str, Any], validators: dict[str, Any]
) -> None:
    token = await get_token(client)
    guid = mock_app.state.backend.guids()[0]
    detailed = {
        "type": "individual",
        "name": {"first": "Ada", "last": "Lovelace"},
        "address": {"street": "1 Main St", "city": "Austin", "subdivision": "TX", "country_code": "US"},
        "date_of_birth": "1990-01-02",
        "identification_numbers": [
            {"type": "passport", "issuing_country_code": "US", "identification_number": "X1234567"}
        ],
        "labels": ["vip"],
    }
    responses = {
        "list": await client.get("/api/customers?per_page=100", headers=bearer(token)),
        "list with pii": await client.get(
            "/api/customers?per_page=100&include_pii=true", headers=bearer(token)
        ),
        "get": await client.get(f"/api/customers/{guid}", headers=bearer(token)),
        "get with pii": await client.get(f"/api/customers/{guid}?include_pii=true", headers=bearer(token)),
        "create": await client.post("/api/customers", json={"type": "business"}, headers=bearer(token)),
        "create detailed": await client.post("/api/customers", json=detailed, headers=bearer(token)),
        "patch": await client.patch(
            f"/api/customers/{guid}", json={"state": "unverified"}, headers=bearer(token)
        ),
    }
    created = responses["create detailed"].json()["guid"]
    responses["get created"] = await client.get(
        f"/api/customers/{created}?include_pii=true", headers=bearer(token)
    )

    for name, response in responses.items():
        assert response.status_code in (200, 201), (name, response.text)
        body = response.json()
        if name.startswith("list"):
            validators["CustomerList"].validate(body)
            for customer in body["objects"]:
                check_customer(customer, spec, validators)
        else:
            check_customer(body, spec, validators)


def documented_examples(spec: dict[str, Any]) -> list[tuple[str, str, int, str, dict[str, Any]]]:
    found = []
    for path in ("/api/customers", "/api/customers/{customer_guid}"):
        for method, operation in spec["paths"][path].items():
            for status, answer in operation["responses"].items():
                examples = answer.get("content", {}).get("application/json", {}).get("examples", {})
                for name, example in examples.items():
                    found.append((method.upper(), path, int(status), name, example["value"]))
    return found


async def trigger(app: Starlette, method: str, path: str, example: str) -> httpx.Response:
    """A request that should answer the spec's example `example` for `method path`."""
    backend = app.state.backend
    guid = backend.guids()[0]
    url = path.replace("{customer_guid}", guid)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://mock.test") as client:
        token = await get_token(client)
        headers = bearer(token)
        json_body: Any = {"type": "individual"} if method == "POST" else None
        if method == "PATCH":
            json_body = {"state": "unverified"}
        params: dict[str, str] = {}
        if example == "malformed_auth_header":
            headers = {"Authorization": "Basic abc"}
        elif example == "invalid_signature":
            headers = bearer("forged")
        elif example == "expired_signature":
            backend.expire_tokens()
        elif example == "invalid_scope":
            required = {"GET": "customers:read", "POST": "customers:execute", "PATCH": "customers:write"}[
                method
            ]
            others = {"customers:read", "customers:write", "customers:execute"} - {required}
            headers = bearer(await get_token(client, scope=" ".join(sorted(others))))
        elif example == "not_found":
            url = path.replace("{customer_guid}", "f" * 32)
        elif example == "invalid_value" and method == "GET":
            params = {"bank_guid": ",".join([backend.config.bank_guid] * 125)}
        elif example == "invalid_parameter":
            json_body = {"state": "frozen"}
        elif example.startswith(("missing_parameter", "invalid_value_")):
            json_body = _create_body(example)
        return await client.request(method, url, params=params, json=json_body, headers=headers)


def _create_body(example: str) -> dict[str, Any]:
    ssn = {
        "type": "social_security_number",
        "issuing_country_code": "US",
        "identification_number": "912345678",
    }
    complete: dict[str, Any] = {
        "type": "individual",
        "name": {"first": "Ada", "last": "Lovelace"},
        "address": {"street": "1 Main St", "city": "Austin", "country_code": "US"},
        "date_of_birth": "1990-01-02",
        "email_address": "ada@example.com",
        "identification_numbers": [ssn],
    }
    missing = {
        "1": "name",
        "2": "address",
        "3": "date_of_birth",
        "4": "email_address",
        "5": "identification_numbers",
    }
    if example.startswith("missing_parameter_"):
        return {key: value for key, value in complete.items() if key != missing[example[-1]]}
    broken: dict[str, dict[str, Any]] = {
        "invalid_value_1": {"identification_numbers": [ssn, {**ssn, "identification_number": "1"}]},
        "invalid_value_2": {"identification_numbers": [{**ssn, "identification_number": ""}]},
        "invalid_value_3": {"identification_numbers": [{**ssn, "type": "library_card"}]},
        "invalid_value_4": {"address": {**complete["address"], "country_code": "XX"}},
    }
    return {**complete, **broken[example]}


async def test_every_documented_error_example_is_reproduced(
    spec: dict[str, Any], validators: dict[str, Any]
) -> None:
    examples = documented_examples(spec)
    assert len(examples) > 30
    reproduced = 0
    for method, path, status, name, expected in examples:
        if name in NOT_EMULATED:
            continue
        app = create_mock_app(MockConfig(customers=3, require_details=name.startswith("missing_parameter")))
        response = await trigger(app, method, path, name)
        validators["ErrorResponse"].validate(response.json())
        assert (response.status_code, response.json()) == (status, expected), (method, path, name)
        reproduced += 1
    assert reproduced >= 25


def test_the_schema_check_rejects_what_the_spec_forbids(validators: dict[str, Any]) -> None:
    with pytest.raises(jsonschema.ValidationError):
        validators["Customer"].validate({"guid": "too-short"})
    with pytest.raises(jsonschema.ValidationError):
        validators["CustomerList"].validate({"total": 1, "page": 0, "per_page": 1})
    with pytest.raises(jsonschema.ValidationError):
        validators["ErrorResponse"].validate({"status": "404", "error_message": "x", "message_code": "y"})


IV_SCOPES = (
    "customers:read identity_verifications:read identity_verifications:execute persona_sessions:execute"
)


async def test_identity_verification_responses_match_the_spec(
    client: httpx.AsyncClient, mock_app: Starlette, mock_clock: Any, spec: dict[str, Any]
) -> None:
    components = {
        "components": {"schemas": openapi_to_json_schema(copy.deepcopy(spec["components"]["schemas"]))}
    }
    schemas = spec["components"]["schemas"]

    def check(name: str, body: Any) -> None:
        jsonschema.Draft4Validator({**components, "$ref": f"#/components/schemas/{name}"}).validate(body)
        if name in ("IdentityVerification", "IdentityVerificationWithDetails"):
            assert set(body) <= set(schemas[name]["properties"]), set(body) - set(schemas[name]["properties"])
            assert TIMESTAMP.fullmatch(body["created_at"]) and TIMESTAMP.fullmatch(body["updated_at"])

    headers = bearer(await get_token(client, scope=IV_SCOPES))
    backend = mock_app.state.backend
    states = backend.snapshot_states()
    unverified = [guid for guid, state in states.items() if state == "unverified"]
    kinds = {guid: backend.customer_json(guid, include_pii=False)["type"] for guid in unverified}
    started = []
    for guid, behaviours in zip(
        unverified, ([], ["passed_immediately"], ["failed_immediately"], []), strict=False
    ):
        method = "business_registration" if kinds[guid] == "business" else "id_and_selfie"
        response = await client.post(
            "/api/identity_verifications",
            json={"type": "kyc", "method": method, "customer_guid": guid, "expected_behaviours": behaviours},
            headers=headers,
        )
        assert response.status_code == 201, response.text
        check("IdentityVerification", response.json())
        started.append(response.json()["guid"])
    assert len(started) >= 3
    for _ in range(6):  # every state on the way: storing, waiting, pending, reviewing, completed
        for guid in started:
            detail = await client.get(f"/api/identity_verifications/{guid}", headers=headers)
            check("IdentityVerificationWithDetails", detail.json())
        listing = await client.get("/api/identity_verifications?per_page=100", headers=headers)
        check("IdentityVerificationList", listing.json())
        for item in listing.json()["objects"]:
            check("IdentityVerification", item)
        mock_clock.advance(1)
    inquiry = (await client.get(f"/api/identity_verifications/{started[0]}", headers=headers)).json()
    session = await client.post(
        "/api/persona_sessions",
        json={"identity_verification_guid": started[0], "persona_inquiry_id": inquiry["persona_inquiry_id"]},
        headers=headers,
    )
    assert session.status_code == 201, session.text
    check("PersonaSession", session.json())
    for guid in unverified[:3]:
        customer = await client.get(f"/api/customers/{guid}", headers=headers)
        check("Customer", customer.json())
    errors = [
        await client.get(f"/api/identity_verifications/{'0' * 32}", headers=headers),
        await client.post("/api/identity_verifications", json={"type": "kyc"}, headers=headers),
        await client.post("/api/persona_sessions", json={}, headers=headers),
    ]
    for error in errors:
        check("ErrorResponse", error.json())


async def test_documented_identity_verification_examples_are_reproduced(mock_app: Starlette) -> None:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(mock_app), base_url="http://mock.test"
    ) as client:
        headers = bearer(await get_token(client, scope=IV_SCOPES))
        bank_guids = ",".join([mock_app.state.backend.config.bank_guid] * 125)
        answers = {
            "list invalid_value": await client.get(
                f"/api/identity_verifications?bank_guid={bank_guids}", headers=headers
            ),
            "get not_found": await client.get(f"/api/identity_verifications/{'f' * 32}", headers=headers),
        }
    assert answers["list invalid_value"].json() == {
        "status": 400,
        "error_message": "comma separated bank guids must be at the most 4096 characters long",
        "message_code": "invalid_value",
    }
    assert answers["get not_found"].json() == {
        "status": 404,
        "error_message": "identity_verification not found",
        "message_code": "not_found",
    }
