"""The async client for Cybrid's customer endpoints.

One long-lived `httpx.AsyncClient`, created on first use inside the running event loop and closed by
`aclose()`. Every call has a timeout; every failure is a `CybridError` (see `errors.py`), never a raw httpx
or pydantic exception.

Retries: reads and the idempotent PATCH are retried on connect errors, timeouts, dropped connections, 429,
502, 503 and 504 within `RetryPolicy`'s attempts and time budget. A create (POST) is retried only when it
provably never left this machine (connect error, or the token fetch before it failed); once it may have
reached the server, the error is raised with `request_sent=True` for the caller to reconcile.

Arguments the API would refuse (page < 0, per_page outside 1..100, an unknown customer type) raise
`RequestValidationError` — a `CybridError` and a `ValueError` — before anything is sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import json
import math
import time
from typing import TYPE_CHECKING, Any, TypeVar, overload
from urllib.parse import quote, urlencode

import httpx
from pydantic import BaseModel, SecretStr, ValidationError

from cybrid_tui import __version__
from cybrid_tui.api import request_log
from cybrid_tui.api.auth import ClientCredentialsAuth, from_identity_provider
from cybrid_tui.api.errors import (
    APIStatusError,
    ConfigurationError,
    CybridError,
    MalformedResponseError,
    RequestValidationError,
    TransportError,
)
from cybrid_tui.api.models import (
    DEFAULT_SCOPES,
    Customer,
    CustomerList,
    CustomerListQuery,
    CustomerSummaryList,
    PatchCustomer,
    PostCustomer,
)
from cybrid_tui.api.responses import parse_model, status_error, transport_error
from cybrid_tui.api.retry import RetryPolicy
from cybrid_tui.api.security import check_base_url, tls_context_without_cas
from cybrid_tui.logging_setup import register_secret

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
    from types import TracebackType

ModelT = TypeVar("ModelT", bound=BaseModel)
#: What a page of the customer list can be read as: every field, or only what a listing shows.
ListT = TypeVar("ListT", CustomerList, CustomerSummaryList)
T = TypeVar("T")

CUSTOMERS_PATH = "/api/customers"
_ORIGIN = "The Cybrid API"
_JSON_HEADERS = {"Content-Type": "application/json"}


class CybridClient:
    """Customers on one Cybrid bank: list, page through, get, create and update."""

    def __init__(
        self,
        *,
        bank_url: str,
        id_url: str,
        client_id: str,
        client_secret: str | SecretStr,
        scopes: Sequence[str] = DEFAULT_SCOPES,
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._bank_url = check_base_url(bank_url, name="The bank URL (CYBRID_BANK_URL)")
        self._id_url = check_base_url(id_url, name="The identity URL (CYBRID_ID_URL)")
        secret = client_secret if isinstance(client_secret, SecretStr) else SecretStr(client_secret)
        if not client_id or not secret.get_secret_value():
            raise ConfigurationError(
                "A client id and secret are needed (CYBRID_CLIENT_ID, CYBRID_CLIENT_SECRET)."
            )
        if not timeout > 0:
            raise ConfigurationError("The timeout must be a positive number of seconds.")
        register_secret(secret.get_secret_value())
        _import_transport_modules()
        self._bank_host = httpx.URL(self._bank_url).host
        self._timeout = float(timeout)
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
        )

    def __repr__(self) -> str:
        return f"CybridClient(bank_url={self._bank_url!r}, id_url={self._id_url!r})"

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

    async def __aenter__(self) -> CybridClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    # ------------------------------------------------------------------------------------------- endpoints

    async def granted_scopes(self) -> frozenset[str]:
        """The scopes of the current token (fetching one if needed)."""
        return await self._retrying(
            lambda _timeout: self._auth.granted_scopes(),
            method="POST",
            url=httpx.URL(self._auth.token_url),
            safe=True,
        )

    @overload
    async def list_customers(
        self,
        *,
        page: int = 0,
        per_page: int = 100,
        type: Sequence[str] | None = None,
        guid: Sequence[str] | None = None,
        label: Sequence[str] | None = None,
        include_pii: bool | None = None,
        bank_guid: Sequence[str] | None = None,
    ) -> CustomerList: ...
    @overload
    async def list_customers(
        self,
        *,
        page: int = 0,
        per_page: int = 100,
        type: Sequence[str] | None = None,
        guid: Sequence[str] | None = None,
        label: Sequence[str] | None = None,
        include_pii: bool | None = None,
        bank_guid: Sequence[str] | None = None,
        model: type[ListT],
    ) -> ListT: ...
    async def list_customers(
        self,
        *,
        page: int = 0,
        per_page: int = 100,
        type: Sequence[str] | None = None,
        guid: Sequence[str] | None = None,
        label: Sequence[str] | None = None,
        include_pii: bool | None = None,
        bank_guid: Sequence[str] | None = None,
        model: type[Any] = CustomerList,
    ) -> CustomerList | CustomerSummaryList:
        """One page of customers, newest first; `model=CustomerSummaryList` reads only what a listing shows
        (see `list_customer_summaries`)."""
        params = _list_params(
            page=page, per_page=per_page, type=type, guid=guid, label=label, include_pii=include_pii,
            bank_guid=bank_guid,
        )  # fmt: skip
        return await self._call("GET", _list_url(self._bank_url, params), model, safe=True)

    async def list_customer_summaries(
        self,
        *,
        page: int = 0,
        per_page: int = 100,
        type: Sequence[str] | None = None,
        guid: Sequence[str] | None = None,
        label: Sequence[str] | None = None,
        include_pii: bool | None = None,
        bank_guid: Sequence[str] | None = None,
    ) -> CustomerSummaryList:
        """One page of customers as the live table needs them (`CustomerSummary`: guid, type, state, name,
        labels, times): the same request as `list_customers`, several times cheaper to parse and to keep,
        which is what a listing of 100,000 customers is made of. Errors exactly as `list_customers`."""
        # Through `list_customers`, so the one code path (and anything wrapping it) sees every listing.
        return await self.list_customers(
            page=page, per_page=per_page, type=type, guid=guid, label=label, include_pii=include_pii,
            bank_guid=bank_guid, model=CustomerSummaryList,
        )  # fmt: skip

    async def iter_customer_pages(
        self,
        *,
        per_page: int = 100,
        concurrency: int = 4,
        type: Sequence[str] | None = None,
        guid: Sequence[str] | None = None,
        label: Sequence[str] | None = None,
        include_pii: bool | None = None,
        bank_guid: Sequence[str] | None = None,
    ) -> AsyncIterator[CustomerList]:
        """Every page in order: page 0 first, then up to `concurrency` later pages fetched at once.

        Stops after a short page or once `total` is covered. Leaving the loop early cancels what is in
        flight.
        """
        if concurrency < 1:
            raise RequestValidationError("concurrency must be at least 1")
        filters: dict[str, Any] = {
            "type": type, "guid": guid, "label": label, "include_pii": include_pii, "bank_guid": bank_guid,
        }  # fmt: skip
        _list_params(page=0, per_page=per_page, **filters)  # refuse bad arguments before any request
        first = await self.list_customers(page=0, per_page=per_page, **filters)
        yield first
        if _is_last(first, 0, per_page):
            return
        pending: dict[int, asyncio.Task[CustomerList]] = {}
        total = first.total
        wanted = 1  # the next page to yield
        scheduled = 1  # the next page to request
        try:
            while True:
                last_page = max(wanted, math.ceil(total / per_page) - 1)
                while scheduled <= last_page and len(pending) < concurrency:
                    pending[scheduled] = asyncio.create_task(
                        self.list_customers(page=scheduled, per_page=per_page, **filters)
                    )
                    scheduled += 1
                page = await pending.pop(wanted)
                yield page
                if _is_last(page, wanted, per_page):
                    return
                total = page.total
                wanted += 1
        finally:
            for task in pending.values():
                task.cancel()
            if pending:
                await asyncio.gather(*pending.values(), return_exceptions=True)

    async def get_customer(self, guid: str, *, include_pii: bool = False) -> Customer:
        params = {"include_pii": "true"} if include_pii else None
        return await self._call("GET", _customer_path(guid), Customer, params=params, safe=True)

    async def create_customer(self, body: PostCustomer) -> Customer:
        """Create a customer. Never repeated once the request may have reached the server."""
        content = json.dumps(body.to_json_body(), separators=(",", ":")).encode()
        return await self._call("POST", CUSTOMERS_PATH, Customer, content=content, safe=False)

    async def update_customer(self, guid: str, body: PatchCustomer) -> Customer:
        content = json.dumps(body.to_json_body(), separators=(",", ":")).encode()
        return await self._call("PATCH", _customer_path(guid), Customer, content=content, safe=True)

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
        try:
            response = await http.send(request, auth=self._auth)
        except CybridError:
            raise  # from the token flow, already typed
        except Exception as exc:
            request_log.log_failure(request, type(exc).__name__)
            raise transport_error(exc, host=self._bank_host, timeout=time_limit) from None
        if response.is_success:
            try:
                return parse_model(response, model, expected=_expected(model), origin=_ORIGIN)
            except MalformedResponseError as exc:
                exc.request_id = request_log.request_id(response.headers)
                raise
        raise status_error(response, origin=_ORIGIN)

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


# ------------------------------------------------------------------------------------------------ helpers


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


def _as_list(values: Sequence[str] | str | None) -> list[str] | None:
    if values is None:
        return None
    if isinstance(values, str):  # a bare string is one value (or the API's own comma-separated form)
        return [part for part in values.split(",") if part]
    return list(values)


def _list_params(
    *,
    page: int,
    per_page: int,
    type: Sequence[str] | None,
    guid: Sequence[str] | None,
    label: Sequence[str] | None,
    include_pii: bool | None,
    bank_guid: Sequence[str] | None,
) -> dict[str, str]:
    try:
        query = CustomerListQuery.model_validate(
            {
                "page": page,
                "per_page": per_page,
                "type": _as_list(type),
                "guid": _as_list(guid),
                "label": _as_list(label),
                "bank_guid": _as_list(bank_guid),
                "include_pii": include_pii,
            },
            strict=False,
        )
    except ValidationError as exc:
        raise RequestValidationError(_describe_query_error(exc)) from None
    return query.to_params()


def _list_url(bank_url: str, params: dict[str, str]) -> httpx.URL:
    """The absolute URL of a listing with its query already encoded, as httpx would encode `params`.

    A live tick lists 100 customers by guid (a 3.4 kB query) every few seconds. Given `params`, httpx
    merges them into the base URL and parses and checks the long URL more than once (~0.3 ms in all); an
    absolute URL object is taken as it is, so the query is parsed once, here (~0.12 ms)."""
    return httpx.URL(f"{bank_url}{CUSTOMERS_PATH}?{urlencode(params)}")


def _describe_query_error(exc: ValidationError) -> str:
    first = exc.errors(include_url=False, include_input=False)[0]
    field = str(first["loc"][0]) if first["loc"] else "query"
    limits = {
        "page": "page must be 0 or more",
        "per_page": "per_page must be between 1 and 100",
        "type": "type must be 'individual' or 'business'",
    }
    return limits.get(field, f"invalid {field} filter ({first['type']})")


def _is_last(page: CustomerList, number: int, per_page: int) -> bool:
    return len(page.objects) < per_page or (number + 1) * per_page >= page.total


def _customer_path(guid: str) -> str:
    if not guid or not guid.strip():
        raise RequestValidationError("A customer guid is needed.")
    # Quoted so a guid can never step outside /api/customers/ (no "/", "..", "?" or "#").
    return f"{CUSTOMERS_PATH}/{quote(guid, safe='')}"


def _expected(model: type[BaseModel]) -> str:
    names = {
        "CustomerList": "a customer list",
        "CustomerSummaryList": "a customer list",
        "Customer": "a customer",
    }
    return names.get(model.__name__, model.__name__)


def _reason(exc: CybridError) -> str:
    if isinstance(exc, APIStatusError):
        return f"HTTP {exc.status}"
    return type(exc).__name__


__all__ = ["CybridClient", "RetryPolicy"]
