"""The mock Cybrid API as a Starlette app: identity (`POST /oauth/token`) and bank (`/api/customers`) paths on
one origin, plus loopback-only admin paths under `/_mock`.

Checks run in the real API's order: bearer token (401), scope (403), request (400/413/422), then the customer
(404). Every answer other than success is the spec's `ErrorResponse`, including unknown paths (404), wrong
methods (405) and anything unexpected (500), so no client ever sees Starlette's plain-text defaults.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.responses import Response
from starlette.routing import Route

from cybrid_tui.mock.admin import admin_routes
from cybrid_tui.mock.backend import MockBackend
from cybrid_tui.mock.errors import MockError, OAuthError, customer_not_found, invalid_client, invalid_scopes
from cybrid_tui.mock.faults import FaultMiddleware
from cybrid_tui.mock.records import dumps
from cybrid_tui.mock.requests import boolean, by_method, list_query, parse_json, read_body
from cybrid_tui.mock.validation import validate_patch_customer

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from cybrid_tui.clock import Clock
    from cybrid_tui.mock.config import MockConfig

JSON = "application/json"
READ, WRITE, EXECUTE, PII_READ = (
    "customers:read",
    "customers:write",
    "customers:execute",
    "customers:pii:read",
)


def json_response(body: bytes, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(body, status_code=status, media_type=JSON, headers=headers)


def _backend(request: Request) -> MockBackend:
    backend: MockBackend = request.app.state.backend
    return backend


def _authorize(request: Request, scope: str) -> frozenset[str]:
    scopes = _backend(request).authenticate(request.headers.get("authorization"))
    if scope not in scopes:
        raise invalid_scopes(scope)
    return scopes


# ------------------------------------------------------------------------------------------- customers


async def list_customers(request: Request) -> Response:
    scopes = _authorize(request, READ)
    query = list_query(request.query_params, pii_allowed=PII_READ in scopes)
    return json_response(_backend(request).list_customers(query))


async def create_customer(request: Request) -> Response:
    _authorize(request, EXECUTE)
    body = parse_json(await read_body(request))
    return json_response(dumps(_backend(request).create_customer(body)), status=201)


async def get_customer(request: Request) -> Response:
    scopes = _authorize(request, READ)
    include_pii = boolean(request.query_params, "include_pii") and PII_READ in scopes
    guid = request.path_params["customer_guid"]
    return json_response(_backend(request).customer_bytes(guid, include_pii=include_pii))


async def update_customer(request: Request) -> Response:
    _authorize(request, WRITE)
    body = parse_json(await read_body(request))
    backend = _backend(request)
    guid = request.path_params["customer_guid"]
    if not backend.has_customer(guid):  # 404 before judging the body
        raise customer_not_found()
    state = validate_patch_customer(body)
    return json_response(dumps(backend.update_customer(guid, state)))


# --------------------------------------------------------------------------------------------- identity


def _token_fields(request: Request, raw: bytes) -> dict[str, Any]:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/x-www-form-urlencoded":
        return dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
    try:
        fields = parse_json(raw)
    except MockError:
        raise OAuthError(400, "The request body is not valid JSON.", "invalid_request") from None
    if not isinstance(fields, dict):
        raise OAuthError(400, "The request body must be a JSON object.", "invalid_request")
    return fields


def _basic_credentials(request: Request) -> tuple[str, str] | None:
    """Client credentials sent the RFC 6749 way, in an HTTP Basic Authorization header."""
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise invalid_client() from None
    client_id, _, client_secret = decoded.partition(":")
    return unquote(client_id), unquote(client_secret)


def _string_field(fields: dict[str, Any], name: str) -> str | None:
    value = fields.get(name)
    if value is not None and not isinstance(value, str):
        raise OAuthError(400, f"{name} must be a string.", "invalid_request")
    return value


async def issue_token(request: Request) -> Response:
    """Client-credentials grant; granted scopes are the requested ones the bank's credentials may have."""
    backend = _backend(request)
    config = backend.config
    fields = _token_fields(request, await read_body(request))
    grant_type = _string_field(fields, "grant_type")
    client_id = _string_field(fields, "client_id")
    client_secret = _string_field(fields, "client_secret")
    scope = _string_field(fields, "scope")
    basic = _basic_credentials(request)
    if basic is not None:
        client_id, client_secret = basic
    if grant_type != "client_credentials":
        raise OAuthError(
            400,
            "The authorization grant type is not supported by the authorization server.",
            "unsupported_grant_type",
        )
    if not (
        client_id is not None
        and client_secret is not None
        and secrets.compare_digest(client_id.encode(), config.client_id.encode())
        and secrets.compare_digest(client_secret.encode(), config.client_secret.encode())
    ):
        raise invalid_client()
    requested = scope.split() if scope else sorted(config.granted_scopes)
    granted = [name for name in dict.fromkeys(requested) if name in config.granted_scopes]
    if not granted:
        raise OAuthError(400, "The requested scope is invalid, unknown, or malformed.", "invalid_scope")
    token, ttl = backend.issue_token(frozenset(granted))
    body = {
        "access_token": token,
        "token_type": "Bearer",
        "expires_in": ttl,
        "scope": " ".join(granted),
        "created_at": int(backend.clock.now().timestamp()),
    }
    return json_response(dumps(body), headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


# ------------------------------------------------------------------------------------------------ errors


async def _mock_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, MockError)
    return json_response(exc.body_bytes(), status=exc.status, headers=exc.headers)


_HTTP_CODES = {404: ("Not found", "not_found"), 405: ("Method not allowed", "method_not_allowed")}


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message, code = _HTTP_CODES.get(exc.status_code, (str(exc.detail), "invalid_request"))
    error = MockError(exc.status_code, message, code, headers=dict(exc.headers or {}))
    return await _mock_error(request, error)


async def _server_error(request: Request, exc: Exception) -> Response:
    return await _mock_error(request, MockError(500, "Internal server error", "internal_server_error"))


class RequestIdMiddleware:
    """Every answer carries an `X-Request-Id`, as Cybrid's do (clients log it for troubleshooting)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = secrets.token_hex(16).encode()

        async def with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id)]
            await send(message)

        await self.app(scope, receive, with_id)


def create_mock_app(config: MockConfig | None = None, *, clock: Clock | None = None) -> Starlette:
    """The mock API; `app.state.backend` is its `MockBackend` (tests and the demo drive it directly)."""
    backend = MockBackend(config, clock=clock)
    routes = [
        Route("/oauth/token", issue_token, methods=["POST"]),
        Route("/api/customers", by_method(GET=list_customers, POST=create_customer), methods=["GET", "POST"]),
        Route(
            "/api/customers/{customer_guid}",
            by_method(GET=get_customer, PATCH=update_customer),
            methods=["GET", "PATCH"],
        ),
        *admin_routes(),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(RequestIdMiddleware), Middleware(FaultMiddleware, backend=backend)],
        exception_handlers={MockError: _mock_error, HTTPException: _http_error, Exception: _server_error},
    )
    # "/api/customers/" would otherwise redirect to the list: answer 404 like any unknown path.
    app.router.redirect_slashes = False
    app.state.backend = backend
    return app
