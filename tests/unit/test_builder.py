"""Form values -> the exact `POST /api/customers` body."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from cybrid_tui.forms.builder import build_post_customer, preview_body
from cybrid_tui.forms.values import FormValues, IdRow
from tests.support.form_samples import business, individual

TAG = "cybrid-tui-0123456789ab"


def test_platform_kyc_sends_only_the_type_and_the_tag() -> None:
    assert preview_body(FormValues(), tag=TAG) == {"type": "individual", "labels": [TAG]}
    assert preview_body(FormValues(kind="business"), tag=None) == {"type": "business"}


def test_platform_kyc_leaves_typed_details_unsent() -> None:
    values = individual(approach="platform", labels="")
    assert preview_body(values, tag=TAG) == {"type": "individual", "labels": [TAG]}


def test_individual_with_details() -> None:
    values = individual(
        middle_name=" Augusta ",
        street2="Flat 1",
        subdivision="lnd",
        postal_code="SW1Y 4LE",
        identification=(
            IdRow("passport", "gb", " 123456789 "),
            IdRow(),
            IdRow("drivers_license", "US", "D1"),
        ),
    )
    body = build_post_customer(values, tag=TAG).to_json_body()
    assert body == {
        "type": "individual",
        "name": {"first": "Ada", "middle": "Augusta", "last": "Lovelace"},
        "address": {
            "street": "12 St James's Square",
            "street2": "Flat 1",
            "city": "London",
            "subdivision": "LND",
            "postal_code": "SW1Y 4LE",
            "country_code": "GB",
        },
        "date_of_birth": "1985-12-10",
        "phone_number": "+14155552671",
        "email_address": "ada@example.com",
        "identification_numbers": [
            {"type": "passport", "issuing_country_code": "GB", "identification_number": "123456789"},
            {"type": "drivers_license", "issuing_country_code": "US", "identification_number": "D1"},
        ],
        "labels": ["vip", "import", TAG],
    }
    assert json.dumps(preview_body(values, tag=TAG)) == json.dumps(body)  # same keys, same order


def test_business_with_details() -> None:
    body = build_post_customer(business(alias="Engines", phone="", labels=""), tag=TAG).to_json_body()
    assert body == {
        "type": "business",
        "name": {"full": "Analytical Engines Ltd"},
        "address": {"street": "12 St James's Square", "city": "London", "country_code": "GB"},
        "email_address": "ada@example.com",
        "identification_numbers": [
            {
                "type": "employer_identification_number",
                "issuing_country_code": "US",
                "identification_number": "12-3456789",
            }
        ],
        "aliases": [{"full": "Engines"}],
        "website": "https://engines.example.com",
        "labels": [TAG],
    }


def test_a_business_sends_no_individual_fields_and_vice_versa() -> None:
    body = preview_body(business(first_name="Ada", date_of_birth="1985-12-10"), tag=None)
    assert body["name"] == {"full": "Analytical Engines Ltd"}
    assert "date_of_birth" not in body
    body = preview_body(individual(legal_name="X Ltd", website="x.com", alias="X"), tag=None)
    assert "full" not in body["name"]
    assert "website" not in body
    assert "aliases" not in body


def test_the_preview_shows_invalid_input_as_typed() -> None:
    body = preview_body(individual(phone="call me", country="Britain"), tag=None)
    assert body["phone_number"] == "call me"
    assert body["address"]["country_code"] == "Britain"


def test_invalid_values_do_not_build_a_request() -> None:
    with pytest.raises(ValidationError):
        build_post_customer(individual(country="Britain"), tag=TAG)  # country_code must be 2 characters
