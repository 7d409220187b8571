"""Loopback-only admin paths: change faults while the mock runs, move a customer's state, expire tokens.

`GET /_mock/faults`, `POST /_mock/faults` (a partial `FaultConfig` as JSON),
`POST /_mock/customers/{guid}/state` (`{"state": "verified"}`), `POST /_mock/tokens/expire`, and
`POST /_mock/identity_verifications/{guid}/state` to play the person's side of a verification
(`{"state": "pending" | "reviewing" | "completed" | "expired", "outcome": "passed" | "failed",
"failure_codes": [...]}`). Any client
that is not on a loopback address gets 403: a mock server bound to a public interface must not let
strangers switch its faults.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.routing import Route

from cybrid_tui.mock.config import FaultConfigError, updated_faults
from cybrid_tui.mock.errors import MockError, bad_request
from cybrid_tui.mock.records import dumps
from cybrid_tui.mock.requests import by_method, is_loopback, parse_json, read_body
from cybrid_tui.mock.routes._common import backend_of, json_response
from cybrid_tui.mock.validation import validate_admin_state
from cybrid_tui.mock.validation_kyc import validate_admin_move

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from cybrid_tui.mock.backend import MockBackend


def _admin_backend(request: Request) -> MockBackend:
    if not is_loopback(request):
        raise MockError(403, "The mock's admin endpoints answer loopback clients only", "forbidden")
    return backend_of(request)


def _json(value: object) -> Response:
    return json_response(dumps(value))


async def get_faults(request: Request) -> Response:
    return _json(_admin_backend(request).faults.to_json())


async def set_faults(request: Request) -> Response:
    backend = _admin_backend(request)
    changes = parse_json(await read_body(request))
    if not isinstance(changes, dict):
        raise bad_request("Request body must be a JSON object of fault settings")
    try:
        backend.faults = updated_faults(backend.faults, changes)
    except FaultConfigError as exc:
        raise bad_request(str(exc)) from None
    return _json(backend.faults.to_json())


async def set_customer_state(request: Request) -> Response:
    backend = _admin_backend(request)
    state = validate_admin_state(parse_json(await read_body(request)))
    guid = request.path_params["customer_guid"]
    backend.set_state(guid, state)
    return _json(backend.customer_json(guid, include_pii=False))


async def move_identity_verification(request: Request) -> Response:
    backend = _admin_backend(request)
    move = validate_admin_move(parse_json(await read_body(request)))
    guid = request.path_params["identity_verification_guid"]
    return _json(
        backend.move_identity_verification(
            guid, move.state, outcome=move.outcome, failure_codes=move.failure_codes
        )
    )


async def expire_tokens(request: Request) -> Response:
    return _json({"expired": _admin_backend(request).expire_tokens()})


def routes() -> list[Route]:
    return [
        Route("/_mock/faults", by_method(GET=get_faults, POST=set_faults), methods=["GET", "POST"]),
        Route("/_mock/customers/{customer_guid}/state", set_customer_state, methods=["POST"]),
        Route("/_mock/tokens/expire", expire_tokens, methods=["POST"]),
        Route(
            "/_mock/identity_verifications/{identity_verification_guid}/state",
            move_identity_verification,
            methods=["POST"],
        ),
    ]
