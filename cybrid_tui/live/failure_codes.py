"""Identity verification failure codes in plain words, grouped the way an operator acts on them.

Cybrid's spec lists 36 codes with one-line descriptions; its newer SDK revisions add 7 (see KYC_NOTES.md).
Each code here has a group (what kind of problem: the document, the selfie, the records, screening, ...) and
one plain sentence. The raw code is always kept beside the words: support and Cybrid's docs speak in codes.
A code this table does not know is shown as sent under "Other", never hidden and never an error.

Pure data and functions (no Textual, no pydantic): the detail view and the command line both use it. The code
is server data: draw `Explained.code` through `safe_text` like any other string from the network.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Iterable

ID_DOCUMENT: Final = "ID document unreadable or not genuine"
ID_VALIDITY: Final = "ID expired, wrong type or country"
SELFIE: Final = "Selfie"
RECORDS: Final = "Details do not match records"
DOCUMENTS: Final = "Documents"
#: Screening and policy decisions: the operator cannot fix these; Cybrid's support can explain them.
CONTACT_SUPPORT_GROUP: Final = "Screening or policy (contact support)"
PROCESS: Final = "Process"
BANK_ACCOUNTS: Final = "Bank accounts, not KYC"
OTHER: Final = "Other"

#: Groups in display order: what the person can fix first, what only support can explain after.
GROUPS: Final = (
    ID_DOCUMENT,
    ID_VALIDITY,
    SELFIE,
    RECORDS,
    DOCUMENTS,
    CONTACT_SUPPORT_GROUP,
    PROCESS,
    BANK_ACCOUNTS,
    OTHER,
)

UNKNOWN_TEXT: Final = "Not documented by Cybrid: shown as sent."

_CODES: Final[dict[str, tuple[str, str]]] = {
    # ID document unreadable or not genuine
    "id_check_failure": (ID_DOCUMENT, "The ID could not be verified."),
    "id_quality_check_failure": (ID_DOCUMENT, "The photo of the ID was too blurry, dark or cut off to read."),
    "id_barcode_check_failure": (ID_DOCUMENT, "The barcode on the ID could not be read or did not match."),
    "id_mrz_check_failure": (ID_DOCUMENT, "The machine-readable zone (MRZ) of the ID could not be read."),
    "id_presence_check_failure": (ID_DOCUMENT, "No real ID was seen in the photo."),
    "id_double_side_check_failure": (ID_DOCUMENT, "Both sides of the ID were needed; one was missing."),
    "id_digital_replica_check_failure": (ID_DOCUMENT, "The ID was a photo of a screen, not the card itself."),
    "id_paper_replica_check_failure": (ID_DOCUMENT, "The ID was a paper copy, not the original."),
    # ID expired, wrong type or country
    "id_expiration_check_failure": (ID_VALIDITY, "The ID has expired."),
    "id_type_allowed_check_failure": (ID_VALIDITY, "This type of ID is not accepted."),
    "id_country_allowed_check_failure": (ID_VALIDITY, "IDs issued by this country are not accepted."),
    "country_comparison_check_failure": (
        ID_VALIDITY,
        "The verification was done from outside the customer's country.",
    ),
    # Selfie
    "selfie_failure": (SELFIE, "The selfie could not be verified against the ID."),
    "selfie_pose_check_failure": (SELFIE, "The selfie poses asked for were not followed."),
    "selfie_quality_check_failure": (SELFIE, "The selfie was too blurry or dark to use."),
    # Details do not match records
    "database_check_failure": (RECORDS, "The details did not match authoritative records."),
    "name_check_failure": (RECORDS, "The name did not match records."),
    "address_check_failure": (RECORDS, "The address did not match records."),
    "dob_check_failure": (RECORDS, "The date of birth did not match records."),
    "id_number_check_failure": (RECORDS, "An identification number did not match records."),
    "phone_number_check_failure": (RECORDS, "The phone number could not be verified."),
    "email_address_check_failure": (RECORDS, "The email address could not be verified."),
    "account_number_check_failure": (RECORDS, "The account number could not be verified."),
    "name_comparison_check_failure": (RECORDS, "The name on the ID differs from the customer's name."),
    # Documents
    "document_type_check_failure": (DOCUMENTS, "The document was not of the type asked for."),
    "document_quality_check_failure": (DOCUMENTS, "The document image was too poor to read."),
    "document_check_failure": (DOCUMENTS, "The document could not be verified."),
    # Screening or policy (contact support)
    "duplicate_person_check_failure": (CONTACT_SUPPORT_GROUP, "A customer already exists for this person."),
    "prohibited_person_check_failure": (
        CONTACT_SUPPORT_GROUP,
        "The person is prohibited from using the service.",
    ),
    "compliance_rejection": (CONTACT_SUPPORT_GROUP, "Compliance reviewed the verification and rejected it."),
    "pep_check_failure": (CONTACT_SUPPORT_GROUP, "Politically exposed person screening needs review."),
    "media_check_failure": (CONTACT_SUPPORT_GROUP, "Adverse media screening found a match."),
    "watchlist_check_failure": (CONTACT_SUPPORT_GROUP, "Watchlist (sanctions) screening found a match."),
    # Process
    "decision_timeout": (PROCESS, "No decision was reached in time."),
    "requested_failure": (PROCESS, "Sandbox: the failure was requested when the verification started."),
    "user_canceled": (PROCESS, "The person cancelled the verification."),
    "review_required": (PROCESS, "A manual review is required."),
    # Bank accounts, not KYC
    "plaid_failure": (BANK_ACCOUNTS, "Talking to Plaid failed."),
    "plaid_item_login_required": (BANK_ACCOUNTS, "The bank login behind the Plaid token must be redone."),
    "plaid_invalid_product": (BANK_ACCOUNTS, "The Plaid product is not supported (contact support)."),
    "plaid_no_accounts": (BANK_ACCOUNTS, "The Plaid token gives access to no account."),
    "plaid_item_not_found": (BANK_ACCOUNTS, "Plaid could not find the account."),
    "deleted_account": (BANK_ACCOUNTS, "The bank account was deleted before a decision was made."),
}

#: Every documented code (spec and newer SDK revisions), for tests and completion lists.
KNOWN_CODES: Final = frozenset(_CODES)


@dataclass(frozen=True, slots=True)
class Explained:
    """One failure code: the raw `code` as sent, its `group` and a plain `text`."""

    code: str
    group: str
    text: str

    @property
    def known(self) -> bool:
        return self.group != OTHER


def explain(code: str) -> Explained:
    """The plain words for `code`; an unknown code comes back under "Other", as sent."""
    found = _CODES.get(code)
    if found is None:
        return Explained(code, OTHER, UNKNOWN_TEXT)
    return Explained(code, *found)


def group_codes(codes: Iterable[str]) -> list[tuple[str, list[Explained]]]:
    """The codes explained and grouped, groups in `GROUPS` order and only those present; codes keep their
    order within a group, and a repeated code is shown once."""
    by_group: dict[str, list[Explained]] = {}
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            continue
        seen.add(code)
        explained = explain(code)
        by_group.setdefault(explained.group, []).append(explained)
    return [(group, by_group[group]) for group in GROUPS if group in by_group]
