"""The readers that stand in for models where pydantic is kept out (`cybrid_tui.api.raw`): a list page whose
objects stay the server's JSON, and the token answer. They refuse what the models refuse, in the same words,
and never quote the body."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from cybrid_tui.api.errors import MalformedResponseError
from cybrid_tui.api.raw import RawPage, ShapeError, TokenResponse
from tests.support.client_fakes import FakeCybrid, customer_json, json_response

PII = "Jane Q Private 555-0100"


def page_body(objects: list[Any], **numbers: Any) -> bytes:
    return json.dumps(
        {"total": len(objects), "page": 0, "per_page": 100, **numbers, "objects": objects}
    ).encode()


def test_a_page_keeps_the_servers_objects_as_they_are() -> None:
    objects = [customer_json(1, extra_field={"kept": True}), customer_json(2)]
    page = RawPage.read_json(page_body(objects, total=250))
    assert (page.total, page.page, page.per_page, page.unreadable) == (250, 0, 100, 0)
    assert page.objects == objects  # every field, unknown ones too, in the server's order
    assert PII not in repr(RawPage.read_json(page_body([customer_json(1, name={"full": PII})])))


def test_objects_that_cannot_be_named_are_left_out_counted_and_logged_by_index(
    caplog: pytest.LogCaptureFixture,
) -> None:
    objects = [customer_json(1), [PII], {"name": PII}, {"guid": 7, "name": PII}, customer_json(2), PII]
    with caplog.at_level(logging.WARNING):
        page = RawPage.read_json(page_body(objects))
    assert [item["guid"] for item in page.objects] == [customer_json(1)["guid"], customer_json(2)["guid"]]
    assert page.unreadable == 4
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "#1 (object: dict_type)" in logged and "#2 (guid: missing)" in logged
    assert "#3 (guid: string_type)" in logged and "#5 (object: dict_type)" in logged
    assert PII not in logged


@pytest.mark.parametrize(
    ("body", "phrase"),
    [
        (b'{"total": 1, "page": 0, "per_page": 100, "objects": [{"guid": "', "not valid JSON"),
        (json.dumps([PII]).encode(), "the body should be a JSON object"),
        (json.dumps(PII).encode(), "the body should be a JSON object"),
        (b"null", "the body should be a JSON object"),
        (json.dumps({"page": 0, "per_page": 100, "objects": []}).encode(), "the field 'total' is missing"),
        (json.dumps({"total": PII, "page": 0, "per_page": 1, "objects": []}).encode(), "field 'total'"),
        (json.dumps({"total": True, "page": 0, "per_page": 1, "objects": []}).encode(), "field 'total'"),
        (json.dumps({"total": 1, "page": 0, "per_page": 1.5, "objects": []}).encode(), "field 'per_page'"),
        (json.dumps({"total": 1, "page": 0, "per_page": 1}).encode(), "the field 'objects' is missing"),
        (json.dumps({"total": 1, "page": 0, "per_page": 1, "objects": PII}).encode(), "field 'objects'"),
    ],
)
def test_a_malformed_page_is_a_shape_error_naming_where_never_what(body: bytes, phrase: str) -> None:
    with pytest.raises(ShapeError) as caught:
        RawPage.read_json(body)
    assert phrase in str(caught.value)
    assert PII not in str(caught.value)


async def test_the_client_reads_raw_pages_and_turns_a_bad_one_into_a_clean_error() -> None:
    fake = FakeCybrid(customers=3)
    async with fake.client() as client:
        page = await client.customers.list(model=RawPage)
        assert [item["guid"] for item in page.objects] == [item["guid"] for item in fake.customers]
        fake.bank_replies.append(json_response(200, {"total": PII, "objects": []}))
        with pytest.raises(MalformedResponseError) as caught:
            await client.customers.list(model=RawPage)
    assert "sent a response that is not a list" in str(caught.value)
    assert PII not in str(caught.value) and caught.value.__cause__ is None


@pytest.mark.parametrize("model", [RawPage, None], ids=["raw pages", "model pages"])
async def test_a_full_page_with_an_unreadable_record_is_not_taken_for_the_last(model: type | None) -> None:
    # Page 0 holds 100 objects, one without a guid: 99 readable ones must not read as "a short page, the end".
    fake = FakeCybrid(customers=250)
    fake.customers.insert(5, {"id": PII})
    listed: list[str] = []
    async with fake.client() as client:
        options: dict[str, Any] = {} if model is None else {"model": model}
        async for page in client.customers.iter_pages(**options):
            listed += [item["guid"] if isinstance(item, dict) else item.guid for item in page.objects]
    assert listed == [customer["guid"] for customer in fake.customers if "guid" in customer]


def test_numbers_no_json_writer_can_write_back_make_their_record_unreadable() -> None:
    # orjson refuses NaN, Infinity and 1e400; the standard library reads them, and no JSON can hold them.
    body = (
        b'{"total": 4, "page": 0, "per_page": 100, "objects": [{"guid": "a"}, {"guid": "b", "x": NaN},'
        b' {"guid": "c", "l": [1e400]}, {"guid": "d", "name": "half \\ud800 surrogate"}]}'
    )
    page = RawPage.read_json(body)
    assert [item["guid"] for item in page.objects] == ["a", "d"] and page.unreadable == 2
    with pytest.raises(ShapeError, match="not valid JSON"):  # UTF-16 and a byte-order mark: not the API's
        RawPage.read_json(json.dumps({"total": 0, "page": 0, "per_page": 1, "objects": []}).encode("utf-16"))


async def test_a_raw_page_bigger_than_asked_is_refused() -> None:
    fake = FakeCybrid()
    objects = [customer_json(index) for index in range(3)]
    fake.bank_replies.append(json_response(200, {"total": 3, "page": 0, "per_page": 2, "objects": objects}))
    async with fake.client() as client:
        with pytest.raises(MalformedResponseError, match="3 objects in a page of at most 2"):
            await client.customers.list(model=RawPage, per_page=2)


def token_body(**fields: Any) -> bytes:
    return json.dumps(
        {"access_token": "tok-" + PII, "token_type": "Bearer", "expires_in": 60, **fields}
    ).encode()


def test_a_token_answer_is_read_and_the_token_stays_masked() -> None:
    token = TokenResponse.read_json(token_body(scope="customers:read customers:write", created_at=1))
    assert token.access_token.get_secret_value() == "tok-" + PII
    assert token.scopes == frozenset({"customers:read", "customers:write"})
    assert token.expires_in == 60.0 and token.token_type == "Bearer"
    assert PII not in repr(token) and PII not in str(token) and PII not in f"{token.access_token}"
    assert TokenResponse.read_json(json.dumps({"access_token": "t", "expires_in": 1.5}).encode()).scope == ""


@pytest.mark.parametrize(
    ("fields", "phrase"),
    [
        ({"expires_in": "3600"}, "field 'expires_in'"),
        ({"expires_in": True}, "field 'expires_in'"),
        ({"expires_in": None}, "field 'expires_in'"),
        ({"access_token": 5}, "field 'access_token'"),
        ({"access_token": None}, "field 'access_token'"),
        ({"token_type": None}, "field 'token_type'"),
        ({"scope": ["customers:read"]}, "field 'scope'"),
    ],
)
def test_a_token_answer_of_the_wrong_shape_is_refused(fields: dict[str, Any], phrase: str) -> None:
    with pytest.raises(ShapeError, match=phrase) as caught:
        TokenResponse.read_json(token_body(**fields))
    assert PII not in str(caught.value)


def test_a_token_without_a_lifetime_or_with_an_endless_one_is_refused() -> None:
    with pytest.raises(ShapeError, match="'expires_in' is missing"):
        TokenResponse.read_json(json.dumps({"access_token": "t"}).encode())
    with pytest.raises(ShapeError):  # 10**400 is no finite lifetime, however it is spelled
        TokenResponse.read_json(b'{"access_token": "t", "expires_in": 1' + b"0" * 400 + b"}")
    with pytest.raises(ShapeError):
        TokenResponse.read_json(b'{"access_token": "t", "expires_in": 1e400}')
