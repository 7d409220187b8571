"""A hostile Cybrid: one ASGI app whose misbehaviours are chosen per test (issue 12).

    app = hostile_app(Hostility(inject=True))
    client = hostile_client(HostileTransport(app))           # in-process
    with serve_in_thread(app) as url: ...                    # over loopback (cybrid_tui.mock.server)

Misbehaviours (`Hostility` fields; any combination):

- `inject`: every customer's name, labels, type and state carry terminal payloads (`PAYLOADS`: an OSC title,
  a screen clear, an OSC 8 hyperlink, a bidi override, C1 CSI, backspaces, a carriage return, Rich markup).
- `error_status`: `/api/customers` answers this status with a payload in `error_message`, in `X-Request-Id`
  and in the reason phrase (`X-Hostile-Reason`, applied by `HostileTransport`: ASGI has no reason phrase;
  over loopback use `serve_reason_phrase`).
- `endless_total`: `total` claims 10,000,000 customers; every page after page 0 is empty.
- `growing_total`: every answer claims 10,000 more customers than the last, with full pages of new ones.
- `objects_per_page`: pages hold this many objects whatever `per_page` asked for.
- `huge_body_bytes`: list answers are padded (an unknown field) to at least this many bytes.
- `drip_seconds`: list answers send their headers, then one byte every `drip_seconds`.
- `reason_secret`: the token endpoint answers 401 with the client secret in the reason phrase.
- `expires_in`: the token's `expires_in`, as raw JSON text ("1e400", "0", "-5").
- `missing_guid`: one customer of each page has no guid.

`app.state.requests` counts the requests served (`HostileStats`), so a test can bound them.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import httpx
from starlette.applications import Starlette
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from cybrid_tui.api.client import CybridClient
from cybrid_tui.api.retry import RetryPolicy

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from starlette.requests import Request

CLIENT_ID = "hostile-client-id"
#: The credential the hostile server echoes back; tests assert it is never drawn, logged or raised.
CLIENT_SECRET = "s3cr3t-Hostile-0123456789"
TOKEN = "hostile-access-token-abcdef"
SCOPES = "customers:read customers:write customers:execute customers:pii:read"
ORIGIN = "http://127.0.0.1"

ESC = "\x1b"
#: What an attacker puts in a field: each one did something to a real terminal (issue 12).
PAYLOADS = (
    f"{ESC}]0;pwned title\x07",  # OSC 0: retitle the terminal
    f"{ESC}[2J{ESC}[H",  # CSI: clear the screen, cursor home
    f"{ESC}]8;;https://evil.example/{ESC}\\click me{ESC}]8;;{ESC}\\",  # OSC 8 hyperlink
    "\u202egnp.exe",  # RIGHT-TO-LEFT OVERRIDE: reads as exe.png
    "\u2066isolate\u2069",
    "\x9b31mC1 CSI",  # 8-bit CSI
    "back\x08\x08\x08\x08",
    "carriage\rreturn",
    "[bold red]markup[/][link=https://evil.example]link[/link]",
)
PAYLOAD = "".join(PAYLOADS)
#: Characters no rendered line may hold.
FORBIDDEN = frozenset(
    [chr(code) for code in range(0x20)]
    + [chr(0x7F)]
    + [chr(code) for code in range(0x80, 0xA0)]
    + [chr(code) for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
)


def forbidden_in(text: str) -> set[str]:
    """The control characters in `text` that must never reach the terminal (line feeds between lines
    are fine: pass one line at a time, or text whose only line breaks are "\\n")."""
    return {char for char in text if char in FORBIDDEN and char != "\n"}


@dataclass
class Hostility:
    inject: bool = False
    error_status: int | None = None
    endless_total: bool = False
    growing_total: bool = False
    objects_per_page: int | None = None
    huge_body_bytes: int | None = None
    drip_seconds: float | None = None
    reason_secret: bool = False
    expires_in: str | None = None
    missing_guid: bool = False
    #: Customers the bank holds when nothing inflates the total.
    customers: int = 30


@dataclass
class HostileStats:
    requests: int = 0
    list_requests: int = 0
    token_requests: int = 0
    pages: list[int] = field(default_factory=list)


def hostile_app(hostility: Hostility) -> Starlette:
    stats = HostileStats()
    growth = {"total": hostility.customers}

    async def token(request: Request) -> Response:
        stats.requests += 1
        stats.token_requests += 1
        if hostility.reason_secret:
            return Response(
                b"",
                status_code=401,
                headers={"X-Hostile-Reason": _wire(f"Unauthorized {CLIENT_SECRET} {PAYLOAD}")},
            )
        expires = hostility.expires_in if hostility.expires_in is not None else "3600"
        body = (
            f'{{"access_token": "{TOKEN}", "token_type": "Bearer", "expires_in": {expires}, '
            f'"scope": "{SCOPES}", "created_at": 1767225600}}'
        )
        return Response(body.encode(), media_type="application/json")

    async def customers(request: Request) -> Response:
        stats.requests += 1
        stats.list_requests += 1
        page = int(request.query_params.get("page", "0"))
        per_page = int(request.query_params.get("per_page", "10"))
        stats.pages.append(page)
        if hostility.error_status is not None:
            body = {"status": hostility.error_status, "error_message": PAYLOAD, "message_code": "hostile"}
            return JSONResponse(
                body,
                status_code=hostility.error_status,
                headers={
                    "X-Request-Id": _wire(f"req-{PAYLOAD}"),
                    "X-Hostile-Reason": _wire(f"Bad {PAYLOAD}"),
                },
            )
        total = hostility.customers
        count = max(0, min(per_page, total - page * per_page))
        if hostility.endless_total:
            total = 10_000_000
            count = per_page if page == 0 else 0
        if hostility.growing_total:
            total = growth["total"]
            growth["total"] += 10_000  # the next answer claims more
            count = per_page
        if hostility.objects_per_page is not None:
            count = hostility.objects_per_page
            total = max(total, 1_000_000)
        objects = [_customer(hostility, page, index, stats.requests) for index in range(count)]
        if hostility.missing_guid and objects:
            del objects[len(objects) // 2]["guid"]
        payload: dict[str, object] = {"total": total, "page": page, "per_page": per_page, "objects": objects}
        if hostility.huge_body_bytes:
            payload["padding"] = "x" * hostility.huge_body_bytes
        data = json.dumps(payload).encode()
        if hostility.drip_seconds is not None:
            return StreamingResponse(
                _drip(data, hostility.drip_seconds),
                media_type="application/json",
                headers={"Content-Length": str(len(data))},
            )
        return Response(data, media_type="application/json")

    async def customer(request: Request) -> Response:
        stats.requests += 1
        body = _customer(hostility, 0, 0, 0)
        body["guid"] = request.path_params["guid"]
        if hostility.inject:
            body["address"] = {"street": PAYLOAD, "city": PAYLOADS[3], "country_code": "US"}
            body["compliance_decisions"] = [{"type": PAYLOADS[2], "state": PAYLOADS[0]}]
        return JSONResponse(body)

    app = Starlette(
        routes=[
            Route("/oauth/token", token, methods=["POST"]),
            Route("/api/customers", customers, methods=["GET"]),
            Route("/api/customers/{guid}", customer, methods=["GET"]),
        ]
    )
    app.state.requests = stats
    return app


def _wire(text: str) -> str:
    """`text` as a header value whose bytes on the wire are its UTF-8 (Starlette sends values as latin-1)."""
    return text.encode("utf-8").decode("latin-1")


def _customer(hostility: Hostility, page: int, index: int, serial: int) -> dict[str, object]:
    # Growing and endless banks invent new customers on every answer: the serial keeps the guids unique.
    guid = f"{serial:08x}{page:012x}{index:012x}"
    customer: dict[str, object] = {
        "guid": guid,
        "type": "individual",
        "state": "verified",
        "created_at": "2026-01-01T00:00:00Z",
        "updated_at": "2026-01-01T00:00:00Z",
        "name": {"full": f"Customer {page}-{index}"},
        "labels": ["plain"],
    }
    if hostility.inject:
        customer["name"] = {"full": f"Eve {PAYLOAD}"}
        customer["labels"] = list(PAYLOADS[:4])
        customer["type"] = f"individual{PAYLOADS[1]}"
        customer["state"] = f"verified{PAYLOADS[0]}"
    return customer


async def _drip(data: bytes, seconds: float) -> AsyncIterator[bytes]:
    for offset in range(len(data)):
        yield data[offset : offset + 1]
        await asyncio.sleep(seconds)


class HostileTransport(httpx.AsyncBaseTransport):
    """`httpx.ASGITransport` on the hostile app, plus what ASGI cannot say: an `X-Hostile-Reason` header
    becomes the response's HTTP reason phrase, as a real server's status line would carry it."""

    def __init__(self, app: Starlette) -> None:
        self.inner = httpx.ASGITransport(app=app)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        reason = dict(response.headers.raw).get(b"x-hostile-reason")
        if reason is not None:
            response.extensions = {**response.extensions, "reason_phrase": reason}
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


def hostile_client(
    transport: httpx.AsyncBaseTransport | None = None, *, url: str = ORIGIN, timeout: float = 5.0
) -> CybridClient:
    """The project's client pointed at a hostile server (one attempt per call: failures show at once)."""
    return CybridClient(
        bank_url=url,
        id_url=url,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        transport=transport,
        timeout=timeout,
        retry=RetryPolicy(max_attempts=1),
    )


class HostileBackend:
    """A `BackendFactory` for the app: the hostile server, in-process or at `url`."""

    demo = False

    def __init__(self, app: Starlette | None = None, *, url: str = ORIGIN, timeout: float = 5.0) -> None:
        self._app = app
        self._url = url
        self._timeout = timeout

    @property
    def description(self) -> str:
        return "hostile test server"

    def create_client(self) -> CybridClient:
        transport = HostileTransport(self._app) if self._app is not None else None
        return hostile_client(transport, url=self._url, timeout=self._timeout)


async def serve_reason_phrase(reason: bytes, status: int = 401) -> tuple[asyncio.Server, str]:
    """A loopback server (on the running loop) answering every request `status` with `reason` as the
    reason phrase, byte for byte: what no ASGI server can send. Close the returned server when done."""

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                if length:
                    await reader.readexactly(length)
                body = b'{"error": "invalid_client"}'
                writer.write(
                    b"HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                    % (status, reason, len(body), body)
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}"
