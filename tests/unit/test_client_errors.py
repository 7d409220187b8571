"""Every failure reaches the caller as a typed CybridError with a plain message, never raw httpx/pydantic."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from cybrid_tui.api.errors import (
    APIStatusError,
    AuthenticationError,
    CybridError,
    InvalidRequestError,
    MalformedResponseError,
    NetworkError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestTimeoutError,
    RequestValidationError,
    ServerError,
)
from cybrid_tui.api.models import Customer, CustomerState, PostCustomer
from cybrid_tui.api.retry import RetryPolicy
from tests.support.client_fakes import FakeCybrid, customer_json, error_body, json_response

NO_RETRY = RetryPolicy(max_attempts=1)


@pytest.mark.parametrize(
    ("status", "code", "cls"),
    [
        (400, "invalid_parameter", InvalidRequestError),
        (422, "invalid_value", InvalidRequestError),
        (403, "invalid_scopes", PermissionDeniedError),
        (404, "not_found", NotFoundError),
        (409, "conflict", APIStatusError),
        (500, "internal_error", ServerError),
        (503, "service_unavailable", ServerError),
    ],
)
async def test_error_status_maps_to_its_class_with_cybrid_message(
    status: int, code: str, cls: type[APIStatusError]
) -> None:
    fake = FakeCybrid()
    fake.bank_replies.append(
        json_response(status, error_body(status, f"Server says {code}", code), {"x-request-id": "rid-42"})
    )
    async with fake.client(retry=NO_RETRY) as client:
        with pytest.raises(cls) as caught:
            await client.customers.get("a" * 32)
    error = caught.value
    assert type(error) is cls
    assert error.status == status
    assert error.message_code == code
    assert error.error_message == f"Server says {code}."
    assert str(error) == f"Server says {code} (HTTP {status}, {code})"
    assert error.request_id == "rid-42"


async def test_401_after_renewal_is_an_authentication_error() -> None:
    fake = FakeCybrid()
    fake.bank_replies.extend(
        [json_response(401, error_body(401, "Authentication failed", "authentication_failed"))] * 2
    )
    async with fake.client() as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.customers.list()
    assert caught.value.message_code == "authentication_failed"


async def test_429_is_a_rate_limit_error_with_retry_after() -> None:
    fake = FakeCybrid()
    fake.bank_replies.append(
        json_response(429, error_body(429, "Too many requests", "rate_limited"), {"retry-after": "7"})
    )
    async with fake.client(retry=NO_RETRY) as client:
        with pytest.raises(RateLimitError) as caught:
            await client.customers.list()
    assert caught.value.retry_after == 7.0
    assert caught.value.status == 429


async def test_html_error_page_from_a_proxy_gets_a_plain_message() -> None:
    fake = FakeCybrid()
    fake.bank_replies.append(
        httpx.Response(
            502, content=b"<html><body>Bad gateway</body></html>", headers={"content-type": "text/html"}
        )
    )
    async with fake.client(retry=NO_RETRY) as client:
        with pytest.raises(ServerError) as caught:
            await client.customers.list()
    assert caught.value.status == 502
    assert "502 Bad Gateway" in str(caught.value)
    assert "HTML page" in str(caught.value)
    assert caught.value.message_code is None


async def test_error_status_with_non_cybrid_json_body_falls_back() -> None:
    fake = FakeCybrid()
    fake.bank_replies.append(json_response(404, {"detail": "nope"}))
    async with fake.client() as client:
        with pytest.raises(NotFoundError, match="answered 404 Not Found"):
            await client.customers.get("a" * 32)


@pytest.mark.parametrize(
    ("exception", "cls", "sent"),
    [
        (httpx.ConnectError("[Errno 111] Connection refused"), NetworkError, False),
        (httpx.ConnectTimeout("timed out"), RequestTimeoutError, False),
        (httpx.ReadTimeout("timed out"), RequestTimeoutError, True),
        (httpx.RemoteProtocolError("Server disconnected without sending a response."), NetworkError, True),
        (httpx.ReadError("connection reset"), NetworkError, True),
        (RuntimeError("an ASGI app blew up"), NetworkError, True),
    ],
)
async def test_transport_failures_are_typed(exception: Exception, cls: type[CybridError], sent: bool) -> None:
    fake = FakeCybrid()
    fake.bank_replies.append(exception)
    async with fake.client(retry=NO_RETRY) as client:
        with pytest.raises(cls) as caught:
            await client.customers.list()
    assert type(caught.value) is cls
    assert getattr(caught.value, "request_sent", None) is sent
    assert "bank.sandbox.cybrid.app" in str(caught.value)
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__  # the httpx exception is not chained


PII = "Jane-Doe-1970-555-0100"

MALFORMED: list[tuple[str, httpx.Response, str]] = [
    (
        "truncated",
        httpx.Response(
            200,
            content=b'{"guid": "' + PII.encode() + b'", "sta',
            headers={"content-type": "application/json"},
        ),
        "not valid JSON",
    ),
    (
        "empty",
        httpx.Response(200, content=b"", headers={"content-type": "application/json"}),
        "empty response",
    ),
    (
        "html",
        httpx.Response(200, content=f"<html>{PII}</html>".encode(), headers={"content-type": "text/html"}),
        "HTML page",
    ),
    (
        "plain text",
        httpx.Response(200, content=PII.encode(), headers={"content-type": "text/plain"}),
        "'text/plain' content",
    ),
    ("list for object", json_response(200, [{"guid": PII}]), "should be a JSON object"),
    ("string for object", json_response(200, PII), "should be a JSON object"),
    ("missing guid", json_response(200, {"state": PII}), "field 'guid' is missing"),
    ("wrong type", json_response(200, customer_json(1, labels=PII)), "field 'labels'"),
    ("bad date", json_response(200, customer_json(1, created_at=PII)), "field 'created_at'"),
    ("null", json_response(200, None), "should be a JSON object"),
]


@pytest.mark.parametrize(("label", "reply", "phrase"), MALFORMED, ids=[m[0] for m in MALFORMED])
async def test_malformed_bodies_are_clear_errors_that_never_quote_the_body(
    label: str, reply: httpx.Response, phrase: str
) -> None:
    fake = FakeCybrid()
    fake.bank_replies.append(reply)
    async with fake.client() as client:
        with pytest.raises(MalformedResponseError) as caught:
            await client.customers.get("a" * 32, include_pii=True)
    error = caught.value
    assert phrase in str(error)
    assert PII not in str(error)
    assert PII not in repr(error)
    assert error.__cause__ is None
    assert error.__context__ is None or error.__suppress_context__
    assert len(fake.bank_requests) == 1  # a malformed answer is not retried


async def test_an_unreadable_customer_is_left_out_and_counted(caplog: pytest.LogCaptureFixture) -> None:
    # Issue 12: one customer without a usable guid used to reject the whole page (and block the table).
    fake = FakeCybrid()
    secret_name = "Private Person 0451"
    broken = {"guid": 5, "name": {"full": secret_name}}
    objects = [customer_json(1), broken, customer_json(2), {"state": "verified"}]
    fake.bank_replies.append(json_response(200, {"total": 4, "page": 0, "per_page": 100, "objects": objects}))
    async with fake.client() as client:
        page = await client.customers.list()
    assert [c.guid for c in page.objects] == [customer_json(1)["guid"], customer_json(2)["guid"]]
    assert page.unreadable == 2
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "#1 (guid: string_type)" in logged and "#3 (guid: missing)" in logged
    assert secret_name not in logged  # which ones, by index, never their content


async def test_a_malformed_page_envelope_still_names_the_field() -> None:
    fake = FakeCybrid()
    page = {"page": 0, "per_page": 100, "objects": [customer_json(1)]}
    fake.bank_replies.append(json_response(200, page))
    async with fake.client() as client:
        with pytest.raises(MalformedResponseError, match=r"the field 'total' is missing"):
            await client.customers.list()


async def test_unknown_fields_states_and_types_are_tolerated() -> None:
    fake = FakeCybrid()
    body = customer_json(3, state="under_review", type="trust", brand_new_field={"x": [1, 2]})
    fake.bank_replies.append(json_response(200, body))
    async with fake.client() as client:
        customer = await client.customers.get("a" * 32)
    assert customer.state == "under_review"
    assert customer.type == "trust"
    assert customer.guid == body["guid"]


async def test_missing_content_type_with_json_body_is_accepted() -> None:
    fake = FakeCybrid()
    fake.bank_replies.append(httpx.Response(200, content=json.dumps(customer_json(1)).encode()))
    async with fake.client() as client:
        customer = await client.customers.get("a" * 32)
    assert customer.state == CustomerState.VERIFIED


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"page": -1}, "page must be 0 or more"),
        ({"per_page": 0}, "per_page must be between 1 and 100"),
        ({"per_page": 101}, "per_page must be between 1 and 100"),
        ({"type": ["person"]}, "type must be"),
        ({"guid": ["a" * 32, 7]}, "invalid guid filter"),
        ({"label": [None]}, "invalid label filter"),
    ],
)
async def test_bad_list_arguments_fail_before_sending(kwargs: dict[str, Any], message: str) -> None:
    fake = FakeCybrid()
    async with fake.client() as client:
        with pytest.raises(RequestValidationError, match=message) as caught:
            await client.customers.list(**kwargs)
    assert isinstance(caught.value, ValueError)
    assert fake.bank_requests == [] and fake.token_requests == []


async def test_iterating_with_bad_arguments_fails_before_sending() -> None:
    fake = FakeCybrid()
    async with fake.client() as client:
        with pytest.raises(RequestValidationError):
            async for _ in client.customers.iter_pages(per_page=500):
                pass
        with pytest.raises(RequestValidationError):
            async for _ in client.customers.iter_pages(concurrency=0):
                pass
    assert fake.bank_requests == []


@pytest.mark.parametrize("guid", ["", "   "])
async def test_empty_guid_is_refused(guid: str) -> None:
    fake = FakeCybrid()
    async with fake.client() as client:
        with pytest.raises(RequestValidationError):
            await client.customers.get(guid)
    assert fake.bank_requests == []


async def test_guid_cannot_escape_the_customers_path() -> None:
    fake = FakeCybrid()
    async with fake.client() as client:
        with pytest.raises(NotFoundError):
            await client.customers.get("../banks?x=1#y")
    assert fake.bank_requests[0].url.raw_path == b"/api/customers/..%2Fbanks%3Fx%3D1%23y"


async def test_create_error_422_keeps_server_message() -> None:
    fake = FakeCybrid()
    fake.bank_replies.append(
        json_response(422, error_body(422, "Customer name required", "missing_parameter"))
    )
    async with fake.client() as client:
        with pytest.raises(InvalidRequestError) as caught:
            await client.customers.create(PostCustomer(type="individual"))  # type: ignore[arg-type]
    assert caught.value.error_message == "Customer name required."  # every message is a sentence
    assert caught.value.message_code == "missing_parameter"


async def test_successful_calls_return_models() -> None:
    fake = FakeCybrid(customers=3)
    async with fake.client() as client:
        created = await client.customers.create(PostCustomer(type="business"))  # type: ignore[arg-type]
        assert isinstance(created, Customer) and created.state == "storing"
        assert json.loads(fake.bank_requests[-1].content) == {"type": "business"}
        assert fake.bank_requests[-1].headers["content-type"] == "application/json"
        fetched = await client.customers.get(created.guid, include_pii=True)
        assert fetched.guid == created.guid
        assert fake.bank_requests[-1].url.params["include_pii"] == "true"
        from cybrid_tui.api.models import PatchCustomer

        await client.customers.update(created.guid, PatchCustomer(state=CustomerState.UNVERIFIED))
        assert fake.bank_requests[-1].method == "PATCH"
        assert json.loads(fake.bank_requests[-1].content) == {"state": "unverified"}
