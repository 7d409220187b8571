"""Transport rules: which base URLs the client may talk to.

TLS verification is never switched off, and plain `http://` is accepted only for loopback hosts (the mock
server), so a bearer token or the client secret never crosses a network unencrypted.
"""

from __future__ import annotations

import ipaddress
import ssl
from urllib.parse import urlsplit

from cybrid_tui.api.errors import ConfigurationError, InsecureTransportError

_LOOPBACK_NAMES = frozenset({"localhost", "localhost.", "ip6-localhost"})


def is_loopback_host(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 (also IPv4-mapped) and `localhost`."""
    host = host.strip().lower().strip("[]")
    if host in _LOOPBACK_NAMES:
        return True
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def is_secure_url(scheme: str, host: str) -> bool:
    """Whether credentials may be sent to this origin: https anywhere, http only to loopback."""
    return scheme == "https" or (scheme == "http" and is_loopback_host(host))


def check_base_url(url: str, *, name: str) -> str:
    """Validate a base URL and return it without a trailing slash.

    `name` says which setting the URL came from, so the message can point at it. A URL with user info is
    refused too: credentials belong in the settings, not in a URL that ends up in logs.
    """
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise ConfigurationError(f"{name} is not a valid URL") from None
    if parts.scheme not in ("http", "https") or not host:
        raise ConfigurationError(f"{name} must be an https:// URL such as https://bank.sandbox.cybrid.app")
    if parts.username is not None or parts.password is not None:
        raise ConfigurationError(f"{name} must not contain a user name or password")
    if parts.query or parts.fragment:
        raise ConfigurationError(f"{name} must not contain a query string or fragment")
    if not is_secure_url(parts.scheme, host):
        raise InsecureTransportError(
            f"{name} uses plain http:// to {host}, which is not this machine: use https:// "
            "(plain http is allowed only for a local mock server on 127.0.0.1 or localhost)"
        )
    return url.rstrip("/")


def tls_context_without_cas() -> ssl.SSLContext:
    """A client context that verifies certificates and host names but trusts no CA: it can never be
    used to talk TLS to anything, which is the point for a plain-http loopback configuration (and it
    saves loading the CA bundle, ~15 ms)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    return context
