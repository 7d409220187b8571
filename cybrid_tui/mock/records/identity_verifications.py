"""Identity verifications as the mock stores them: one `VerificationRecord` each (its planned `Step`s, see
`kyc_flow.py`), its `IdentityVerification` / `IdentityVerificationWithDetails` JSON, and `VerificationStore`.

A verification's state is a function of time, like a customer's. The demo plans some verifications ahead, so a
record exists only from its `created_ms` on: listings and look-ups before that moment do not see it.
"""

from __future__ import annotations

import random
from bisect import bisect_right, insort
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cybrid_tui.mock.errors import MockError
from cybrid_tui.mock.kyc_flow import Step, completion, step_at
from cybrid_tui.mock.records.customers import guid_from
from cybrid_tui.mock.timefmt import iso_ms

if TYPE_CHECKING:
    from collections.abc import Sequence

_INQUIRY_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


@dataclass(frozen=True, slots=True)
class VerificationQuery:
    """A validated `GET /api/identity_verifications` query; filters are None when not given."""

    page: int = 0
    per_page: int = 10
    guids: frozenset[str] | None = None
    bank_guids: frozenset[str] | None = None
    customer_guids: frozenset[str] | None = None
    states: frozenset[str] | None = None
    types: frozenset[str] | None = None


class VerificationRecord:
    """One identity verification of a customer (`kyc` only: the mock simulates platform KYC and KYB)."""

    __slots__ = (
        "business",
        "created_ms",
        "customer_guid",
        "guid",
        "inquiry_id",
        "method",
        "seq",
        "steps",
        "type",
    )

    def __init__(
        self,
        *,
        guid: str,
        seq: int,
        customer_guid: str,
        method: str,
        business: bool,
        inquiry_id: str,
        steps: list[Step],
    ) -> None:
        self.guid = guid
        self.seq = seq
        self.type = "kyc"
        self.customer_guid = customer_guid
        self.method = method
        self.business = business
        self.inquiry_id = inquiry_id
        self.steps = steps  # ascending by time; steps[0] is `storing` at creation
        self.created_ms = steps[0].at_ms

    def __repr__(self) -> str:
        return f"VerificationRecord({self.guid}, customer={self.customer_guid}, steps={len(self.steps)})"

    def step_at(self, now_ms: int) -> Step:
        return step_at(self.steps, now_ms)

    def completion(self) -> Step | None:
        return completion(self.steps)

    def decision_type(self) -> str:
        return "business_verification" if self.business else "person_verification"

    def to_json(self, now_ms: int, *, details: bool) -> dict[str, Any]:
        """`IdentityVerification`, or `IdentityVerificationWithDetails` with `details`."""
        step = self.step_at(now_ms)
        completed = step.state == "completed"
        codes = list(step.failure_codes)
        body: dict[str, Any] = {
            "guid": self.guid,
            "type": self.type,
            "method": self.method,
            "created_at": iso_ms(self.created_ms),
            "updated_at": iso_ms(step.at_ms),
            "customer_guid": self.customer_guid,
            "counterparty_guid": None,
            "external_bank_account_guid": None,
            "state": step.state,
            "outcome": step.outcome if completed else None,
            "failure_codes": codes,
            "compliance_decisions": (
                [{"type": self.decision_type(), "state": step.outcome, "failure_codes": codes}]
                if completed
                else []
            ),
        }
        if details:
            body["compliance_checks"] = (
                [{"type": self.decision_type(), "outcome": step.outcome, "failure_codes": codes}]
                if completed
                else []
            )
            body["persona_inquiry_id"] = None if step.state == "storing" else self.inquiry_id
            body["persona_state"] = step.persona_state
            body["business_associates"] = []
            body["documents"] = []
            body["supporting_files"] = []
        return body


def verification_not_found() -> MockError:
    return MockError(404, "identity_verification not found", "not_found")  # the spec's own example


class VerificationStore:
    """Every identity verification in creation order; not thread-safe alone (the backend holds the lock)."""

    def __init__(self, *, bank_guid: str, seed: int) -> None:
        self.bank_guid = bank_guid
        self._rng = random.Random(f"{seed}:identity_verifications")
        self._records: list[VerificationRecord] = []  # ascending by (created_ms, seq)
        self._created: list[int] = []  # their created_ms, for bisect
        self._by_guid: dict[str, VerificationRecord] = {}
        self._by_customer: dict[str, list[VerificationRecord]] = {}
        self._next_seq = 0

    def __len__(self) -> int:
        return len(self._records)

    def new(
        self, *, customer_guid: str, method: str, business: bool, steps: list[Step]
    ) -> VerificationRecord:
        """A record with a fresh guid and Persona inquiry id, stored."""
        guid = guid_from(self._rng)
        while guid in self._by_guid:
            guid = guid_from(self._rng)
        inquiry = "inq_" + "".join(self._rng.choices(_INQUIRY_ALPHABET, k=24))
        record = VerificationRecord(
            guid=guid,
            seq=self._next_seq,
            customer_guid=customer_guid,
            method=method,
            business=business,
            inquiry_id=inquiry,
            steps=steps,
        )
        self._next_seq += 1
        position = bisect_right(self._created, record.created_ms)
        self._records.insert(position, record)
        self._created.insert(position, record.created_ms)
        self._by_guid[guid] = record
        insort(self._by_customer.setdefault(customer_guid, []), record, key=_order)
        return record

    def forget_planned(self, customer_guid: str, now_ms: int) -> None:
        """Drop the customer's verifications planned to start after `now_ms` (a real one starts now)."""
        planned = [
            record for record in self._by_customer.get(customer_guid, []) if record.created_ms > now_ms
        ]
        for record in planned:
            position = self._records.index(record)
            del self._records[position]
            del self._created[position]
            del self._by_guid[record.guid]
            self._by_customer[customer_guid].remove(record)

    def get(self, guid: str, now_ms: int) -> VerificationRecord:
        """The verification as of `now_ms`, or MockError 404."""
        record = self._by_guid.get(guid)
        if record is None or record.created_ms > now_ms:
            raise verification_not_found()
        return record

    def of_customer(self, customer_guid: str, now_ms: int) -> list[VerificationRecord]:
        """The customer's verifications that exist at `now_ms`, oldest first."""
        return [record for record in self._by_customer.get(customer_guid, []) if record.created_ms <= now_ms]

    def list_page(self, query: VerificationQuery, now_ms: int) -> dict[str, Any]:
        """An `IdentityVerificationList` page, newest first."""
        matches = self._matching(query, now_ms)
        total = len(matches)
        end = max(total - query.page * query.per_page, 0)
        start = max(end - query.per_page, 0)
        return {
            "total": total,
            "page": query.page,
            "per_page": query.per_page,
            "objects": [record.to_json(now_ms, details=False) for record in reversed(matches[start:end])],
        }

    def _matching(self, query: VerificationQuery, now_ms: int) -> Sequence[VerificationRecord]:
        if query.bank_guids is not None and self.bank_guid not in query.bank_guids:
            return []
        if query.types is not None and "kyc" not in query.types:
            return []
        candidates: Sequence[VerificationRecord]
        if query.guids is not None:
            found = {self._by_guid[guid] for guid in query.guids if guid in self._by_guid}
            candidates = sorted(found, key=_order)
        elif query.customer_guids is not None:
            found = {record for guid in query.customer_guids for record in self._by_customer.get(guid, [])}
            candidates = sorted(found, key=_order)
        else:
            candidates = self._records[: bisect_right(self._created, now_ms)]
        return [
            record
            for record in candidates
            if record.created_ms <= now_ms
            and (query.customer_guids is None or record.customer_guid in query.customer_guids)
            and (query.states is None or record.step_at(now_ms).state in query.states)
        ]


def _order(record: VerificationRecord) -> tuple[int, int]:
    return record.created_ms, record.seq
