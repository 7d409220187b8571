"""Which form fields a server's `error_message` is about ("Customer address required" -> the address)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from cybrid_tui.forms.values import id_key

if TYPE_CHECKING:
    from cybrid_tui.forms.values import FormValues

# Checked in order, the first phrase found wins: "Address country code not supported" is about the country.
_PHRASES: Final[tuple[tuple[str, str], ...]] = (
    ("identification", "identification"),
    ("email", "email"),  # before "address": "Customer email address required"
    ("country", "country"),
    ("subdivision", "subdivision"),
    ("postal", "postal_code"),
    ("address", "address"),
    ("date of birth", "date_of_birth"),
    ("birth", "date_of_birth"),
    ("phone", "phone"),
    ("website", "website"),
    ("alias", "alias"),
    ("name", "name"),
    ("label", "labels"),
)


def fields_for_message(message: str, values: FormValues) -> list[str]:
    """The keys of the visible fields a server message names, in layout order; [] when it names none."""
    text = message.lower()
    topic = next((topic for phrase, topic in _PHRASES if phrase in text), None)
    if topic is None or (not values.details and topic != "labels"):
        return []
    if topic == "name":
        if values.kind == "business":
            return ["legal_name"]
        return ["first_name", "last_name"]
    if topic == "address":
        return ["street", "city", "country"]
    if topic == "identification":
        if not values.identification:
            return ["identification"]
        keys = [id_key(index, "number") for index, row in enumerate(values.identification) if not row.blank]
        return keys or [id_key(0, "number")]
    if topic in ("date_of_birth",) and values.kind == "business":
        return []
    if topic in ("website", "alias") and values.kind == "individual":
        return []
    return [topic]
