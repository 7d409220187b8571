"""Turning what httpx hands back into models or typed errors.

Shared by the client and the token flow. Messages are built from the shape of a problem (a field name, an
error kind), never from the values involved: a response body can hold PII, and pydantic's and httpx's own
messages quote whatever they were given.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any, TypeVar, cast

import httpx

from cybrid_tui.api.errors import (
    APIStatusError,
    MalformedResponseError,
    NetworkError,
    RequestTimeoutError,
    TransportError,
    error_for_status,
)
from cybrid_tui.api.raw import ShapeError
from cybrid_tui.api.request_log import request_id
from cybrid_tui.api.retry import parse_retry_after
from cybrid_tui.logging_setup import redact, scrub

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pydantic import ValidationError

    from cybrid_tui.api.secret import SecretValue

#: What a body is read as: a pydantic model, or a class with `read_json(bytes)` (`cybrid_tui.api.raw`), which
#: keeps pydantic out of a command that only lists.
ModelT = TypeVar("ModelT")

logger = logging.getLogger("cybrid_tui.api")

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


class Body:
    """A response body read under the size cap (see `read_body`). Its repr never shows the bytes: crash
    screens show tracebacks with their locals, and a body can hold PII or a token."""

    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = data

    def __repr__(self) -> str:
        return f"<body of {len(self.data)} bytes>"


def _bytes(response: httpx.Response, body: Body | None) -> bytes:
    return response.content if body is None else body.data


async def read_body(response: httpx.Response, *, limit: int, origin: str) -> Body:
    """Read a streamed response's body, decoded, refusing one longer than `limit` bytes as soon as it is
    (a declared `Content-Length` past the limit is refused before reading anything)."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_big(origin, limit, response.status_code)
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > limit:
            raise _too_big(origin, limit, response.status_code)
        chunks.append(chunk)
    return Body(chunks[0] if len(chunks) == 1 else b"".join(chunks))


def _too_big(origin: str, limit: int, status: int) -> MalformedResponseError:
    size = f"{limit / 1024 / 1024:g} MiB" if limit >= 1024 * 1024 else f"{limit:,} bytes"
    return MalformedResponseError(
        f"{origin} sent a response larger than {size}, more than any answer it documents; it was not read.",
        status=status,
    )


def parse_model(
    response: httpx.Response, model: type[ModelT], *, expected: str, origin: str, body: Body | None = None
) -> ModelT:
    """Parse a successful response body (`body`, or the response's own content) as `model` or raise
    `MalformedResponseError`.

    A page of a list (`ListPage`) with some unreadable objects keeps the readable ones and counts the others
    in `unreadable` (logged by index, never by content).

    The body is never bound to a local name: crash screens show tracebacks with their locals, and a body
    can hold PII or a token.
    """
    status = response.status_code
    if not _bytes(response, body).strip():
        raise MalformedResponseError(
            f"{origin} sent an empty response where {expected} was expected.", status=status
        )
    kind = _content_kind(response)
    if kind is not None:
        raise MalformedResponseError(f"{origin} sent {kind} where {expected} was expected.", status=status)
    read_json = getattr(model, "read_json", None)
    if read_json is not None:
        try:
            return cast("ModelT", read_json(_bytes(response, body)))
        except ShapeError as exc:
            raise MalformedResponseError(
                f"{origin} sent a response that is not {expected}: {exc}.", status=status
            ) from None
    from pydantic import ValidationError

    try:
        return cast("ModelT", cast("Any", model).model_validate_json(_bytes(response, body)))
    except ValidationError as exc:
        salvaged = salvage_page(_bytes(response, body), model, exc, origin=origin)
        if salvaged is not None:
            return salvaged
        # `from None`: pydantic's own text quotes the input.
        raise MalformedResponseError(
            f"{origin} sent a response that is not {expected}: {describe_validation_error(exc)}.",
            status=status,
        ) from None


def salvage_page(content: bytes, model: type[ModelT], exc: ValidationError, *, origin: str) -> ModelT | None:
    """A list page without its unreadable objects, when they are all that is wrong with it (else None).

    Only on the failure path: a well-formed page is parsed once, in `parse_model`, at full speed."""
    from cybrid_tui.api.models import ListPage

    if not issubclass(cast("type", model), ListPage):
        return None
    problems = exc.errors(include_url=False, include_input=False, include_context=False)
    bad: dict[int, str] = {}
    for problem in problems:
        where = problem["loc"]
        if len(where) < 2 or where[0] != "objects" or not isinstance(where[1], int):
            return None
        field = ".".join(str(part) for part in where[2:])[:40] or "object"
        bad.setdefault(where[1], f"{field}: {problem['type']}")
    try:
        raw = json.loads(content)
        raw["objects"] = [item for index, item in enumerate(raw["objects"]) if index not in bad]
        page = cast("ListPage", cast("Any", model).model_validate(raw))
    except (ValueError, TypeError, KeyError, RecursionError):  # ValidationError is a ValueError
        return None
    page._unreadable = len(bad)
    logger.warning(
        "%s sent %d unreadable object(s) in a list page, left out: %s",
        origin,
        len(bad),
        "; ".join(f"#{index} ({why})" for index, why in sorted(bad.items())[:20]),
    )
    return cast("ModelT", page)


def _clean(text: str, secrets: Sequence[SecretValue]) -> str:
    """One line, bounded, with any known secret masked (a server may echo what it was sent) and no terminal
    control left. Secrets are replaced before the text is cut: a cut through one would leave its front."""
    text = " ".join(text.split())
    for secret in secrets:
        if secret.get_secret_value():
            text = text.replace(secret.get_secret_value(), "[redacted]")
    return scrub(text, _MAX_SERVER_MESSAGE)


def server_message(
    response: httpx.Response, *, secrets: Sequence[SecretValue] = (), body: Body | None = None
) -> tuple[str | None, str | None]:
    """(error_message, message_code) from a Cybrid ErrorResponse or an OAuth error body, if it is one."""
    if _content_kind(response) is not None or not _bytes(response, body).strip():
        return None, None
    # Only on the error path: a listing that succeeds never imports pydantic.
    from pydantic import ValidationError

    from cybrid_tui.api.models import ErrorResponse

    try:
        parsed = ErrorResponse.model_validate_json(_bytes(response, body))
    except ValidationError:
        pass
    else:
        return _clean(parsed.error_message, secrets) or None, _clean(parsed.message_code, secrets) or None
    # RFC 6749 section 5.2: {"error": "invalid_client", "error_description": "..."}
    try:
        raw = json.loads(_bytes(response, body))
    except (ValueError, RecursionError):
        return None, None
    if isinstance(raw, dict) and isinstance(raw.get("error"), str):
        description = raw.get("error_description")
        message = _clean(description, secrets) if isinstance(description, str) else None
        return message or None, _clean(raw["error"], secrets)[:64] or None
    return None, None


def status_error(
    response: httpx.Response,
    *,
    origin: str,
    fallback: str | None = None,
    secrets: Sequence[SecretValue] = (),
    body: Body | None = None,
) -> APIStatusError:
    """The typed error for an error response, carrying Cybrid's message, code and request id."""
    status = response.status_code
    message, code = server_message(response, secrets=secrets, body=body)
    if message is None:
        kind = _content_kind(response)
        # The server's words: secrets out and terminal controls made visible (it may echo the secret).
        reason = _clean(response.reason_phrase, secrets)[:80] or "error"
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
