"""The in-memory bank behind the mock API: it owns each resource's store, the tokens and the fault settings.

Each resource keeps its records in its own module under `records/` (seeded by `seed.py`); the backend wires
them to the injected clock and holds the one lock around them: the uvicorn thread serves requests while a test
drives the same backend. Anything that spans resources lives here.
"""

from __future__ import annotations

import dataclasses
import random
import secrets
import threading
from typing import TYPE_CHECKING, Any

from cybrid_tui.api.vocab import CUSTOMER_STATES
from cybrid_tui.clock import Clock, SystemClock
from cybrid_tui.mock import kyc_flow
from cybrid_tui.mock.config import MockConfig
from cybrid_tui.mock.errors import MockError, customer_not_found
from cybrid_tui.mock.records.customers import CustomerRecord, CustomerStore, ListQuery
from cybrid_tui.mock.records.identity_verifications import (
    VerificationQuery,
    VerificationRecord,
    VerificationStore,
)
from cybrid_tui.mock.seed import details_factory, schedule_activity, seed_records
from cybrid_tui.mock.seed_verifications import seed_journeys
from cybrid_tui.mock.timefmt import to_ms
from cybrid_tui.mock.tokens import TokenStore
from cybrid_tui.mock.validation import validate_post_customer
from cybrid_tui.mock.validation_kyc import (
    NewPersonaSession,
    check_method_fits,
    validate_post_identity_verification,
)

if TYPE_CHECKING:
    from cybrid_tui.mock.config import FaultConfig

__all__ = ["ListQuery", "MockBackend"]  # ListQuery: re-exported, tests and `requests.py` import it from here


class MockBackend:
    """The bank's resources as a function of the injected clock."""

    def __init__(self, config: MockConfig | None = None, *, clock: Clock | None = None) -> None:
        self.config = config or MockConfig()
        self.clock: Clock = clock or SystemClock()
        self.faults: FaultConfig = dataclasses.replace(self.config.faults)
        self.tokens = TokenStore()
        # Seeded generators: the same seed gives the same faults (and, in the stores, the same guids).
        self.fault_rng = random.Random(f"{self.config.seed}:faults")
        self._lock = threading.RLock()
        now_ms = self._now_ms()
        self.customers = CustomerStore(
            bank_guid=self.config.bank_guid,
            seed=self.config.seed,
            details=details_factory(self.config.seed, now_ms),
        )
        for record in seed_records(self.config, now_ms):
            self.customers.add(record)
        self.verifications = VerificationStore(bank_guid=self.config.bank_guid, seed=self.config.seed)
        self.timings = kyc_flow.Timings(
            storing_ms=int(self.config.verification_storing_seconds * 1000),
            step_ms=int(self.config.verification_step_seconds * 1000),
            lifetime_ms=int(self.config.verification_lifetime_seconds * 1000),
        )
        self.scheduled_changes = 0
        if self.config.activity:
            self.scheduled_changes = schedule_activity(self.customers.records, self.config.seed, now_ms)
            seed_journeys(self.customers.records, self.verifications, self.config.seed, now_ms)

    def __repr__(self) -> str:
        return f"MockBackend({len(self.customers)} customers, config={self.config!r})"

    def _now_ms(self) -> int:
        return to_ms(self.clock.now())

    # ------------------------------------------------------------------------------------------ customers

    @property
    def customer_count(self) -> int:
        return len(self.customers)

    def has_customer(self, guid: str) -> bool:
        return guid in self.customers

    def create_customer(self, body: dict[str, Any]) -> dict[str, Any]:
        """Validate and store a `PostCustomer` body; returns the `Customer` JSON the API answers (no PII)."""
        new = validate_post_customer(body, require_details=self.config.require_details)
        with self._lock:
            now_ms = self._now_ms()
            records = self.customers.records
            if records:
                now_ms = max(now_ms, records[-1].created_ms)  # keep creation order if the clock is odd
            stored = now_ms + int(self.config.storing_seconds * 1000)
            record = CustomerRecord(
                guid=self.customers.new_guid(),
                type=new.type,
                seq=len(records),
                created_ms=now_ms,
                times=[now_ms, stored],
                states=["storing", "unverified"],
                labels=new.labels,
                details=new.details,
            )
            self.customers.add(record)
            return self.customers.to_json(record, now_ms, include_pii=False)

    def set_state(self, guid: str, state: str) -> None:
        """Admin: the customer is in `state` from now on (scheduled changes to it are cancelled)."""
        if state not in CUSTOMER_STATES:
            raise MockError(400, f"state must be one of {', '.join(CUSTOMER_STATES)}", "invalid_parameter")
        with self._lock:
            self.customers.get(guid).set_state(state, self._now_ms())

    def update_customer(self, guid: str, state: str | None) -> dict[str, Any]:
        """`PATCH /api/customers/{guid}` after validation; returns the `Customer` JSON (no PII)."""
        with self._lock:
            record = self.customers.get(guid)
            now_ms = self._now_ms()
            if state is not None and record.state_at(now_ms) != state:
                record.set_state(state, now_ms)
            return self.customers.to_json(record, now_ms, include_pii=False)

    def customer_json(self, guid: str, *, include_pii: bool) -> dict[str, Any]:
        with self._lock:
            return self.customers.to_json(self.customers.get(guid), self._now_ms(), include_pii=include_pii)

    def customer_bytes(self, guid: str, *, include_pii: bool) -> bytes:
        """The `Customer` JSON as the API sends it (served from the per-customer cache)."""
        with self._lock:
            return self.customers.to_bytes(self.customers.get(guid), self._now_ms(), include_pii=include_pii)

    def guids(self) -> list[str]:
        """Every customer's guid, newest first."""
        with self._lock:
            return [record.guid for record in reversed(self.customers.records)]

    def snapshot_states(self) -> dict[str, str]:
        """guid -> current state, for every customer (tests: "the table matches the server")."""
        with self._lock:
            now_ms = self._now_ms()
            return {record.guid: record.state_at(now_ms) for record in self.customers.records}

    def list_customers(self, query: ListQuery) -> bytes:
        """A `CustomerList` page as JSON bytes, newest first."""
        with self._lock:
            return self.customers.list_page(query, self._now_ms())

    # --------------------------------------------------------------------------------------------- tokens

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

    # ------------------------------------------------------------------------------ identity verifications

    def create_identity_verification(self, body: Any) -> dict[str, Any]:
        """Validate and start a `PostIdentityVerification`; returns the `IdentityVerification` JSON (storing).

        The spec documents no error for the customer's side; these answers are the mock's own choice:
        404 not_found (no such customer), 422 invalid_parameter (customer not `unverified`), 409 data_exists
        (an open verification exists: reuse it), 422 unsupported_value (method not for this customer type).
        """
        new = validate_post_identity_verification(body)
        with self._lock:
            now_ms = self._now_ms()
            if new.customer_guid not in self.customers:
                raise customer_not_found()
            customer = self.customers.get(new.customer_guid)
            check_method_fits(new.method, customer.type)
            state = customer.state_at(now_ms)
            if state != "unverified":
                raise MockError(
                    422,
                    f"Customer is {state}; identity verification needs an unverified customer",
                    "invalid_parameter",
                )
            for existing in self.verifications.of_customer(customer.guid, now_ms):
                current = existing.step_at(now_ms).state
                if kyc_flow.is_open(current):
                    raise MockError(
                        409, f"Data exists: identity verification {existing.guid} is {current}", "data_exists"
                    )
            # This verification now decides the customer: drop the demo's plans for it.
            self.verifications.forget_planned(customer.guid, now_ms)
            customer.cancel_after(now_ms)
            business = customer.type == "business"
            steps = kyc_flow.plan(
                business=business, behaviours=new.expected_behaviours, start_ms=now_ms, timings=self.timings
            )
            record = self.verifications.new(
                customer_guid=customer.guid, method=new.method, business=business, steps=steps
            )
            self._plan_customer(record, now_ms)
            return record.to_json(now_ms, details=False)

    def _plan_customer(self, record: VerificationRecord, now_ms: int) -> None:
        """The customer follows the verification's planned completion (passed: verified, failed: rejected)."""
        customer = self.customers.get(record.customer_guid)
        customer.cancel_after(now_ms)
        done = record.completion()
        if done is None:
            return
        decision = {
            "type": record.decision_type(),
            "state": done.outcome,
            "failure_codes": list(done.failure_codes),
        }
        customer.decide(done.at_ms, "verified" if done.outcome == "passed" else "rejected", decision)

    def list_identity_verifications(self, query: VerificationQuery) -> dict[str, Any]:
        """An `IdentityVerificationList` page, newest first."""
        with self._lock:
            return self.verifications.list_page(query, self._now_ms())

    def identity_verification_json(self, guid: str) -> dict[str, Any]:
        """`IdentityVerificationWithDetails` (404 for an unknown one)."""
        with self._lock:
            now_ms = self._now_ms()
            return self.verifications.get(guid, now_ms).to_json(now_ms, details=True)

    def move_identity_verification(
        self, guid: str, state: str, *, outcome: str = "passed", failure_codes: tuple[str, ...] = ()
    ) -> dict[str, Any]:
        """Admin, playing the person's (and compliance's) side; returns `IdentityVerificationWithDetails`."""
        with self._lock:
            now_ms = self._now_ms()
            record = self.verifications.get(guid, now_ms)
            try:
                record.steps = kyc_flow.move(
                    record.steps,
                    now_ms,
                    state,
                    business=record.business,
                    timings=self.timings,
                    outcome=outcome,
                    failure_codes=failure_codes,
                )
            except kyc_flow.TransitionError as exc:
                raise MockError(409, f"Data exists: {exc}", "data_exists") from None
            self._plan_customer(record, now_ms)
            return record.to_json(now_ms, details=True)

    def open_persona_session(self, session: NewPersonaSession) -> dict[str, Any]:
        """`POST /api/persona_sessions`: a session token for a verification whose person has not finished."""
        with self._lock:
            now_ms = self._now_ms()
            try:
                record = self.verifications.get(session.identity_verification_guid, now_ms)
            except MockError:
                raise _session_not_found() from None
            step = record.step_at(now_ms)
            if (
                step.state == "storing"
                or session.persona_inquiry_id != record.inquiry_id
                or session.customer_guid not in (None, record.customer_guid)
            ):
                raise _session_not_found()
            if step.state == "expired":
                raise MockError(409, "Data exists: Inquiry expired", "data_exists")  # the mock's choice
            if step.state in ("reviewing", "completed"):
                raise MockError(409, "Data exists: Inquiry already completed", "data_exists")  # the spec's
            return {
                "identity_verification_guid": record.guid,
                "persona_inquiry_id": record.inquiry_id,
                "persona_session_token": secrets.token_urlsafe(32),
            }


def _session_not_found() -> MockError:
    return MockError(404, "Identity verification not found", "not_found")  # the spec's example for this path
