"""Request validation for `POST /api/identity_verifications` and `POST /api/persona_sessions`.

As for customers, a body that does not fit the spec's schema (`PostIdentityVerification`,
`PostPersonaSession`) is 400 `invalid_parameter` naming the field. The spec documents no error for what the
mock cannot simulate (types other than `kyc`, attested methods, a method that does not fit the customer's
type): those are 422 `unsupported_value`, the mock's own choice, as is 422 `invalid_value` for a country code
that is not ISO 3166.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cybrid_tui.mock.errors import bad_request, unprocessable
from cybrid_tui.mock.kyc_flow import ADMIN_TARGETS
from cybrid_tui.mock.validation import _list, _object, _string, is_country

VERIFICATION_TYPES = ("kyc", "bank_account", "counterparty")
VERIFICATION_METHODS = (
    "watchlists",
    "attested",
    "document_submission",
    "enhanced_due_diligence",
    "id_and_selfie",
    "tax_id_and_selfie",
    "business_registration",
    "attested_id_and_selfie",
    "attested_business_registration",
    "attested_ownership",
    "account_ownership",
)
EXPECTED_BEHAVIOURS = ("passed_immediately", "failed_immediately", "tax_id_not_checked")
MAX_EXPECTED_BEHAVIOURS = 50
#: Methods the mock simulates, by customer type (platform KYC for people, KYB for businesses).
SIMULATED_METHODS = {
    "individual": ("id_and_selfie", "tax_id_and_selfie"),
    "business": ("business_registration",),
}


@dataclass(frozen=True, slots=True)
class NewVerification:
    """A validated `PostIdentityVerification` the mock can simulate."""

    customer_guid: str
    method: str
    country_code: str | None
    expected_behaviours: tuple[str, ...]


def _one_of(value: str | None, name: str, allowed: tuple[str, ...]) -> None:
    if value is not None and value not in allowed:
        raise bad_request(f"{name} must be one of {', '.join(allowed)}")


def validate_post_identity_verification(body: Any) -> NewVerification:
    """Check a create body against the schema; raises MockError 400 (schema) or 422 (not simulated)."""
    raw = _object(body, "request body")
    kind = _string(raw, "type", "", required=True)
    _one_of(kind, "type", VERIFICATION_TYPES)
    method = _string(raw, "method", "")
    _one_of(method, "method", VERIFICATION_METHODS)
    customer_guid = _string(raw, "customer_guid", "")
    if customer_guid is not None and len(customer_guid) > 32:
        raise bad_request("customer_guid must be at most 32 characters long")
    country_code = _string(raw, "country_code", "")
    behaviours = _list(raw, "expected_behaviours", 0, MAX_EXPECTED_BEHAVIOURS) or []
    for item in behaviours:
        if not isinstance(item, str) or item not in EXPECTED_BEHAVIOURS:
            raise bad_request(f"expected_behaviours items must be one of {', '.join(EXPECTED_BEHAVIOURS)}")
    for name in ("counterparty_guid", "external_bank_account_guid", "phone_number", "email_address"):
        _string(raw, name, "")
    if kind != "kyc":
        raise unprocessable(
            f"Identity verification type {kind} is not supported by the mock", "unsupported_value"
        )
    if method is None:
        raise bad_request("method is required")
    if customer_guid is None:
        raise bad_request("customer_guid is required")
    if country_code is not None and not is_country(country_code):
        raise unprocessable("Country code not supported", "invalid_value")
    if method not in SIMULATED_METHODS["individual"] + SIMULATED_METHODS["business"]:
        raise unprocessable(
            f"Identity verification method {method} is not supported by the mock", "unsupported_value"
        )
    return NewVerification(customer_guid, method, country_code, tuple(behaviours))


def check_method_fits(method: str, customer_type: str) -> None:
    """422 unsupported_value when the method is not one for this type of customer (the mock's choice)."""
    if method not in SIMULATED_METHODS.get(customer_type, ()):
        raise unprocessable(
            f"Identity verification method {method} is not supported for {customer_type} customers",
            "unsupported_value",
        )


@dataclass(frozen=True, slots=True)
class NewPersonaSession:
    identity_verification_guid: str
    persona_inquiry_id: str
    customer_guid: str | None


def validate_post_persona_session(body: Any) -> NewPersonaSession:
    """`identity_verification_guid` and `persona_inquiry_id` are required; `customer_guid` (the spec's
    `required` list names it without defining it) is optional and, when sent, must be the verification's
    customer's."""
    raw = _object(body, "request body")
    guid = _string(raw, "identity_verification_guid", "", required=True)
    inquiry = _string(raw, "persona_inquiry_id", "", required=True)
    assert guid is not None and inquiry is not None
    return NewPersonaSession(guid, inquiry, _string(raw, "customer_guid", ""))


@dataclass(frozen=True, slots=True)
class AdminMove:
    state: str
    outcome: str
    failure_codes: tuple[str, ...]


def validate_admin_move(body: Any) -> AdminMove:
    """`POST /_mock/identity_verifications/{guid}/state`: target state, outcome (completed), failure codes."""
    raw = _object(body, "request body")
    state = _string(raw, "state", "", required=True)
    _one_of(state, "state", ADMIN_TARGETS)
    outcome = _string(raw, "outcome", "") or "passed"
    _one_of(outcome, "outcome", ("passed", "failed"))
    codes = _list(raw, "failure_codes", 0, 50) or []
    if not all(isinstance(code, str) and code for code in codes):
        raise bad_request("failure_codes must be non-empty strings")
    assert state is not None
    return AdminMove(state, outcome, tuple(codes))
