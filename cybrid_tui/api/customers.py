"""`client.customers`: list, page through, get, create and update the customers of one bank.

Arguments the API would refuse (page < 0, per_page outside 1..100, an unknown customer type, a filter value
that is not a string) raise `RequestValidationError` (a `CybridError` and a `ValueError`) before anything is
sent. The filters are the keywords of `CustomerFilters`, declared once and taken by every listing call.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TypeVar, Unpack, overload
from urllib.parse import quote

from cybrid_tui.api import vocab
from cybrid_tui.api.errors import RequestValidationError
from cybrid_tui.api.filters import CustomerFilters
from cybrid_tui.api.paging import iter_items, iter_pages, list_query, list_url

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable

    from cybrid_tui.api._base import BaseClient
    from cybrid_tui.api.models import Customer, CustomerList, CustomerSummaryList, PatchCustomer, PostCustomer

# The models are imported where they are first needed: a command that lists with `model=RawPage` (see
# `cybrid_tui.api.raw`) never builds them, nor imports pydantic.

#: A pydantic page model or a `read_json` class (`cybrid_tui.api.raw.RawPage`).
ModelT = TypeVar("ModelT")

CUSTOMERS_PATH = "/api/customers"
#: The filters in the order they go out (the order `CustomerFilters` declares them).
_FILTERS = tuple(CustomerFilters.__annotations__)
_TYPES = frozenset(vocab.CUSTOMER_TYPES)


class Customers:
    """The customer endpoints of one client (`client.customers`)."""

    def __init__(self, client: BaseClient) -> None:
        self._client = client

    @overload
    async def list(
        self, *, page: int = 0, per_page: int = 100, **filters: Unpack[CustomerFilters]
    ) -> CustomerList: ...
    @overload
    async def list(
        self, *, page: int = 0, per_page: int = 100, model: type[ModelT], **filters: Unpack[CustomerFilters]
    ) -> ModelT: ...
    async def list(
        self,
        *,
        page: int = 0,
        per_page: int = 100,
        model: type[Any] | None = None,
        **filters: Unpack[CustomerFilters],
    ) -> Any:
        """One page of customers, newest first, every field; `model` reads the page as another model
        (`CustomerSummaryList`, `RawPage`, or a caller's own with `total`, `page`, `per_page`, `objects`)."""
        return await self._list(model or _customer_list(), page, per_page, filters)

    async def list_summaries(
        self, *, page: int = 0, per_page: int = 100, **filters: Unpack[CustomerFilters]
    ) -> CustomerSummaryList:
        """One page of customers as the live table needs them (`CustomerSummary`: guid, type, state, name,
        labels, times): the same request as `list`, several times cheaper to parse and to keep, which is what
        a listing of 100,000 customers is made of. Errors exactly as `list`."""
        from cybrid_tui.api.models import CustomerSummaryList

        return await self._list(CustomerSummaryList, page, per_page, filters)

    @overload
    def iter_pages(
        self, *, per_page: int = 100, concurrency: int = 4, **filters: Unpack[CustomerFilters]
    ) -> AsyncIterator[CustomerList]: ...
    @overload
    def iter_pages(
        self,
        *,
        per_page: int = 100,
        concurrency: int = 4,
        model: type[ModelT],
        **filters: Unpack[CustomerFilters],
    ) -> AsyncIterator[ModelT]: ...
    def iter_pages(
        self,
        *,
        per_page: int = 100,
        concurrency: int = 4,
        model: type[Any] | None = None,
        **filters: Unpack[CustomerFilters],
    ) -> AsyncIterator[Any]:
        """Every page in order: page 0 first, then up to `concurrency` later pages fetched at once. Stops at
        the first short or empty page or once `total` is covered; leaving the loop cancels what is in flight.
        `model` as for `list`."""
        list_params(0, per_page, filters)  # refuse bad arguments before any request
        read_as = model or _customer_list()

        def fetch(number: int) -> Awaitable[Any]:
            return self._list(read_as, number, per_page, filters)

        return iter_pages(fetch, per_page=per_page, concurrency=concurrency)

    def iter(
        self, *, per_page: int = 100, concurrency: int = 4, **filters: Unpack[CustomerFilters]
    ) -> AsyncIterator[Customer]:
        """Every customer, newest first (pages read as `iter_pages` does)."""
        return iter_items(self.iter_pages(per_page=per_page, concurrency=concurrency, **filters))

    async def get(self, guid: str, *, include_pii: bool = False) -> Customer:
        from cybrid_tui.api.models import Customer

        params = {"include_pii": "true"} if include_pii else None
        return await self._client._call("GET", customer_path(guid), Customer, params=params, safe=True)

    async def create(self, body: PostCustomer) -> Customer:
        """Create a customer. Never repeated once the request may have reached the server."""
        from cybrid_tui.api.models import Customer

        content = json.dumps(body.to_json_body(), separators=(",", ":")).encode()
        return await self._client._call("POST", CUSTOMERS_PATH, Customer, content=content, safe=False)

    async def update(self, guid: str, body: PatchCustomer) -> Customer:
        from cybrid_tui.api.models import Customer

        content = json.dumps(body.to_json_body(), separators=(",", ":")).encode()
        return await self._client._call("PATCH", customer_path(guid), Customer, content=content, safe=True)

    async def _list(self, model: type[ModelT], page: int, per_page: int, filters: CustomerFilters) -> ModelT:
        url = list_url(self._client.bank_url, CUSTOMERS_PATH, list_params(page, per_page, filters))
        return await self._client._list_page(url, model, per_page=per_page)


def _customer_list() -> type[CustomerList]:
    from cybrid_tui.api.models import CustomerList

    return CustomerList


def list_params(page: int, per_page: int, filters: CustomerFilters) -> dict[str, str]:
    """The query of a customer listing (lists comma-separated), after checking every value."""
    params = list_query(page, per_page, filters, _FILTERS, flags=("include_pii",))
    if "type" in params and not _TYPES.issuperset(params["type"].split(",")):
        raise RequestValidationError("type must be 'individual' or 'business'")
    return params


def customer_path(guid: str) -> str:
    if not guid or not guid.strip():
        raise RequestValidationError("A customer guid is needed.")
    # Quoted so a guid can never step outside /api/customers/ (no "/", "..", "?" or "#").
    return f"{CUSTOMERS_PATH}/{quote(guid, safe='')}"
