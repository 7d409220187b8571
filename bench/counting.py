"""An httpx transport that counts the requests going through it (for requests per refresh tick)."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import httpx

from cybrid_tui.api.security import tls_context_without_cas

if TYPE_CHECKING:
    from types import TracebackType


class CountingTransport(httpx.AsyncBaseTransport):
    """Wraps the default transport; `count` is every request sent, `by_path` splits it by URL path."""

    def __init__(self, inner: httpx.AsyncBaseTransport | None = None) -> None:
        # What the client builds for a plain-http loopback server when given no transport: the same pool
        # limits, and no CA bundle (the bench's servers are loopback http; loading one costs ~15 ms).
        self._inner = inner or httpx.AsyncHTTPTransport(
            verify=tls_context_without_cas(),
            limits=httpx.Limits(max_connections=32, max_keepalive_connections=16),
        )
        self.count = 0
        self.by_path: Counter[str] = Counter()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.count += 1
        path = request.url.path
        self.by_path[path if not path.startswith("/api/customers/") else "/api/customers/{guid}"] += 1
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        await self._inner.__aexit__(exc_type, exc_value, traceback)
