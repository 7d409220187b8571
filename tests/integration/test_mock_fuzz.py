"""Fuzzing the mock server against Cybrid's published spec with schemathesis (issue 5, "Bad input").

Every customer operation gets schema-valid and schema-violating requests (hypothesis, derandomized, bounded)
with a valid bearer token, over HTTP. Whatever arrives: never a 5xx, every 2xx body matches the spec's schema,
every error body is the spec's ErrorResponse, and valid requests only get statuses the spec documents.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.mock_server import get_token

if TYPE_CHECKING:
    from pathlib import Path

    from tests.support.mock_server import MockServerHandle

schemathesis = pytest.importorskip("schemathesis")

from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.integration

EXAMPLES = 300  # across all four operations and both modes; a few seconds


def customer_operations(openapi_path: Path) -> list[Any]:
    schema = schemathesis.openapi.from_path(str(openapi_path)).include(path_regex=r"^/api/customers")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert sorted(f"{op.method.upper()} {op.path}" for op in operations) == [
        "GET /api/customers",
        "GET /api/customers/{customer_guid}",
        "PATCH /api/customers/{customer_guid}",
        "POST /api/customers",
    ]
    return operations


def assert_error_body(response: Any) -> None:
    body = response.json()
    assert isinstance(body, dict), body
    assert isinstance(body.get("status"), int) and body["status"] == response.status_code, body
    assert isinstance(body.get("error_message"), str) and body["error_message"], body
    assert isinstance(body.get("message_code"), str) and body["message_code"], body
    content_type = {name.lower(): values for name, values in response.headers.items()}["content-type"]
    assert content_type[0].startswith("application/json"), content_type


def test_the_mock_survives_fuzzing_against_the_spec(
    openapi_path: Path, mock_server: MockServerHandle
) -> None:
    operations = customer_operations(openapi_path)
    seeded = mock_server.backend.guids()[:5]
    strategies = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategies.append(operation.as_strategy(generation_mode=mode))
            if "{customer_guid}" in operation.path:  # reach existing customers too, not only 404s
                strategies += [
                    operation.as_strategy(generation_mode=mode, path_parameters={"customer_guid": guid})
                    for guid in seeded[:2]
                ]

    async def token() -> str:
        async with httpx.AsyncClient(base_url=mock_server.url) as client:
            return await get_token(client)

    import asyncio

    headers = {"Authorization": f"Bearer {asyncio.run(token())}"}
    seen: set[int] = set()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=st.one_of(strategies))
    def fuzz(case: Any) -> None:
        response = case.call(base_url=mock_server.url, headers=headers, timeout=10)
        seen.add(response.status_code)
        checks = [not_a_server_error, response_schema_conformance]
        positive = case.meta is not None and case.meta.generation.mode == GenerationMode.POSITIVE
        # The spec documents no 404 for PATCH; the mock answers an unknown guid as GET does (404 not_found).
        if positive and not (case.method.upper() == "PATCH" and response.status_code == 404):
            checks.append(status_code_conformance)
        case.validate_response(response, checks=checks, headers=headers)
        if response.status_code >= 400:
            assert_error_body(response)

    fuzz()
    assert {200, 201} <= seen  # the fuzzing got through to real work, not only to errors
    assert any(400 <= status < 500 for status in seen)


IV_SCOPES = (
    "customers:read identity_verifications:read identity_verifications:execute persona_sessions:execute"
)


def test_the_identity_verification_paths_survive_fuzzing(
    openapi_path: Path, mock_server: MockServerHandle
) -> None:
    schema = schemathesis.openapi.from_path(str(openapi_path)).include(
        path_regex=r"^/api/(identity_verifications|persona_sessions)"
    )
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 4
    unverified = [
        guid for guid, state in mock_server.backend.snapshot_states().items() if state == "unverified"
    ]
    strategies = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategies.append(operation.as_strategy(generation_mode=mode))
        if operation.method.upper() == "POST" and operation.path == "/api/identity_verifications":
            body = {"type": "kyc", "method": "id_and_selfie", "customer_guid": unverified[0]}
            strategies.append(operation.as_strategy(generation_mode=GenerationMode.POSITIVE, body=body))

    async def token() -> str:
        async with httpx.AsyncClient(base_url=mock_server.url) as client:
            return await get_token(client, scope=IV_SCOPES)

    import asyncio

    headers = {"Authorization": f"Bearer {asyncio.run(token())}"}
    seen: set[int] = set()

    @settings(
        max_examples=150,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=st.one_of(strategies))
    def fuzz(case: Any) -> None:
        response = case.call(base_url=mock_server.url, headers=headers, timeout=10)
        seen.add(response.status_code)
        case.validate_response(
            response, checks=[not_a_server_error, response_schema_conformance], headers=headers
        )
        if response.status_code >= 400:
            assert_error_body(response)

    fuzz()
    assert 200 in seen and any(400 <= status < 500 for status in seen)
