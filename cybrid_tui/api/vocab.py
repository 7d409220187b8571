"""The words of Cybrid's API the whole app shares: states, types, scopes, limits, the duplicate-guard tag.

Plain constants with no pydantic or httpx import, so the store, the counters, the form validators, the mock
and the command line read them cheaply and from one place. `api/models/` builds its limits from these, and
its enums are tested equal to them.
"""

from __future__ import annotations

from typing import Final

# ------------------------------------------------------------------------------------------------ customers

CUSTOMER_TYPES: Final = ("individual", "business")
#: Every customer state the spec names, in the order a customer moves through them.
CUSTOMER_STATES: Final = ("storing", "unverified", "verified", "rejected", "frozen")
#: States a live view re-reads often, because they change on their own within seconds or minutes.
VOLATILE_CUSTOMER_STATES: Final = ("storing", "unverified")

IDENTIFICATION_TYPES: Final = (
    "drivers_license",
    "passport",
    "passport_card",
    "residence_card",
    "visa",
    "social_security_number",
    "tax_identification_number",
    "identification_card",
    "employer_identification_number",
    "business_registration_number",
)

MAX_LABELS: Final = 8
MAX_LABEL_LENGTH: Final = 64
MAX_IDENTIFICATION_NUMBERS: Final = 10
MAX_PER_PAGE: Final = 100

#: Every submission from this app carries one label with this prefix: an ambiguous create can be found again.
DUPLICATE_GUARD_TAG_PREFIX: Final = "cybrid-tui-"

# ------------------------------------------------------------------------------------ identity verifications

IDENTITY_VERIFICATION_STATES: Final = ("storing", "waiting", "pending", "reviewing", "expired", "completed")
#: A verification in one of these is still open: never start another for the same customer.
OPEN_IDENTITY_VERIFICATION_STATES: Final = ("storing", "waiting", "pending", "reviewing")
IDENTITY_VERIFICATION_OUTCOMES: Final = ("passed", "failed")
#: The platform method each customer type is verified with (KYC for a person, KYB for a business).
VERIFICATION_METHOD_FOR_CUSTOMER_TYPE: Final = {
    "individual": "id_and_selfie",
    "business": "business_registration",
}

# -------------------------------------------------------------------------------------------------- scopes

SCOPE_CUSTOMERS_READ: Final = "customers:read"
SCOPE_CUSTOMERS_WRITE: Final = "customers:write"
SCOPE_CUSTOMERS_EXECUTE: Final = "customers:execute"
SCOPE_CUSTOMERS_PII_READ: Final = "customers:pii:read"
SCOPE_IDENTITY_VERIFICATIONS_READ: Final = "identity_verifications:read"
SCOPE_IDENTITY_VERIFICATIONS_EXECUTE: Final = "identity_verifications:execute"
SCOPE_PERSONA_SESSIONS_EXECUTE: Final = "persona_sessions:execute"

CUSTOMER_SCOPES: Final = (
    SCOPE_CUSTOMERS_READ,
    SCOPE_CUSTOMERS_WRITE,
    SCOPE_CUSTOMERS_EXECUTE,
    SCOPE_CUSTOMERS_PII_READ,
)
IDENTITY_VERIFICATION_SCOPES: Final = (
    SCOPE_IDENTITY_VERIFICATIONS_READ,
    SCOPE_IDENTITY_VERIFICATIONS_EXECUTE,
    SCOPE_PERSONA_SESSIONS_EXECUTE,
)
