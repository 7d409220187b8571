"""Transport rules, end to end: plain http only to loopback, TLS verification always on, and a bearer token
never sent anywhere those rules do not allow.

Requests are recorded by an `httpx.MockTransport`, so "refused before any request" is observed, not assumed.
The TLS test runs a real TLS server on loopback with a self-signed certificate: the client must refuse it
whatever the environment says.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import shutil
import ssl
import subprocess
from typing import TYPE_CHECKING

import httpx
import pytest

from cybrid_tui.api.client import CybridClient
from cybrid_tui.api.errors import ConfigurationError, CybridError, InsecureTransportError, NetworkError
from cybrid_tui.backend import SettingsBackend
from cybrid_tui.config import FIELDS, load_settings

if TYPE_CHECKING:
    from pathlib import Path

SECRET = "S3CR3T-transport-canary-7f3a"
TOKEN = "TOKEN-transport-canary-91c2"


class Recorder:
    """A fake Cybrid (identity + bank) that records every request it receives."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path == "/oauth/token":
            body = {
                "access_token": TOKEN,
                "token_type": "Bearer",
                "expires_in": 3600,
                "scope": "customers:read",
            }
            return httpx.Response(200, json=body)
        return httpx.Response(200, json={"total": 0, "page": 0, "per_page": 10, "objects": []})

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def carried_credentials(self) -> list[str]:
        """Requests that carried the bearer token or the client secret."""
        return [
            str(request.url)
            for request in self.requests
            if TOKEN in request.headers.get("authorization", "") or SECRET.encode() in request.content
        ]


def client(bank_url: str, id_url: str, recorder: Recorder) -> CybridClient:
    return CybridClient(
        bank_url=bank_url, id_url=id_url, client_id="id", client_secret=SECRET, transport=recorder.transport()
    )


@pytest.mark.parametrize(
    ("bank_url", "id_url"),
    [
        ("http://bank.sandbox.cybrid.app", "https://id.sandbox.cybrid.app"),
        ("https://bank.sandbox.cybrid.app", "http://id.sandbox.cybrid.app"),  # the secret would go in clear
        ("http://10.0.0.7:8787", "http://10.0.0.7:8787"),  # a LAN mock is still a network
        ("http://0.0.0.0:8787", "http://0.0.0.0:8787"),
        ("http://127.0.0.1.nip.io", "http://127.0.0.1.nip.io"),  # resolves anywhere DNS says
        ("http://[::ffff:8.8.8.8]", "http://[::ffff:8.8.8.8]"),
    ],
)
async def test_plain_http_off_this_machine_is_refused_before_any_request(bank_url: str, id_url: str) -> None:
    recorder = Recorder()
    with pytest.raises(InsecureTransportError) as caught:
        client(bank_url, id_url, recorder)
    assert recorder.requests == []
    assert "https://" in str(caught.value)
    assert SECRET not in str(caught.value) and SECRET not in repr(caught.value)


async def test_plain_http_from_the_environment_is_refused_by_the_real_backend(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CYBRID_CLIENT_ID", "id")
    monkeypatch.setenv("CYBRID_CLIENT_SECRET", SECRET)
    monkeypatch.setenv("CYBRID_BANK_URL", "http://bank.example.com")
    monkeypatch.setenv("CYBRID_ID_URL", "http://bank.example.com")
    sent: list[httpx.Request] = []

    async def record(self: httpx.AsyncHTTPTransport, request: httpx.Request) -> httpx.Response:
        sent.append(request)
        raise AssertionError("no request may be sent")

    monkeypatch.setattr(httpx.AsyncHTTPTransport, "handle_async_request", record)
    # Refused while reading the settings or, at the latest, when the client is built: never on the wire.
    with pytest.raises((ConfigurationError, InsecureTransportError)) as caught:
        SettingsBackend(load_settings()).create_client()
    assert sent == []
    assert "CYBRID_BANK_URL" in str(caught.value) and "https://" in str(caught.value)
    assert SECRET not in str(caught.value) and SECRET not in repr(caught.value)


@pytest.mark.parametrize(
    "url",
    ["https://bank.sandbox.cybrid.app", "https://10.0.0.7:8443", "https://bank.example.com/"],
)
async def test_https_to_anything_is_allowed_and_carries_the_token(url: str) -> None:
    recorder = Recorder()
    async with client(url, url, recorder) as api:
        await api.customers.list()
    assert [request.url.scheme for request in recorder.requests] == ["https", "https"]
    assert recorder.requests[1].headers["authorization"] == f"Bearer {TOKEN}"


@pytest.mark.parametrize("url", ["http://127.0.0.1:8787", "http://localhost:8787", "http://[::1]:8787"])
async def test_loopback_http_is_allowed(url: str) -> None:
    recorder = Recorder()
    async with client(url, url, recorder) as api:
        await api.customers.list()
    assert len(recorder.requests) == 2


async def test_a_redirect_to_plain_http_never_gets_the_token() -> None:
    recorder = Recorder()

    def redirecting(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return recorder.handle(request)
        recorder.requests.append(request)
        return httpx.Response(307, headers={"location": "http://evil.example/api/customers"})

    api = CybridClient(
        bank_url="https://bank.example.com",
        id_url="https://id.example.com",
        client_id="id",
        client_secret=SECRET,
        transport=httpx.MockTransport(redirecting),
    )
    async with api:
        with pytest.raises(CybridError) as caught:  # which one matters less than what was sent
            await api.customers.list()
    assert type(caught.value).__module__ == "cybrid_tui.api.errors"
    assert {request.url.host for request in recorder.requests} == {"id.example.com", "bank.example.com"}


# --------------------------------------------------------------------------------------- TLS verification


def test_there_is_no_way_to_turn_tls_verification_off() -> None:
    parameters = set(inspect.signature(CybridClient).parameters)
    settings = set(FIELDS)
    for name in parameters | settings:
        assert not any(word in name.lower() for word in ("verify", "insecure", "tls", "ssl", "cert")), name


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"PYTHONHTTPSVERIFY": "0", "CURL_CA_BUNDLE": "", "REQUESTS_CA_BUNDLE": "", "HTTPX_VERIFY": "0"},
    ],
)
async def test_the_https_client_always_verifies_certificates(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str]
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    api = CybridClient(
        bank_url="https://bank.sandbox.cybrid.app",
        id_url="https://id.sandbox.cybrid.app",
        client_id="id",
        client_secret=SECRET,
    )
    http = api._client()
    try:
        context: ssl.SSLContext = http._transport._pool._ssl_context  # type: ignore[attr-defined]
        assert context.verify_mode == ssl.CERT_REQUIRED
        assert context.check_hostname is True
        assert http.follow_redirects is False
    finally:
        await api.aclose()


@pytest.fixture
def self_signed(tmp_path: Path) -> tuple[Path, Path]:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is needed to make a self-signed certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
        timeout=60,
    )  # fmt: skip
    return cert, key


async def test_a_self_signed_server_is_refused_and_sees_no_credentials(
    self_signed: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Even with the environment pointing at the server's own certificate as a "CA bundle" the usual way for
    # requests/curl, the client keeps its own trust store and verification.
    cert, key = self_signed
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert))
    monkeypatch.setenv("CURL_CA_BUNDLE", str(cert))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    received: list[bytes] = []
    handshakes: list[str] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        handshakes.append("connected")
        try:
            data = await asyncio.wait_for(reader.read(65536), timeout=5)
            received.append(data)
            if data:
                body = json.dumps({"access_token": TOKEN, "token_type": "Bearer", "expires_in": 60}).encode()
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
                writer.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
                await writer.drain()
        except (ssl.SSLError, ConnectionError, TimeoutError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=context)
    port = server.sockets[0].getsockname()[1]
    url = f"https://127.0.0.1:{port}"
    try:
        async with CybridClient(bank_url=url, id_url=url, client_id="id", client_secret=SECRET) as api:
            with pytest.raises(NetworkError) as caught:
                await api.customers.list()
    finally:
        server.close()
        await server.wait_closed()
    assert not caught.value.request_sent
    assert not any(SECRET.encode() in data for data in received)
    assert received in ([], [b""])  # the handshake failed: not one byte of a request was decrypted
