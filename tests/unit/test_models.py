"""The models mirror the spec: its limits on requests, and tolerance for whatever a newer server sends."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from pydantic import ValidationError

from cybrid_tui.api import vocab
from cybrid_tui.api.capabilities import DEFAULT_SCOPES
from cybrid_tui.api.customers import list_params
from cybrid_tui.api.errors import RequestValidationError
from cybrid_tui.api.models import (
    MAX_IDENTIFICATION_NUMBERS,
    MAX_LABELS,
    MAX_PER_PAGE,
    Customer,
    CustomerList,
    CustomerState,
    CustomerType,
    ErrorResponse,
    IdentificationNumber,
    IdentificationNumberType,
    PatchCustomer,
    PostCustomer,
)
from cybrid_tui.api.raw import TokenResponse

ADDRESS = {"street": "1 Main St", "city": "Toronto", "country_code": "CA"}
ID_NUMBER = {"type": "passport", "issuing_country_code": "CA", "identification_number": "X123"}


# ------------------------------------------------------------------------------------------------ requests


@pytest.mark.parametrize("kind", ["individual", "business"])
def test_type_only_create_is_exactly_the_type(kind: str) -> None:
    assert PostCustomer.model_validate({"type": kind}).to_json_body() == {"type": kind}


def test_full_individual_serializes_without_nulls() -> None:
    body = PostCustomer.model_validate(
        {
            "type": "individual",
            "name": {"first": "Jane", "last": "Doe"},
            "address": {**ADDRESS, "subdivision": "ON", "postal_code": "M5V 2T6"},
            "date_of_birth": "1990-02-03",
            "email_address": "jane@example.com",
            "phone_number": "+14165550100",
            "identification_numbers": [ID_NUMBER],
            "labels": ["vip"],
        }
    ).to_json_body()
    assert body == {
        "type": "individual",
        "name": {"first": "Jane", "last": "Doe"},
        "address": {**ADDRESS, "subdivision": "ON", "postal_code": "M5V 2T6"},
        "date_of_birth": "1990-02-03",
        "email_address": "jane@example.com",
        "phone_number": "+14165550100",
        "identification_numbers": [ID_NUMBER],
        "labels": ["vip"],
    }


def test_business_with_alias_and_website() -> None:
    body = PostCustomer.model_validate(
        {
            "type": "business",
            "name": {"full": "Acme Ltd"},
            "aliases": [{"full": "Acme"}],
            "website": "acme.example",
        }
    ).to_json_body()
    assert body == {
        "type": "business",
        "name": {"full": "Acme Ltd"},
        "aliases": [{"full": "Acme"}],
        "website": "acme.example",
    }


INVALID_CREATES: list[tuple[str, dict[str, Any]]] = [
    ("no type", {}),
    ("unknown type", {"type": "trust"}),
    ("unknown field", {"type": "individual", "nickname": "J"}),
    ("country of 3", {"type": "individual", "address": {**ADDRESS, "country_code": "CAN"}}),
    ("country of 1", {"type": "individual", "address": {**ADDRESS, "country_code": "C"}}),
    ("empty subdivision", {"type": "individual", "address": {**ADDRESS, "subdivision": ""}}),
    ("subdivision of 4", {"type": "individual", "address": {**ADDRESS, "subdivision": "ABCD"}}),
    ("address without street", {"type": "individual", "address": {"city": "X", "country_code": "CA"}}),
    ("no id numbers", {"type": "individual", "identification_numbers": []}),
    ("11 id numbers", {"type": "individual", "identification_numbers": [ID_NUMBER] * 11}),
    (
        "unknown id type",
        {"type": "individual", "identification_numbers": [{**ID_NUMBER, "type": "library_card"}]},
    ),
    (
        "id country of 3",
        {"type": "individual", "identification_numbers": [{**ID_NUMBER, "issuing_country_code": "CAN"}]},
    ),
    ("9 labels", {"type": "individual", "labels": ["a"] * 9}),
    ("empty label", {"type": "individual", "labels": [""]}),
    ("label of 65", {"type": "individual", "labels": ["x" * 65]}),
    ("2 aliases", {"type": "business", "aliases": [{"full": "A"}, {"full": "B"}]}),
    ("bad date", {"type": "individual", "date_of_birth": "1990-13-01"}),
]


@pytest.mark.parametrize(("label", "data"), INVALID_CREATES, ids=[c[0] for c in INVALID_CREATES])
def test_create_limits(label: str, data: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        PostCustomer.model_validate(data)


def test_create_limits_at_the_edges_are_accepted() -> None:
    PostCustomer.model_validate(
        {
            "type": "individual",
            "address": {**ADDRESS, "subdivision": "A"},
            "identification_numbers": [ID_NUMBER] * MAX_IDENTIFICATION_NUMBERS,
            "labels": ["x" * 64] * MAX_LABELS,
        }
    )
    PostCustomer.model_validate(
        {"type": "business", "address": {**ADDRESS, "subdivision": "ABC"}, "aliases": []}
    )


def test_patch_only_sets_unverified() -> None:
    assert PatchCustomer(state=CustomerState.UNVERIFIED).to_json_body() == {"state": "unverified"}
    assert PatchCustomer.model_validate({"state": "unverified"}).to_json_body() == {"state": "unverified"}
    assert PatchCustomer().to_json_body() == {}
    for state in ("verified", "frozen", "storing", "bogus"):
        with pytest.raises(ValidationError):
            PatchCustomer.model_validate({"state": state})


@pytest.mark.parametrize(
    ("page", "per_page", "ok"),
    [
        (0, 1, True),
        (0, MAX_PER_PAGE, True),
        (10**6, 50, True),
        (-1, 10, False),
        (0, 0, False),
        (0, 101, False),
    ],
)
def test_list_query_paging_limits(page: int, per_page: int, ok: bool) -> None:
    if ok:
        assert list_params(page, per_page, {}) == {"page": str(page), "per_page": str(per_page)}
    else:
        with pytest.raises(RequestValidationError):
            list_params(page, per_page, {})


def test_list_query_params() -> None:
    filters = {
        "type": ["business"],
        "guid": ["a", "b"],
        "label": ["x"],
        "bank_guid": ["c"],
        "include_pii": False,
    }
    assert list_params(0, 100, filters) == {
        "page": "0",
        "per_page": "100",
        "type": "business",
        "guid": "a,b",
        "label": "x",
        "bank_guid": "c",
        "include_pii": "false",
    }


def test_scopes() -> None:
    # What the app asks for: every customer scope (PII included) and every identity-verification scope.
    assert DEFAULT_SCOPES == (
        "customers:read",
        "customers:write",
        "customers:execute",
        "customers:pii:read",
        "identity_verifications:read",
        "identity_verifications:execute",
        "persona_sessions:execute",
    )


def test_model_enums_are_the_vocabulary() -> None:
    # The enums are written out for type checkers; `vocab` stays the one list they must equal.
    assert tuple(CustomerType) == vocab.CUSTOMER_TYPES
    assert tuple(CustomerState) == vocab.CUSTOMER_STATES
    assert tuple(IdentificationNumberType) == vocab.IDENTIFICATION_TYPES
    assert (MAX_LABELS, MAX_IDENTIFICATION_NUMBERS, MAX_PER_PAGE) == (
        vocab.MAX_LABELS,
        vocab.MAX_IDENTIFICATION_NUMBERS,
        vocab.MAX_PER_PAGE,
    )


def test_identification_types_match_the_spec(openapi_path: Any) -> None:
    import yaml

    with open(openapi_path, encoding="utf-8") as handle:  # noqa: PTH123
        spec = yaml.safe_load(handle)
    schemas = spec["components"]["schemas"]
    assert {t.value for t in IdentificationNumberType} == set(
        schemas["PostIdentificationNumber"]["properties"]["type"]["enum"]
    )
    assert {t.value for t in CustomerState} == set(schemas["CustomerState"]["enum"])
    assert {t.value for t in CustomerType} == set(schemas["CustomerType"]["enum"])
    assert set(schemas["PatchCustomer"]["properties"]["state"]["enum"]) == {"unverified"}
    # Every property the spec lists for a customer is modelled (so none is silently dropped).
    assert set(schemas["Customer"]["properties"]) <= set(Customer.model_fields)
    assert set(schemas["PostCustomer"]["properties"]) == set(PostCustomer.model_fields)
    assert set(schemas["ErrorResponse"]["properties"]) == set(ErrorResponse.model_fields)


# ----------------------------------------------------------------------------------------------- responses


SPEC_CUSTOMER: dict[str, Any] = {
    "guid": "0123456789abcdef0123456789abcdef",
    "bank_guid": "fedcba9876543210fedcba9876543210",
    "type": "individual",
    "created_at": "2022-05-13T13:55:08.460Z",
    "updated_at": "2022-05-13T13:55:09.000Z",
    "state": "verified",
    "name": {"first": "Jane", "middle": None, "last": "Doe", "full": None},
    "address": {
        "street": "1 Main",
        "street2": None,
        "city": "X",
        "subdivision": "ON",
        "postal_code": None,
        "country_code": "CA",
    },
    "aliases": None,
    "website": None,
    "date_of_birth": "1990-02-03",
    "phone_number": "+14165550100",
    "email_address": "jane@example.com",
    "labels": ["vip"],
    "compliance_decisions": [{"type": "person_attested", "state": "passed", "failure_codes": None}],
    "identification_numbers": [
        {"type": "passport", "issuing_country_code": "CA", "identification_number": "AB12345"}
    ],
    "activity_limits": [
        {
            "type": "rolling",
            "name": "n",
            "asset": "USD",
            "amount": 5,
            "interval": None,
            "activities": ["trading"],
            "sides": ["deposit"],
        }
    ],
}


def test_spec_shaped_customer_parses() -> None:
    customer = Customer.model_validate(SPEC_CUSTOMER)
    assert customer.state == CustomerState.VERIFIED and isinstance(customer.state, CustomerState)
    assert customer.type == CustomerType.INDIVIDUAL
    assert customer.created_at == dt.datetime(2022, 5, 13, 13, 55, 8, 460000, tzinfo=dt.UTC)
    assert customer.name is not None and customer.name.display == "Jane Doe"
    assert customer.identification_numbers is not None
    assert customer.identification_numbers[0].masked == "•••2345"


def test_minimal_customer_parses() -> None:
    customer = Customer.model_validate({"guid": "a" * 32})
    assert customer.state is None and customer.name is None


def test_unknown_state_type_and_fields_are_kept_or_ignored() -> None:
    customer = Customer.model_validate({**SPEC_CUSTOMER, "state": "reviewing", "type": "trust", "shiny": 1})
    assert customer.state == "reviewing" and not isinstance(customer.state, CustomerState)
    assert customer.type == "trust"
    assert not hasattr(customer, "shiny")


def test_customer_list() -> None:
    page = CustomerList.model_validate({"total": 1, "page": 0, "per_page": 10, "objects": [SPEC_CUSTOMER]})
    assert page.objects[0].guid == SPEC_CUSTOMER["guid"]


def test_name_display_for_business_and_partial_names() -> None:
    assert Customer.model_validate({"guid": "g", "name": {"full": "Acme"}}).name.display == "Acme"  # type: ignore[union-attr]
    assert Customer.model_validate({"guid": "g", "name": {"first": "A"}}).name.display == "A"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("number", "masked"), [("1234", "••••"), ("12345", "•2345"), ("123456789", "•••••6789")]
)
def test_identification_number_masking(number: str, masked: str) -> None:
    """Only the last four characters show, and only when something stays hidden."""
    ident = IdentificationNumber(type="passport", issuing_country_code="CA", identification_number=number)
    assert ident.masked == masked


def test_error_response_and_token_response() -> None:
    err = ErrorResponse.model_validate(
        {"status": 403, "error_message": "Invalid scopes", "message_code": "x"}
    )
    assert err.status == 403
    token = TokenResponse.read_json(
        json.dumps(
            {
                "access_token": "tok-123456",
                "token_type": "Bearer",
                "expires_in": 60,
                "scope": "a b",
                "created_at": 1,
            }
        ).encode()
    )
    assert token.scopes == frozenset({"a", "b"})
    assert "tok-123456" not in repr(token) and "tok-123456" not in str(token)
