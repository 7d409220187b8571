"""Reading what a request sends: query parameters, a size-capped JSON body, the client's address.

Everything a client can get wrong becomes a spec-shaped 4xx (`MockError`), never an exception that would
turn into a 500.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from cybrid_tui.api.vocab import MAX_PER_PAGE
from cybrid_tui.mock.errors import MockError, bad_request
from cybrid_tui.mock.records.customers import ListQuery

if TYPE_CHECKING:
    from starlette.datastructures import QueryParams
    from starlette.requests import Request
    from starlette.responses import Response

Endpoint = Callable[["Request"], Awaitable["Response"]]

MAX_BODY_BYTES = 64 * 1024
MAX_COMMA_LIST = (
    4096  # the spec's example: "comma separated bank guids must be at the most 4096 characters long"
)
DEFAULT_PER_PAGE = 10
_INTEGER = re.compile(r"[+-]?\d{1,18}")
_LIST_NAMES = {
    "type": "types",
    "bank_guid": "bank guids",
    "guid": "guids",
    "label": "labels",
    "customer_guid": "customer guids",
    "state": "states",
}


def _integer(params: QueryParams, name: str, default: int, low: int, high: int | None) -> int:
    text = params.get(name)
    if text is None or text == "":
        return default
    value = int(text) if _INTEGER.fullmatch(text.strip()) else None
    if value is None or value < low or (high is not None and value > high):
        if high is None:
            raise bad_request(f"{name} must be an integer greater than or equal to {low}", "invalid_value")
        raise bad_request(f"{name} must be an integer between {low} and {high}", "invalid_value")
    return value


def _comma_list(params: QueryParams, name: str) -> list[str] | None:
    values = params.getlist(name)
    if not values:
        return None
    text = ",".join(values)
    if len(text) > MAX_COMMA_LIST:
        raise bad_request(
            f"comma separated {_LIST_NAMES[name]} must be at the most {MAX_COMMA_LIST} characters long",
            "invalid_value",
        )
    items = [item.strip() for item in text.split(",") if item.strip()]
    return items or None


def comma_set(params: QueryParams, name: str) -> frozenset[str] | None:
    """A comma-separated filter (repeated parameters joined), None when absent; 400 past 4096 characters."""
    items = _comma_list(params, name)
    return frozenset(items) if items is not None else None


def paging(params: QueryParams) -> tuple[int, int]:
    """(page, per_page), validated as every list endpoint of the spec does."""
    return (
        _integer(params, "page", 0, 0, None),
        _integer(params, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE),
    )


def boolean(params: QueryParams, name: str) -> bool:
    text = params.get(name)
    if text is None or text == "":
        return False
    lowered = text.strip().lower()
    if lowered in ("true", "1"):
        return True
    if lowered in ("false", "0"):
        return False
    raise bad_request(f"{name} must be true or false", "invalid_value")


def list_query(params: QueryParams, *, pii_allowed: bool) -> ListQuery:
    """A `GET /api/customers` query, validated as the spec says (paging limits, 4096-character lists).

    PII is included when asked for (`include_pii=true`) and the token allows it (`pii_allowed`).
    """
    types = comma_set(params, "type")
    bank_guids = comma_set(params, "bank_guid")
    page, per_page = paging(params)
    return ListQuery(
        page=page,
        per_page=per_page,
        types=types,
        bank_guids=bank_guids,
        guids=_comma_list(params, "guid"),
        labels=_comma_list(params, "label"),
        include_pii=boolean(params, "include_pii") and pii_allowed,
    )


async def read_body(request: Request, *, limit: int = MAX_BODY_BYTES) -> bytes:
    """The request body, refused with 413 past `limit` bytes (checked before and while reading)."""
    too_large = MockError(413, f"Request body must be at most {limit} bytes", "request_too_large")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_json(raw: bytes) -> Any:
    """A JSON document, or 400: malformed text, invalid UTF-8, NaN/Infinity, absurd nesting all land here."""
    if not raw.strip():
        raise bad_request("Request body is required")
    try:
        return json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        raise bad_request("Request body is not valid JSON") from None


def is_loopback(request: Request) -> bool:
    host = request.client.host if request.client else ""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def by_method(**handlers: Endpoint) -> Endpoint:
    """One endpoint per path, so a 405 lists every allowed method in `Allow`."""

    async def dispatch(request: Request) -> Response:
        method = "GET" if request.method == "HEAD" else request.method
        return await handlers[method](request)

    return dispatch
