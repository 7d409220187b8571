"""Every field of one customer, in sections, for the detail view.

`customer_sections` turns a `Customer` (or, until it is read, the table's `CustomerRow`) into plain sections
of label/value pairs; `CustomerDetails` shows them and rebuilds only when they changed, so a live refresh
that changed nothing repaints nothing. Personal data (name, address, date of birth, email, phone, website,
aliases, identification numbers) appears only when allowed; identification numbers are always masked but
for their last four characters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Label, Static

from cybrid_tui.timefmt import both
from cybrid_tui.widgets.customer_table import STATE_GLYPHS, state_text

if TYPE_CHECKING:
    from textual.widget import Widget

    from cybrid_tui.api.models import Customer, CustomerAddress
    from cybrid_tui.live.rows import CustomerRow

PiiMode = Literal["shown", "hidden", "unavailable", "unknown"]
NONE = "—"
PII_NOTES = {
    "hidden": "Hidden (i shows personal data).",
    "unavailable": "Not available: the API token lacks the customers:pii:read scope.",
    "unknown": "Not loaded yet.",
}


@dataclass(frozen=True)
class Field:
    label: str
    value: str
    classes: str = ""


@dataclass(frozen=True)
class Section:
    title: str
    fields: tuple[Field, ...] = ()
    note: str = ""


def _state_field(state: str) -> Field:
    kind = state if state in STATE_GLYPHS else "unknown"
    return Field("State", state_text(state), f"-state-{kind}")


def _address(address: CustomerAddress | None) -> str:
    if address is None:
        return NONE
    city_line = " ".join(part for part in (address.postal_code, address.city) if part)
    lines = [
        address.street,
        address.street2,
        city_line,
        ", ".join(part for part in (address.subdivision, address.country_code) if part),
    ]
    return "\n".join(line for line in lines if line) or NONE


def customer_sections(
    customer: Customer | None, row: CustomerRow | None, *, pii: PiiMode, now: float
) -> list[Section]:
    """The sections to show: from the full customer when read, else the little the table row knows."""
    if customer is None:
        if row is None:
            return [Section("Customer", note="Loading…")]
        return [
            Section(
                "Customer",
                (
                    Field("GUID", row.guid),
                    Field("Type", row.type or NONE),
                    _state_field(row.state),
                    Field("Created", both(row.created_at, now)),
                    Field("Updated", both(row.updated_at, now)),
                    Field("Labels", ", ".join(row.labels) or NONE),
                ),
            ),
            Section("Details", note="Loading the full record…"),
        ]

    def stamp(value: object) -> str:
        timestamp = getattr(value, "timestamp", None)
        return both(timestamp(), now) if timestamp is not None else NONE

    sections = [
        Section(
            "Customer",
            (
                Field("GUID", customer.guid),
                Field("Type", str(customer.type) if customer.type else NONE),
                _state_field(str(customer.state) if customer.state else ""),
                Field("Created", stamp(customer.created_at)),
                Field("Updated", stamp(customer.updated_at)),
                Field("Bank", customer.bank_guid or NONE),
                Field("Labels", ", ".join(customer.labels) if customer.labels else NONE),
            ),
        )
    ]
    if pii == "shown":
        name = customer.name
        fields = [
            Field("Name", name.display if name is not None and name.display else NONE),
        ]
        if name is not None and not name.full and (name.first or name.last):
            fields.extend(
                [
                    Field("First name", name.first or NONE),
                    Field("Middle name", name.middle or NONE),
                    Field("Last name", name.last or NONE),
                ]
            )
        if customer.aliases:
            fields.append(Field("Aliases", ", ".join(alias.display for alias in customer.aliases)))
        fields.extend(
            [
                Field(
                    "Date of birth",
                    customer.date_of_birth.isoformat() if customer.date_of_birth else NONE,
                ),
                Field("Email", customer.email_address or NONE),
                Field("Phone", customer.phone_number or NONE),
                Field("Address", _address(customer.address)),
            ]
        )
        if customer.website:
            fields.append(Field("Website", customer.website))
        sections.append(Section("Personal data", tuple(fields)))
        numbers = customer.identification_numbers or []
        sections.append(
            Section(
                "Identification numbers",
                tuple(
                    Field(
                        "Number",
                        " · ".join(
                            part
                            for part in (
                                number.masked,
                                number.type.replace("_", " "),
                                number.issuing_country_code,
                            )
                            if part
                        ),
                    )
                    for number in numbers
                ),
                note="" if numbers else "None on record.",
            )
        )
    else:
        sections.append(Section("Personal data", note=PII_NOTES[pii]))
    decisions = customer.compliance_decisions or []
    sections.append(
        Section(
            "Compliance decisions",
            tuple(
                Field(
                    decision.type.replace("_", " "),
                    decision.state
                    + (f" ({', '.join(decision.failure_codes)})" if decision.failure_codes else ""),
                )
                for decision in decisions
            ),
            note="" if decisions else "None yet.",
        )
    )
    limits = customer.activity_limits or []
    if limits:
        sections.append(
            Section(
                "Activity limits",
                tuple(
                    Field(
                        limit.name or limit.type or "limit",
                        " ".join(
                            str(part)
                            for part in (
                                limit.amount,
                                limit.asset,
                                f"per {limit.interval} s" if limit.interval else None,
                                ", ".join(limit.activities) if limit.activities else None,
                            )
                            if part is not None
                        )
                        or NONE,
                    )
                    for limit in limits
                ),
            )
        )
    return sections


class CustomerDetails(VerticalScroll):
    """Sections of label/value lines; `show()` rebuilds only when the sections changed."""

    DEFAULT_CSS = """
    CustomerDetails {
        height: 1fr;
    }
    """

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._sections: list[Section] = []

    @property
    def sections(self) -> list[Section]:
        return list(self._sections)

    def show(self, sections: list[Section]) -> None:
        if sections == self._sections:
            return
        self._sections = list(sections)
        widgets: list[Widget] = []
        for section in sections:
            widgets.append(Static(section.title, classes="detail-section", markup=False))
            for field in section.fields:
                widgets.append(
                    Horizontal(
                        Label(field.label, classes="detail-label", markup=False),
                        Label(field.value, classes=f"detail-value {field.classes}".strip(), markup=False),
                        classes="detail-field",
                    )
                )
            if section.note:
                widgets.append(Static(section.note, classes="detail-note", markup=False))
        with self.app.batch_update():
            self.remove_children()
            self.mount_all(widgets)
