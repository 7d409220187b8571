"""Form values -> the `POST /api/customers` body.

`preview_body` builds the JSON body as a plain dict for any values (the preview updates as the person types,
valid or not); `build_post_customer` validates the same dict as a `PostCustomer`, so the preview is exactly
what `PostCustomer.to_json_body()` sends. Platform KYC sends the type (and labels) only: the details stay
on the form, unsent, in case the person switches back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cybrid_tui.forms.validators import country_name, normalize_phone, split_labels
from cybrid_tui.pii import masked

if TYPE_CHECKING:
    from cybrid_tui.api.models import PostCustomer
    from cybrid_tui.forms.values import FormValues


def _put(target: dict[str, Any], key: str, value: str) -> None:
    text = value.strip()
    if text:
        target[key] = text


def _country(value: str) -> str:
    """Upper-case a real country code; leave anything else as typed so the preview shows it."""
    text = value.strip()
    return text.upper() if country_name(text) else text


def preview_body(values: FormValues, *, tag: str | None) -> dict[str, Any]:
    """The JSON body the form would send now. Never raises; empty optional fields are left out."""
    body: dict[str, Any] = {"type": values.kind}
    if values.details:
        name: dict[str, Any] = {}
        if values.kind == "individual":
            _put(name, "first", values.first_name)
            _put(name, "middle", values.middle_name)
            _put(name, "last", values.last_name)
        else:
            _put(name, "full", values.legal_name)
        if name:
            body["name"] = name
        address: dict[str, Any] = {}
        _put(address, "street", values.street)
        _put(address, "street2", values.street2)
        _put(address, "city", values.city)
        _put(address, "subdivision", values.subdivision.upper())
        _put(address, "postal_code", values.postal_code)
        _put(address, "country_code", _country(values.country))
        if address:
            body["address"] = address
        if values.kind == "individual":
            _put(body, "date_of_birth", values.date_of_birth)
        _put(body, "phone_number", normalize_phone(values.phone))
        _put(body, "email_address", values.email)
        ids = [
            {
                "type": row.type,
                "issuing_country_code": _country(row.country),
                "identification_number": row.number.strip(),
            }
            for row in values.identification
            if not row.blank
        ]
        if ids:
            body["identification_numbers"] = ids
        if values.kind == "business":
            if values.alias.strip():
                body["aliases"] = [{"full": values.alias.strip()}]
            _put(body, "website", values.website)
    labels = split_labels(values.labels)
    if tag:
        labels.append(tag)
    if labels:
        body["labels"] = labels
    return body


def build_post_customer(values: FormValues, *, tag: str | None) -> PostCustomer:
    """The request for valid form values; raises pydantic's `ValidationError` if the values are not valid."""
    from cybrid_tui.api.models import PostCustomer

    return PostCustomer.model_validate(preview_body(values, tag=tag))


#: Top-level keys of the body that hold personal data (every string inside them is masked).
_PII_KEYS = ("name", "address", "date_of_birth", "phone_number", "email_address", "aliases", "website")


def mask_personal_data(body: dict[str, Any]) -> dict[str, Any]:
    """A copy of a `preview_body` with every personal value masked (PII hidden): the shape stays, so the
    person still sees which fields will be sent; type, labels and identification types are not personal."""

    def mask(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: mask(item) for key, item in value.items()}
        if isinstance(value, list):
            return [mask(item) for item in value]
        return masked(value) if isinstance(value, str) else value

    copy = {key: mask(value) if key in _PII_KEYS else value for key, value in body.items()}
    if "identification_numbers" in copy:
        copy["identification_numbers"] = [
            {**row, "identification_number": masked(row.get("identification_number", ""))}
            for row in copy["identification_numbers"]
        ]
    return copy
