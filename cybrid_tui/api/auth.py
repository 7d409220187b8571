"""OAuth2 client-credentials tokens for the bank API, as an `httpx.Auth`.

The token is fetched from `{id_url}/oauth/token`, cached, and refreshed a little before it expires. One
`asyncio.Lock` makes concurrent requests share one fetch. When the bank API answers 401 anyway (revoked,
expired early, clock trouble), the flow renews the token once and repeats the request once.

The client secret and tokens stay `Secret` (see `secret.py`) everywhere except the one expression that
builds a header or a token request body, so they show up in no repr, exception text or traceback locals.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx

from cybrid_tui.api.errors import (
    APIStatusError,
    AuthenticationError,
    CybridError,
    InsecureTransportError,
    RequestTimeoutError,
    TransportError,
)
from cybrid_tui.api.raw import TokenResponse
from cybrid_tui.api.responses import Body, parse_model, read_body, status_error, transport_error
from cybrid_tui.api.security import is_secure_url
from cybrid_tui.api.vocab import IDENTITY_VERIFICATION_SCOPES
from cybrid_tui.logging_setup import register_token

if TYPE_CHECKING:
    from collections.abc import AsyncGenerator, Callable, Generator, Sequence

    from cybrid_tui.api.secret import Secret, SecretValue

logger = logging.getLogger("cybrid_tui.auth")

_IDENTITY_ORIGIN = "_cybrid_identity_provider"

#: Seconds a token with an `expires_in` of 0 or less is used for: taken at its word, every call would fetch
#: a token first. (A short positive lifetime is honoured: it is renewed at half its life at the soonest.)
MIN_TOKEN_LIFETIME = 30.0


def from_identity_provider(error: CybridError) -> bool:
    """Whether `error` came from the token endpoint, i.e. the bank request itself was never sent."""
    return bool(getattr(error, _IDENTITY_ORIGIN, False))


def refresh_delay(lifetime: float) -> float:
    """Seconds after issue at which a token is replaced: at 90% of its life or 30 s before expiry,
    whichever is sooner, but never before half its life (so a 2-second token is not renewed every call)."""
    lifetime = max(0.0, lifetime)
    return max(0.5 * lifetime, min(0.9 * lifetime, lifetime - 30.0))


#: Scopes asked for when wanted but not needed: a key without them still lists and creates customers.
OPTIONAL_SCOPES = frozenset(IDENTITY_VERIFICATION_SCOPES)


@dataclass(frozen=True, slots=True)
class _Token:
    value: Secret
    scopes: frozenset[str]
    refresh_at: float
    expires_at: float


class ClientCredentialsAuth(httpx.Auth):
    """Bearer tokens from an OAuth2 client-credentials grant, cached and renewed."""

    def __init__(
        self,
        *,
        token_url: str,
        client_id: str,
        client_secret: SecretValue,
        scopes: Sequence[str],
        http: Callable[[], httpx.AsyncClient],
        monotonic: Callable[[], float],
        credentials_hint: str = "Check the client id and secret.",
        max_body_bytes: int = 1024 * 1024,
    ) -> None:
        self._token_url = token_url
        self._credentials_hint = credentials_hint
        self._max_body_bytes = max_body_bytes
        self._host = httpx.URL(token_url).host
        self._client_id = client_id
        self._client_secret = client_secret
        self._scopes = tuple(scopes)
        self._http = http
        self._monotonic = monotonic
        self._token: _Token | None = None
        self._lock = asyncio.Lock()
        self.fetches = 0
        """Tokens fetched so far (for tests and the status line)."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(token_url={self._token_url!r}, client_id={self._client_id!r})"

    # --------------------------------------------------------------------------------------------- tokens

    async def token(self) -> _Token:
        """A token that is not due for refresh, fetching one if needed (concurrent callers share a fetch)."""
        token = self._token
        if token is not None and self._monotonic() < token.refresh_at:
            return token
        async with self._lock:
            token = self._token
            now = self._monotonic()
            if token is not None and now < token.refresh_at:
                return token
            try:
                self._token = await self._fetch()
            except CybridError:
                # Refresh is early on purpose: while the old token is still valid, a failed refresh is
                # no reason to fail the call.
                if token is not None and now < token.expires_at - 1.0:
                    logger.warning("token refresh failed; using the current token until it expires")
                    return token
                raise
            return self._token

    async def renew(self, rejected: _Token) -> _Token:
        """Replace `rejected` after a 401, unless another request already did."""
        async with self._lock:
            current = self._token
            if current is not None and current is not rejected and self._monotonic() < current.refresh_at:
                return current
            self._token = None
            self._token = await self._fetch()
            return self._token

    @property
    def token_url(self) -> str:
        return self._token_url

    def invalidate(self) -> None:
        self._token = None

    def rebind(self) -> None:
        """Start over under a new event loop: an asyncio.Lock cannot move between loops."""
        self._lock = asyncio.Lock()

    async def granted_scopes(self) -> frozenset[str]:
        return (await self.token()).scopes

    def _grant_body(self) -> bytes:
        # Built inline in the call below so no local variable of a frame holds the secret (crash screens
        # show tracebacks with their locals).
        return json.dumps(
            {
                "grant_type": "client_credentials",
                "client_id": self._client_id,
                "client_secret": self._client_secret.get_secret_value(),
                "scope": " ".join(self._scopes),
            }
        ).encode()

    async def _fetch(self) -> _Token:
        """A new token; if the identity provider refuses optional scopes, a second try without them.

        An identity provider answers `invalid_scope` when the API key is not allowed one requested scope
        (Cybrid's does, unlike the mock, which drops what it does not grant). A key made before identity
        verifications existed must keep working for customers, with verifications shown as unavailable."""
        try:
            return await self._fetch_once()
        except AuthenticationError as exc:
            narrower = tuple(scope for scope in self._scopes if scope not in OPTIONAL_SCOPES)
            if exc.message_code != "invalid_scope" or not narrower or narrower == self._scopes:
                raise
            logger.warning(
                "the identity provider refused the requested scopes; asking again without %s",
                " ".join(scope for scope in self._scopes if scope in OPTIONAL_SCOPES),
            )
            self._scopes = narrower
            return await self._fetch_once()

    async def _fetch_once(self) -> _Token:
        http = self._http()
        started = self._monotonic()
        self.fetches += 1
        origin = f"The identity provider ({self._host})"
        time_limit = http.timeout.read or 10.0
        try:
            # The whole exchange within the client's timeout, and the body read under a cap (as bank calls).
            async with asyncio.timeout(time_limit):
                response = await http.send(
                    http.build_request(
                        "POST",
                        self._token_url,
                        content=self._grant_body(),
                        headers={"Content-Type": "application/json", "Accept": "application/json"},
                    ),
                    stream=True,
                )
                try:
                    body = await read_body(response, limit=self._max_body_bytes, origin=origin)
                finally:
                    await response.aclose()
        except CybridError as exc:
            raise _mark(exc) from None
        except TimeoutError:
            raise _mark(
                RequestTimeoutError(
                    f"{self._host} did not answer within {time_limit:g} s.", request_sent=False
                )
            ) from None
        except Exception as exc:
            # `from None`: the cause's traceback holds the request, whose body holds the secret.
            raise _mark(transport_error(exc, host=self._host, timeout=time_limit)) from None
        if not response.is_success:
            raise _mark(self._token_error(response, body))
        try:
            parsed = parse_model(
                response, TokenResponse, expected="a token response", origin=origin, body=body
            )
        except CybridError as exc:
            raise _mark(exc) from None
        if not parsed.access_token.get_secret_value():
            raise _mark(
                AuthenticationError(f"{origin} issued an empty access token.", status=response.status_code)
            )
        register_token(parsed.access_token.get_secret_value())
        lifetime = parsed.expires_in
        if lifetime <= 0:
            # 0 or negative would make every call fetch a token first: use it for a short while instead.
            logger.warning(
                "the identity provider issued a token with expires_in=%g; using %g s",
                lifetime,
                MIN_TOKEN_LIFETIME,
            )
            lifetime = MIN_TOKEN_LIFETIME
        return _Token(
            value=parsed.access_token,
            scopes=parsed.scopes or frozenset(self._scopes),
            refresh_at=started + refresh_delay(lifetime),
            expires_at=started + lifetime,
        )

    def _token_error(self, response: httpx.Response, body: Body) -> APIStatusError:
        status = response.status_code
        origin = f"The identity provider ({self._host})"
        if status in (400, 401, 403):
            error = status_error(response, origin=origin, secrets=(self._client_secret,), body=body)
            code = error.message_code
            if code == "invalid_scope":
                message = (
                    f"{origin} refused the requested scopes ({' '.join(self._scopes)}); "
                    "the API client may not be allowed all of them."
                )
            else:
                # Cause and fix first: a status line or a terminal cuts a long message at its end, and the
                # server's own words (and the host) help less than knowing which settings to check.
                said = error.error_message.rstrip()
                if said and not said.endswith((".", "!", "?")):
                    said += "."
                message = f"The client credentials were rejected. {self._credentials_hint}" + (
                    f" {origin} said: {said}" if said else ""
                )
            rejected = AuthenticationError(message, status=status, message_code=code)
            rejected.request_id = error.request_id
            return rejected
        return status_error(response, origin=origin, secrets=(self._client_secret,), body=body)

    # ------------------------------------------------------------------------------------------ auth flow

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        raise RuntimeError("ClientCredentialsAuth works with httpx.AsyncClient only")
        yield request  # pragma: no cover - makes this a generator, as httpx expects

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        if not is_secure_url(request.url.scheme, request.url.host):
            # Construction already refuses such base URLs; this guards anything that slips past (a
            # redirect, a hand-built URL), so a bearer token never travels in clear text off this machine.
            raise InsecureTransportError(
                f"Refusing to send credentials over plain http:// to {request.url.host}."
            )
        token = await self.token()
        request.headers["Authorization"] = "Bearer " + token.value.get_secret_value()
        response = yield request
        if response.status_code != 401:
            return
        logger.info("the API refused the access token (401); renewing it once")
        token = await self.renew(token)
        request.headers["Authorization"] = "Bearer " + token.value.get_secret_value()
        yield request


def _mark(error: CybridError) -> CybridError:
    """Tag an error as the token endpoint's: the bank request it was for never went out."""
    setattr(error, _IDENTITY_ORIGIN, True)
    if isinstance(error, TransportError):
        error.request_sent = False
    return error
