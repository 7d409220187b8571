"""Property-based tests: no input makes the models (or the client's parsing) fail other than cleanly."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from cybrid_tui.api.errors import MalformedResponseError, RequestValidationError
from cybrid_tui.api.models import (
    MAX_IDENTIFICATION_NUMBERS,
    MAX_LABELS,
    Customer,
    CustomerList,
    CustomerState,
    ErrorResponse,
    IdentificationNumberType,
    PostCustomer,
)
from cybrid_tui.api.paging import check_paging
from cybrid_tui.api.raw import RawPage, ShapeError, TokenResponse
from cybrid_tui.api.responses import parse_model

RESPONSE_MODELS: list[type[BaseModel]] = [Customer, CustomerList, ErrorResponse]
MARK = "ZQX"  # every generated string value carries it, so a message quoting input is easy to spot

FIELD_NAMES = sorted(
    set(Customer.model_fields)
    | set(CustomerList.model_fields)
    | set(ErrorResponse.model_fields)
    | {"access_token", "token_type", "expires_in", "scope", "total", "page", "per_page", "objects"}
    | {"first", "last", "full", "street", "city", "country_code", "identification_number", "failure_codes"}
)

marked_text = st.text(max_size=12).map(lambda s: MARK + s)
scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | marked_text
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(FIELD_NAMES) | st.text(max_size=5), children, max_size=6)
    ),
    max_leaves=25,
)

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(value=json_values, model=st.sampled_from(RESPONSE_MODELS))
def test_any_json_value_parses_or_raises_validation_error(value: Any, model: type[BaseModel]) -> None:
    for parse in (model.model_validate, lambda v: model.model_validate_json(json.dumps(v))):
        with contextlib.suppress(ValidationError):
            parse(value)


@FAST
@given(raw=st.binary(max_size=200), model=st.sampled_from(RESPONSE_MODELS))
def test_any_bytes_parse_or_raise_validation_error(raw: bytes, model: type[BaseModel]) -> None:
    with contextlib.suppress(ValidationError):
        model.model_validate_json(raw)


#: The readers that stand in for a model where pydantic is kept out (`cybrid_tui.api.raw`).
RAW_READERS: list[type[RawPage] | type[TokenResponse]] = [RawPage, TokenResponse]


@given(value=json_values, reader=st.sampled_from(RAW_READERS))
def test_raw_readers_read_any_json_value_or_raise_a_shape_error_quoting_nothing(
    value: Any, reader: type[RawPage] | type[TokenResponse]
) -> None:
    try:
        reader.read_json(json.dumps(value).encode())
    except ShapeError as exc:
        assert MARK not in str(exc)


@given(raw=st.binary(max_size=200), reader=st.sampled_from(RAW_READERS))
def test_raw_readers_read_any_bytes_or_raise_a_shape_error(
    raw: bytes, reader: type[RawPage] | type[TokenResponse]
) -> None:
    with contextlib.suppress(ShapeError):
        reader.read_json(raw)


customer_like = st.fixed_dictionaries(
    {"guid": st.text(min_size=1, max_size=40)},
    optional={name: json_values for name in Customer.model_fields if name != "guid"},
)


@FAST
@given(body=customer_like | json_values, content_type=st.sampled_from(["application/json", "", "text/html"]))
def test_client_parsing_turns_anything_into_a_model_or_a_clean_error(body: Any, content_type: str) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = httpx.Response(200, content=json.dumps(body).encode(), headers=headers)
    try:
        parse_model(response, Customer, expected="a customer", origin="The Cybrid API")
    except MalformedResponseError as exc:
        assert MARK not in str(exc)
        assert exc.__cause__ is None


@FAST
@given(raw=st.binary(max_size=300))
def test_truncated_or_garbage_bodies_are_clean_errors(raw: bytes) -> None:
    response = httpx.Response(200, content=raw, headers={"content-type": "application/json"})
    with contextlib.suppress(MalformedResponseError):
        parse_model(response, CustomerList, expected="a customer list", origin="The Cybrid API")


# ----------------------------------------------------------------------------------- valid data always parses

hex_guid = st.text(alphabet="0123456789abcdef", min_size=32, max_size=32)
iso_datetimes = st.datetimes(timezones=st.just(__import__("datetime").UTC)).map(
    lambda d: d.isoformat().replace("+00:00", "Z")
)
opt_text = st.none() | st.text(max_size=30)
spec_customer = st.fixed_dictionaries(
    {"guid": hex_guid},
    optional={
        "bank_guid": hex_guid,
        "type": st.sampled_from(["individual", "business"]) | st.text(max_size=12),
        "state": st.sampled_from([s.value for s in CustomerState]) | st.text(max_size=12),
        "created_at": iso_datetimes,
        "updated_at": iso_datetimes,
        "name": st.none()
        | st.fixed_dictionaries({}, optional={k: opt_text for k in ("first", "middle", "last", "full")}),
        "address": st.none()
        | st.fixed_dictionaries(
            {},
            optional={
                k: opt_text
                for k in ("street", "street2", "city", "subdivision", "postal_code", "country_code")
            },
        ),
        "labels": st.none() | st.lists(st.text(max_size=64), max_size=8),
        "date_of_birth": st.none() | st.dates().map(str),
        "email_address": opt_text,
        "phone_number": opt_text,
        "website": opt_text,
        "compliance_decisions": st.lists(
            st.fixed_dictionaries(
                {"type": st.text(max_size=20), "state": st.text(max_size=10)},
                optional={"failure_codes": st.none() | st.lists(st.text(max_size=10), max_size=3)},
            ),
            max_size=3,
        ),
        "identification_numbers": st.none()
        | st.lists(
            st.fixed_dictionaries(
                {
                    "type": st.text(max_size=20),
                    "issuing_country_code": st.none() | st.text(min_size=2, max_size=2),
                    "identification_number": st.text(max_size=20),
                }
            ),
            max_size=3,
        ),
    },
)


@FAST
@given(
    objects=st.lists(spec_customer, max_size=5), total=st.integers(min_value=0), page=st.integers(min_value=0)
)
def test_spec_shaped_pages_always_parse(objects: list[dict[str, Any]], total: int, page: int) -> None:
    body = {"total": total, "page": page, "per_page": 100, "objects": objects}
    parsed = CustomerList.model_validate_json(json.dumps(body))
    assert [c.guid for c in parsed.objects] == [o["guid"] for o in objects]
    for customer, raw in zip(parsed.objects, objects, strict=True):
        if "state" in raw:
            assert customer.state == raw["state"]  # unknown states kept as sent
        if "type" in raw:
            assert customer.type == raw["type"]


# ---------------------------------------------------------------------------------------------- requests

country = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=2)
label = st.text(min_size=1, max_size=64)
id_number = st.fixed_dictionaries(
    {
        "type": st.sampled_from([t.value for t in IdentificationNumberType]),
        "issuing_country_code": country,
        "identification_number": st.text(min_size=1, max_size=20),
    }
)
valid_post = st.fixed_dictionaries(
    {"type": st.sampled_from(["individual", "business"])},
    optional={
        "name": st.fixed_dictionaries(
            {}, optional={k: st.text(max_size=20) for k in ("first", "middle", "last", "full")}
        ),
        "address": st.fixed_dictionaries(
            {"street": st.text(max_size=30), "city": st.text(max_size=20), "country_code": country},
            optional={"subdivision": st.text(min_size=1, max_size=3), "postal_code": st.text(max_size=10)},
        ),
        "date_of_birth": st.dates().map(str),
        "email_address": st.text(max_size=30),
        "phone_number": st.text(max_size=20),
        "identification_numbers": st.lists(id_number, min_size=1, max_size=MAX_IDENTIFICATION_NUMBERS),
        "aliases": st.lists(st.fixed_dictionaries({"full": st.text(max_size=20)}), max_size=1),
        "website": st.text(max_size=30),
        "labels": st.lists(label, max_size=MAX_LABELS),
    },
)


@FAST
@given(data=valid_post)
def test_valid_creates_are_accepted_and_serialize_to_what_was_given(data: dict[str, Any]) -> None:
    body = PostCustomer.model_validate(data).to_json_body()
    assert body == data
    assert json.loads(json.dumps(body)) == body
    assert PostCustomer.model_validate(body).to_json_body() == body


@FAST
@given(value=json_values)
def test_any_create_input_is_accepted_or_a_validation_error(value: Any) -> None:
    try:
        body = PostCustomer.model_validate(value).to_json_body()
    except ValidationError:
        return
    assert None not in body.values()


@FAST
@given(labels=st.lists(st.text(max_size=70), max_size=12))
def test_label_limits(labels: list[str]) -> None:
    ok = len(labels) <= MAX_LABELS and all(1 <= len(x) <= 64 for x in labels)
    try:
        PostCustomer.model_validate({"type": "individual", "labels": labels})
    except ValidationError:
        assert not ok
    else:
        assert ok


@FAST
@given(page=st.integers(), per_page=st.integers())
def test_paging_limits(page: int, per_page: int) -> None:
    ok = page >= 0 and 1 <= per_page <= 100
    try:
        check_paging(page, per_page)
    except RequestValidationError:
        assert not ok
    else:
        assert ok


@FAST
@given(code=st.text(max_size=4), subdivision=st.text(max_size=5))
def test_address_code_limits(code: str, subdivision: str) -> None:
    ok = len(code) == 2 and 1 <= len(subdivision) <= 3
    address = {"street": "s", "city": "c", "country_code": code, "subdivision": subdivision}
    try:
        PostCustomer.model_validate({"type": "individual", "address": address})
    except ValidationError:
        assert not ok
    else:
        assert ok


@pytest.mark.parametrize("count", [0, 1, 10, 11])
def test_identification_number_count_limits(count: int) -> None:
    numbers = [{"type": "passport", "issuing_country_code": "CA", "identification_number": "1"}] * count
    if 1 <= count <= MAX_IDENTIFICATION_NUMBERS:
        PostCustomer.model_validate({"type": "individual", "identification_numbers": numbers})
    else:
        with pytest.raises(ValidationError):
            PostCustomer.model_validate({"type": "individual", "identification_numbers": numbers})
