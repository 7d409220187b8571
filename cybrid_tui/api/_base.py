"""What every resource of the client shares: the connection's lifecycle, the token, and one call path.

One long-lived `httpx.AsyncClient`, created on first use inside the running event loop and closed by
`aclose()`. Every call has a timeout; every failure is a `CybridError` (see `errors.py`), never a raw httpx
or pydantic exception.

Retries: reads and the idempotent PATCH are retried on connect errors, timeouts, dropped connections, 429,
500, 502, 503 and 504 within `RetryPolicy`'s attempts and time budget (500 too: repeating a read that met a
passing server fault is harmless). A create (POST) is retried only when it provably never left this machine
(connect error, or the token fetch before it failed); once it may have reached the server, the error is
raised with `request_sent=True` for the caller to reconcile.

Messages name settings neutrally ("the bank URL"); the caller that knows where a value came from (an
environment variable, a profile) passes `setting_names` so the messages point at it.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import time
from typing import TYPE_CHECKING, TypeVar

import httpx

from cybrid_tui import __version__
from cybrid_tui.api import request_log
from cybrid_tui.api.auth import ClientCredentialsAuth, from_identity_provider
from cybrid_tui.api.capabilities import DEFAULT_SCOPES
from cybrid_tui.api.errors import (
    APIStatusError,
    ConfigurationError,
    CybridError,
    MalformedResponseError,
    RequestTimeoutError,
    TransportError,
)
from cybrid_tui.api.responses import parse_model, read_body, status_error, transport_error
from cybrid_tui.api.retry import RetryPolicy
from cybrid_tui.api.secret import Secret
from cybrid_tui.api.security import check_base_url, tls_context_without_cas
from cybrid_tui.logging_setup import register_secret

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Mapping, Sequence
    from types import TracebackType
    from typing import Self

    from cybrid_tui.api.secret import SecretValue

#: A pydantic model or a `read_json` class (`cybrid_tui.api.raw`): see `responses.parse_model`.
ModelT = TypeVar("ModelT")
T = TypeVar("T")

#: Neutral names of the settings a message may point at; a caller maps them to what the user set.
SETTING_LABELS: dict[str, str] = {
    "bank_url": "The bank URL",
    "id_url": "The identity URL",
    "client_id": "the client id",
    "client_secret": "the client secret",
}

#: The largest response body read (decoded): a page of 100 customers with PII is ~90 kB.
MAX_BODY_BYTES = 8 * 1024 * 1024

_ORIGIN = "The Cybrid API"
_JSON_HEADERS = {"Content-Type": "application/json"}


class BaseClient:
    """One Cybrid bank: connection, token, retries. Resources (`client.customers`, ...) call `_call`."""

    def __init__(
        self,
        *,
        bank_url: str,
        id_url: str,
        client_id: str,
        client_secret: str | SecretValue,
        scopes: Sequence[str] = DEFAULT_SCOPES,
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        setting_names: Mapping[str, str] | None = None,
        max_body_bytes: int = MAX_BODY_BYTES,
    ) -> None:
        names = {**SETTING_LABELS, **(setting_names or {})}
        self._bank_url = check_base_url(bank_url, name=names["bank_url"])
        self._id_url = check_base_url(id_url, name=names["id_url"])
        secret = Secret.of(client_secret)
        if not client_id or not secret.get_secret_value():
            raise ConfigurationError(
                f"A client id and secret are needed ({names['client_id']}, {names['client_secret']})."
            )
        if not timeout > 0:
            raise ConfigurationError("The timeout must be a positive number of seconds.")
        register_secret(secret.get_secret_value())
        _import_transport_modules()
        self._bank_host = httpx.URL(self._bank_url).host
        self._timeout = float(timeout)
        self._max_body_bytes = max_body_bytes
        self._transport = transport
        self._retry = retry if retry is not None else RetryPolicy()
        self._sleep = sleep
        self._monotonic = monotonic
        self._http: httpx.AsyncClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._auth = ClientCredentialsAuth(
            token_url=f"{self._id_url}/oauth/token",
            client_id=client_id,
            client_secret=secret,
            scopes=scopes,
            http=self._client,
            monotonic=monotonic,
            credentials_hint=f"Check {names['client_id']} and {names['client_secret']}.",
            max_body_bytes=max_body_bytes,
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(bank_url={self._bank_url!r}, id_url={self._id_url!r})"

    @property
    def bank_url(self) -> str:
        return self._bank_url

    @property
    def auth(self) -> ClientCredentialsAuth:
        """The token cache (tests and the status line read `fetches`)."""
        return self._auth

    # -------------------------------------------------------------------------------------------- lifecycle

    def _client(self) -> httpx.AsyncClient:
        loop = asyncio.get_running_loop()
        if self._http is not None and self._loop is not loop:
            # Created under an event loop that is gone (a closed app, another test): its pooled
            # connections cannot be used or even closed from here, so start afresh.
            self._http = None
            self._auth.rebind()
        if self._http is None:
            self._loop = loop
            plain_http = self._bank_url.startswith("http:") or self._id_url.startswith("http:")
            only_plain_http = self._bank_url.startswith("http:") and self._id_url.startswith("http:")
            self._http = httpx.AsyncClient(
                base_url=self._bank_url,
                transport=self._transport,
                timeout=httpx.Timeout(self._timeout),
                limits=httpx.Limits(max_connections=32, max_keepalive_connections=16),
                headers={"Accept": "application/json", "User-Agent": f"cybrid-tui/{__version__}"},
                follow_redirects=False,  # a redirect could carry the bearer token elsewhere
                # Verification is always on. When both URLs are loopback http:// (the mock), TLS is never
                # used, so a strict context without CA certificates saves loading the CA bundle (~12 ms).
                verify=tls_context_without_cas() if only_plain_http else True,
                # Plain http is loopback only; an HTTP_PROXY from the environment must not see the token.
                trust_env=not plain_http,
                event_hooks={"request": [request_log.on_request], "response": [request_log.on_response]},
            )
        return self._http

    async def aclose(self) -> None:
        """Close the connections. Safe to call twice, and from another loop (then there is nothing to do)."""
        http, self._http = self._http, None
        if http is None or self._loop is not asyncio.get_running_loop():
            return
        try:
            await http.aclose()
        except Exception as exc:  # closing is best effort: a broken connection is closed already
            request_log.logger.debug("closing the HTTP client failed: %s", type(exc).__name__)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def granted_scopes(self) -> frozenset[str]:
        """The scopes of the current token (fetching one if needed)."""
        return await self._retrying(
            lambda _timeout: self._auth.granted_scopes(),
            method="POST",
            url=httpx.URL(self._auth.token_url),
            safe=True,
        )

    # ------------------------------------------------------------------------------------------- machinery

    async def _call(
        self,
        method: str,
        path: str | httpx.URL,
        model: type[ModelT],
        *,
        params: dict[str, str] | None = None,
        content: bytes | None = None,
        safe: bool,
    ) -> ModelT:
        """Send one request (retried as `safe` allows) and read its answer as `model`.

        `path` is relative to the bank URL, or an absolute `httpx.URL` with its query already encoded."""

        async def attempt(time_limit: float) -> ModelT:
            return await self._send(
                method, path, model, params=params, content=content, time_limit=time_limit
            )

        url = path if isinstance(path, httpx.URL) else httpx.URL(self._bank_url + path)
        return await self._retrying(attempt, method=method, url=url, safe=safe)

    async def _send(
        self,
        method: str,
        path: str | httpx.URL,
        model: type[ModelT],
        *,
        params: dict[str, str] | None,
        content: bytes | None,
        time_limit: float,
    ) -> ModelT:
        http = self._client()
        request = http.build_request(
            method,
            path,
            params=params,
            content=content,
            headers=_JSON_HEADERS if content is not None else None,
            timeout=time_limit,
        )
        response: httpx.Response | None = None
        try:
            # `time_limit` bounds the whole exchange (token, connect, headers and body): httpx's own timeouts
            # bound each read, and a server dripping a byte a second would otherwise never time out.
            async with asyncio.timeout(time_limit):
                response = await http.send(request, auth=self._auth, stream=True)
                try:
                    body = await read_body(response, limit=self._max_body_bytes, origin=_ORIGIN)
                finally:
                    await response.aclose()
        except MalformedResponseError as exc:
            if response is not None:
                exc.request_id = request_log.request_id(response.headers)
            raise
        except CybridError:
            raise  # from the token flow, already typed
        except TimeoutError:
            request_log.log_failure(request, "deadline")
            raise RequestTimeoutError(
                f"{self._bank_host} did not answer within {time_limit:g} s.",
                # The request hook marks a request handed to the network; before it, only a token was awaited.
                request_sent=request_log.was_sent(request),
            ) from None
        except Exception as exc:
            request_log.log_failure(request, type(exc).__name__)
            raise transport_error(exc, host=self._bank_host, timeout=time_limit) from None
        assert response is not None  # for type checkers: set whenever the block above ends normally
        if response.is_success:
            try:
                return parse_model(response, model, expected=expected(model), origin=_ORIGIN, body=body)
            except MalformedResponseError as exc:
                exc.request_id = request_log.request_id(response.headers)
                raise
        raise status_error(response, origin=_ORIGIN, body=body)

    async def _list_page(self, url: httpx.URL, model: type[ModelT], *, per_page: int) -> ModelT:
        """One page of a list endpoint (`url` holds the query), refused when it holds more objects than the
        `per_page` asked for: a server that does so could fill the memory with pages nobody asked for."""
        page = await self._call("GET", url, model, safe=True)
        objects = getattr(page, "objects", None)
        held = (len(objects) if objects is not None else 0) + int(getattr(page, "unreadable", 0))
        if held > per_page:
            raise MalformedResponseError(
                f"{_ORIGIN} sent {held} objects in a page of at most {per_page}; the page was refused."
            )
        return page

    async def _retrying(
        self,
        attempt: Callable[[float], Awaitable[T]],
        *,
        method: str,
        url: httpx.URL,
        safe: bool,
    ) -> T:
        """Run `attempt` until it succeeds, fails for good, or the policy's attempts or budget run out."""
        policy = self._retry
        started = self._monotonic()
        number = 0
        while True:
            number += 1
            elapsed = self._monotonic() - started
            # Later attempts get no more time than the budget has left, so the whole call stays bounded.
            timeout = (
                self._timeout if number == 1 else min(self._timeout, max(1.0, policy.total_budget - elapsed))
            )
            try:
                return await attempt(timeout)
            except CybridError as exc:
                if not self._may_retry(exc, safe=safe):
                    raise
                retry_after = exc.retry_after if isinstance(exc, APIStatusError) else None
                delay = policy.next_delay(
                    attempt=number, elapsed=self._monotonic() - started, retry_after=retry_after
                )
                if delay is None:
                    request_log.log_give_up(method, url, number, _reason(exc))
                    raise
                request_log.log_retry(method, url, number, delay, _reason(exc))
            await self._sleep(delay)

    def _may_retry(self, exc: CybridError, *, safe: bool) -> bool:
        if isinstance(exc, MalformedResponseError):
            return False
        if isinstance(exc, TransportError):
            return safe or not exc.request_sent
        if isinstance(exc, APIStatusError):
            if from_identity_provider(exc):
                # The bank request never went out, and asking for a token twice is harmless: any 5xx
                # from the identity provider is worth another try.
                return exc.status in self._retry.statuses or (exc.status or 0) >= 500
            return safe and exc.status in self._retry.statuses
        return False


def expected(model: type) -> str:
    """How an error message names what `model` reads ("a customer list"): the model's `DESCRIPTION`."""
    description = getattr(model, "DESCRIPTION", None)
    return description if isinstance(description, str) else model.__name__


def _import_transport_modules() -> None:
    """Import what httpx otherwise imports on the first request: its connection pool (httpcore), the
    HTTP/1.1 parser (h11) and anyio's asyncio backend, ~25 ms. The app builds the client on a worker thread
    (see `CybridApp.get_client`); the first request runs on the event loop, where those imports froze the
    screen and delayed the first rows. Idempotent and cheap once done."""
    import h11  # noqa: F401
    import httpcore  # noqa: F401

    # anyio picks its backend on first use, by name; a newer anyio that moved it just imports it later.
    with contextlib.suppress(ImportError):
        importlib.import_module("anyio._backends._asyncio")


def _reason(exc: CybridError) -> str:
    if isinstance(exc, APIStatusError):
        return f"HTTP {exc.status}"
    return type(exc).__name__
