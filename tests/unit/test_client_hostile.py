"""A broken or hostile server against the client (issue 12): answers bigger than asked, bodies without end,
a server that drips, a secret echoed back, token lifetimes out of range. Each test serves the bad answer."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

import httpx
import pytest

from cybrid_tui.api.errors import (
    AuthenticationError,
    CybridError,
    MalformedResponseError,
    RequestTimeoutError,
)
from cybrid_tui.api.retry import RetryPolicy
from tests.support.client_fakes import SECRET, TOKEN_MARK, FakeCybrid, FakeTime, customer_json, json_response

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

ONE_ATTEMPT = RetryPolicy(max_attempts=1)


class Drip(httpx.AsyncByteStream):
    """A body sent `size` bytes at a time, `every` seconds apart, `chunks` times (None: without end)."""

    def __init__(self, *, every: float = 0.0, size: int = 1, chunks: int | None = None) -> None:
        self.every = every
        self.size = size
        self.chunks = chunks
        self.sent = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield b'{"total": 1, "page": 0, "per_page": 100, "objects": ['
        while self.chunks is None or self.sent < self.chunks:
            if self.every:
                await asyncio.sleep(self.every)
            else:
                await asyncio.sleep(0)
            self.sent += 1
            yield b" " * self.size
        yield b"]}"


def page_of(count: int, *, per_page: int) -> httpx.Response:
    objects = [customer_json(i) for i in range(count)]
    return json_response(200, {"total": 10_000, "page": 0, "per_page": per_page, "objects": objects})


# ----------------------------------------------------------------------------------- bigger than asked


async def test_a_page_with_more_objects_than_per_page_is_refused() -> None:
    fake = FakeCybrid()
    fake.bank_replies.append(page_of(11, per_page=10))
    async with fake.client(retry=ONE_ATTEMPT) as client:
        with pytest.raises(MalformedResponseError, match="11 objects in a page of at most 10"):
            await client.customers.list(per_page=10)


async def test_a_page_of_exactly_per_page_objects_is_fine() -> None:
    fake = FakeCybrid()
    fake.bank_replies.append(page_of(10, per_page=10))
    async with fake.client() as client:
        assert len((await client.customers.list(per_page=10)).objects) == 10


async def test_iterating_stops_at_a_page_bigger_than_asked() -> None:
    fake = FakeCybrid()
    fake.bank_replies.extend([page_of(10, per_page=10), page_of(1000, per_page=10)])
    async with fake.client(retry=ONE_ATTEMPT) as client:
        with pytest.raises(MalformedResponseError, match="1000 objects"):
            async for _ in client.customers.iter_pages(per_page=10, concurrency=1):
                pass


async def test_a_body_without_end_is_cut_off_at_the_cap() -> None:
    drip = Drip(size=64 * 1024)  # never ends: only the cap stops the read
    fake = FakeCybrid()
    fake.bank_replies.append(httpx.Response(200, headers={"content-type": "application/json"}, stream=drip))
    async with fake.client(retry=ONE_ATTEMPT) as client:
        with pytest.raises(MalformedResponseError, match=r"larger than 8 MiB") as caught:
            await client.customers.list()
    assert 8 * 1024 * 1024 / drip.size <= drip.sent <= 8 * 1024 * 1024 / drip.size + 2
    assert not caught.value.request_sent or caught.value.request_sent  # typed, with its flag


async def test_a_declared_length_past_the_cap_is_refused_before_reading() -> None:
    drip = Drip(size=1024, chunks=10)
    fake = FakeCybrid()
    headers = {"content-type": "application/json", "content-length": str(50 * 1024 * 1024)}
    fake.bank_replies.append(httpx.Response(200, headers=headers, stream=drip))
    async with fake.client(retry=ONE_ATTEMPT) as client:
        with pytest.raises(MalformedResponseError, match="larger than"):
            await client.customers.list()
    assert drip.sent == 0


async def test_the_cap_is_configurable_and_a_page_under_it_is_read() -> None:
    fake = FakeCybrid()
    async with fake.client(max_body_bytes=2_000) as client:
        with pytest.raises(MalformedResponseError, match="larger than 2,000 bytes"):
            await client.customers.list(per_page=100)
    async with fake.client() as client:
        assert len((await client.customers.list(per_page=100)).objects) == 100


async def test_a_token_answer_without_end_is_cut_off_too() -> None:
    fake = FakeCybrid()
    fake.token_replies.append(
        httpx.Response(200, headers={"content-type": "application/json"}, stream=Drip(size=65536))
    )
    async with fake.client(retry=ONE_ATTEMPT) as client:
        with pytest.raises(MalformedResponseError, match=r"identity provider.*larger than"):
            await client.customers.list()


# ---------------------------------------------------------------------------------- a timeout that is one


async def test_a_server_that_drips_fails_within_the_timeout() -> None:
    # Headers at once, then a byte every 0.2 s: each read is quick, the whole answer would take 8 s.
    fake = FakeCybrid()
    fake.bank_replies.append(
        httpx.Response(200, headers={"content-type": "application/json"}, stream=Drip(every=0.2, chunks=40))
    )
    async with fake.client(retry=ONE_ATTEMPT, timeout=1.0) as client:
        await client.granted_scopes()
        started = time.monotonic()
        with pytest.raises(RequestTimeoutError, match="did not answer within 1 s") as caught:
            await client.customers.list()
        elapsed = time.monotonic() - started
    assert elapsed < 1.0 + 0.5
    assert caught.value.request_sent  # it reached the server


async def test_a_token_endpoint_that_drips_fails_within_the_timeout_and_nothing_was_sent() -> None:
    fake = FakeCybrid()
    fake.token_replies.append(
        httpx.Response(200, headers={"content-type": "application/json"}, stream=Drip(every=0.2, chunks=40))
    )
    async with fake.client(retry=ONE_ATTEMPT, timeout=1.0) as client:
        started = time.monotonic()
        with pytest.raises(RequestTimeoutError) as caught:
            await client.customers.list()
        elapsed = time.monotonic() - started
    assert elapsed < 1.0 + 0.5
    assert not caught.value.request_sent  # only the token was awaited: the bank request never left
    assert fake.bank_requests == []


# ------------------------------------------------------------------------------------------- the secret


@pytest.mark.parametrize("where", ["bank", "token"])
async def test_a_reason_phrase_echoing_the_secret_never_reaches_the_error(where: str) -> None:
    fake = FakeCybrid()
    echo = httpx.Response(
        401 if where == "bank" else 502,
        headers={"x-request-id": f"rid-{SECRET}"},
        extensions={"reason_phrase": f"Unauthorized {SECRET}".encode()},
    )
    replies = fake.bank_replies if where == "bank" else fake.token_replies
    replies.extend([echo, echo, echo, echo])
    async with fake.client(retry=ONE_ATTEMPT) as client:
        with pytest.raises(CybridError) as caught:
            await client.customers.list()
    error = caught.value
    for text in (str(error), repr(error), error.error_message, str(error.request_id)):
        assert SECRET not in text
    assert "[redacted]" in str(error)


async def test_an_error_message_echoing_the_secret_is_scrubbed() -> None:
    fake = FakeCybrid()
    fake.bank_replies.append(
        json_response(400, {"status": 400, "error_message": f"bad {SECRET}", "message_code": "x"})
    )
    async with fake.client(retry=ONE_ATTEMPT) as client:
        with pytest.raises(CybridError) as caught:
            await client.customers.list()
    assert SECRET not in str(caught.value) and SECRET not in repr(caught.value)


# ------------------------------------------------------------------------------------------ token lifetime


@pytest.mark.parametrize(
    "expires_in", [b"1" + b"0" * 400, b"1e400", b'"never"', b"null", b"true", b"NaN", b"Infinity"]
)
async def test_a_malformed_token_lifetime_is_a_typed_error(expires_in: bytes) -> None:
    fake = FakeCybrid()
    body = b'{"access_token": "%s-x", "token_type": "Bearer", "expires_in": %s}' % (
        TOKEN_MARK.encode(),
        expires_in,
    )
    fake.token_replies.append(httpx.Response(200, headers={"content-type": "application/json"}, content=body))
    async with fake.client(retry=ONE_ATTEMPT) as client:
        with pytest.raises(MalformedResponseError, match=r"not a token response.*'expires_in'") as caught:
            await client.customers.list()
    assert "Overflow" not in repr(caught.value)


@pytest.mark.parametrize("expires_in", [0, -5, -(10**6)])
async def test_a_token_lifetime_of_zero_or_less_is_used_for_a_while(expires_in: int) -> None:
    fake = FakeCybrid()
    fake.token_ttl = expires_in
    clock = FakeTime()
    async with fake.client(time=clock) as client:
        for _ in range(4):
            await client.customers.list(per_page=1)
            clock.now += 3.0  # 12 s in all: a 30 s token is renewed at 15 s at the soonest
    assert fake.issued == 1  # taken at its word, the token would have been fetched before every call


async def test_a_short_positive_lifetime_is_honoured() -> None:
    fake = FakeCybrid()
    fake.token_ttl = 2
    clock = FakeTime()
    async with fake.client(time=clock) as client:
        await client.customers.list(per_page=1)
        clock.now += 1.5
        await client.customers.list(per_page=1)
    assert fake.issued == 2


async def test_rejected_credentials_never_echo_the_secret() -> None:
    fake = FakeCybrid()
    body = {"error": "invalid_client", "error_description": f"unknown secret {SECRET}"}
    fake.token_replies.append(json_response(401, body))
    async with fake.client(retry=ONE_ATTEMPT) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.customers.list()
    assert SECRET not in str(caught.value) and SECRET not in repr(caught.value)
