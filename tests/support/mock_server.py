"""Fixtures that run the mock Cybrid backend (a pytest plugin, loaded by tests/conftest.py).

- `mock_clock`: the FrozenClock the default mock runs on (advance it to move states and expire tokens).
- `mock_app`: the mock as an in-process ASGI app (use with `httpx.ASGITransport(mock_app)`).
- `mock_server`: the mock served by uvicorn on an ephemeral loopback port; `.url`, `.backend`, `.clock`.
- `make_mock_server(config=..., clock=...)`: more servers with other settings, all stopped after the test.
- `mock_client`: an `httpx.AsyncClient` on `mock_app` (raw HTTP, no project client), and `get_token()` to
  fetch a bearer token from any mock.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx
import pytest

from cybrid_tui.clock import Clock, FrozenClock

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from cybrid_tui.mock.backend import MockBackend
    from cybrid_tui.mock.config import MockConfig

#: A fixed instant for deterministic data: seeded created_at/updated_at are relative to it.
MOCK_EPOCH = dt.datetime(2026, 3, 14, 15, 9, 26, tzinfo=dt.UTC)
CLIENT_ID = "mock-client-id"
CLIENT_SECRET = "mock-client-secret"  # the mock's published demo credential
ALL_SCOPES = "customers:read customers:write customers:execute customers:pii:read"


async def get_token(client: httpx.AsyncClient, scope: str | None = ALL_SCOPES) -> str:
    """A bearer token from the mock's identity path (`client` has the mock as base URL)."""
    body = {"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
    if scope is not None:
        body["scope"] = scope
    response = await client.post("/oauth/token", json=body)
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_error(response: httpx.Response, status: int, code: str, message: str | None = None) -> None:
    """`response` is the mock's JSON error with that status, message code and (when given) message."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["status"] == status
    assert body["message_code"] == code
    if message is not None:
        assert body["error_message"] == message


@dataclass(frozen=True)
class MockServerHandle:
    url: str
    app: Starlette
    clock: Clock

    @property
    def backend(self) -> MockBackend:
        backend: MockBackend = self.app.state.backend
        return backend


MakeMockServer = Callable[..., MockServerHandle]


@pytest.fixture
def mock_clock() -> FrozenClock:
    return FrozenClock(MOCK_EPOCH)


@pytest.fixture
def mock_app(mock_clock: FrozenClock) -> Starlette:
    from cybrid_tui.mock.app import create_mock_app

    return create_mock_app(clock=mock_clock)


@pytest.fixture
async def mock_client(mock_app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """Raw HTTP to the in-process mock, from a loopback client address."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(mock_app), base_url="http://mock.test"
    ) as client:
        yield client


@pytest.fixture
def make_mock_server(mock_clock: FrozenClock) -> Iterator[MakeMockServer]:
    """Start mock servers: `make_mock_server(config=MockConfig(...), clock=...)` (default: frozen clock)."""
    from cybrid_tui.mock.app import create_mock_app
    from cybrid_tui.mock.server import serve_in_thread

    with contextlib.ExitStack() as servers:

        def make(config: MockConfig | None = None, clock: Clock | None = None) -> MockServerHandle:
            chosen = clock or mock_clock
            app = create_mock_app(config, clock=chosen)
            url = servers.enter_context(serve_in_thread(app))
            return MockServerHandle(url=url, app=app, clock=chosen)

        yield make


@pytest.fixture
def mock_server(make_mock_server: MakeMockServer) -> MockServerHandle:
    """The default mock (seed 7, 60 customers, frozen clock) over real HTTP on loopback."""
    return make_mock_server()
