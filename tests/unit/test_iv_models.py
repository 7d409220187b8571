"""Identity verification models: tolerant answers, strict requests."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from cybrid_tui.api import vocab
from cybrid_tui.api.models import (
    IdentityVerificationList,
    IdentityVerificationWithDetails,
    PostIdentityVerification,
    PostPersonaSession,
)
from cybrid_tui.api.models.identity_verifications import MAX_EXPECTED_BEHAVIOURS

CUSTOMER = "c" * 32


def listed(**extra: object) -> dict[str, object]:
    return {"guid": "a" * 32, "state": "waiting", "customer_guid": CUSTOMER, **extra}


def test_unknown_states_methods_outcomes_and_codes_are_kept_as_sent() -> None:
    body = listed(
        state="teleporting",
        method="retina",
        outcome="undecided",
        failure_codes=["new_code"],
        surprise={"x": 1},
    )
    parsed = IdentityVerificationWithDetails.model_validate_json(
        json.dumps(
            {**body, "persona_state": "dreaming", "compliance_checks": [{"type": "t", "outcome": "o"}]}
        )
    )
    assert (parsed.state, parsed.method, parsed.outcome, parsed.codes) == (
        "teleporting",
        "retina",
        "undecided",
        ("new_code",),
    )
    assert parsed.persona_state == "dreaming" and not parsed.is_open


def test_open_means_the_documented_open_states() -> None:
    for state in vocab.IDENTITY_VERIFICATION_STATES:
        parsed = IdentityVerificationWithDetails.model_validate(listed(state=state))
        assert parsed.is_open == (state in vocab.OPEN_IDENTITY_VERIFICATION_STATES)


def test_a_page_keeps_its_readable_objects_and_counts_the_rest() -> None:
    page = {"total": 3, "page": 0, "per_page": 10, "objects": [listed(), {"guid": 7}, "junk"]}
    parsed = IdentityVerificationList.model_validate_json(json.dumps(page))
    assert [v.guid for v in parsed.objects] == ["a" * 32] and parsed.unreadable == 2
    clean = IdentityVerificationList.model_validate_json(json.dumps({**page, "objects": [listed()]}))
    assert clean.unreadable == 0
    with pytest.raises(ValidationError):
        IdentityVerificationList.model_validate_json(json.dumps({"total": 1, "objects": [listed()]}))


def test_the_request_presets_the_method_and_sends_exactly_what_was_set() -> None:
    individual = PostIdentityVerification.for_customer(CUSTOMER, "individual", country_code="us")
    assert individual.to_json_body() == {
        "type": "kyc",
        "method": "id_and_selfie",
        "customer_guid": CUSTOMER,
        "country_code": "US",
    }
    business = PostIdentityVerification.for_customer(
        CUSTOMER, "business", expected_behaviours=["failed_immediately"]
    )
    assert business.to_json_body()["method"] == "business_registration"
    assert business.to_json_body()["expected_behaviours"] == ["failed_immediately"]
    with pytest.raises(ValueError, match="no identity verification method"):
        PostIdentityVerification.for_customer(CUSTOMER, "robot")


@pytest.mark.parametrize(
    "bad",
    [
        {"country_code": "USA"},
        {"country_code": "1A"},
        {"expected_behaviours": ["passed_immediately"] * (MAX_EXPECTED_BEHAVIOURS + 1)},
        {"expected_behaviours": ["be_nice"]},
        {"method": "mind_reading"},
        {"customer_guid": ""},
        {"colour": "red"},
    ],
)
def test_the_request_refuses_what_the_api_would(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        PostIdentityVerification.model_validate({"method": "id_and_selfie", "customer_guid": CUSTOMER, **bad})
    assert PostIdentityVerification.model_validate(
        {
            "method": "id_and_selfie",
            "customer_guid": CUSTOMER,
            "expected_behaviours": ["passed_immediately"] * 50,
        }
    )


def test_a_persona_session_request_sends_customer_guid_only_when_given() -> None:
    body = PostPersonaSession(identity_verification_guid="g" * 32, persona_inquiry_id="inq_1")
    assert body.to_json_body() == {"identity_verification_guid": "g" * 32, "persona_inquiry_id": "inq_1"}
