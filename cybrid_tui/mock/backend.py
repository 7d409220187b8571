"""The in-memory bank behind the mock API: customers, their indexes, tokens, and the fault settings.

Built for 100,000 customers: records are kept in creation order (an API create appends the newest), so
newest-first pages are slices from the end with no sorting per request; a dict finds a customer by guid;
per-type and per-label lists (also in creation order) serve those filters without scanning everyone.

Every public method takes one lock: the uvicorn thread serves requests while a test drives the same backend.
"""

from __future__ import annotations

import dataclasses
import random
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cybrid_tui.clock import Clock, SystemClock
from cybrid_tui.mock.config import MockConfig
from cybrid_tui.mock.errors import MockError, customer_not_found
from cybrid_tui.mock.records import CustomerRecord
from cybrid_tui.mock.seed import details_factory, guid_from, schedule_activity, seed_records
from cybrid_tui.mock.timefmt import to_ms
from cybrid_tui.mock.tokens import TokenStore
from cybrid_tui.mock.validation import CUSTOMER_STATES, validate_post_customer

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from cybrid_tui.mock.config import FaultConfig


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


class MockBackend:
    """The bank's customers as a function of the injected clock."""

    def __init__(self, config: MockConfig | None = None, *, clock: Clock | None = None) -> None:
        self.config = config or MockConfig()
        self.clock: Clock = clock or SystemClock()
        self.faults: FaultConfig = dataclasses.replace(self.config.faults)
        self.tokens = TokenStore()
        # Seeded generators: the same seed gives the same guids for created customers and the same faults.
        self.fault_rng = random.Random(f"{self.config.seed}:faults")
        self._create_rng = random.Random(f"{self.config.seed}:creates")
        self._lock = threading.RLock()
        now_ms = self._now_ms()
        self._details = details_factory(self.config.seed, now_ms)
        self._records: list[CustomerRecord] = []
        self._by_guid: dict[str, CustomerRecord] = {}
        self._by_type: dict[str, list[CustomerRecord]] = {"individual": [], "business": []}
        self._by_label: dict[str, list[CustomerRecord]] = {}
        for record in seed_records(self.config, now_ms):
            self._add(record)
        self.scheduled_changes = (
            schedule_activity(self._records, self.config.seed, now_ms) if self.config.activity else 0
        )

    def __repr__(self) -> str:
        return f"MockBackend({len(self._records)} customers, config={self.config!r})"

    # ------------------------------------------------------------------------------------------ helpers

    def _now_ms(self) -> int:
        return to_ms(self.clock.now())

    def _add(self, record: CustomerRecord) -> None:
        self._records.append(record)
        self._by_guid[record.guid] = record
        self._by_type.setdefault(record.type, []).append(record)
        for label in record.labels or ():
            self._by_label.setdefault(label, []).append(record)

    def _record(self, guid: str) -> CustomerRecord:
        record = self._by_guid.get(guid)
        if record is None:
            raise customer_not_found()
        return record

    def _bytes(self, record: CustomerRecord, now_ms: int, include_pii: bool) -> bytes:
        return record.json_bytes(
            now_ms, include_pii=include_pii, bank_guid=self.config.bank_guid, factory=self._details
        )

    # ------------------------------------------------------------------------------- the public API

    @property
    def customer_count(self) -> int:
        return len(self._records)

    def has_customer(self, guid: str) -> bool:
        return guid in self._by_guid

    def create_customer(self, body: dict[str, Any]) -> dict[str, Any]:
        """Validate and store a `PostCustomer` body; returns the `Customer` JSON the API answers (no PII)."""
        new = validate_post_customer(body, require_details=self.config.require_details)
        with self._lock:
            now_ms = self._now_ms()
            if self._records:
                now_ms = max(now_ms, self._records[-1].created_ms)  # keep creation order if the clock is odd
            guid = guid_from(self._create_rng)
            while guid in self._by_guid:
                guid = guid_from(self._create_rng)
            stored = now_ms + int(self.config.storing_seconds * 1000)
            record = CustomerRecord(
                guid=guid,
                type=new.type,
                seq=len(self._records),
                created_ms=now_ms,
                times=[now_ms, stored],
                states=["storing", "unverified"],
                labels=new.labels,
                details=new.details,
            )
            self._add(record)
            return record.to_json(
                record.index_at(now_ms), include_pii=False, bank_guid=self.config.bank_guid, factory=None
            )

    def set_state(self, guid: str, state: str) -> None:
        """Admin: the customer is in `state` from now on (scheduled changes to it are cancelled)."""
        if state not in CUSTOMER_STATES:
            raise MockError(400, f"state must be one of {', '.join(CUSTOMER_STATES)}", "invalid_parameter")
        with self._lock:
            self._record(guid).set_state(state, self._now_ms())

    def update_customer(self, guid: str, state: str | None) -> dict[str, Any]:
        """`PATCH /api/customers/{guid}` after validation; returns the `Customer` JSON (no PII)."""
        with self._lock:
            record = self._record(guid)
            now_ms = self._now_ms()
            if state is not None and record.state_at(now_ms) != state:
                record.set_state(state, now_ms)
            return record.to_json(
                record.index_at(now_ms), include_pii=False, bank_guid=self.config.bank_guid, factory=None
            )

    def customer_json(self, guid: str, *, include_pii: bool) -> dict[str, Any]:
        with self._lock:
            record = self._record(guid)
            return record.to_json(
                record.index_at(self._now_ms()),
                include_pii=include_pii,
                bank_guid=self.config.bank_guid,
                factory=self._details,
            )

    def customer_bytes(self, guid: str, *, include_pii: bool) -> bytes:
        """The `Customer` JSON as the API sends it (served from the per-customer cache)."""
        with self._lock:
            return self._bytes(self._record(guid), self._now_ms(), include_pii)

    def guids(self) -> list[str]:
        """Every customer's guid, newest first."""
        with self._lock:
            return [record.guid for record in reversed(self._records)]

    def snapshot_states(self) -> dict[str, str]:
        """guid -> current state, for every customer (tests: "the table matches the server")."""
        with self._lock:
            now_ms = self._now_ms()
            return {record.guid: record.state_at(now_ms) for record in self._records}

    def list_customers(self, query: ListQuery) -> bytes:
        """A `CustomerList` page as JSON bytes, newest first."""
        with self._lock:
            matches = self._matching(query)
            now_ms = self._now_ms()
            total = len(matches)
            end = max(total - query.page * query.per_page, 0)
            start = max(end - query.per_page, 0)
            objects = b",".join(
                self._bytes(record, now_ms, query.include_pii) for record in reversed(matches[start:end])
            )
        head = f'{{"total":{total},"page":{query.page},"per_page":{query.per_page},"objects":['.encode()
        return head + objects + b"]}"

    def _matching(self, query: ListQuery) -> Sequence[CustomerRecord]:
        """Customers matching every filter, in creation order (oldest first)."""
        if query.bank_guids is not None and self.config.bank_guid not in query.bank_guids:
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
                return self._records
            return _union(self._by_type.get(kind, []) for kind in query.types)
        else:
            return self._records
        if query.types is not None and not query.types.issuperset(self._by_type):
            candidates = [record for record in candidates if record.type in query.types]
        return candidates

    # ---------------------------------------------------------------------------------------- tokens

    def issue_token(self, scopes: frozenset[str]) -> tuple[str, int]:
        """A new bearer token and its lifetime in seconds (a fault may shorten it)."""
        ttl = self.faults.token_ttl_seconds or self.config.token_ttl_seconds
        with self._lock:
            return self.tokens.issue(scopes, ttl, self.clock.monotonic()), ttl

    def authenticate(self, authorization: str | None) -> frozenset[str]:
        """Scopes of the request's bearer token; raises MockError 401."""
        with self._lock:
            return self.tokens.check(authorization, self.clock.monotonic())

    def expire_tokens(self) -> int:
        """Every token issued so far expires now; returns how many were live."""
        with self._lock:
            return self.tokens.expire_all(self.clock.monotonic())


def _seq(record: CustomerRecord) -> int:
    return record.seq


def _union(lists: Iterable[list[CustomerRecord]]) -> Sequence[CustomerRecord]:
    present = [records for records in lists if records]
    if not present:
        return []
    if len(present) == 1:
        return present[0]
    return sorted({record for records in present for record in records}, key=_seq)
