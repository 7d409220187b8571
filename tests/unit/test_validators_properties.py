"""Property tests: arbitrary text never breaks a validator; valid values pass; what the form accepts, the API
schema accepts (checked against `PostCustomer` and against the published spec)."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cybrid_tui.forms import validators as v
from cybrid_tui.forms.builder import build_post_customer, preview_body
from cybrid_tui.forms.values import BUSINESS_ID_TYPES, INDIVIDUAL_ID_TYPES, FormValues, IdRow
from tests.support.form_samples import TODAY

if TYPE_CHECKING:
    from pathlib import Path

#: No per-example deadline: on a loaded CI machine a first pycountry or phonenumbers lookup can take a while.
relaxed = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

anything = st.text(max_size=80)
# What a person can paste, surrogates and control characters included.
pasted = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=80)


@cache
def _countries() -> list[str]:
    import pycountry

    return sorted(str(country.alpha_2) for country in pycountry.countries)


@cache
def _subdivisions() -> list[tuple[str, str]]:
    import pycountry

    pairs = (str(sub.code).split("-", 1) for sub in pycountry.subdivisions)
    return sorted((country, code) for country, code in pairs if len(code) <= 3)


@cache
def _phone_examples() -> list[str]:
    import phonenumbers

    examples = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        number = phonenumbers.example_number(region)
        if number is not None:
            examples.append(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL))
    return examples


def case_of(text: str) -> st.SearchStrategy[str]:
    return st.sampled_from([text, text.lower(), f" {text} "])


countries = st.sampled_from(_countries()).flatmap(case_of)
subdivisions = st.sampled_from(_subdivisions())
phones = st.sampled_from(_phone_examples())
birth_dates = st.dates(
    min_value=dt.date(TODAY.year - v.MAX_AGE_YEARS, 1, 1), max_value=TODAY - dt.timedelta(days=1)
)
plain = st.text(
    alphabet=st.characters(exclude_categories=("Cc", "Cs"), exclude_characters=","), min_size=1, max_size=40
).filter(lambda text: text.strip() != "")
label_lists = st.lists(plain.map(str.strip), max_size=v.MAX_USER_LABELS, unique=True).filter(
    lambda labels: not any(label.lower().startswith(v.TAG_PREFIX) for label in labels)
)
emails = st.sampled_from(["ada@example.com", "a.b+c@mail.example.co.uk", "x_y@sub.example.org"])


@relaxed
@given(anything, anything)
def test_no_validator_raises_on_arbitrary_text(text: str, other: str) -> None:
    results = [
        v.check_text(text, required=True),
        v.validate_country(text),
        v.validate_subdivision(text, other),
        v.validate_date_of_birth(text, today=TODAY),
        v.validate_email(text),
        v.validate_phone(text),
        v.validate_website(text),
        v.validate_labels(text),
    ]
    assert all(result is None or (isinstance(result, str) and result) for result in results)
    assert isinstance(v.normalize_phone(text), str)
    assert all("," not in label and label == label.strip() for label in v.split_labels(text))


@relaxed
@given(pasted, pasted)
def test_no_validator_raises_on_pasted_garbage(text: str, other: str) -> None:
    v.validate_email(text)
    v.validate_phone(text)
    v.validate_subdivision(text, other)
    v.validate_date_of_birth(text, today=TODAY)
    verdicts = (None, "Contains control characters", "At most 255 characters")
    assert v.check_text(text, required=False) in verdicts


@relaxed
@given(countries)
def test_every_iso_country_is_accepted(code: str) -> None:
    assert v.validate_country(code) is None


@relaxed
@given(subdivisions)
def test_every_iso_subdivision_is_accepted(pair: tuple[str, str]) -> None:
    country, code = pair
    assert v.validate_subdivision(code.lower(), country) is None


@relaxed
@given(birth_dates)
def test_every_plausible_birth_date_is_accepted(born: dt.date) -> None:
    assert v.validate_date_of_birth(born.isoformat(), today=TODAY) is None


@relaxed
@given(st.dates(min_value=TODAY))
def test_no_future_birth_date_is_accepted(born: dt.date) -> None:
    assert v.validate_date_of_birth(born.isoformat(), today=TODAY) == "Must be in the past"


@relaxed
@given(phones)
def test_example_numbers_of_every_region_are_accepted_and_sent_as_e164(number: str) -> None:
    assert v.validate_phone(number) is None
    e164 = v.normalize_phone(number)
    assert e164.startswith("+")
    assert e164[1:].isdigit()
    assert len(e164) <= 16


@relaxed
@given(label_lists)
def test_label_lists_within_the_limits_are_accepted(labels: list[str]) -> None:
    text = ", ".join(labels)
    assert v.validate_labels(text) is None
    assert v.split_labels(text) == labels


def _maybe(valid: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Mostly valid values, sometimes blank, sometimes arbitrary text."""
    return st.one_of(valid, valid, valid, st.just(""), anything)


@st.composite
def form_values(draw: st.DrawFn) -> FormValues:
    kind = draw(st.sampled_from(["individual", "business"]))
    types = INDIVIDUAL_ID_TYPES if kind == "individual" else BUSINESS_ID_TYPES
    sub_country, sub_code = draw(subdivisions)
    country = draw(st.one_of(st.just(sub_country), countries, anything))
    rows = draw(
        st.lists(
            st.builds(
                IdRow,
                type=st.one_of(st.sampled_from(types), st.just(""), anything),
                country=_maybe(countries),
                number=_maybe(plain),
            ),
            max_size=4,
        )
    )
    return FormValues(
        kind=kind,  # type: ignore[arg-type]
        approach=draw(st.sampled_from(["platform", "details", "details"])),  # type: ignore[arg-type]
        first_name=draw(_maybe(plain)),
        middle_name=draw(st.one_of(st.just(""), plain)),
        last_name=draw(_maybe(plain)),
        date_of_birth=draw(_maybe(birth_dates.map(dt.date.isoformat))),
        legal_name=draw(_maybe(plain)),
        alias=draw(st.one_of(st.just(""), plain)),
        website=draw(st.one_of(st.just(""), st.just("example.com"), anything)),
        email=draw(_maybe(emails)),
        phone=draw(st.one_of(st.just(""), phones, anything)),
        street=draw(_maybe(plain)),
        street2=draw(st.one_of(st.just(""), plain)),
        city=draw(_maybe(plain)),
        subdivision=draw(st.one_of(st.just(""), st.just(sub_code), anything)),
        postal_code=draw(st.one_of(st.just(""), st.just("SW1Y 4LE"), anything)),
        country=country,
        identification=tuple(rows),
        labels=draw(st.one_of(label_lists.map(", ".join), anything)),
    )


@pytest.fixture(scope="module")
def post_customer_schema(openapi_path: Path) -> Any:
    import jsonschema
    import yaml

    spec = yaml.safe_load(openapi_path.read_text(encoding="utf-8"))
    schema = {"$ref": "#/components/schemas/PostCustomer", "components": spec["components"]}
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=form_values())
def test_the_preview_and_the_validators_never_raise(values: FormValues) -> None:
    errors = v.validate_form(values, today=TODAY)
    body = preview_body(values, tag="cybrid-tui-0123456789ab")
    assert body["type"] == values.kind
    json.dumps(body)  # always serialisable
    if not values.details:
        assert set(body) <= {"type", "labels"}  # platform KYC sends the type (and the labels) only
    assert all(message for message in errors.values())


@st.composite
def complete_details(draw: st.DrawFn) -> FormValues:
    """A complete form with bank-provided details: every field valid, optional ones present or not."""
    kind = draw(st.sampled_from(["individual", "business"]))
    types = INDIVIDUAL_ID_TYPES if kind == "individual" else BUSINESS_ID_TYPES
    sub_country, sub_code = draw(subdivisions)
    id_types = draw(st.lists(st.sampled_from(types), min_size=1, max_size=len(types), unique=True))
    return FormValues(
        kind=kind,  # type: ignore[arg-type]
        approach="details",
        first_name=draw(plain),
        middle_name=draw(st.one_of(st.just(""), plain)),
        last_name=draw(plain),
        date_of_birth=draw(birth_dates.map(dt.date.isoformat)),
        legal_name=draw(plain),
        alias=draw(st.one_of(st.just(""), plain)),
        website=draw(st.sampled_from(["", "example.com", "https://www.example.co.uk/about"])),
        email=draw(emails),
        phone=draw(st.one_of(st.just(""), phones)),
        street=draw(plain),
        street2=draw(st.one_of(st.just(""), plain)),
        city=draw(plain),
        subdivision=draw(st.sampled_from(["", sub_code])),
        postal_code=draw(st.sampled_from(["", "SW1Y 4LE", "94103"])),
        country=sub_country.lower(),
        identification=tuple(IdRow(t, draw(countries), draw(plain)) for t in id_types),
        labels=draw(label_lists.map(", ".join)),
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=complete_details())
def test_complete_forms_are_accepted(values: FormValues, post_customer_schema: Any) -> None:
    assert v.validate_form(values, today=TODAY) == {}
    _assert_schema_accepts(values, post_customer_schema)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
@given(values=form_values())
def test_what_the_form_accepts_the_api_schema_accepts(values: FormValues, post_customer_schema: Any) -> None:
    assume(v.validate_form(values, today=TODAY) == {})
    _assert_schema_accepts(values, post_customer_schema)


def _assert_schema_accepts(values: FormValues, post_customer_schema: Any) -> None:
    tag = "cybrid-tui-0123456789ab"
    request = build_post_customer(values, tag=tag)  # the pydantic model of the spec accepts it ...
    body = request.to_json_body()
    # ... the preview is exactly the body sent (key order included) ...
    assert json.dumps(body) == json.dumps(preview_body(values, tag=tag))
    # ... and the published schema accepts it too.
    post_customer_schema.validate(body)
    assert body["labels"][-1] == tag
    assert len(body["labels"]) <= v.MAX_LABELS
