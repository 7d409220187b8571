"""What every route module shares: JSON answers, the backend behind a request, the scope check, and the
exception handlers that turn every failure into the spec's `ErrorResponse`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.exceptions import HTTPException
from starlette.responses import Response

from cybrid_tui.mock.errors import MockError, invalid_scopes

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Mapping

    from starlette.requests import Request

    from cybrid_tui.mock.backend import MockBackend

JSON = "application/json"


def json_response(body: bytes, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(body, status_code=status, media_type=JSON, headers=headers)


def backend_of(request: Request) -> MockBackend:
    backend: MockBackend = request.app.state.backend
    return backend


def authorize(request: Request, scope: str) -> frozenset[str]:
    """The token's scopes; 401 without a valid bearer token, 403 (the spec's body) without `scope`."""
    scopes = backend_of(request).authenticate(request.headers.get("authorization"))
    if scope not in scopes:
        raise invalid_scopes(scope)
    return scopes


# ------------------------------------------------------------------------------------------------ errors


async def mock_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, MockError)
    return json_response(exc.body_bytes(), status=exc.status, headers=exc.headers)


_HTTP_CODES = {404: ("Not found", "not_found"), 405: ("Method not allowed", "method_not_allowed")}


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message, code = _HTTP_CODES.get(exc.status_code, (str(exc.detail), "invalid_request"))
    error = MockError(exc.status_code, message, code, headers=dict(exc.headers or {}))
    return await mock_error(request, error)


async def server_error(request: Request, exc: Exception) -> Response:
    return await mock_error(request, MockError(500, "Internal server error", "internal_server_error"))


EXCEPTION_HANDLERS: Mapping[type[Exception], Callable[[Request, Exception], Awaitable[Response]]] = {
    MockError: mock_error,
    HTTPException: http_error,
    Exception: server_error,
}
