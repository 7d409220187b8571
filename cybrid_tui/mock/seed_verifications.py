"""The demo's identity-verification journeys: every scheduled "unverified -> verified / rejected" of the
demo's activity (`seed.schedule_activity`) becomes the completion of a verification planned ahead of it.

So in `--activity` the table's customers are decided the way a real bank's are, by a verification that goes
storing -> waiting -> pending (-> reviewing for businesses) -> completed, and the customer gains the matching
compliance decision. Seeded customers decided before the mock started have no verification record.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from cybrid_tui.mock import kyc_flow

if TYPE_CHECKING:
    from cybrid_tui.mock.records.customers import CustomerRecord
    from cybrid_tui.mock.records.identity_verifications import VerificationStore

JOURNEY_MS = (
    40_000  # long enough to watch it wait and progress; clamped to start after the customer's last move
)
_DEMO_FAILURES = (
    ("id_quality_check_failure",),
    ("selfie_failure",),
    ("database_check_failure", "dob_check_failure"),
    ("id_expiration_check_failure",),
    ("prohibited_person_check_failure",),
)


def seed_journeys(customers: list[CustomerRecord], store: VerificationStore, seed: int, now_ms: int) -> int:
    """Plan a verification for each future decision of an unverified customer; returns how many."""
    rng = random.Random(f"{seed}:journeys")
    planned = 0
    for customer in customers:
        business = customer.type == "business"
        for index in range(1, len(customer.times)):
            end_ms, state = customer.times[index], customer.states[index]
            if end_ms <= now_ms or customer.states[index - 1] != "unverified":
                continue
            if state not in ("verified", "rejected"):
                continue
            outcome = "passed" if state == "verified" else "failed"
            codes = rng.choice(_DEMO_FAILURES) if outcome == "failed" else ()
            start_ms = max(customer.times[index - 1] + 1, end_ms - JOURNEY_MS)
            steps = kyc_flow.journey(
                business=business, outcome=outcome, failure_codes=codes, start_ms=start_ms, end_ms=end_ms
            )
            record = store.new(
                customer_guid=customer.guid,
                method="business_registration" if business else "id_and_selfie",
                business=business,
                steps=steps,
            )
            decision = {"type": record.decision_type(), "state": outcome, "failure_codes": list(codes)}
            customer.decisions = [*(customer.decisions or []), (end_ms, decision)]
            customer.invalidate()
            planned += 1
    return planned
