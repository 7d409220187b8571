"""One customer as the mock stores it, and its `Customer` JSON.

A customer's state is a function of time: it keeps every (time, state) transition, and its state at a moment
is the last transition at or before it (`updated_at` is that transition's time). So a frozen clock freezes
states, advancing it moves them, and a demo can schedule changes in advance.

Serialized JSON is cached per customer (with and without PII) and keyed by the transition it reflects, so a
page of 100 costs 100 byte-string joins once warm; `set_state` drops the cache of the one customer it changes.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Callable
from typing import Any

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


def dumps(value: Any) -> bytes:
    """Compact JSON; ASCII-escaped, so a lone surrogate a client sent in a string still encodes."""
    return json.dumps(value, separators=(",", ":")).encode()


class CustomerRecord:
    __slots__ = (
        "_cache_index",
        "_cache_pii",
        "_cache_plain",
        "_details",
        "created_ms",
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
        keep = bisect_right(self.times, now_ms)
        del self.times[keep:]
        del self.states[keep:]
        if not self.times or self.states[-1] != state:
            self.times.append(max(now_ms, self.created_ms))
            self.states.append(state)
        self.invalidate()

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
        body["compliance_decisions"] = self._compliance_decisions(state)
        body["identification_numbers"] = details.get("identification_numbers")
        body["activity_limits"] = []
        return body

    def _compliance_decisions(self, state: str) -> list[dict[str, Any]]:
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
