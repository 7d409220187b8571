"""`customers create`: the create form's checks and duplicate guard, from the command line.

The body (`--body FILE`, `-` for stdin; none for a customer whose details Cybrid gathers) is read into the
form's own values (`FormValues`) and checked by the form's validators, then built into the request exactly as
the form builds it (`build_post_customer`): a body the form would refuse is refused here, before anything is
sent, with the same messages, keyed by the body's fields. Fields the form has no place for are refused rather
than dropped. The create goes through `SafeCreator` with a fresh duplicate-guard tag, as a form submission
does: a create whose answer is lost is looked up by its tag before anything is sent again.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any, Final

from cybrid_tui.cli.errors import EXIT_OK, UsageProblem
from cybrid_tui.safe_text import safe_text

if TYPE_CHECKING:
    import argparse

    from cybrid_tui.cli.connect import Connection
    from cybrid_tui.forms.values import FormValues

#: Form field -> where it sits in the body, for messages.
BODY_PATHS: Final[dict[str, str]] = {
    "first_name": "name.first",
    "middle_name": "name.middle",
    "last_name": "name.last",
    "legal_name": "name.full",
    "alias": "aliases.0.full",
    "email": "email_address",
    "phone": "phone_number",
    "street": "address.street",
    "street2": "address.street2",
    "city": "address.city",
    "subdivision": "address.subdivision",
    "postal_code": "address.postal_code",
    "country": "address.country_code",
}
_PERSON_NAME: Final = ("first", "middle", "last")
_ADDRESS: Final = ("street", "street2", "city", "subdivision", "postal_code", "country_code")
_ID_PARTS: Final = {"type": "type", "country": "issuing_country_code", "number": "identification_number"}
_DETAILS: Final = frozenset(
    {"name", "address", "date_of_birth", "phone_number", "email_address", "identification_numbers", "aliases",
     "website"}
)  # fmt: skip
_ALLOWED: Final[dict[str, frozenset[str]]] = {
    "individual": frozenset(_DETAILS - {"aliases", "website"} | {"type", "labels"}),
    "business": frozenset(_DETAILS - {"date_of_birth"} | {"type", "labels"}),
}


def read_body(source: str | None) -> dict[str, Any]:
    """The JSON object in `source` (a path, or `-` for stdin); `{}` without one."""
    if source is None:
        return {}
    try:
        if source == "-":
            text = sys.stdin.read()
        else:
            from pathlib import Path

            text = Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageProblem(f"cannot read --body {source}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise UsageProblem(f"--body {source} is not UTF-8 text") from None
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageProblem(f"--body is not valid JSON (line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:  # arrays or objects nested thousands deep: no customer body looks like that
        raise UsageProblem("--body is nested too deeply to be a customer") from None
    if not isinstance(body, dict):
        raise UsageProblem("--body must be a JSON object (the POST /api/customers body)")
    return body


def _string(value: object, where: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise UsageProblem(f"{where} must be a string")
    return value


def _object(value: object, where: str, allowed: tuple[str, ...]) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise UsageProblem(f"{where} must be a JSON object")
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        raise UsageProblem(
            f"{where}.{unknown[0]} is not a field the form sends (allowed: {', '.join(allowed)})"
        )
    return value


def form_values(kind: str, body: dict[str, Any], labels: list[str]) -> FormValues:
    """The form's values for this body: details when it has any, else Cybrid's own KYC (type and labels)."""
    from cybrid_tui.forms.values import FormValues, IdRow

    body_type = body.get("type")
    if body_type is not None and body_type != kind:
        raise UsageProblem(f"the body's type {body_type!r} differs from --type {kind}")
    unknown = sorted(set(body) - _ALLOWED[kind])
    if unknown:
        reason = "not for an" if unknown[0] in _DETAILS else "not a field the form sends for an"
        raise UsageProblem(f"{unknown[0]}: {reason} {kind}".replace("an business", "a business"))
    body_labels = body.get("labels") or []
    if not isinstance(body_labels, list) or not all(isinstance(label, str) for label in body_labels):
        raise UsageProblem("labels must be a list of strings")
    all_labels = [*body_labels, *labels]
    if any("," in label for label in all_labels):
        raise UsageProblem(
            "a label cannot contain a comma (the API filters labels by a comma-separated list)"
        )
    name_fields = _PERSON_NAME if kind == "individual" else ("full",)
    name = _object(body.get("name"), "name", name_fields)
    address = _object(body.get("address"), "address", _ADDRESS)
    aliases = body.get("aliases") or []
    if not isinstance(aliases, list) or len(aliases) > 1:
        raise UsageProblem('aliases must be a list of at most one {"full": ...}')
    alias = _object(aliases[0], "aliases.0", ("full",)) if aliases else {}
    ids = body.get("identification_numbers") or []
    if not isinstance(ids, list):
        raise UsageProblem("identification_numbers must be a list")
    rows = tuple(
        IdRow(
            type=_string(row.get("type"), f"identification_numbers.{index}.type"),
            country=_string(
                row.get("issuing_country_code"), f"identification_numbers.{index}.issuing_country_code"
            ),
            number=_string(
                row.get("identification_number"), f"identification_numbers.{index}.identification_number"
            ),
        )
        for index, row in enumerate(
            _object(item, f"identification_numbers.{number}", tuple(_ID_PARTS.values()))
            for number, item in enumerate(ids)
        )
    )
    return FormValues(
        kind="business" if kind == "business" else "individual",
        approach="details" if _DETAILS & set(body) else "platform",
        first_name=_string(name.get("first"), "name.first"),
        middle_name=_string(name.get("middle"), "name.middle"),
        last_name=_string(name.get("last"), "name.last"),
        legal_name=_string(name.get("full"), "name.full"),
        date_of_birth=_string(body.get("date_of_birth"), "date_of_birth"),
        alias=_string(alias.get("full"), "aliases.0.full"),
        website=_string(body.get("website"), "website"),
        email=_string(body.get("email_address"), "email_address"),
        phone=_string(body.get("phone_number"), "phone_number"),
        street=_string(address.get("street"), "address.street"),
        street2=_string(address.get("street2"), "address.street2"),
        city=_string(address.get("city"), "address.city"),
        subdivision=_string(address.get("subdivision"), "address.subdivision"),
        postal_code=_string(address.get("postal_code"), "address.postal_code"),
        country=_string(address.get("country_code"), "address.country_code"),
        identification=rows or (IdRow(),),
        labels=", ".join(all_labels),
    )


def body_path(key: str) -> str:
    """Where a form error's field sits in the body: `first_name` -> `name.first`, `id-0-number` ->
    `identification_numbers.0.identification_number`."""
    if key.startswith("id-"):
        _, index, part = key.split("-", 2)
        return f"identification_numbers.{index}.{_ID_PARTS.get(part, part)}"
    return BODY_PATHS.get(key, key)


def checked_request(kind: str, body: dict[str, Any], labels: list[str], *, tag: str | None) -> Any:
    """The `PostCustomer` the form would send for this body, or `UsageProblem` with every error."""
    import datetime as dt

    from pydantic import ValidationError

    from cybrid_tui.forms.builder import build_post_customer
    from cybrid_tui.forms.validators import validate_form

    values = form_values(kind, body, labels)
    errors = validate_form(values, today=dt.datetime.now(dt.UTC).date())
    if errors:
        problems = "; ".join(f"{body_path(key)}: {message}" for key, message in errors.items())
        raise UsageProblem(f"the customer is not valid, nothing was sent: {problems}")
    try:
        return build_post_customer(values, tag=tag)
    except ValidationError as exc:  # the validators should have caught it; say where, never quote values
        from cybrid_tui.api.responses import describe_validation_error

        raise UsageProblem(
            f"the customer is not valid, nothing was sent: {describe_validation_error(exc)}"
        ) from None


async def create_customer(connection: Connection, args: argparse.Namespace) -> int:
    from cybrid_tui.api.errors import CybridError
    from cybrid_tui.api.safe_create import SafeCreator
    from cybrid_tui.cli.customers import print_model, refuse_when_read_only, split_values

    refuse_when_read_only(connection, "new_customer")
    body = read_body(args.body)
    guard = connection.duplicate_guard
    creator = SafeCreator(connection.client.customers, guard=guard)
    request = checked_request(args.type, body, split_values(args.label), tag=creator.tag if guard else None)
    try:
        result = await creator.create(request)
    except CybridError:
        if creator.uncertain:
            # A script must not simply run the command again: say how to find what this attempt made.
            found = f"`cybrid-tui customers list --label {creator.tag}`" if guard else "the customers list"
            sys.stderr.write(f"The customer may have been created: check {found} before creating it again.\n")
        raise
    if result.recovered:
        sys.stderr.write("The first answer was lost; the customer it created was found by its tag.\n")
    for other in result.others:
        sys.stderr.write(
            f"Warning: another customer carries the same tag (a late duplicate): {safe_text(other.guid)}\n"
        )
    print_model(result.customer, args.format)
    return EXIT_OK
