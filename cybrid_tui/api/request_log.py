"""The request log: one line per HTTP exchange on the `cybrid_tui.http` logger, for troubleshooting.

Errors are warnings; creates, updates and token requests are INFO; successful reads are DEBUG (live refresh
reads every few seconds), so `--log-level debug` shows every exchange.

A line holds the method, host and path, the query parameter names (values only for harmless paging
parameters: a label or guid filter could identify a person), the status, the time to the response headers
and Cybrid's request id. Bodies and headers other than the request id are never logged.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from cybrid_tui.logging_setup import scrub

if TYPE_CHECKING:
    import httpx

logger = logging.getLogger("cybrid_tui.http")
# Without a configured log file these records go nowhere, rather than to stderr under the TUI.
logging.getLogger("cybrid_tui").addHandler(logging.NullHandler())

#: Response headers that carry a request id, in order of preference. Cybrid's API is a Rails app, whose
#: request-id middleware answers `X-Request-Id`; the others are accepted in case a gateway renames it.
REQUEST_ID_HEADERS: tuple[str, ...] = (
    "x-request-id",
    "x-cybrid-request-id",
    "request-id",
    "x-amzn-requestid",
)

#: Query parameters whose values are safe to log.
SAFE_QUERY_VALUES = frozenset({"page", "per_page", "include_pii"})

_STARTED = "cybrid_tui.started"


def request_id(headers: httpx.Headers) -> str | None:
    for name in REQUEST_ID_HEADERS:
        value = headers.get(name)
        if value:
            # The server's text: secrets out and terminal controls made visible before it is shown or logged.
            return scrub(str(value), 128)
    return None


def loggable_target(url: httpx.URL) -> str:
    """Host, path and query with values only for the parameters that cannot identify anyone."""
    target = f"{url.host}{url.path}"
    if url.query:
        parts = []
        for name, value in url.params.multi_items():
            parts.append(f"{name}={value}" if name in SAFE_QUERY_VALUES else f"{name}=…")
        target += "?" + "&".join(parts)
    return target


async def on_request(request: httpx.Request) -> None:
    """httpx request hook: remember when the request left."""
    request.extensions[_STARTED] = time.perf_counter()


def was_sent(request: httpx.Request) -> bool:
    """Whether `request` was handed to the network (its request hook ran): it may have reached the server."""
    return _STARTED in request.extensions


#: Methods whose successful exchanges are routine: live refresh reads (and the token it needs) every few
#: seconds, ~5,000 lines an hour at INFO that would bury what matters and cost the idle app a file write each.
_ROUTINE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _level(response: httpx.Response) -> int:
    """WARNING for an error; INFO for a change (create, update) or a token; DEBUG for a successful read."""
    if response.status_code >= 400:
        return logging.WARNING
    return logging.DEBUG if response.request.method in _ROUTINE_METHODS else logging.INFO


async def on_response(response: httpx.Response) -> None:
    """httpx response hook: one line per exchange (see `_level` for its level)."""
    level = _level(response)
    if not logger.isEnabledFor(level):
        return
    request = response.request
    started = request.extensions.get(_STARTED)
    elapsed = f"{(time.perf_counter() - started) * 1000:.1f} ms" if isinstance(started, float) else "?"
    rid = request_id(response.headers)
    logger.log(
        level,
        "%s %s -> %d in %s%s",
        request.method,
        loggable_target(request.url),
        response.status_code,
        elapsed,
        f" [request id {rid}]" if rid else "",
    )


def log_failure(request: httpx.Request, what: str) -> None:
    """A request that got no response (timeout, refused, dropped)."""
    if not logger.isEnabledFor(logging.WARNING):
        return
    started = request.extensions.get(_STARTED)
    elapsed = f"{(time.perf_counter() - started) * 1000:.1f} ms" if isinstance(started, float) else "?"
    logger.warning(
        "%s %s -> no complete response after %s: %s",
        request.method,
        loggable_target(request.url),
        elapsed,
        what,
    )


def log_retry(method: str, url: httpx.URL, attempt: int, delay: float, reason: str) -> None:
    logger.warning(
        "%s %s: attempt %d failed (%s); retrying in %.2f s",
        method,
        loggable_target(url),
        attempt,
        reason,
        delay,
    )


def log_give_up(method: str, url: httpx.URL, attempt: int, reason: str) -> None:
    logger.warning("%s %s: giving up after %d attempt(s) (%s)", method, loggable_target(url), attempt, reason)
