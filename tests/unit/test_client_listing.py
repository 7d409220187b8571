"""Listing: query parameters as the API wants them, and paging through everything in order, concurrently."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from cybrid_tui.api.errors import ServerError
from cybrid_tui.api.retry import RetryPolicy
from tests.support.client_fakes import FakeCybrid, error_body, json_response
from tests.support.waiting import wait_for


async def test_list_sends_paging_and_comma_separated_filters() -> None:
    fake = FakeCybrid()
    async with fake.client() as client:
        await client.customers.list(
            page=2,
            per_page=25,
            type=["individual", "business"],
            guid=["a" * 32, "b" * 32],
            label=["vip", "new"],
            include_pii=True,
        )
    params = fake.bank_requests[0].url.params
    assert dict(params) == {
        "page": "2",
        "per_page": "25",
        "type": "individual,business",
        "guid": f"{'a' * 32},{'b' * 32}",
        "label": "vip,new",
        "include_pii": "true",
    }


async def test_a_long_guid_filter_goes_out_exactly_as_httpx_encodes_params() -> None:
    # The listing URL is built once with its query (a tick's 100-guid filter is 3.4 kB): byte for byte the
    # URL httpx would have built from the parameters, under a bank URL with a path of its own too.
    guids = [f"{n:032x}" for n in range(100)]
    labels = ["vip tier", "a&b=c", "x+y/z?#", "日本", "%41"]
    bank_url = "https://bank.example/prefix"
    fake = FakeCybrid()
    empty = {"total": 0, "page": 0, "per_page": 100, "objects": []}
    fake.bank_replies.extend([json_response(200, empty), json_response(200, empty)])
    async with fake.client(bank_url=bank_url) as client:
        await client.customers.list(guid=guids, include_pii=True)
        await client.customers.list(page=3, per_page=7, type="business", label=labels, include_pii=False)
    first, second = (request.url for request in fake.bank_requests)
    endpoint = f"{bank_url}/api/customers"
    guid_params = {"page": "0", "per_page": "100", "guid": ",".join(guids), "include_pii": "true"}
    label_params = {"page": "3", "per_page": "7", "type": "business", "label": ",".join(labels)}
    assert first == httpx.Request("GET", endpoint, params=guid_params).url
    assert second == httpx.Request("GET", endpoint, params={**label_params, "include_pii": "false"}).url
    assert first.path == "/prefix/api/customers"
    assert first.params["guid"].split(",") == guids
    assert second.params["label"] == ",".join(labels)


async def test_list_defaults_and_a_bare_string_filter() -> None:
    fake = FakeCybrid()
    async with fake.client() as client:
        page = await client.customers.list(type="business")
    assert dict(fake.bank_requests[0].url.params) == {"page": "0", "per_page": "100", "type": "business"}
    assert page.page == 0 and page.per_page == 100


async def test_list_parses_the_page() -> None:
    fake = FakeCybrid(customers=150)
    async with fake.client() as client:
        page = await client.customers.list(page=1, per_page=100)
    assert page.total == 150
    assert [c.guid for c in page.objects] == [c["guid"] for c in fake.customers[100:]]


@pytest.mark.parametrize(
    ("customers", "per_page", "requests"),
    [(0, 100, 1), (5, 100, 1), (100, 100, 1), (250, 100, 3), (1000, 100, 10), (7, 3, 3)],
)
async def test_iter_pages_yields_everything_in_order_without_extra_requests(
    customers: int, per_page: int, requests: int
) -> None:
    fake = FakeCybrid(customers=customers)
    async with fake.client() as client:
        pages = [p async for p in client.customers.iter_pages(per_page=per_page)]
    assert [p.page for p in pages] == list(range(requests))
    guids = [c.guid for p in pages for c in p.objects]
    assert guids == [c["guid"] for c in fake.customers]
    assert len(fake.bank_requests) == requests


async def test_iter_pages_passes_filters_on_every_page() -> None:
    fake = FakeCybrid(customers=30)
    async with fake.client() as client:
        pages = [p async for p in client.customers.iter_pages(per_page=10, label=["vip"], include_pii=True)]
    assert len(pages) == 3
    for request in fake.bank_requests:
        assert request.url.params["label"] == "vip"
        assert request.url.params["include_pii"] == "true"


async def test_iter_pages_fetches_concurrently_but_yields_in_order() -> None:
    """Later pages answer first; the pages still come out in order, with a bounded number in flight."""
    fake = FakeCybrid(customers=1000)
    in_flight = 0
    peak = 0
    gates: dict[int, asyncio.Event] = {}

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        if request.url.path == "/oauth/token":
            return fake.handle(request)
        page = int(request.url.params["page"])
        in_flight += 1
        peak = max(peak, in_flight)
        if page > 0:
            gates.setdefault(page, asyncio.Event())
            # Release pages in reverse order of arrival within each batch.
            if page % 4 == 0 or page == 9:
                for waiting in sorted(gates, reverse=True):
                    gates[waiting].set()
            await gates[page].wait()
        in_flight -= 1
        return fake.handle(request)

    async with fake.client(transport=httpx.MockTransport(handler)) as client:
        pages = [p.page async for p in client.customers.iter_pages(per_page=100, concurrency=4)]
    assert pages == list(range(10))
    assert 1 < peak <= 4


async def test_iter_pages_stops_at_a_short_page_even_if_total_says_more() -> None:
    fake = FakeCybrid(customers=250)

    def short(request: httpx.Request) -> httpx.Response:
        body = {"total": 10_000, "page": 1, "per_page": 100, "objects": fake.customers[100:150]}
        return json_response(200, body)

    async def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/customers" and request.url.params.get("page") == "1":
            return short(request)
        response = fake.handle(request)
        if request.url.path == "/api/customers":
            # Claim a huge total on page 0, so the iterator schedules many pages.
            await response.aread()
            data = response.json()
            data["total"] = 10_000
            return json_response(200, data)
        return response

    async with fake.client(transport=httpx.MockTransport(handler)) as client:
        pages = [p async for p in client.customers.iter_pages(per_page=100, concurrency=3)]
    assert [p.page for p in pages] == [0, 1]
    assert len(pages[1].objects) == 50


async def test_iter_pages_follows_a_growing_total() -> None:
    fake = FakeCybrid(customers=200)
    async with fake.client() as client:
        seen = []
        async for page in client.customers.iter_pages(per_page=100, concurrency=1):
            seen.append(page.page)
            if page.page == 0:
                fake.customers.extend(fake.customers[:50])  # 50 more arrive while paging
    assert seen == [0, 1, 2]


async def test_iter_pages_raises_the_first_failure_in_page_order() -> None:
    fake = FakeCybrid(customers=1000)

    async def handler(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("page") == "3":
            return json_response(500, error_body(500, "boom", "internal"))
        return fake.handle(request)

    received = []
    async with fake.client(
        transport=httpx.MockTransport(handler), retry=RetryPolicy(max_attempts=1)
    ) as client:
        with pytest.raises(ServerError):
            async for page in client.customers.iter_pages(per_page=100, concurrency=4):
                received.append(page.page)
    assert received == [0, 1, 2]


async def test_leaving_early_cancels_pages_in_flight() -> None:
    fake = FakeCybrid(customers=1000)
    started: list[int] = []
    cancelled: list[int] = []
    never = asyncio.Event()

    async def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page", "-1"))
        if page >= 1:
            started.append(page)
            try:
                await never.wait()
            except asyncio.CancelledError:
                cancelled.append(page)
                raise
        return fake.handle(request)

    async with fake.client(transport=httpx.MockTransport(handler)) as client:
        pages = client.customers.iter_pages(per_page=100, concurrency=4)
        first = await anext(pages)
        assert first.page == 0
        second = asyncio.ensure_future(anext(pages))
        await wait_for(lambda: len(started) == 4, timeout=2.0, message="pages 1-4 requested")
        assert sorted(started) == [1, 2, 3, 4]
        second.cancel()  # the consumer goes away while page 1 is awaited
        with pytest.raises(asyncio.CancelledError):
            await second
    assert sorted(cancelled) == [1, 2, 3, 4]


async def test_breaking_out_then_closing_cancels_prefetched_pages() -> None:
    fake = FakeCybrid(customers=1000)
    cancelled: list[int] = []
    gate = asyncio.Event()

    async def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page", "-1"))
        if page >= 2:
            try:
                await gate.wait()
            except asyncio.CancelledError:
                cancelled.append(page)
                raise
        return fake.handle(request)

    async with fake.client(transport=httpx.MockTransport(handler)) as client:
        pages = client.customers.iter_pages(per_page=100, concurrency=3)
        async for page in pages:
            if page.page == 1:
                break
        await pages.aclose()
    assert sorted(cancelled) == [2, 3]
