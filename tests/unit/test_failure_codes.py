"""Failure codes in plain words: every code KYC_NOTES.md documents in its group; unknown ones as sent."""

from __future__ import annotations

import os
import re

import pytest
import yaml

from cybrid_tui.live import failure_codes as fc
from tests.support.spec import find_openapi_spec

#: KYC_NOTES.md's table, written out (its "plaid_*" row expanded with the spec's five codes).
EXPECTED: dict[str, tuple[str, ...]] = {
    fc.ID_DOCUMENT: (
        "id_check_failure",
        "id_quality_check_failure",
        "id_barcode_check_failure",
        "id_mrz_check_failure",
        "id_presence_check_failure",
        "id_double_side_check_failure",
        "id_digital_replica_check_failure",
        "id_paper_replica_check_failure",
    ),
    fc.ID_VALIDITY: (
        "id_expiration_check_failure",
        "id_type_allowed_check_failure",
        "id_country_allowed_check_failure",
        "country_comparison_check_failure",
    ),
    fc.SELFIE: ("selfie_failure", "selfie_pose_check_failure", "selfie_quality_check_failure"),
    fc.RECORDS: (
        "database_check_failure",
        "name_check_failure",
        "address_check_failure",
        "dob_check_failure",
        "id_number_check_failure",
        "phone_number_check_failure",
        "email_address_check_failure",
        "account_number_check_failure",
        "name_comparison_check_failure",
    ),
    fc.DOCUMENTS: ("document_type_check_failure", "document_quality_check_failure", "document_check_failure"),
    fc.CONTACT_SUPPORT_GROUP: (
        "duplicate_person_check_failure",
        "prohibited_person_check_failure",
        "compliance_rejection",
        "pep_check_failure",
        "media_check_failure",
        "watchlist_check_failure",
    ),
    fc.PROCESS: ("decision_timeout", "requested_failure", "user_canceled", "review_required"),
    fc.BANK_ACCOUNTS: (
        "plaid_failure",
        "plaid_item_login_required",
        "plaid_invalid_product",
        "plaid_no_accounts",
        "plaid_item_not_found",
        "deleted_account",
    ),
}
ALL = [(group, code) for group, codes in EXPECTED.items() for code in codes]


def test_all_43_documented_codes_are_covered() -> None:
    assert len(ALL) == 43
    assert {code for _, code in ALL} == fc.KNOWN_CODES


@pytest.mark.parametrize(("group", "code"), ALL)
def test_each_code_has_its_group_and_a_plain_sentence(group: str, code: str) -> None:
    explained = fc.explain(code)
    assert explained.code == code and explained.group == group and explained.known
    assert explained.text.endswith(".") and "_" not in explained.text, "plain words, not the code again"
    assert 10 <= len(explained.text) <= 80, "one line"


def test_every_code_the_spec_documents_is_known() -> None:
    spec = yaml.safe_load(find_openapi_spec(os.environ).read_text())
    description = spec["paths"]["/api/identity_verifications"]["post"]["description"]
    table = description[description.index("| id_check_failure") :]  # the failure codes table, the last one
    documented = set(re.findall(r"^\| ([a-z_]+) \|", table, flags=re.MULTILINE))
    assert len(documented) == 36
    assert documented <= fc.KNOWN_CODES


def test_an_unknown_code_is_shown_as_sent_under_other() -> None:
    explained = fc.explain("quantum_check_failure")
    assert (explained.code, explained.group, explained.known) == ("quantum_check_failure", fc.OTHER, False)
    assert explained.text == fc.UNKNOWN_TEXT


def test_grouping_follows_the_display_order_and_drops_repeats() -> None:
    grouped = fc.group_codes(
        ["weird", "requested_failure", "selfie_failure", "id_check_failure", "selfie_failure"]
    )
    assert [group for group, _ in grouped] == [fc.ID_DOCUMENT, fc.SELFIE, fc.PROCESS, fc.OTHER]
    assert [e.code for _, items in grouped for e in items] == [
        "id_check_failure",
        "selfie_failure",
        "requested_failure",
        "weird",
    ]
    assert fc.group_codes([]) == []
