"""Pydantic models for Cybrid's API, one module per resource, mirroring `bank-openapi.yaml`.

Response models ignore unknown fields and keep unknown `state`/`type` strings as they are (the spec types
them as plain strings), so a newer server never breaks parsing. Request models forbid unknown fields and
enforce the spec's limits, so a bad request fails here rather than at the server. The API's words (states,
types, scopes, limits) live in `cybrid_tui.api.vocab`.
"""

from __future__ import annotations

from cybrid_tui.api.filters import CustomerFilters, IdentityVerificationFilters
from cybrid_tui.api.models._base import ListPage, Request, Response
from cybrid_tui.api.models.common import ErrorResponse
from cybrid_tui.api.models.customers import (
    MAX_IDENTIFICATION_NUMBERS,
    MAX_LABELS,
    MAX_PER_PAGE,
    ActivityLimit,
    ComplianceDecision,
    CountryCode,
    Customer,
    CustomerAddress,
    CustomerAlias,
    CustomerList,
    CustomerName,
    CustomerState,
    CustomerSummary,
    CustomerSummaryList,
    CustomerType,
    IdentificationNumber,
    IdentificationNumberType,
    Label,
    PatchCustomer,
    PostCustomer,
    PostCustomerAddress,
    PostCustomerAlias,
    PostCustomerName,
    PostIdentificationNumber,
    StateValue,
    Subdivision,
    TypeValue,
)
from cybrid_tui.api.models.identity_verifications import (
    ComplianceCheck,
    IdentityVerification,
    IdentityVerificationList,
    IdentityVerificationMethod,
    IdentityVerificationWithDetails,
    PersonaSession,
    PostIdentityVerification,
    PostPersonaSession,
)

__all__ = [
    "MAX_IDENTIFICATION_NUMBERS",
    "MAX_LABELS",
    "MAX_PER_PAGE",
    "ActivityLimit",
    "ComplianceCheck",
    "ComplianceDecision",
    "CountryCode",
    "Customer",
    "CustomerAddress",
    "CustomerAlias",
    "CustomerFilters",
    "CustomerList",
    "CustomerName",
    "CustomerState",
    "CustomerSummary",
    "CustomerSummaryList",
    "CustomerType",
    "ErrorResponse",
    "IdentificationNumber",
    "IdentificationNumberType",
    "IdentityVerification",
    "IdentityVerificationFilters",
    "IdentityVerificationList",
    "IdentityVerificationMethod",
    "IdentityVerificationWithDetails",
    "Label",
    "ListPage",
    "PatchCustomer",
    "PersonaSession",
    "PostCustomer",
    "PostCustomerAddress",
    "PostCustomerAlias",
    "PostCustomerName",
    "PostIdentificationNumber",
    "PostIdentityVerification",
    "PostPersonaSession",
    "Request",
    "Response",
    "StateValue",
    "Subdivision",
    "TypeValue",
]
