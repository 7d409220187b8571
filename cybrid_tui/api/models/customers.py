"""Pydantic models for Cybrid's customer endpoints, mirroring `bank-openapi.yaml`.

Response models ignore unknown fields and keep unknown `state`/`type` strings as they are (the spec types
them as plain strings), so a newer server never breaks parsing. Request models forbid unknown fields and
enforce the spec's limits, so a bad request fails here rather than at the server.
"""

from __future__ import annotations

import datetime as dt  # noqa: TC003 - pydantic resolves annotations at runtime
from enum import StrEnum
from typing import Annotated, ClassVar, Literal

from pydantic import AfterValidator, Field, StringConstraints

from cybrid_tui.api import vocab
from cybrid_tui.api.models._base import ListPage, Request, Response


# The typed view of `vocab`'s words, written out so type checkers know the members; a unit test
# (test_models_vocab) keeps each enum equal to its `vocab` tuple, which stays the one list.
class CustomerType(StrEnum):
    INDIVIDUAL = "individual"
    BUSINESS = "business"


class CustomerState(StrEnum):
    STORING = "storing"
    UNVERIFIED = "unverified"
    VERIFIED = "verified"
    REJECTED = "rejected"
    FROZEN = "frozen"


class IdentificationNumberType(StrEnum):
    DRIVERS_LICENSE = "drivers_license"
    PASSPORT = "passport"
    PASSPORT_CARD = "passport_card"
    RESIDENCE_CARD = "residence_card"
    VISA = "visa"
    SOCIAL_SECURITY_NUMBER = "social_security_number"
    TAX_IDENTIFICATION_NUMBER = "tax_identification_number"
    IDENTIFICATION_CARD = "identification_card"
    EMPLOYER_IDENTIFICATION_NUMBER = "employer_identification_number"
    BUSINESS_REGISTRATION_NUMBER = "business_registration_number"


# Plain dict lookups: called for every customer of every page, where `CustomerState(value)` with its
# try/except costs several times more.
_STATES: dict[str, str] = {member.value: member for member in CustomerState}
_TYPES: dict[str, str] = {member.value: member for member in CustomerType}


def _known_state(value: str) -> str:
    return _STATES.get(value, value)


def _known_type(value: str) -> str:
    return _TYPES.get(value, value)


#: A customer state as the server sent it: a `CustomerState` member when known, the raw string otherwise.
StateValue = Annotated[str, AfterValidator(_known_state)]
#: A customer type as the server sent it: a `CustomerType` member when known, the raw string otherwise.
TypeValue = Annotated[str, AfterValidator(_known_type)]

CountryCode = Annotated[str, StringConstraints(min_length=2, max_length=2)]
Subdivision = Annotated[str, StringConstraints(min_length=1, max_length=3)]
Label = Annotated[str, StringConstraints(min_length=1, max_length=vocab.MAX_LABEL_LENGTH)]

MAX_LABELS = vocab.MAX_LABELS
MAX_IDENTIFICATION_NUMBERS = vocab.MAX_IDENTIFICATION_NUMBERS
MAX_PER_PAGE = vocab.MAX_PER_PAGE


# ----------------------------------------------------------------------------------------------- requests


class PostCustomerName(Request):
    first: str | None = None
    middle: str | None = None
    last: str | None = None
    full: str | None = None


class PostCustomerAddress(Request):
    street: str
    street2: str | None = None
    city: str
    subdivision: Subdivision | None = None
    postal_code: str | None = None
    country_code: CountryCode


class PostCustomerAlias(Request):
    full: str | None = None


class PostIdentificationNumber(Request):
    type: IdentificationNumberType
    issuing_country_code: CountryCode
    identification_number: str


class PostCustomer(Request):
    """Request body of `POST /api/customers`. Only `type` is required."""

    type: CustomerType
    name: PostCustomerName | None = None
    address: PostCustomerAddress | None = None
    date_of_birth: dt.date | None = None
    phone_number: str | None = None
    email_address: str | None = None
    identification_numbers: (
        Annotated[
            list[PostIdentificationNumber],
            Field(min_length=1, max_length=MAX_IDENTIFICATION_NUMBERS),
        ]
        | None
    ) = None
    aliases: Annotated[list[PostCustomerAlias], Field(max_length=1)] | None = None
    website: str | None = None
    labels: Annotated[list[Label], Field(max_length=MAX_LABELS)] | None = None


class PatchCustomer(Request):
    """Request body of `PATCH /api/customers/{guid}`: `state` may only be set to `unverified`."""

    state: Literal[CustomerState.UNVERIFIED] | None = None


# ---------------------------------------------------------------------------------------------- responses


class CustomerName(Response):
    first: str | None = None
    middle: str | None = None
    last: str | None = None
    full: str | None = None

    @property
    def display(self) -> str:
        if self.full:
            return self.full
        return " ".join(part for part in (self.first, self.middle, self.last) if part)


class CustomerAddress(Response):
    street: str | None = None
    street2: str | None = None
    city: str | None = None
    subdivision: str | None = None
    postal_code: str | None = None
    country_code: str | None = None


class CustomerAlias(CustomerName):
    pass


class IdentificationNumber(Response):
    type: str
    issuing_country_code: str | None = None
    identification_number: str

    @property
    def masked(self) -> str:
        """The number with all but its last four characters hidden."""
        number = self.identification_number
        visible = number[-4:] if len(number) > 4 else ""
        return "•" * (len(number) - len(visible)) + visible


class ComplianceDecision(Response):
    type: str
    state: str
    failure_codes: list[str] | None = None


class ActivityLimit(Response):
    type: str | None = None
    name: str | None = None
    asset: str | None = None
    amount: int | None = None
    interval: int | None = None
    activities: list[str] | None = None
    sides: list[str] | None = None


class Customer(Response):
    DESCRIPTION: ClassVar[str] = "a customer"

    guid: str
    bank_guid: str | None = None
    type: TypeValue | None = None
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    state: StateValue | None = None
    name: CustomerName | None = None
    address: CustomerAddress | None = None
    aliases: list[CustomerAlias] | None = None
    website: str | None = None
    date_of_birth: dt.date | None = None
    phone_number: str | None = None
    email_address: str | None = None
    labels: list[str] | None = None
    compliance_decisions: list[ComplianceDecision] | None = None
    identification_numbers: list[IdentificationNumber] | None = None
    activity_limits: list[ActivityLimit] | None = None


class CustomerList(ListPage):
    DESCRIPTION: ClassVar[str] = "a customer list"

    objects: list[Customer]


class CustomerSummary(Response):
    """A customer as a listing shows it: the fields of the customers table, nothing else.

    Parsed from the same list responses as `Customer`, as tolerantly: unknown fields are ignored and a
    `state` or `type` the spec does not know is kept as sent. The table never shows the address, the
    documents or the compliance decisions, and skipping them makes a page of 100 customers (88 kB with PII)
    several times cheaper to parse and to hold while 100,000 of them load. `state` and `type` stay plain
    strings: the row that holds them interns them, and an enum member per customer buys nothing here.
    """

    DESCRIPTION: ClassVar[str] = "a customer"

    guid: str
    type: str | None = None
    state: str | None = None
    name: CustomerName | None = None
    labels: list[str] | None = None
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None


class CustomerSummaryList(ListPage):
    """A page of `GET /api/customers` read as `CustomerSummary` objects (see there)."""

    DESCRIPTION: ClassVar[str] = "a customer list"

    objects: list[CustomerSummary]
