"""Fault injection for the identity and bank paths: latency, 5xx answers, rate limits and dropped connections.

Applied, in this order, by an ASGI middleware around the mock's routes (never to the `/_mock` admin paths):
1. rate limit: past `rate_limit_rps` admitted requests in a sliding window (1 s for rates >= 1) the answer is
   429 with `Retry-After` (whole seconds until a slot frees), measured on the injected clock's monotonic time;
2. latency: `latency_ms` plus a uniform `0..jitter_ms`;
3. `error_rate`: answered 500, 502 or 503 with a spec-shaped body, before the request is processed;
4. `drop_rate`: the request IS processed (a create really happens), then the connection breaks mid-response.
   The response starts with its full `Content-Length`, half the body is sent, then the app raises
   `ConnectionDropped`. Over HTTP uvicorn closes the socket and the client sees a truncated body
   (`httpx.RemoteProtocolError`); in-process through `httpx.ASGITransport` the exception propagates to the
   client as the same `httpx.RemoteProtocolError` (a transport error, as a real drop would be).
Random draws come from the backend's seeded `fault_rng`, so a seed replays the same faults.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections import deque
from typing import TYPE_CHECKING, Any

import httpx

from cybrid_tui.mock.errors import MockError

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from cybrid_tui.mock.backend import MockBackend

_SERVER_ERRORS = (
    MockError(500, "Internal server error", "internal_server_error"),
    MockError(502, "Bad gateway", "bad_gateway"),
    MockError(503, "Service unavailable", "service_unavailable"),
)


class ConnectionDropped(httpx.RemoteProtocolError):
    """The mock broke the connection before the response completed (an injected fault)."""

    def __init__(self) -> None:
        super().__init__("mock fault: connection dropped before the response completed")


def faulted_path(path: str) -> bool:
    return path.startswith("/api/") or path == "/oauth/token"


class RateLimiter:
    """A sliding-window limit on admitted requests."""

    def __init__(self) -> None:
        self._admitted: deque[float] = deque()

    def admit(self, rate: float, now: float) -> float | None:
        """None when a request is admitted now; otherwise the seconds until one would be."""
        capacity = max(1, math.floor(rate))
        window = capacity / rate  # 1 s for whole rates; longer for rates below one per second
        admitted = self._admitted
        while admitted and admitted[0] <= now - window:
            admitted.popleft()
        if len(admitted) >= capacity:
            return max(admitted[0] + window - now, 0.0)
        admitted.append(now)
        return None


async def send_error(send: Send, error: MockError) -> None:
    body = error.body_bytes()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    headers += [(name.lower().encode(), value.encode()) for name, value in error.headers.items()]
    await send({"type": "http.response.start", "status": error.status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


class FaultMiddleware:
    def __init__(self, app: ASGIApp, backend: MockBackend) -> None:
        self.app = app
        self.backend = backend
        self.limiter = RateLimiter()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        faults = self.backend.faults
        if scope["type"] != "http" or not faults.active or not faulted_path(scope["path"]):
            await self.app(scope, receive, send)
            return
        rng = self.backend.fault_rng
        if faults.rate_limit_rps is not None:
            wait = self.limiter.admit(faults.rate_limit_rps, self.backend.clock.monotonic())
            if wait is not None:
                retry_after = str(max(1, math.ceil(wait)))
                await send_error(
                    send,
                    MockError(429, "Too many requests", "rate_limited", headers={"Retry-After": retry_after}),
                )
                return
        delay_ms = faults.latency_ms + (faults.jitter_ms * rng.random() if faults.jitter_ms else 0.0)
        if delay_ms > 0:
            # The request has arrived; the server is slow to act on it. Reading the body first means a
            # client that times out meanwhile does not stop the work (a create still happens), as with a
            # real slow server, instead of the handler failing on the disconnect.
            receive = await _buffered(receive)
            await asyncio.sleep(delay_ms / 1000)
        if faults.error_rate and rng.random() < faults.error_rate:
            await send_error(send, rng.choice(_SERVER_ERRORS))
            return
        if faults.drop_rate and rng.random() < faults.drop_rate:
            await self._dropped(scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def _dropped(self, scope: Scope, receive: Receive, send: Send) -> None:
        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, capture)
        body = b"".join(chunks)
        if start is not None:
            headers: list[Any] = [
                (k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"
            ]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({"type": "http.response.start", "status": start["status"], "headers": headers})
            await send({"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True})
        raise ConnectionDropped


async def _buffered(receive: Receive) -> Receive:
    """Read the whole request body now; the returned `receive` replays it, then defers to the original."""
    messages: list[Message] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request" or not message.get("more_body", False):
            break
    pending = deque(messages)

    async def replay() -> Message:
        return pending.popleft() if pending else await receive()

    return replay


class DropLogFilter(logging.Filter):
    """Keeps uvicorn from logging an injected drop as "Exception in ASGI application"."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, ConnectionDropped)
