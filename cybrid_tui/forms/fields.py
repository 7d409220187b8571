"""The create-customer form's text fields, described once as data.

Each field's key (the `FormValues` attribute and the key errors are reported under), its label, placeholder,
whether it is required and whether it holds personal data, grouped in the sections the form shows, in layout
(and tab) order. The screen composes its sections from this, the status line names fields from it, and
`cybrid_tui.forms.values` takes its field groups from it: adding a field is one line here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, NamedTuple

from cybrid_tui.api.vocab import MAX_LABELS

if TYPE_CHECKING:
    from cybrid_tui.forms.values import Approach, CustomerKind


class FieldSpec(NamedTuple):
    """One text field of the form."""

    key: str
    label: str
    placeholder: str = ""
    required: bool = False
    #: Personal data: masked on screen while PII is hidden (the `i` key).
    pii: bool = True
    #: What joins the lines of a multi-line paste (the field is one line; nothing pasted may vanish).
    paste_joiner: str = " "


class SectionSpec(NamedTuple):
    """A titled group of fields; `id` is the container's widget id (the stylesheet shows and hides by it)."""

    id: str
    title: str
    fields: tuple[FieldSpec, ...]


TITLE: Final = "New customer"

#: The two radio sets' choices, in their order on screen.
KINDS: tuple[CustomerKind, ...] = ("individual", "business")
APPROACHES: tuple[Approach, ...] = ("platform", "details")
#: The note under the choices, per approach.
NOTES: dict[str, str] = {
    "platform": (
        "No identity details are sent, only the type and labels: Cybrid gathers them later, in an identity "
        "verification."
    ),
    "details": "The bank did its own KYC: enter the customer's details. * marks a required field.",
}
LABEL_HINT = (
    f"Comma separated, up to {MAX_LABELS - 1}: the {MAX_LABELS}th label is the tag that guards "
    "against duplicates."
)
INDIVIDUAL: Final = SectionSpec(
    "individual",
    "Name",
    (
        FieldSpec("first_name", "First name", required=True),
        FieldSpec("middle_name", "Middle name"),
        FieldSpec("last_name", "Last name", required=True),
        FieldSpec("date_of_birth", "Date of birth", "YYYY-MM-DD", required=True),
    ),
)
BUSINESS: Final = SectionSpec(
    "business",
    "Business",
    (
        FieldSpec("legal_name", "Legal name", required=True),
        FieldSpec("alias", "Alias", "Trading name"),
        FieldSpec("website", "Website", "example.com"),
    ),
)
CONTACT: Final = SectionSpec(
    "contact",
    "Contact",
    (
        FieldSpec("email", "Email", "name@example.com", required=True),
        FieldSpec("phone", "Phone", "+1 415 555 2671"),
    ),
)
ADDRESS: Final = SectionSpec(
    "address",
    "Address",
    (
        FieldSpec("street", "Street", required=True),
        FieldSpec("street2", "Street 2"),
        FieldSpec("city", "City", required=True),
        FieldSpec("subdivision", "Subdivision", "CA (ISO 3166-2)"),
        FieldSpec("postal_code", "Postal code"),
        FieldSpec("country", "Country", "US (ISO 3166)", required=True),
    ),
)
LABELS: Final = SectionSpec(
    "labels-section",
    "Labels",
    (FieldSpec("labels", "Labels", "vip, imported", pii=False, paste_joiner=", "),),
)
#: Every section, in layout order (the identification numbers come between the address and the labels).
SECTIONS: Final[tuple[SectionSpec, ...]] = (INDIVIDUAL, BUSINESS, CONTACT, ADDRESS, LABELS)
FIELDS: Final[dict[str, FieldSpec]] = {spec.key: spec for section in SECTIONS for spec in section.fields}
#: Keys of the fields that hold personal data.
PII_FIELDS: Final[frozenset[str]] = frozenset(key for key, spec in FIELDS.items() if spec.pii)


def keys(section: SectionSpec) -> tuple[str, ...]:
    return tuple(spec.key for spec in section.fields)


def field_name(key: str) -> str:
    """What the status line calls a field: "First name", "Identification number 2 (number)"."""
    if key.startswith("id-"):
        _, index, part = key.split("-", 2)
        return f"Identification number {int(index) + 1} ({part})"
    if key == "identification":
        return "Identification numbers"
    spec = FIELDS.get(key)
    return spec.label if spec is not None else key


def form_title(marker: str | None, *, pii_hidden: bool) -> str:
    """The form's title bar: "New customer │ <production marker> │ PII hidden (i shows it)"."""
    parts = [TITLE, *([marker] if marker else []), *(["PII hidden (i shows it)"] if pii_hidden else [])]
    return " │ ".join(parts)
