"""Transport security: TLS always verified, plain http only to loopback, no token sent anywhere else."""

from __future__ import annotations

import ssl

import httpx
import pytest

from cybrid_tui.api.client import CybridClient
from cybrid_tui.api.errors import ConfigurationError, InsecureTransportError
from cybrid_tui.api.security import check_base_url, is_loopback_host
from tests.support.client_fakes import SECRET, FakeCybrid


def make(bank_url: str, id_url: str = "https://id.sandbox.cybrid.app") -> CybridClient:
    return CybridClient(bank_url=bank_url, id_url=id_url, client_id="id", client_secret=SECRET)


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "127.8.9.10",
        "localhost",
        "LOCALHOST",
        "::1",
        "[::1]",
        "::ffff:127.0.0.1",
    ],
)
def test_loopback_hosts(host: str) -> None:
    assert is_loopback_host(host)


@pytest.mark.parametrize(
    "host",
    [
        "10.0.0.1",
        "192.168.1.2",
        "bank.sandbox.cybrid.app",
        "localhost.evil.com",
        "app.localhost",  # would trust the resolver to keep it on this machine
        "128.0.0.1",
        "::2",
        "0.0.0.0",
    ],
)
def test_non_loopback_hosts(host: str) -> None:
    assert not is_loopback_host(host)


@pytest.mark.parametrize(
    "url",
    [
        "http://bank.sandbox.cybrid.app",
        "http://10.1.2.3:8787",
        "http://localhost.evil.com",
        "http://[2001:db8::1]:8080",
    ],
)
def test_plain_http_to_another_host_is_refused_at_construction(url: str) -> None:
    with pytest.raises(InsecureTransportError, match="plain http://"):
        make(url)
    # The API layer names settings neutrally; the caller (config, profiles) knows the variable.
    with pytest.raises(InsecureTransportError, match="The identity URL"):
        make("https://bank.sandbox.cybrid.app", id_url=url)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8787",
        "http://localhost:8787/",
        "http://[::1]:9000",
        "https://bank.sandbox.cybrid.app",
    ],
)
def test_https_and_loopback_http_are_accepted(url: str) -> None:
    make(url, id_url=url)
    assert check_base_url(url, name="x") == url.rstrip("/")


@pytest.mark.parametrize(
    "url",
    [
        "ftp://bank.example",
        "bank.sandbox.cybrid.app",
        "https://",
        "https://user:pw@bank.sandbox.cybrid.app",
        "https://bank.sandbox.cybrid.app?x=1",
        "https://bank.sandbox.cybrid.app:99999",
    ],
)
def test_malformed_base_urls_are_configuration_errors(url: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        make(url)
    assert not isinstance(caught.value, InsecureTransportError)
    assert "pw" not in str(caught.value)


def test_missing_credentials_are_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="client secret") as caught:
        CybridClient(
            bank_url="https://b.example", id_url="https://i.example", client_id="id", client_secret=""
        )
    assert "CYBRID_" not in str(caught.value)  # no environment variable names inside the API layer
    names = {"client_id": "CYBRID_CLIENT_ID", "client_secret": "CYBRID_CLIENT_SECRET"}
    with pytest.raises(ConfigurationError, match="CYBRID_CLIENT_SECRET"):
        CybridClient(
            bank_url="https://b.example",
            id_url="https://i.example",
            client_id="id",
            client_secret="",
            setting_names=names,
        )


async def test_tls_verification_is_on_and_redirects_are_not_followed() -> None:
    client = make("https://bank.sandbox.cybrid.app")
    http = client._client()
    try:
        assert http.follow_redirects is False
        pool = http._transport._pool  # type: ignore[attr-defined]
        context: ssl.SSLContext = pool._ssl_context
        assert context.verify_mode == ssl.CERT_REQUIRED
        assert context.check_hostname is True
    finally:
        await client.aclose()


async def test_loopback_http_client_still_verifies_any_tls() -> None:
    client = make("http://127.0.0.1:8787", id_url="http://127.0.0.1:8787")
    http = client._client()
    try:
        context: ssl.SSLContext = http._transport._pool._ssl_context  # type: ignore[attr-defined]
        assert context.verify_mode == ssl.CERT_REQUIRED
        assert context.check_hostname is True
    finally:
        await client.aclose()


async def test_loopback_client_ignores_proxy_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("ALL_PROXY", "http://proxy.example:3128")
    client = make("http://127.0.0.1:8787", id_url="http://127.0.0.1:8787")
    http = client._client()
    try:
        assert http.trust_env is False
        assert not http._mounts  # no proxy transport mounted
    finally:
        await client.aclose()


async def test_a_redirect_is_an_error_not_followed() -> None:
    fake = FakeCybrid()
    fake.bank_replies.append(httpx.Response(302, headers={"location": "http://evil.example/steal"}))
    async with fake.client() as client:
        with pytest.raises(Exception) as caught:
            await client.customers.list()
    assert caught.value.__class__.__module__ == "cybrid_tui.api.errors"
    assert len(fake.bank_requests) == 1
    assert all(r.url.host != "evil.example" for r in fake.bank_requests)


async def test_auth_flow_never_puts_a_token_on_plain_http_to_another_host() -> None:
    fake = FakeCybrid()
    async with fake.client() as client:
        await client.granted_scopes()
        request = httpx.Request("GET", "http://bank.sandbox.cybrid.app/api/customers")
        flow = client.auth.async_auth_flow(request)
        with pytest.raises(InsecureTransportError):
            await anext(flow)
    assert "authorization" not in request.headers


def test_sync_use_of_the_auth_is_refused() -> None:
    fake = FakeCybrid()
    client = fake.client()
    flow = client.auth.sync_auth_flow(httpx.Request("GET", "https://bank.sandbox.cybrid.app/"))
    with pytest.raises(RuntimeError):
        next(flow)
