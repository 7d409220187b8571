"""Pydantic models for identity verifications and Persona sessions, mirroring `bank-openapi.yaml`.

Responses are tolerant: unknown fields are ignored, and a `state`, `method`, `outcome`, `persona_state` or
failure code the spec does not name is kept as sent (known words become `vocab` strings, unknown ones stay
plain strings: never an error). A list page whose objects are partly malformed keeps the readable ones and
counts the rest in `unreadable`. The request body forbids unknown fields and enforces the spec's limits.
"""

from __future__ import annotations

import datetime as dt  # noqa: TC003 - pydantic resolves annotations at runtime
from collections.abc import Sequence  # noqa: TC003 - pydantic resolves annotations at runtime
from enum import StrEnum
from typing import Annotated, Any, ClassVar

from pydantic import (
    Field,
    SecretStr,
    StringConstraints,
    ValidationError,
    ValidatorFunctionWrapHandler,
    model_validator,
)

from cybrid_tui.api import vocab
from cybrid_tui.api.models._base import ListPage, Request, Response
from cybrid_tui.api.models.customers import ComplianceDecision  # noqa: TC001 - pydantic resolves it at runtime

#: The spec's limit on `expected_behaviours`.
MAX_EXPECTED_BEHAVIOURS = 50

Guid = Annotated[str, StringConstraints(min_length=1, max_length=32)]
CountryCode = Annotated[str, StringConstraints(min_length=2, max_length=2, pattern=r"^[A-Za-z]{2}$")]


class IdentityVerificationType(StrEnum):
    KYC = "kyc"
    BANK_ACCOUNT = "bank_account"
    COUNTERPARTY = "counterparty"


class IdentityVerificationMethod(StrEnum):
    """The methods a request may name (the spec's list; only the platform KYC ones are used by the app)."""

    WATCHLISTS = "watchlists"
    ATTESTED = "attested"
    DOCUMENT_SUBMISSION = "document_submission"
    ENHANCED_DUE_DILIGENCE = "enhanced_due_diligence"
    ID_AND_SELFIE = "id_and_selfie"
    TAX_ID_AND_SELFIE = "tax_id_and_selfie"
    BUSINESS_REGISTRATION = "business_registration"
    ATTESTED_ID_AND_SELFIE = "attested_id_and_selfie"
    ATTESTED_BUSINESS_REGISTRATION = "attested_business_registration"
    ATTESTED_OWNERSHIP = "attested_ownership"
    ACCOUNT_OWNERSHIP = "account_ownership"


class ExpectedBehaviour(StrEnum):
    """Sandbox only: what the verification should do by itself."""

    PASSED_IMMEDIATELY = "passed_immediately"
    FAILED_IMMEDIATELY = "failed_immediately"
    TAX_ID_NOT_CHECKED = "tax_id_not_checked"


#: The method a platform KYC starts with, by customer type.
METHOD_FOR_CUSTOMER_TYPE: dict[str, IdentityVerificationMethod] = {
    kind: IdentityVerificationMethod(method)
    for kind, method in vocab.VERIFICATION_METHOD_FOR_CUSTOMER_TYPE.items()
}

_OPEN = frozenset(vocab.OPEN_IDENTITY_VERIFICATION_STATES)


# ----------------------------------------------------------------------------------------------- requests


class PostIdentityVerification(Request):
    """Request body of `POST /api/identity_verifications` for platform KYC/KYB (no attested PII fields).

    Build it with `for_customer` for the usual case; `to_json_body()` is the exact body sent (None omitted),
    which the verify screen can preview as it is."""

    type: IdentityVerificationType = IdentityVerificationType.KYC
    method: IdentityVerificationMethod
    customer_guid: Guid
    country_code: CountryCode | None = None
    expected_behaviours: (
        Annotated[list[ExpectedBehaviour], Field(max_length=MAX_EXPECTED_BEHAVIOURS)] | None
    ) = None

    @classmethod
    def for_customer(
        cls,
        customer_guid: str,
        customer_type: str,
        *,
        country_code: str | None = None,
        expected_behaviours: Sequence[str] = (),
    ) -> PostIdentityVerification:
        """The platform verification of one customer: `id_and_selfie` for an individual,
        `business_registration` for a business. Raises `ValueError` (pydantic's) for an unknown type."""
        method = METHOD_FOR_CUSTOMER_TYPE.get(customer_type)
        if method is None:
            raise ValueError(f"no identity verification method for a customer of type {customer_type[:20]!r}")
        return cls(
            method=method,
            customer_guid=customer_guid,
            country_code=country_code.upper() if country_code else None,
            expected_behaviours=[ExpectedBehaviour(b) for b in expected_behaviours] or None,
        )


class PostPersonaSession(Request):
    """Request body of `POST /api/persona_sessions`. The spec's `required` names `customer_guid`, which it
    does not define: sent only when given."""

    identity_verification_guid: Guid
    persona_inquiry_id: Annotated[str, StringConstraints(min_length=1, max_length=128)]
    customer_guid: Guid | None = None


# ---------------------------------------------------------------------------------------------- responses


class ComplianceCheck(Response):
    type: str
    outcome: str
    failure_codes: list[str] | None = None


class IdentityVerificationDocumentFile(Response):
    guid: str | None = None
    type: str | None = None
    content_type: str | None = None
    filename: str | None = None


class IdentityVerificationDocument(Response):
    guid: str | None = None
    type: str | None = None
    validated: bool | None = None
    expiration_date: dt.date | None = None
    files: list[IdentityVerificationDocumentFile] | None = None


class IdentityVerificationBusinessAssociate(Response):
    persona_inquiry_id: str | None = None
    persona_state: str | None = None
    customer_guid: str | None = None
    role: str | None = None
    email_address: str | None = None


class IdentityVerification(Response):
    """One verification as create and list answer it. Every string is kept as sent."""

    DESCRIPTION: ClassVar[str] = "an identity verification"

    guid: str
    type: str | None = None
    method: str | None = None
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    customer_guid: str | None = None
    counterparty_guid: str | None = None
    external_bank_account_guid: str | None = None
    state: str | None = None
    outcome: str | None = None
    failure_codes: list[str] | None = None
    compliance_decisions: list[ComplianceDecision] | None = None

    @property
    def is_open(self) -> bool:
        """Still in progress (`storing`, `waiting`, `pending`, `reviewing`): never start another."""
        return self.state in _OPEN

    @property
    def codes(self) -> tuple[str, ...]:
        """The failure codes (none when the server sent null)."""
        return tuple(self.failure_codes or ())


class IdentityVerificationWithDetails(IdentityVerification):
    """`GET /api/identity_verifications/{guid}`: the verification plus Persona's side.

    `pii` (the attested details) is not read: the app never shows it from here."""

    DESCRIPTION: ClassVar[str] = "an identity verification"

    persona_inquiry_id: str | None = None
    persona_state: str | None = None
    compliance_checks: list[ComplianceCheck] | None = None
    business_associates: list[IdentityVerificationBusinessAssociate] | None = None
    documents: list[IdentityVerificationDocument] | None = None
    supporting_files: list[IdentityVerificationDocument] | None = None


class IdentityVerificationList(ListPage):
    """A page of `GET /api/identity_verifications`. Objects that cannot be read are left out and counted in
    `unreadable`; the page itself must still have `total`, `page`, `per_page` and a list of `objects`."""

    DESCRIPTION: ClassVar[str] = "an identity verification list"

    objects: list[IdentityVerification]

    @model_validator(mode="wrap")
    @classmethod
    def _keep_readable(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        # The fast path validates once; only a page that fails is taken apart object by object.
        try:
            return handler(data)
        except ValidationError:
            objects = data.get("objects") if isinstance(data, dict) else None
            if not isinstance(objects, list):
                raise
            kept: list[Any] = []
            for item in objects:
                try:
                    kept.append(IdentityVerification.model_validate(item))
                except ValidationError:
                    continue
            page = handler({**data, "objects": kept})
            page._unreadable = len(objects) - len(kept)
            return page


class PersonaSession(Response):
    """The answer of `POST /api/persona_sessions`. The token grants access to the person's data: it is a
    `SecretStr` (never printed by repr) and registered with the log scrubber when it arrives."""

    DESCRIPTION: ClassVar[str] = "a Persona session"

    identity_verification_guid: str
    persona_inquiry_id: str
    persona_session_token: SecretStr
