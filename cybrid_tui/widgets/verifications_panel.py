"""A customer's identity verifications as detail-view sections, newest first.

Each verification shows its method, state, Persona's state (when read), outcome and times; failure codes are
explained in plain words, grouped the way an operator acts on them (`cybrid_tui.live.failure_codes`), with
the raw code beside. While one waits for the person, its hosted Persona link is a field of its own: built by
the app from the inquiry id (never taken from the data as a URL), drawn as a terminal hyperlink, and hidden
like personal data (`cybrid_tui.pii`). Values are plain strings here; `CustomerDetails` makes them safe.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from cybrid_tui.api.vocab import IDENTITY_VERIFICATION_OUTCOMES, IDENTITY_VERIFICATION_STATES
from cybrid_tui.live.failure_codes import group_codes
from cybrid_tui.pii import MASK, PII_NOTES, PiiView
from cybrid_tui.widgets.customer_details import NONE, Field, Section, stamp

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from cybrid_tui.api.models import IdentityVerification, IdentityVerificationWithDetails

#: Verifications shown in full; older ones are counted in a note (a customer has a handful).
SHOWN: Final = 10
TITLE: Final = "Identity verifications"
#: Verification states that wait for the person: the hosted link is what they need.
WAITING: Final = "waiting"


def waiting_inquiry(
    verifications: Sequence[IdentityVerification], details: Mapping[str, IdentityVerificationWithDetails]
) -> str | None:
    """The Persona inquiry id of the newest verification waiting for the person (None: none is)."""
    for verification in verifications:
        if verification.state == WAITING:
            found = details.get(verification.guid)
            if found is not None and found.state == WAITING and found.persona_inquiry_id:
                return found.persona_inquiry_id
            return None
    return None


def _failures(codes: Sequence[str]) -> list[Field]:
    fields: list[Field] = []
    for index, (group, explained) in enumerate(group_codes(codes)):
        lines = [group, *(f"  {item.text} [{item.code}]" for item in explained)]
        fields.append(Field("Why" if index == 0 else "", "\n".join(lines), "-failure"))
    return fields


def _one(
    verification: IdentityVerification,
    details: IdentityVerificationWithDetails | None,
    *,
    now: float,
    pii: PiiView,
    link: str | None,
) -> Section:
    state = verification.state or "unknown"
    outcome = verification.outcome
    title = f"Verification · {state}" + (f", {outcome}" if outcome else "")
    # Persona's state comes from the detailed read; a copy read in another state would mislead.
    persona = details.persona_state if details is not None and details.state == verification.state else None
    fields = [
        Field("GUID", verification.guid),
        Field("Method", verification.method or NONE),
        # Class names only from the known words: a server's state is any string, and one that is not a CSS
        # identifier ("x.y", "a b") would raise (or add a class of its choosing) where the field is drawn.
        Field("State", state, f"-iv-{state}" if state in IDENTITY_VERIFICATION_STATES else ""),
        Field("Persona state", persona or NONE),
        Field(
            "Outcome",
            outcome or NONE,
            f"-outcome-{outcome}" if outcome in IDENTITY_VERIFICATION_OUTCOMES else "",
        ),
        Field("Started", stamp(verification.created_at, now)),
        Field("Updated", stamp(verification.updated_at, now)),
    ]
    if state == WAITING:
        if link is None:
            fields.append(Field("Persona link", "Reading the inquiry…"))
        elif pii == "shown":
            fields.append(Field("Persona link", link, "-sensitive", link=link))
            fields.append(Field("", "l copies it. Personal data: i hides it.", "-hint"))
        else:
            fields.append(Field("Persona link", f"{MASK}  {PII_NOTES[pii]}", "-sensitive"))
    fields.extend(_failures(verification.codes))
    return Section(title, tuple(fields))


def verification_sections(
    verifications: Sequence[IdentityVerification] | None,
    details: Mapping[str, IdentityVerificationWithDetails],
    *,
    now: float,
    pii: PiiView,
    unavailable: str | None = None,
    problem: str = "",
) -> list[Section]:
    """The sections for the detail view. `verifications` None: not read yet; `unavailable`: why they cannot
    be read (the token's scopes); `problem`: the last read failed (the last good copy stays)."""
    if unavailable is not None:
        return [Section(TITLE, note=unavailable)]
    if verifications is None:
        return [Section(TITLE, note=problem or "Loading…")]
    note = problem
    if not verifications:
        note = note or "None yet (v starts one)."
        return [Section(TITLE, note=note)]
    from cybrid_tui.api.identity_verifications import persona_link

    inquiry = waiting_inquiry(verifications, details)
    link = persona_link(inquiry) if inquiry is not None else None
    older = len(verifications) - SHOWN
    head = f"{len(verifications)} in all, newest first" + (f"; {older} older not shown" if older > 0 else "")
    sections = [Section(TITLE, note="\n".join(part for part in (head, note) if part))]
    for verification in verifications[:SHOWN]:
        shown_link = link if verification.state == WAITING and inquiry is not None else None
        sections.append(_one(verification, details.get(verification.guid), now=now, pii=pii, link=shown_link))
    return sections
