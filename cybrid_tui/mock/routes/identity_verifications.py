"""`/api/identity_verifications`, `/api/identity_verifications/{guid}` and `/api/persona_sessions`.

Checks run in the real API's order: bearer token (401), scope (403, the spec's `invalid_scopes` body), request
(400/413/422), then the records (404/409/422). The answers for a customer that is unknown, not `unverified`
or already being verified are the mock's own choice (see `MockBackend.create_identity_verification`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.routing import Route

from cybrid_tui.api.vocab import (
    SCOPE_IDENTITY_VERIFICATIONS_EXECUTE,
    SCOPE_IDENTITY_VERIFICATIONS_READ,
    SCOPE_PERSONA_SESSIONS_EXECUTE,
)
from cybrid_tui.mock.records import dumps
from cybrid_tui.mock.records.identity_verifications import VerificationQuery
from cybrid_tui.mock.requests import boolean, by_method, comma_set, paging, parse_json, read_body
from cybrid_tui.mock.routes._common import authorize, backend_of, json_response
from cybrid_tui.mock.validation_kyc import validate_post_persona_session

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response


async def list_identity_verifications(request: Request) -> Response:
    authorize(request, SCOPE_IDENTITY_VERIFICATIONS_READ)
    params = request.query_params
    page, per_page = paging(params)
    query = VerificationQuery(
        page=page,
        per_page=per_page,
        guids=comma_set(params, "guid"),
        bank_guids=comma_set(params, "bank_guid"),
        customer_guids=comma_set(params, "customer_guid"),
        states=comma_set(params, "state"),
        types=comma_set(params, "type"),
    )
    return json_response(dumps(backend_of(request).list_identity_verifications(query)))


async def create_identity_verification(request: Request) -> Response:
    authorize(request, SCOPE_IDENTITY_VERIFICATIONS_EXECUTE)
    body = parse_json(await read_body(request))
    return json_response(dumps(backend_of(request).create_identity_verification(body)), status=201)


async def get_identity_verification(request: Request) -> Response:
    authorize(request, SCOPE_IDENTITY_VERIFICATIONS_READ)
    boolean(
        request.query_params, "include_pii"
    )  # accepted (400 when not a boolean); the mock holds no PII here
    guid = request.path_params["identity_verification_guid"]
    return json_response(dumps(backend_of(request).identity_verification_json(guid)))


async def create_persona_session(request: Request) -> Response:
    authorize(request, SCOPE_PERSONA_SESSIONS_EXECUTE)
    session = validate_post_persona_session(parse_json(await read_body(request)))
    return json_response(dumps(backend_of(request).open_persona_session(session)), status=201)


def routes() -> list[Route]:
    return [
        Route(
            "/api/identity_verifications",
            by_method(GET=list_identity_verifications, POST=create_identity_verification),
            methods=["GET", "POST"],
        ),
        Route(
            "/api/identity_verifications/{identity_verification_guid}",
            get_identity_verification,
            methods=["GET"],
        ),
        Route("/api/persona_sessions", create_persona_session, methods=["POST"]),
    ]
