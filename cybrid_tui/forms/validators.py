"""Validators for the create-customer form: pure functions that return an error message or None.

Every function accepts any text and never raises: what a person can type is arbitrary, and a validator that
crashes is worse than one that says "invalid". Country and subdivision codes come from pycountry (ISO 3166-1
and ISO 3166-2), e-mail syntax from email-validator (no DNS lookups) and phone numbers from phonenumbers
(E.164). Those libraries are imported on first use so that importing this module stays cheap.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import cache
from typing import TYPE_CHECKING, Final

from cybrid_tui.api import vocab
from cybrid_tui.forms.values import (
    ALL_ID_TYPES,
    ID_TYPE_LABELS,
    FormValues,
    IdRow,
    field_order,
    id_key,
    id_types_for,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

#: The spec's limits: up to 8 labels of 1..64 characters; 1..10 identification numbers.
MAX_LABELS: Final = vocab.MAX_LABELS
MAX_LABEL_LENGTH: Final = vocab.MAX_LABEL_LENGTH
MAX_ID_ROWS: Final = vocab.MAX_IDENTIFICATION_NUMBERS
#: One label slot carries the duplicate-protection tag (see `cybrid_tui.api.safe_create`).
MAX_USER_LABELS: Final = MAX_LABELS - 1
#: Reserved for the duplicate-protection tag; a person's label may not start with it.
TAG_PREFIX: Final = vocab.DUPLICATE_GUARD_TAG_PREFIX
#: No limit in the spec; a sanity bound so a pasted novel is caught here rather than at the server.
MAX_TEXT_LENGTH: Final = 255
#: The oldest plausible age of a living customer, in years.
MAX_AGE_YEARS: Final = 130

REQUIRED: Final = "Required"
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_WEBSITE = re.compile(r"(https?://)?[^\s/:]+\.[^\s/:]+(:[0-9]{1,5})?(/\S*)?", re.IGNORECASE)
_E164 = re.compile(r"\+[1-9][0-9]{1,14}")


def check_text(value: str, *, required: bool, max_length: int = MAX_TEXT_LENGTH) -> str | None:
    """Free text: present when required, not too long, and without control characters."""
    text = value.strip()
    if not text:
        return REQUIRED if required else None
    if len(text) > max_length:
        return f"At most {max_length} characters"
    if any(unicodedata.category(char) in ("Cc", "Cs") for char in text):
        return "Contains control characters"
    return None


@cache
def _country_name(code: str) -> str | None:
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    return None if country is None else str(country.name)


def country_name(value: str) -> str | None:
    """The ISO 3166-1 name of an alpha-2 code (any case), or None when it is not one."""
    code = value.strip().upper()
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        return None
    return _country_name(code)


def validate_country(value: str, *, required: bool = True) -> str | None:
    """An ISO 3166-1 alpha-2 country code, such as US, GB or DE (any case; the form sends it upper-case)."""
    if not value.strip():
        return REQUIRED if required else None
    if country_name(value) is None:
        return "Not an ISO 3166 country code (e.g. US, GB)"
    return None


@cache
def _subdivision_exists(country: str, code: str) -> bool:
    import pycountry

    try:
        found = pycountry.subdivisions.get(code=f"{country}-{code}")  # type: ignore[no-untyped-call]
        return found is not None
    except (KeyError, LookupError):
        return False


def validate_subdivision(value: str, country: str) -> str | None:
    """An ISO 3166-2 subdivision of `country`, without the country prefix (CA for US-CA); optional."""
    code = value.strip().upper()
    if not code:
        return None
    if code.startswith(f"{country.strip().upper()}-"):
        return "Leave out the country prefix (CA, not US-CA)"
    if len(code) > 3 or not code.isascii() or not code.isalnum():
        return "1 to 3 letters or digits (e.g. CA, NY)"
    if country_name(country) is None:
        return "Enter the country first"
    if not _subdivision_exists(country.strip().upper(), code):
        return f"Not a subdivision of {country.strip().upper()}"
    return None


def parse_date(value: str) -> dt.date | None:
    """A YYYY-MM-DD calendar date, or None."""
    text = value.strip()
    if not _DATE.fullmatch(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def validate_date_of_birth(value: str, *, today: dt.date, required: bool = True) -> str | None:
    """A real calendar date (YYYY-MM-DD), before today and at most `MAX_AGE_YEARS` ago."""
    text = value.strip()
    if not text:
        return REQUIRED if required else None
    if not _DATE.fullmatch(text):
        return "Use YYYY-MM-DD"
    born = parse_date(text)
    if born is None:
        return "Not a calendar date"
    if born >= today:
        return "Must be in the past"
    if born.year < today.year - MAX_AGE_YEARS:
        return f"More than {MAX_AGE_YEARS} years ago"
    return None


def validate_email(value: str, *, required: bool = True) -> str | None:
    """E-mail syntax only: no DNS lookups (`check_deliverability=False`)."""
    text = value.strip()
    if not text:
        return REQUIRED if required else None
    from email_validator import EmailNotValidError
    from email_validator import validate_email as check

    try:
        check(text, check_deliverability=False)
    except EmailNotValidError as error:
        return _first_sentence(str(error)) or "Not a valid e-mail address"
    except Exception:  # the library's own bugs must not reach the form
        return "Not a valid e-mail address"
    return None


def _first_sentence(message: str) -> str:
    sentence = message.split(". ")[0].strip().rstrip(".")
    return sentence[:80]


def _parse_phone(text: str) -> str | None:
    """The E.164 form of a valid international number, or None."""
    import phonenumbers

    try:
        number = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        return None
    except Exception:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    formatted = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return formatted if _E164.fullmatch(formatted) else None


def normalize_phone(value: str) -> str:
    """The E.164 form of a valid number ("+1 415 555 2671" -> "+14155552671"); the stripped text otherwise."""
    text = value.strip()
    if not text.startswith("+") or not text.isascii():
        return text
    return _parse_phone(text) or text


def validate_phone(value: str, *, required: bool = False) -> str | None:
    """An international number starting with + and its country code; sent in E.164 form."""
    text = value.strip()
    if not text:
        return REQUIRED if required else None
    if not text.startswith("+"):
        return "Start with + and the country code"
    if not text.isascii() or not set(text) <= set("+0123456789 -().") or text.count("+") != 1:
        return "Digits only, e.g. +1 415 555 2671"
    if _parse_phone(text) is None:
        return "Not a valid phone number"
    return None


def validate_website(value: str) -> str | None:
    """Optional; a host name with a dot, with or without http(s)://."""
    text = value.strip()
    if not text:
        return None
    problem = check_text(text, required=False)
    if problem:
        return problem
    if not _WEBSITE.fullmatch(text):
        return "Not a web address (e.g. example.com)"
    return None


def split_labels(text: str) -> list[str]:
    """Comma-separated labels, stripped, blanks dropped (a trailing comma is harmless)."""
    return [label.strip() for label in text.split(",") if label.strip()]


def validate_labels(text: str, *, max_labels: int = MAX_USER_LABELS) -> str | None:
    """At most `max_labels` distinct labels of 1..64 characters."""
    labels = split_labels(text)
    if len(labels) > max_labels:
        return f"At most {max_labels} labels (one slot is kept for duplicate protection)"
    seen: set[str] = set()
    for label in labels:
        if len(label) > MAX_LABEL_LENGTH:
            return f"Each label at most {MAX_LABEL_LENGTH} characters"
        if check_text(label, required=True, max_length=MAX_LABEL_LENGTH):
            return "Contains control characters"
        if label.lower().startswith(TAG_PREFIX):
            return f"Labels starting {TAG_PREFIX} are reserved"
        if label in seen:
            return f"Duplicate label: {label[:20]}"
        seen.add(label)
    return None


def validate_id_rows(rows: Sequence[IdRow], *, kind: str, required: bool) -> dict[str, str]:
    """Errors of the identification rows keyed `id-<row>-<part>`; `identification` for the whole list.

    Blank rows are ignored (an unused spare row is harmless); at least one filled row when `required`.
    """
    errors: dict[str, str] = {}
    filled = [(index, row) for index, row in enumerate(rows) if not row.blank]
    if len(filled) > MAX_ID_ROWS:
        errors["identification"] = f"At most {MAX_ID_ROWS} identification numbers"
    if not filled and required:
        if rows:
            errors[id_key(0, "number")] = "At least one identification number is required"
        else:
            errors["identification"] = "At least one identification number is required"
        return errors
    allowed = id_types_for(kind)
    seen: dict[str, int] = {}
    for index, row in filled:
        if not row.type:
            errors[id_key(index, "type")] = "Choose a type"
        elif row.type not in ALL_ID_TYPES:
            errors[id_key(index, "type")] = "Not an identification type"
        elif row.type not in allowed:
            errors[id_key(index, "type")] = f"Not for a {kind}"
        elif row.type in seen:
            errors[id_key(index, "type")] = f"{ID_TYPE_LABELS[row.type]} is listed twice"
        else:
            seen[row.type] = index
        country_error = validate_country(row.country)
        if country_error:
            errors[id_key(index, "country")] = country_error
        number_error = check_text(row.number, required=True, max_length=64)
        if number_error:
            errors[id_key(index, "number")] = number_error
    return errors


def validate_field(key: str, values: FormValues, *, today: dt.date) -> str | None:
    """The error of one field (as the person leaves it); the same rules `validate_form` applies."""
    return validate_form(values, today=today).get(key)


def validate_form(values: FormValues, *, today: dt.date) -> dict[str, str]:
    """Every error on the visible fields, in layout order: the first key is the field to focus."""
    errors: dict[str, str] = {}
    label_error = validate_labels(values.labels)
    if values.details:
        individual = values.kind == "individual"
        if individual:
            errors["first_name"] = check_text(values.first_name, required=True) or ""
            errors["middle_name"] = check_text(values.middle_name, required=False) or ""
            errors["last_name"] = check_text(values.last_name, required=True) or ""
            errors["date_of_birth"] = validate_date_of_birth(values.date_of_birth, today=today) or ""
        else:
            errors["legal_name"] = check_text(values.legal_name, required=True) or ""
            errors["alias"] = check_text(values.alias, required=False) or ""
            errors["website"] = validate_website(values.website) or ""
        errors["email"] = validate_email(values.email) or ""
        errors["phone"] = validate_phone(values.phone) or ""
        errors["street"] = check_text(values.street, required=True) or ""
        errors["street2"] = check_text(values.street2, required=False) or ""
        errors["city"] = check_text(values.city, required=True) or ""
        errors["subdivision"] = validate_subdivision(values.subdivision, values.country) or ""
        errors["postal_code"] = check_text(values.postal_code, required=False, max_length=16) or ""
        errors["country"] = validate_country(values.country) or ""
        errors.update(validate_id_rows(values.identification, kind=values.kind, required=True))
    errors["labels"] = label_error or ""
    order = {key: position for position, key in enumerate(field_order(values))}
    found = [(order.get(key, len(order)), key, message) for key, message in errors.items() if message]
    return {key: message for _, key, message in sorted(found)}
