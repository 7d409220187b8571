"""Turning what httpx hands back into models or typed errors.

Shared by the client and the token flow. Messages are built from the shape of a problem (a field name, an
error kind), never from the values involved: a response body can hold PII, and pydantic's and httpx's own
messages quote whatever they were given.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, TypeVar

import httpx
from pydantic import BaseModel, SecretStr, ValidationError

from cybrid_tui.api.errors import (
    APIStatusError,
    MalformedResponseError,
    NetworkError,
    RequestTimeoutError,
    TransportError,
    error_for_status,
)
from cybrid_tui.api.models import ErrorResponse
from cybrid_tui.api.request_log import request_id
from cybrid_tui.api.retry import parse_retry_after
from cybrid_tui.logging_setup import redact

if TYPE_CHECKING:
    from collections.abc import Sequence

ModelT = TypeVar("ModelT", bound=BaseModel)

_MAX_SERVER_MESSAGE = 300


def describe_validation_error(exc: ValidationError) -> str:
    """Where a body went wrong, in a few words, without quoting any of its values."""
    errors = exc.errors(include_url=False, include_input=False, include_context=False)
    if not errors:
        return "its content is not what the API documents"
    first = errors[0]
    kind = first["type"]
    where = ".".join(str(part) for part in first["loc"])[:80]
    if kind in ("json_invalid", "json_type"):
        text = "the body is not valid JSON (it may have been cut off)"
    elif not where or kind in ("model_type", "model_attributes_type", "dict_type"):
        target = f"'{where}'" if where else "the body"
        text = f"{target} should be a JSON object but is something else"
    elif kind == "missing":
        text = f"the field '{where}' is missing"
    else:
        text = f"the field '{where}' has a value of the wrong kind ({kind})"
    more = len(errors) - 1
    return text + (f" (and {more} more problem{'s' if more > 1 else ''})" if more else "")


def _content_kind(response: httpx.Response) -> str | None:
    """None when the body should be JSON; otherwise a phrase for what it is instead."""
    content_type = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if not content_type or content_type == "application/json" or content_type.endswith("+json"):
        return None
    if content_type == "text/html":
        return "an HTML page (often a proxy or gateway error)"
    return f"'{content_type[:60]}' content"


def parse_model(response: httpx.Response, model: type[ModelT], *, expected: str, origin: str) -> ModelT:
    """Parse a successful response body as `model` or raise `MalformedResponseError`.

    The body is never bound to a local name: crash screens show tracebacks with their locals, and a body
    can hold PII or a token.
    """
    status = response.status_code
    if not response.content.strip():
        raise MalformedResponseError(
            f"{origin} sent an empty response where {expected} was expected.", status=status
        )
    kind = _content_kind(response)
    if kind is not None:
        raise MalformedResponseError(f"{origin} sent {kind} where {expected} was expected.", status=status)
    try:
        return model.model_validate_json(response.content)
    except ValidationError as exc:
        # `from None`: pydantic's own text quotes the input.
        raise MalformedResponseError(
            f"{origin} sent a response that is not {expected}: {describe_validation_error(exc)}.",
            status=status,
        ) from None


def _clean(text: str, secrets: Sequence[SecretStr]) -> str:
    """One line, bounded, with any known secret masked (a server may echo what it was sent)."""
    text = " ".join(text.split())[:_MAX_SERVER_MESSAGE]
    for secret in secrets:
        if secret.get_secret_value():
            text = text.replace(secret.get_secret_value(), "[redacted]")
    return text


def server_message(
    response: httpx.Response, *, secrets: Sequence[SecretStr] = ()
) -> tuple[str | None, str | None]:
    """(error_message, message_code) from a Cybrid ErrorResponse or an OAuth error body, if it is one."""
    if _content_kind(response) is not None or not response.content.strip():
        return None, None
    try:
        body = ErrorResponse.model_validate_json(response.content)
    except ValidationError:
        pass
    else:
        return _clean(body.error_message, secrets) or None, _clean(body.message_code, secrets) or None
    # RFC 6749 section 5.2: {"error": "invalid_client", "error_description": "..."}
    try:
        raw = json.loads(response.content)
    except (ValueError, RecursionError):
        return None, None
    if isinstance(raw, dict) and isinstance(raw.get("error"), str):
        description = raw.get("error_description")
        message = _clean(description, secrets) if isinstance(description, str) else None
        return message or None, _clean(raw["error"], secrets)[:64] or None
    return None, None


def status_error(
    response: httpx.Response, *, origin: str, fallback: str | None = None, secrets: Sequence[SecretStr] = ()
) -> APIStatusError:
    """The typed error for an error response, carrying Cybrid's message, code and request id."""
    status = response.status_code
    message, code = server_message(response, secrets=secrets)
    if message is None:
        kind = _content_kind(response)
        reason = response.reason_phrase or "error"
        message = fallback or f"{origin} answered {status} {reason}"
        if kind is not None:
            message += f" with {kind}"
        message += "."
    error = error_for_status(
        status, message, code, retry_after=parse_retry_after(response.headers.get("retry-after"))
    )
    error.request_id = request_id(response.headers)
    return error


def transport_error(exc: Exception, *, host: str, timeout: float | None) -> TransportError:
    """Map an exception raised while sending to a `TransportError` saying whether the request went out."""
    if isinstance(exc, httpx.ConnectTimeout):
        return RequestTimeoutError(
            f"Could not connect to {host} within {timeout or '?'} s.", request_sent=False
        )
    if isinstance(exc, httpx.PoolTimeout):
        return RequestTimeoutError(
            f"Too many requests to {host} still in flight; try again.", request_sent=False
        )
    if isinstance(exc, httpx.TimeoutException):
        return RequestTimeoutError(f"{host} did not answer within {timeout or '?'} s.", request_sent=True)
    if isinstance(exc, httpx.ConnectError):
        return NetworkError(f"Could not connect to {host}: {_reason(exc)}.", request_sent=False)
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.LocalProtocolError):
        return NetworkError(f"Could not send the request to {host}: {_reason(exc)}.", request_sent=False)
    if isinstance(exc, httpx.DecodingError):
        return MalformedResponseError(f"{host} sent a response that could not be decoded.")
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
        return NetworkError(f"The connection to {host} broke before the answer arrived.", request_sent=True)
    if isinstance(exc, httpx.HTTPError):
        return NetworkError(f"The request to {host} failed: {_reason(exc)}.", request_sent=True)
    return NetworkError(
        f"The request to {host} failed unexpectedly ({type(exc).__name__}).", request_sent=True
    )


def _reason(exc: Exception) -> str:
    # httpx/httpcore messages describe the socket ("[Errno 111] Connection refused"), never headers or
    # bodies; still keep them short, on one line, and scrubbed of anything secret-shaped.
    text = redact(" ".join(str(exc).split()))[:160]
    return text or type(exc).__name__
