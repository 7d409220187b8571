"""The mock over real HTTP: uvicorn on a free loopback port, and `cybrid-tui mock-server` as a process."""

from __future__ import annotations

import logging
import re
import socket
import subprocess
import sys
from typing import TYPE_CHECKING

import httpx
import pytest

from cybrid_tui.clock import SystemClock
from cybrid_tui.mock.app import create_mock_app
from cybrid_tui.mock.config import FaultConfig, MockConfig
from cybrid_tui.mock.server import serve_in_thread
from tests.support.mock_server import bearer, get_token

if TYPE_CHECKING:
    from cybrid_tui.clock import FrozenClock
    from tests.support.mock_server import MakeMockServer, MockServerHandle

pytestmark = pytest.mark.integration


async def test_a_client_lists_and_creates_over_http(
    mock_server: MockServerHandle, mock_clock: FrozenClock
) -> None:
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", mock_server.url)
    async with httpx.AsyncClient(base_url=mock_server.url) as client:
        token = await get_token(client)
        listing = await client.get("/api/customers", params={"per_page": 100}, headers=bearer(token))
        created = await client.post("/api/customers", json={"type": "business"}, headers=bearer(token))
        mock_clock.advance(2)
        fetched = await client.get(f"/api/customers/{created.json()['guid']}", headers=bearer(token))

    assert listing.status_code == 200
    assert listing.json()["total"] == 60
    assert created.status_code == 201
    assert created.json()["state"] == "storing"
    assert fetched.json()["state"] == "unverified"
    assert mock_server.backend.guids()[0] == created.json()["guid"]


async def test_errors_over_http_are_json_too(mock_server: MockServerHandle) -> None:
    async with httpx.AsyncClient(base_url=mock_server.url) as client:
        unauthorized = await client.get("/api/customers")
        missing = await client.get("/nowhere")
        huge = await client.post(
            "/api/customers", content=b"x" * 100_000, headers={"Content-Type": "application/json"}
        )

    assert unauthorized.json()["message_code"] == "authentication_malformed"
    assert missing.json() == {"status": 404, "error_message": "Not found", "message_code": "not_found"}
    assert huge.status_code in (401, 413)  # the token is checked first


async def test_a_dropped_connection_over_http_is_a_protocol_error_and_not_logged(
    make_mock_server: MakeMockServer, caplog: pytest.LogCaptureFixture
) -> None:
    server = make_mock_server(MockConfig(customers=3, faults=FaultConfig(drop_rate=1.0)))
    caplog.set_level(logging.ERROR)
    async with httpx.AsyncClient(base_url=server.url) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            await client.post(
                "/oauth/token",
                json={
                    "grant_type": "client_credentials",
                    "client_id": "mock-client-id",
                    "client_secret": "mock-client-secret",
                },
            )
        server.backend.faults = FaultConfig()
        token = await get_token(client)  # the server keeps serving after a drop

    assert token
    assert not [record for record in caplog.records if "Exception in ASGI application" in record.getMessage()]


async def test_rate_limits_on_the_real_clock(make_mock_server: MakeMockServer) -> None:
    server = make_mock_server(
        MockConfig(customers=3, faults=FaultConfig(rate_limit_rps=5)), clock=SystemClock()
    )
    async with httpx.AsyncClient(base_url=server.url) as client:
        responses = [await client.post("/oauth/token", json={}) for _ in range(20)]

    statuses = [response.status_code for response in responses]
    assert statuses[:5] == [400] * 5  # admitted (and refused for the empty grant)
    limited = [response for response in responses if response.status_code == 429]
    assert limited, statuses  # 20 requests cannot all fit in 5 per second
    assert all(int(response.headers["retry-after"]) >= 1 for response in limited)
    assert all(response.json()["message_code"] == "rate_limited" for response in limited)


async def test_admin_over_http_answers_loopback(mock_server: MockServerHandle) -> None:
    async with httpx.AsyncClient(base_url=mock_server.url) as client:
        response = await client.post("/_mock/faults", json={"latency_ms": 1})
    assert response.status_code == 200
    assert mock_server.backend.faults.latency_ms == 1


def test_serve_in_thread_releases_its_port() -> None:
    app = create_mock_app(MockConfig(customers=1))
    with serve_in_thread(app) as url:
        port = int(url.rsplit(":", 1)[1])
        assert httpx.get(f"{url}/nowhere").status_code == 404

    with socket.socket() as probe, pytest.raises(ConnectionRefusedError):
        probe.connect(("127.0.0.1", port))


def test_the_cli_serves_and_prints_how_to_connect() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "cybrid_tui", "mock-server", "--port", "0", "--customers", "7", "--seed", "5"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(6)]
        match = re.search(r"export CYBRID_BANK_URL=(http://127\.0\.0\.1:\d+) ", "".join(lines))
        assert match, lines
        url = match.group(1)
        assert (
            f"CYBRID_ID_URL={url} CYBRID_CLIENT_ID=mock-client-id CYBRID_CLIENT_SECRET=mock-client-secret"
            in "".join(lines)
        )
        token = httpx.post(
            f"{url}/oauth/token",
            json={
                "grant_type": "client_credentials",
                "client_id": "mock-client-id",
                "client_secret": "mock-client-secret",
            },
            timeout=10,
        ).json()["access_token"]
        listing = httpx.get(f"{url}/api/customers", headers=bearer(token), timeout=10).json()
        assert listing["total"] == 7
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert process.returncode in (0, -15)
