"""`POST /oauth/token`: the identity provider's client-credentials grant.

Credentials arrive in the JSON or form body or, the RFC 6749 way, in an HTTP Basic header; errors carry the
spec's `ErrorResponse` fields plus RFC 6749's `error` fields.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote

from starlette.routing import Route

from cybrid_tui.mock.errors import MockError, OAuthError, invalid_client
from cybrid_tui.mock.records import dumps
from cybrid_tui.mock.requests import parse_json, read_body
from cybrid_tui.mock.routes._common import backend_of, json_response

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response


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
    backend = backend_of(request)
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


def routes() -> list[Route]:
    return [Route("/oauth/token", issue_token, methods=["POST"])]
