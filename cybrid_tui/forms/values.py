"""What the person typed into the create-customer form, as plain strings (no Textual, no pydantic)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Literal

from cybrid_tui.forms.fields import ADDRESS, BUSINESS, CONTACT, INDIVIDUAL, keys

Approach = Literal["platform", "details"]
CustomerKind = Literal["individual", "business"]

#: The spec's `PostIdentificationNumber.type` enum, in the order the form lists them.
INDIVIDUAL_ID_TYPES: Final[tuple[str, ...]] = (
    "passport",
    "drivers_license",
    "identification_card",
    "passport_card",
    "residence_card",
    "visa",
    "social_security_number",
    "tax_identification_number",
)
BUSINESS_ID_TYPES: Final[tuple[str, ...]] = (
    "employer_identification_number",
    "business_registration_number",
    "tax_identification_number",
)
ALL_ID_TYPES: Final[frozenset[str]] = frozenset(INDIVIDUAL_ID_TYPES + BUSINESS_ID_TYPES)

ID_TYPE_LABELS: Final[dict[str, str]] = {
    "passport": "Passport",
    "drivers_license": "Driver's license",
    "identification_card": "ID card",
    "passport_card": "Passport card",
    "residence_card": "Residence card",
    "visa": "Visa",
    "social_security_number": "Social security no.",
    "tax_identification_number": "Tax ID number",
    "employer_identification_number": "Employer ID (EIN)",
    "business_registration_number": "Business reg. no.",
}


def id_types_for(kind: str) -> tuple[str, ...]:
    """The identification types the form offers for a customer type."""
    return BUSINESS_ID_TYPES if kind == "business" else INDIVIDUAL_ID_TYPES


@dataclass(frozen=True, slots=True)
class IdRow:
    """One identification-number row. `type` is "" until one is chosen."""

    type: str = ""
    country: str = ""
    number: str = ""

    @property
    def blank(self) -> bool:
        return not (self.type or self.country.strip() or self.number.strip())


@dataclass(frozen=True, slots=True)
class FormValues:
    """Everything on the form. Field names are the keys validators use to report errors."""

    kind: CustomerKind = "individual"
    approach: Approach = "platform"
    first_name: str = ""
    middle_name: str = ""
    last_name: str = ""
    date_of_birth: str = ""
    legal_name: str = ""
    alias: str = ""
    website: str = ""
    email: str = ""
    phone: str = ""
    street: str = ""
    street2: str = ""
    city: str = ""
    subdivision: str = ""
    postal_code: str = ""
    country: str = ""
    identification: tuple[IdRow, ...] = field(default_factory=lambda: (IdRow(),))
    labels: str = ""

    @property
    def details(self) -> bool:
        return self.approach == "details"

    def typed_anything(self) -> bool:
        """Whether the person entered any text (choosing type or approach alone does not count)."""
        texts = (getattr(self, name) for name in TEXT_FIELDS)
        return any(text.strip() for text in texts) or any(not row.blank for row in self.identification)


#: Text fields in layout order, per group (described in `cybrid_tui.forms.fields`).
INDIVIDUAL_FIELDS: Final[tuple[str, ...]] = keys(INDIVIDUAL)
BUSINESS_FIELDS: Final[tuple[str, ...]] = keys(BUSINESS)
CONTACT_FIELDS: Final[tuple[str, ...]] = keys(CONTACT)
ADDRESS_FIELDS: Final[tuple[str, ...]] = keys(ADDRESS)
TEXT_FIELDS: Final[tuple[str, ...]] = (
    INDIVIDUAL_FIELDS + BUSINESS_FIELDS + CONTACT_FIELDS + ADDRESS_FIELDS + ("labels",)
)


def id_key(index: int, part: str) -> str:
    """The error key of one cell of an identification row: `id-<row>-<type|country|number>`."""
    return f"id-{index}-{part}"


def field_order(values: FormValues) -> list[str]:
    """The keys of the fields the person can see, in layout (and tab) order."""
    keys: list[str] = []
    if values.details:
        keys += INDIVIDUAL_FIELDS if values.kind == "individual" else BUSINESS_FIELDS
        keys += CONTACT_FIELDS + ADDRESS_FIELDS
        keys.append("identification")
        for index in range(len(values.identification)):
            keys += [id_key(index, "type"), id_key(index, "country"), id_key(index, "number")]
    keys.append("labels")
    return keys
