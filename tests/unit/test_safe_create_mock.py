"""Duplicate protection against the real mock bank under faults: a lost answer never becomes two customers."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx
import pytest

from cybrid_tui.api.client import CybridClient
from cybrid_tui.api.errors import RequestTimeoutError, ServerError, TransportError
from cybrid_tui.api.models import PostCustomer
from cybrid_tui.api.retry import RetryPolicy
from cybrid_tui.api.safe_create import SafeCreator

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from cybrid_tui.mock.backend import MockBackend
    from tests.support.mock_server import MakeMockServer

NO_RETRIES = RetryPolicy(max_attempts=1)


def client_for(
    url: str, *, transport: httpx.AsyncBaseTransport | None = None, timeout: float = 10.0
) -> CybridClient:
    return CybridClient(
        bank_url=url,
        id_url=url,
        client_id="mock-client-id",
        client_secret="mock-client-secret",
        transport=transport,
        timeout=timeout,
        retry=NO_RETRIES,
    )


def tagged(backend: MockBackend, tag: str) -> list[str]:
    return [
        guid
        for guid in backend.guids()
        if tag in (backend.customer_json(guid, include_pii=False).get("labels") or [])
    ]


def request(tag: str) -> PostCustomer:
    return PostCustomer.model_validate({"type": "individual", "labels": ["vip", tag]})


async def test_a_dropped_connection_then_a_retry_leaves_one_customer(mock_app: Starlette) -> None:
    backend: MockBackend = mock_app.state.backend
    before = len(backend.guids())
    async with client_for("http://127.0.0.1", transport=httpx.ASGITransport(mock_app)) as client:
        await client.granted_scopes()  # a token first: the faults below also hit the identity path
        creator = SafeCreator(client.customers)
        backend.faults.drop_rate = 1.0  # every request is processed, then its connection breaks
        with pytest.raises(TransportError) as failure:
            await creator.create(request(creator.tag))
        assert failure.value.request_sent
        assert creator.uncertain  # the immediate lookup was dropped too
        assert len(tagged(backend, creator.tag)) == 1  # the create did happen
        backend.faults.drop_rate = 0.0
        result = await creator.create(request(creator.tag))
    assert result.recovered
    assert tagged(backend, creator.tag) == [result.customer.guid]
    assert len(backend.guids()) == before + 1


async def test_a_5xx_then_a_retry_sends_again_and_leaves_one_customer(mock_app: Starlette) -> None:
    backend: MockBackend = mock_app.state.backend
    before = len(backend.guids())
    async with client_for("http://127.0.0.1", transport=httpx.ASGITransport(mock_app)) as client:
        await client.granted_scopes()
        creator = SafeCreator(client.customers)
        backend.faults.error_rate = 1.0  # answered 5xx before being processed: nothing is created
        with pytest.raises(ServerError):
            await creator.create(request(creator.tag))
        assert creator.uncertain
        backend.faults.error_rate = 0.0
        result = await creator.create(request(creator.tag))
    assert not result.recovered
    assert tagged(backend, creator.tag) == [result.customer.guid]
    assert len(backend.guids()) == before + 1


@pytest.mark.integration
async def test_a_timeout_then_a_retry_leaves_one_customer(make_mock_server: MakeMockServer) -> None:
    server = make_mock_server()
    backend = server.backend
    before = len(backend.guids())
    async with client_for(server.url, timeout=0.5) as client:
        await client.granted_scopes()
        creator = SafeCreator(client.customers)
        backend.faults.latency_ms = 3000  # no answer before the client gives up
        with pytest.raises(RequestTimeoutError) as failure:
            await creator.create(request(creator.tag))
        assert failure.value.request_sent
        assert creator.uncertain  # the immediate lookup timed out as well: nothing is known
        with pytest.raises(RequestTimeoutError):
            await creator.create(request(creator.tag))  # a retry while it is still slow sends nothing
        backend.faults.latency_ms = 0
        result = await creator.create(request(creator.tag))
    # The mock drops a request whose client went away during the latency, so the retry had to send again.
    assert not result.recovered
    assert result.others == ()
    assert tagged(backend, creator.tag) == [result.customer.guid]
    assert len(backend.guids()) == before + 1
