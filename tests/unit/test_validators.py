"""The create-customer form's validators: what a person types, what they are told."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from cybrid_tui.api import models
from cybrid_tui.forms import validators as v
from cybrid_tui.forms.values import (
    ALL_ID_TYPES,
    BUSINESS_ID_TYPES,
    INDIVIDUAL_ID_TYPES,
    FormValues,
    IdRow,
)
from tests.support.form_samples import TODAY, business, individual

if TYPE_CHECKING:
    from pathlib import Path


def test_limits_match_the_models() -> None:
    assert v.MAX_LABELS == models.MAX_LABELS
    assert v.MAX_ID_ROWS == models.MAX_IDENTIFICATION_NUMBERS
    assert {t.value for t in models.IdentificationNumberType} == ALL_ID_TYPES


def test_id_types_come_from_the_spec(openapi_path: Path) -> None:
    import yaml

    spec = yaml.safe_load(openapi_path.read_text(encoding="utf-8"))
    enum = spec["components"]["schemas"]["PostIdentificationNumber"]["properties"]["type"]["enum"]
    assert set(enum) == ALL_ID_TYPES
    assert set(INDIVIDUAL_ID_TYPES) | set(BUSINESS_ID_TYPES) == set(enum)


@pytest.mark.parametrize("code", ["US", "gb", " de ", "Fr", "JP"])
def test_country_accepts_iso_codes(code: str) -> None:
    assert v.validate_country(code) is None


@pytest.mark.parametrize("code", ["USA", "XX", "U", "1A", "ÜS", "UK", "ZZ"])
def test_country_refuses_what_is_not_iso_3166(code: str) -> None:
    assert v.validate_country(code) == "Not an ISO 3166 country code (e.g. US, GB)"


def test_country_required_or_optional() -> None:
    assert v.validate_country("  ") == "Required"
    assert v.validate_country("", required=False) is None


@pytest.mark.parametrize(
    ("code", "country"), [("CA", "US"), ("ny", "us"), ("ON", "CA"), ("BY", "DE"), ("", "US")]
)
def test_subdivision_accepts_iso_3166_2(code: str, country: str) -> None:
    assert v.validate_subdivision(code, country) is None


@pytest.mark.parametrize(
    ("code", "country", "message"),
    [
        ("US-CA", "US", "Leave out the country prefix (CA, not US-CA)"),
        ("ON", "US", "Not a subdivision of US"),
        ("CALI", "US", "1 to 3 letters or digits (e.g. CA, NY)"),
        ("C-A", "US", "1 to 3 letters or digits (e.g. CA, NY)"),
        ("CA", "", "Enter the country first"),
        ("CA", "XX", "Enter the country first"),
    ],
)
def test_subdivision_refusals(code: str, country: str, message: str) -> None:
    assert v.validate_subdivision(code, country) == message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1985-12-10", None),
        ("2000-02-29", None),
        ("1999-02-29", "Not a calendar date"),
        ("1985-13-01", "Not a calendar date"),
        ("10/12/1985", "Use YYYY-MM-DD"),
        ("19851210", "Use YYYY-MM-DD"),
        ("\uff11\uff19\uff18\uff15-12-10", "Use YYYY-MM-DD"),  # full-width digits are not ISO digits
        ("2026-11-25", "Must be in the past"),
        ("2030-01-01", "Must be in the past"),
        ("1890-01-01", "More than 130 years ago"),
        ("", "Required"),
    ],
)
def test_date_of_birth(text: str, message: str | None) -> None:
    assert v.validate_date_of_birth(text, today=TODAY) == message


@pytest.mark.parametrize("text", ["ada@example.com", "a.b+tag@sub.example.co.uk", " ada@example.com "])
def test_email_accepts_valid_syntax(text: str) -> None:
    assert v.validate_email(text) is None


@pytest.mark.parametrize("text", ["ada", "ada@", "@example.com", "ada@@example.com", "ada@exa mple.com"])
def test_email_refuses_bad_syntax(text: str) -> None:
    message = v.validate_email(text)
    assert message
    assert len(message) <= 80


def test_email_does_not_look_up_dns() -> None:
    # A syntactically valid address at a domain that does not exist: deliverability is not checked.
    assert v.validate_email("someone@no-such-domain-4f9c2e7a1b.com") is None


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("+14155552671", "+14155552671"),
        ("+1 (415) 555-2671", "+14155552671"),
        ("+44 20 7946 0958", "+442079460958"),
    ],
)
def test_phone_accepts_and_normalises_to_e164(text: str, e164: str) -> None:
    assert v.validate_phone(text) is None
    assert v.normalize_phone(text) == e164


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("4155552671", "Start with + and the country code"),
        ("+1 415 555 267a", "Digits only, e.g. +1 415 555 2671"),
        ("++14155552671", "Digits only, e.g. +1 415 555 2671"),
        ("+1 000", "Not a valid phone number"),
        ("+999 1234567", "Not a valid phone number"),
    ],
)
def test_phone_refusals(text: str, message: str) -> None:
    assert v.validate_phone(text) == message


def test_phone_optional_but_can_be_required() -> None:
    assert v.validate_phone("") is None
    assert v.validate_phone("", required=True) == "Required"


def test_labels() -> None:
    assert v.split_labels(" vip, ,import, ") == ["vip", "import"]
    assert v.validate_labels("a,b,c,d,e,f,g") is None
    too_many = v.validate_labels("a,b,c,d,e,f,g,h")
    assert too_many == "At most 7 labels (one slot is kept for duplicate protection)"
    assert v.validate_labels("a," + "x" * 65) == "Each label at most 64 characters"
    assert v.validate_labels("vip, vip") == "Duplicate label: vip"
    assert v.validate_labels("cybrid-tui-0123456789ab") == "Labels starting cybrid-tui- are reserved"
    assert v.validate_labels("bell\x07") == "Contains control characters"


def test_website() -> None:
    assert v.validate_website("") is None
    assert v.validate_website("example.com") is None
    assert v.validate_website("https://example.com/about") is None
    assert v.validate_website("not a site") == "Not a web address (e.g. example.com)"
    assert v.validate_website("localhost") == "Not a web address (e.g. example.com)"


def test_identification_rows() -> None:
    rows = (
        IdRow("passport", "GB", "123"),
        IdRow("passport", "US", "456"),
        IdRow("", "", ""),  # a spare blank row is ignored
        IdRow("", "XX", ""),
    )
    errors = v.validate_id_rows(rows, kind="individual", required=True)
    assert errors == {
        "id-1-type": "Passport is listed twice",
        "id-3-type": "Choose a type",
        "id-3-country": "Not an ISO 3166 country code (e.g. US, GB)",
        "id-3-number": "Required",
    }


def test_identification_types_follow_the_customer_type() -> None:
    errors = v.validate_id_rows((IdRow("passport", "GB", "1"),), kind="business", required=True)
    assert errors == {"id-0-type": "Not for a business"}
    assert v.validate_id_rows((IdRow("bogus", "GB", "1"),), kind="individual", required=True) == {
        "id-0-type": "Not an identification type"
    }


def test_at_least_one_identification_number_with_details() -> None:
    assert v.validate_id_rows((IdRow(),), kind="individual", required=True) == {
        "id-0-number": "At least one identification number is required"
    }
    assert v.validate_id_rows((), kind="individual", required=True) == {
        "identification": "At least one identification number is required"
    }
    too_many = tuple(IdRow(t, country, "1") for t in INDIVIDUAL_ID_TYPES for country in ("US", "GB"))
    assert "identification" in v.validate_id_rows(too_many, kind="individual", required=True)


def test_complete_forms_are_valid() -> None:
    assert v.validate_form(individual(), today=TODAY) == {}
    assert v.validate_form(business(), today=TODAY) == {}
    assert v.validate_form(FormValues(), today=TODAY) == {}  # platform KYC: the type is enough


def test_required_fields_per_type_and_approach_in_layout_order() -> None:
    empty_individual = FormValues(approach="details", identification=(IdRow(),))
    errors = v.validate_form(empty_individual, today=TODAY)
    assert list(errors) == [
        "first_name",
        "last_name",
        "date_of_birth",
        "email",
        "street",
        "city",
        "country",
        "id-0-number",
    ]
    empty_business = FormValues(kind="business", approach="details", identification=(IdRow(),))
    assert list(v.validate_form(empty_business, today=TODAY)) == [
        "legal_name",
        "email",
        "street",
        "city",
        "country",
        "id-0-number",
    ]


def test_hidden_fields_are_not_validated() -> None:
    # Platform KYC: details typed earlier stay on the form but are neither validated nor sent.
    values = individual(approach="platform", email="not an email", date_of_birth="tomorrow")
    assert v.validate_form(values, today=TODAY) == {}
    # A business does not have a date of birth.
    assert v.validate_form(business(date_of_birth="garbage"), today=TODAY) == {}


def test_validate_field_agrees_with_validate_form() -> None:
    values = individual(email="ada@", country="XX", subdivision="CA")
    assert v.validate_field("email", values, today=TODAY) == v.validate_form(values, today=TODAY)["email"]
    assert v.validate_field("subdivision", values, today=TODAY) == "Enter the country first"
    assert v.validate_field("first_name", values, today=TODAY) is None


@pytest.mark.parametrize(
    ("message", "keys"),
    [
        ("Customer name required", ["first_name", "last_name"]),
        ("Customer address required", ["street", "city", "country"]),
        ("Address country code not supported", ["country"]),
        ("Customer date of birth required", ["date_of_birth"]),
        ("Customer email address required", ["email"]),
        ("Customer identification numbers required", ["id-0-number"]),
        ("Identification number duplicate type supplied", ["id-0-number"]),
        ("Bank not found", []),
    ],
)
def test_server_messages_point_at_their_fields(message: str, keys: list[str]) -> None:
    from cybrid_tui.forms.server_errors import fields_for_message

    assert fields_for_message(message, individual()) == keys


def test_server_messages_about_hidden_fields_point_nowhere() -> None:
    from cybrid_tui.forms.server_errors import fields_for_message

    assert fields_for_message("Customer name required", business()) == ["legal_name"]
    assert fields_for_message("Customer date of birth required", business()) == []
    assert fields_for_message("Customer name required", FormValues()) == []  # platform KYC: nothing shown
