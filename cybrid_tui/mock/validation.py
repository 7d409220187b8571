"""Request validation for the customer endpoints, answering as the Cybrid API does.

Two layers, as on the real API:
- the body must fit the spec's schema (`PostCustomer`, `PatchCustomer`): wrong JSON types, missing required
  keys, lengths and item counts -> 400 `invalid_parameter` naming the field;
- then the rules the spec gives as 422 examples: `missing_parameter` when the bank requires bank-provided
  details ("Customer name required", ... in the spec's order) and `invalid_value` for identification numbers
  (duplicate type, missing number, unsupported type) and an unsupported address country.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import TYPE_CHECKING, Any

from cybrid_tui.api.vocab import (
    CUSTOMER_STATES,
    CUSTOMER_TYPES,
    IDENTIFICATION_TYPES,
    MAX_IDENTIFICATION_NUMBERS,
    MAX_LABEL_LENGTH,
    MAX_LABELS,
)
from cybrid_tui.mock.errors import MockError, bad_request, invalid_state, missing_detail, unprocessable

if TYPE_CHECKING:
    from collections.abc import Mapping

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@cache
def _countries() -> frozenset[str]:
    import pycountry

    return frozenset(country.alpha_2 for country in pycountry.countries)


def is_country(code: str) -> bool:
    """An ISO 3166-1 alpha-2 code, upper case as the spec writes them."""
    return code in _countries()


def _object(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise bad_request(f"{where} must be an object")
    return value


def _string(body: Mapping[str, Any], key: str, where: str, *, required: bool = False) -> str | None:
    if key not in body or body[key] is None:
        if required:
            raise bad_request(f"{where}{key} is required")
        return None
    value = body[key]
    if not isinstance(value, str):
        raise bad_request(f"{where}{key} must be a string")
    return value


def _length(value: str | None, name: str, low: int, high: int) -> None:
    if value is not None and not low <= len(value) <= high:
        if low == high:
            raise bad_request(f"{name} must be {low} characters long")
        raise bad_request(f"{name} must be between {low} and {high} characters long")


def _list(body: Mapping[str, Any], key: str, low: int, high: int) -> list[Any] | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, list):
        raise bad_request(f"{key} must be an array")
    if not low <= len(value) <= high:
        raise bad_request(f"{key} must have between {low} and {high} items")
    return value


def _name(body: Mapping[str, Any]) -> dict[str, str | None] | None:
    if body.get("name") is None:
        return None
    raw = _object(body["name"], "name")
    return {part: _string(raw, part, "name.") for part in ("first", "middle", "last", "full")}


def _address(body: Mapping[str, Any]) -> dict[str, str | None] | None:
    if body.get("address") is None:
        return None
    raw = _object(body["address"], "address")
    address = {
        "street": _string(raw, "street", "address.", required=True),
        "street2": _string(raw, "street2", "address."),
        "city": _string(raw, "city", "address.", required=True),
        "subdivision": _string(raw, "subdivision", "address."),
        "postal_code": _string(raw, "postal_code", "address."),
        "country_code": _string(raw, "country_code", "address.", required=True),
    }
    _length(address["subdivision"], "address.subdivision", 1, 3)
    _length(address["country_code"], "address.country_code", 2, 2)
    return address


def _identification_numbers(body: Mapping[str, Any]) -> list[dict[str, Any]] | None:
    items = _list(body, "identification_numbers", 1, MAX_IDENTIFICATION_NUMBERS)
    if items is None:
        return None
    numbers = []
    for position, item in enumerate(items):
        where = f"identification_numbers[{position}]."
        raw = _object(item, f"identification_numbers[{position}]")
        number: dict[str, Any] = {
            "type": _string(raw, "type", where, required=True),
            "issuing_country_code": _string(raw, "issuing_country_code", where, required=True),
            # A missing number is the spec's 422 "Identification number missing", checked below.
            "identification_number": _string(raw, "identification_number", where),
        }
        subdivision = _string(raw, "issuing_subdivision", where)  # newer spec revisions add it
        if subdivision is not None:
            _length(subdivision, f"{where}issuing_subdivision", 1, 3)
            number["issuing_subdivision"] = subdivision
        numbers.append(number)
    return numbers


def _aliases(body: Mapping[str, Any]) -> list[dict[str, str | None]] | None:
    items = _list(body, "aliases", 0, 1)
    if items is None:
        return None
    aliases = []
    for position, item in enumerate(items):
        raw = _object(item, f"aliases[{position}]")
        full = _string(raw, "full", f"aliases[{position}].")
        aliases.append({"first": None, "middle": None, "last": None, "full": full})
    return aliases


def _labels(body: Mapping[str, Any]) -> tuple[str, ...] | None:
    items = _list(body, "labels", 0, MAX_LABELS)
    if items is None:
        return None
    for item in items:
        if not isinstance(item, str):
            raise bad_request("labels must be strings")
        _length(item, "labels", 1, MAX_LABEL_LENGTH)
    return tuple(items)


def _date_of_birth(body: Mapping[str, Any]) -> str | None:
    value = _string(body, "date_of_birth", "")
    if value is None:
        return None
    try:
        if not _DATE.fullmatch(value):
            raise ValueError(value)
        dt.date.fromisoformat(value)
    except ValueError:
        raise bad_request("date_of_birth must be a date (YYYY-MM-DD)") from None
    return value


def _filled(value: str | None) -> bool:
    return value is not None and value.strip() != ""


class NewCustomer:
    """A validated `PostCustomer`: its type, labels and the details (PII) to store."""

    __slots__ = ("details", "labels", "type")

    def __init__(self, type: str, labels: tuple[str, ...] | None, details: dict[str, Any]) -> None:
        self.type = type
        self.labels = labels
        self.details = details


def validate_post_customer(body: Any, *, require_details: bool) -> NewCustomer:
    """Check a `POST /api/customers` body; raises MockError (400 schema, 422 rules)."""
    raw = _object(body, "request body")
    kind = _string(raw, "type", "", required=True)
    if kind not in CUSTOMER_TYPES:
        raise bad_request("type must be one of business, individual")
    details: dict[str, Any] = {
        "name": _name(raw),
        "address": _address(raw),
        "aliases": _aliases(raw),
        "website": _string(raw, "website", ""),
        "date_of_birth": _date_of_birth(raw),
        "phone_number": _string(raw, "phone_number", ""),
        "email_address": _string(raw, "email_address", ""),
        "identification_numbers": _identification_numbers(raw),
    }
    labels = _labels(raw)
    if require_details:
        _require_details(kind, details)
    _check_rules(details)
    return NewCustomer(kind, labels, {key: value for key, value in details.items() if value is not None})


def _require_details(kind: str, details: Mapping[str, Any]) -> None:
    name = details["name"] or {}
    if kind == "individual":
        named = _filled(name.get("first")) and _filled(name.get("last"))
    else:
        named = _filled(name.get("full"))
    if not named:
        raise missing_detail("name")
    if details["address"] is None:
        raise missing_detail("address")
    if kind == "individual" and details["date_of_birth"] is None:
        raise missing_detail("date of birth")
    if not _filled(details["email_address"]):
        raise missing_detail("email address")
    if not details["identification_numbers"]:
        raise missing_detail("identification numbers")


def _check_rules(details: Mapping[str, Any]) -> None:
    numbers: list[dict[str, Any]] = details["identification_numbers"] or []
    seen: set[str] = set()
    for number in numbers:
        if number["type"] in seen:
            raise unprocessable("Identification number duplicate type supplied", "invalid_value")
        seen.add(number["type"])
    for number in numbers:
        if not _filled(number["identification_number"]):
            raise unprocessable("Identification number missing", "invalid_value")
    for number in numbers:
        if number["type"] not in IDENTIFICATION_TYPES:
            raise unprocessable("Identification number not supported", "invalid_value")
    address = details["address"]
    if address is not None and not is_country(address["country_code"]):
        raise unprocessable("Address country code not supported", "invalid_value")


def validate_patch_customer(body: Any) -> str | None:
    """The state a `PATCH` asks for (None: no change); raises MockError 400 as the spec's example does."""
    raw = _object(body, "request body")
    if "state" not in raw or raw["state"] is None:
        return None
    if raw["state"] != "unverified":
        raise invalid_state()
    return "unverified"


def validate_admin_state(body: Any) -> str:
    raw = _object(body, "request body")
    state = raw.get("state")
    if state not in CUSTOMER_STATES:
        raise MockError(400, f"state must be one of {', '.join(CUSTOMER_STATES)}", "invalid_parameter")
    return str(state)
