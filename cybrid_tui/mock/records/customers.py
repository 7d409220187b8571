"""Customers as the mock stores them: one `CustomerRecord` each, its `Customer` JSON, and `CustomerStore`.

A customer's state is a function of time: it keeps every (time, state) transition, and its state at a moment
is the last transition at or before it (`updated_at` is that transition's time). So a frozen clock freezes
states, advancing it moves them, and a demo can schedule changes in advance.

Serialized JSON is cached per customer (with and without PII) and keyed by the transition it reflects, so a
page of 100 costs 100 byte-string joins once warm; `set_state` drops the cache of the one customer it changes.

Built for 100,000 customers: the store keeps records in creation order (an API create appends the newest), so
newest-first pages are slices from the end with no sorting per request; a dict finds a customer by guid;
per-type and per-label lists (also in creation order) serve those filters without scanning everyone.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from cybrid_tui.mock.errors import customer_not_found
from cybrid_tui.mock.records import dumps
from cybrid_tui.mock.timefmt import iso_ms

#: PII fields, in the order the spec lists them on `Customer`.
PII_FIELDS = (
    "name",
    "address",
    "aliases",
    "website",
    "date_of_birth",
    "phone_number",
    "email_address",
)

_FAILURE_CODES = (
    "id_check_failure",
    "database_check_failure",
    "selfie_failure",
    "watchlist_check_failure",
    "document_check_failure",
)

#: Builds a customer's details on first use (seeded customers: their PII is generated lazily).
DetailsFactory = Callable[["CustomerRecord"], dict[str, Any]]


class CustomerRecord:
    __slots__ = (
        "_cache_index",
        "_cache_pii",
        "_cache_plain",
        "_details",
        "created_ms",
        "decisions",
        "details_seed",
        "guid",
        "labels",
        "seq",
        "states",
        "times",
        "type",
    )

    def __init__(
        self,
        *,
        guid: str,
        type: str,
        seq: int,
        created_ms: int,
        times: list[int],
        states: list[str],
        labels: tuple[str, ...] | None = None,
        details: dict[str, Any] | None = None,
        details_seed: int | None = None,
    ) -> None:
        self.guid = guid
        self.type = type
        self.seq = seq  # position in creation order: 0 is the oldest
        self.created_ms = created_ms
        self.times = times  # ascending; times[0] == created_ms
        self.states = states
        self.labels = labels
        self._details = details  # PII fields present on this customer (None: not built yet)
        self.details_seed = details_seed  # seeded customers: generate details from this on first use
        # Compliance decisions from identity verifications, with when each was made (None: none here yet).
        self.decisions: list[tuple[int, dict[str, Any]]] | None = None
        self._cache_index = -1
        self._cache_plain: bytes | None = None
        self._cache_pii: bytes | None = None

    def index_at(self, now_ms: int) -> int:
        """Index of the transition in force at `now_ms`."""
        return max(bisect_right(self.times, now_ms) - 1, 0)

    def state_at(self, now_ms: int) -> str:
        return self.states[self.index_at(now_ms)]

    def set_state(self, state: str, now_ms: int) -> None:
        """From `now_ms` on the customer is in `state`; transitions scheduled after it are cancelled."""
        self.cancel_after(now_ms)
        if not self.times or self.states[-1] != state:
            self.times.append(max(now_ms, self.created_ms))
            self.states.append(state)
        self.invalidate()

    def cancel_after(self, now_ms: int) -> None:
        """Forget every transition and decision scheduled after `now_ms`."""
        keep = bisect_right(self.times, now_ms)
        del self.times[keep:]
        del self.states[keep:]
        if self.decisions is not None:
            self.decisions = [(at_ms, decision) for at_ms, decision in self.decisions if at_ms <= now_ms]
        self.invalidate()

    def decide(self, at_ms: int, state: str, decision: dict[str, Any]) -> None:
        """An identity verification completes at `at_ms` (after every scheduled transition): the customer
        moves to `state` and gains `decision` among its compliance decisions."""
        self.schedule(at_ms, state)
        self.decisions = [*(self.decisions or []), (at_ms, decision)]

    def schedule(self, at_ms: int, state: str) -> None:
        """Add a transition at `at_ms` (later than every existing one)."""
        self.times.append(at_ms)
        self.states.append(state)
        self.invalidate()

    def invalidate(self) -> None:
        self._cache_index = -1
        self._cache_plain = None
        self._cache_pii = None

    def details(self, factory: DetailsFactory | None) -> dict[str, Any]:
        if self._details is None:
            if factory is None or self.details_seed is None:
                return {}
            self._details = factory(self)
        return self._details

    def json_bytes(
        self, now_ms: int, *, include_pii: bool, bank_guid: str, factory: DetailsFactory | None
    ) -> bytes:
        index = self.index_at(now_ms)
        if index != self._cache_index:
            self._cache_index = index
            self._cache_plain = None
            self._cache_pii = None
        if include_pii:
            if self._cache_pii is None:
                self._cache_pii = dumps(
                    self.to_json(index, include_pii=True, bank_guid=bank_guid, factory=factory)
                )
            return self._cache_pii
        if self._cache_plain is None:
            self._cache_plain = dumps(
                self.to_json(index, include_pii=False, bank_guid=bank_guid, factory=factory)
            )
        return self._cache_plain

    def to_json(
        self, index: int, *, include_pii: bool, bank_guid: str, factory: DetailsFactory | None
    ) -> dict[str, Any]:
        state = self.states[index]
        body: dict[str, Any] = {
            "guid": self.guid,
            "bank_guid": bank_guid,
            "type": self.type,
            "created_at": iso_ms(self.created_ms),
            "updated_at": iso_ms(self.times[index]),
            "state": state,
        }
        details = self.details(factory) if include_pii else {}
        for field in PII_FIELDS:
            body[field] = details.get(field)
        body["labels"] = list(self.labels) if self.labels else None
        body["compliance_decisions"] = self._compliance_decisions(state, self.times[index])
        body["identification_numbers"] = details.get("identification_numbers")
        body["activity_limits"] = []
        return body

    def _compliance_decisions(self, state: str, since_ms: int) -> list[dict[str, Any]]:
        made = [decision for at_ms, decision in self.decisions or () if at_ms <= since_ms]
        if made:
            return made
        # Seeded customers were decided before the mock started: decisions consistent with their state.
        who = "person" if self.type == "individual" else "business"
        if state in ("verified", "frozen"):
            return [
                {"type": f"{who}_verification", "state": "passed", "failure_codes": []},
                {"type": f"{who}_watchlists", "state": "passed", "failure_codes": []},
            ]
        if state == "rejected":
            code = _FAILURE_CODES[int(self.guid[:4], 16) % len(_FAILURE_CODES)]
            return [{"type": f"{who}_verification", "state": "failed", "failure_codes": [code]}]
        return []


# ------------------------------------------------------------------------------------------------ the store


@dataclass(frozen=True, slots=True)
class ListQuery:
    """A validated `GET /api/customers` query; filters are None when not given."""

    page: int = 0
    per_page: int = 10
    types: frozenset[str] | None = None
    bank_guids: frozenset[str] | None = None
    guids: Sequence[str] | None = None
    labels: Sequence[str] | None = None
    include_pii: bool = False


def guid_from(rng: random.Random) -> str:
    """A 32-character lowercase hex guid, as Cybrid's."""
    return f"{rng.getrandbits(128):032x}"


class CustomerStore:
    """Every customer of the bank, indexed; not thread-safe on its own (the backend holds the lock)."""

    def __init__(self, *, bank_guid: str, seed: int, details: DetailsFactory) -> None:
        self.bank_guid = bank_guid
        self.records: list[CustomerRecord] = []
        self._details = details
        # Seeded: the same seed gives the same guids for created customers.
        self._create_rng = random.Random(f"{seed}:creates")
        self._by_guid: dict[str, CustomerRecord] = {}
        self._by_type: dict[str, list[CustomerRecord]] = {"individual": [], "business": []}
        self._by_label: dict[str, list[CustomerRecord]] = {}

    def __len__(self) -> int:
        return len(self.records)

    def __contains__(self, guid: object) -> bool:
        return guid in self._by_guid

    def add(self, record: CustomerRecord) -> None:
        self.records.append(record)
        self._by_guid[record.guid] = record
        self._by_type.setdefault(record.type, []).append(record)
        for label in record.labels or ():
            self._by_label.setdefault(label, []).append(record)

    def get(self, guid: str) -> CustomerRecord:
        """The customer, or MockError 404."""
        record = self._by_guid.get(guid)
        if record is None:
            raise customer_not_found()
        return record

    def new_guid(self) -> str:
        guid = guid_from(self._create_rng)
        while guid in self._by_guid:
            guid = guid_from(self._create_rng)
        return guid

    def to_json(self, record: CustomerRecord, now_ms: int, *, include_pii: bool) -> dict[str, Any]:
        factory = self._details if include_pii else None
        return record.to_json(
            record.index_at(now_ms), include_pii=include_pii, bank_guid=self.bank_guid, factory=factory
        )

    def to_bytes(self, record: CustomerRecord, now_ms: int, *, include_pii: bool) -> bytes:
        return record.json_bytes(
            now_ms, include_pii=include_pii, bank_guid=self.bank_guid, factory=self._details
        )

    def list_page(self, query: ListQuery, now_ms: int) -> bytes:
        """A `CustomerList` page as JSON bytes, newest first."""
        matches = self._matching(query)
        total = len(matches)
        end = max(total - query.page * query.per_page, 0)
        start = max(end - query.per_page, 0)
        pii = query.include_pii
        objects = b",".join(
            self.to_bytes(record, now_ms, include_pii=pii) for record in reversed(matches[start:end])
        )
        head = f'{{"total":{total},"page":{query.page},"per_page":{query.per_page},"objects":['.encode()
        return head + objects + b"]}"

    def _matching(self, query: ListQuery) -> Sequence[CustomerRecord]:
        """Customers matching every filter, in creation order (oldest first)."""
        if query.bank_guids is not None and self.bank_guid not in query.bank_guids:
            return []
        candidates: Sequence[CustomerRecord]
        if query.guids is not None:
            found = {self._by_guid[guid] for guid in query.guids if guid in self._by_guid}
            candidates = sorted(found, key=_seq)
            if query.labels is not None:
                wanted = set(query.labels)
                candidates = [record for record in candidates if wanted.intersection(record.labels or ())]
        elif query.labels is not None:
            candidates = _union(self._by_label.get(label, []) for label in set(query.labels))
        elif query.types is not None:
            if query.types.issuperset(self._by_type):
                return self.records
            return _union(self._by_type.get(kind, []) for kind in query.types)
        else:
            return self.records
        if query.types is not None and not query.types.issuperset(self._by_type):
            candidates = [record for record in candidates if record.type in query.types]
        return candidates


def _seq(record: CustomerRecord) -> int:
    return record.seq


def _union(lists: Iterable[list[CustomerRecord]]) -> Sequence[CustomerRecord]:
    present = [records for records in lists if records]
    if not present:
        return []
    if len(present) == 1:
        return present[0]
    return sorted({record for records in present for record in records}, key=_seq)
