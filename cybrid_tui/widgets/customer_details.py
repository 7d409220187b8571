"""Every field of one customer, in sections, for the detail view.

`customer_sections` turns a `Customer` (or, until it is read, the table's `CustomerRow`) into plain sections
of label/value pairs; `CustomerDetails` shows them and rebuilds only when they changed, so a live refresh
that changed nothing repaints nothing. Personal data (name, address, date of birth, email, phone, website,
aliases, identification numbers) appears only when allowed; identification numbers are always masked but
for their last four characters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Label, Static

from cybrid_tui.pii import PII_NOTES, PiiView
from cybrid_tui.safe_text import safe_lines, safe_text
from cybrid_tui.timefmt import both
from cybrid_tui.widgets.table_lines import STATE_GLYPHS, state_text

if TYPE_CHECKING:
    from rich.text import Text
    from textual.widget import Widget

    from cybrid_tui.api.models import Customer, CustomerAddress
    from cybrid_tui.live.rows import CustomerRow

NONE = "—"


@dataclass(frozen=True)
class Field:
    label: str
    value: str
    classes: str = ""
    #: A URL the app built itself (never one taken from the data): the value is drawn as a link to it.
    link: str = ""


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
    # The line feeds between the parts are ours; one inside a part came from the server and is shown as such.
    return "\n".join(safe_text(line) for line in lines if line) or NONE


def _contact_fields(customer: Customer) -> list[Field]:
    return [
        Field("Email", customer.email_address or NONE),
        Field("Phone", customer.phone_number or NONE),
        Field("Address", _address(customer.address)),
    ]


def _person_fields(customer: Customer) -> list[Field]:
    name = customer.name
    fields = [Field("Name", name.display if name is not None and name.display else NONE)]
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
    birthday = customer.date_of_birth
    fields.append(Field("Date of birth", birthday.isoformat() if birthday else NONE))
    fields.extend(_contact_fields(customer))
    if customer.website:
        fields.append(Field("Website", customer.website))
    return fields


def _business_fields(customer: Customer) -> list[Field]:
    name = customer.name
    aliases = ", ".join(alias.display for alias in customer.aliases or [])
    return [
        Field("Legal name", name.display if name is not None and name.display else NONE),
        Field("Aliases", aliases or NONE),
        *_contact_fields(customer),
        Field("Website", customer.website or NONE),
    ]


def customer_sections(
    customer: Customer | None,
    row: CustomerRow | None,
    *,
    pii: PiiView,
    now: float,
    reveal_numbers: bool = False,
) -> list[Section]:
    """The sections to show: from the full customer when read, else the little the table row knows.
    Identification numbers are masked but for their last four characters unless `reveal_numbers`."""
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

    sections = [
        Section(
            "Customer",
            (
                Field("GUID", customer.guid),
                Field("Type", str(customer.type) if customer.type else NONE),
                _state_field(str(customer.state) if customer.state else ""),
                Field("Created", stamp(customer.created_at, now)),
                Field("Updated", stamp(customer.updated_at, now)),
                Field("Bank", customer.bank_guid or NONE),
                Field("Labels", ", ".join(customer.labels) if customer.labels else NONE),
            ),
        )
    ]
    business = customer.type == "business"
    # A business has a legal name, aliases and a website, and no birthday (the API's fields per type).
    personal = "Business details" if business else "Personal data"
    if pii == "shown":
        sections.append(
            Section(personal, tuple(_business_fields(customer) if business else _person_fields(customer)))
        )
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
                                number.identification_number if reveal_numbers else number.masked,
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
        sections.append(Section(personal, note=PII_NOTES[pii]))
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
        # Labels and values quote the server (names, labels, decision types, limit names): every one is made
        # terminal-safe here, the one place they are drawn; `markup=False` keeps "[link=...]" plain text.
        for section in sections:
            widgets.append(Static(safe_text(section.title), classes="detail-section", markup=False))
            for field in section.fields:
                widgets.append(
                    Horizontal(
                        Label(safe_text(field.label), classes="detail-label", markup=False),
                        Label(
                            _linked(safe_lines(field.value), field.link),
                            classes=f"detail-value {field.classes}".strip(),
                            markup=False,
                        ),
                        classes="detail-field",
                    )
                )
            if section.note:
                widgets.append(Static(safe_lines(section.note), classes="detail-note", markup=False))
        with self.app.batch_update():
            self.remove_children()
            self.mount_all(widgets)


def _linked(text: str, link: str) -> str | Text:
    """`text` as a terminal hyperlink to `link` (OSC 8, where the terminal supports it), or as is."""
    if not link:
        return text
    from rich.style import Style
    from rich.text import Text

    return Text(text, style=Style(link=link))


def stamp(value: object, now: float) -> str:
    """A datetime from the API as both readings ("3 min ago (2026-11-25 12:00:00 UTC)"), "—" when absent."""
    timestamp = getattr(value, "timestamp", None)
    return both(timestamp(), now) if timestamp is not None else NONE
