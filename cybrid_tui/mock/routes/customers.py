"""`/api/customers` and `/api/customers/{customer_guid}`: list, create, get and update customers.

Checks run in the real API's order: bearer token (401), scope (403), request (400/413/422), then the customer
(404).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.routing import Route

from cybrid_tui.api.vocab import (
    SCOPE_CUSTOMERS_EXECUTE,
    SCOPE_CUSTOMERS_PII_READ,
    SCOPE_CUSTOMERS_READ,
    SCOPE_CUSTOMERS_WRITE,
)
from cybrid_tui.mock.errors import customer_not_found
from cybrid_tui.mock.records import dumps
from cybrid_tui.mock.requests import boolean, by_method, list_query, parse_json, read_body
from cybrid_tui.mock.routes._common import authorize, backend_of, json_response
from cybrid_tui.mock.validation import validate_patch_customer

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response


async def list_customers(request: Request) -> Response:
    scopes = authorize(request, SCOPE_CUSTOMERS_READ)
    query = list_query(request.query_params, pii_allowed=SCOPE_CUSTOMERS_PII_READ in scopes)
    return json_response(backend_of(request).list_customers(query))


async def create_customer(request: Request) -> Response:
    authorize(request, SCOPE_CUSTOMERS_EXECUTE)
    body = parse_json(await read_body(request))
    return json_response(dumps(backend_of(request).create_customer(body)), status=201)


async def get_customer(request: Request) -> Response:
    scopes = authorize(request, SCOPE_CUSTOMERS_READ)
    include_pii = boolean(request.query_params, "include_pii") and SCOPE_CUSTOMERS_PII_READ in scopes
    guid = request.path_params["customer_guid"]
    return json_response(backend_of(request).customer_bytes(guid, include_pii=include_pii))


async def update_customer(request: Request) -> Response:
    authorize(request, SCOPE_CUSTOMERS_WRITE)
    body = parse_json(await read_body(request))
    backend = backend_of(request)
    guid = request.path_params["customer_guid"]
    if not backend.has_customer(guid):  # 404 before judging the body
        raise customer_not_found()
    state = validate_patch_customer(body)
    return json_response(dumps(backend.update_customer(guid, state)))


def routes() -> list[Route]:
    return [
        Route("/api/customers", by_method(GET=list_customers, POST=create_customer), methods=["GET", "POST"]),
        Route(
            "/api/customers/{customer_guid}",
            by_method(GET=get_customer, PATCH=update_customer),
            methods=["GET", "PATCH"],
        ),
    ]
