"""Test doubles for the create-customer form: an in-memory bank with scripted failures and a host app."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import TYPE_CHECKING, Any, Literal

from textual.app import App

from cybrid_tui.api.errors import (
    InvalidRequestError,
    NetworkError,
    RateLimitError,
    RequestTimeoutError,
    ServerError,
)
from cybrid_tui.api.models import Customer, CustomerList, PostCustomer
from cybrid_tui.clock import FrozenClock
from cybrid_tui.screens.create_customer import CreateCustomerScreen

if TYPE_CHECKING:
    import asyncio
    from collections.abc import Sequence

TAG = "cybrid-tui-0123456789ab"
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)

#: "refused:<message>" refuses with that 422 message.
Outcome = (
    Literal["ok", "lost-after-create", "lost-before-create", "refused", "5xx-after-create", "rate-limited"]
    | str
)


class CreateBank:
    """An in-memory bank whose next creates fail as scripted; lookups can fail too."""

    def __init__(self, script: Sequence[Outcome] = ()) -> None:
        self.customers: list[Customer] = []
        self.bodies: list[dict[str, Any]] = []
        #: When set, creates wait for it: the form's "Creating…" state can be observed.
        self.gate: asyncio.Event | None = None
        self.script = list(script)
        self.create_calls = 0
        self.list_calls = 0
        self.list_fails = 0
        self.ignore_label_filter = False
        self._guids = (f"{n:032x}" for n in itertools.count(1))

    def _store(self, body: PostCustomer) -> Customer:
        customer = Customer(guid=next(self._guids), type=body.type, state="storing", labels=body.labels)
        self.customers.insert(0, customer)  # newest first, like the API
        return customer

    async def create(self, body: PostCustomer) -> Customer:
        self.create_calls += 1
        self.bodies.append(body.to_json_body())
        if self.gate is not None:
            await self.gate.wait()
        outcome = self.script.pop(0) if self.script else "ok"
        if outcome == "ok":
            return self._store(body)
        if outcome == "lost-after-create":
            self._store(body)
            raise RequestTimeoutError("The request timed out", request_sent=True)
        if outcome == "lost-before-create":
            raise RequestTimeoutError("The request timed out", request_sent=True)
        if outcome == "5xx-after-create":
            self._store(body)
            raise ServerError("Bad gateway", status=502)
        if outcome == "rate-limited":
            raise RateLimitError("Too many requests", retry_after=1.0)
        if outcome.startswith("refused:"):
            raise InvalidRequestError(
                outcome.removeprefix("refused:"), status=422, message_code="invalid_value"
            )
        raise InvalidRequestError("Customer name required", status=422, message_code="missing_parameter")

    async def list(self, *, per_page: int = 100, label: Sequence[str] | None = None) -> CustomerList:
        self.list_calls += 1
        if self.list_fails:
            self.list_fails -= 1
            raise NetworkError("Connection refused", request_sent=False)
        found = [
            c
            for c in self.customers
            if self.ignore_label_filter or not label or set(label) & set(c.labels or [])
        ]
        return CustomerList(total=len(found), page=0, per_page=per_page, objects=found[:per_page])

    def tagged(self, tag: str) -> list[Customer]:
        return [c for c in self.customers if tag in (c.labels or [])]


class FormHost(App[None]):
    """A minimal app that opens the form and keeps what it dismissed with."""

    def __init__(self, bank: Any, *, tag: str | None = TAG) -> None:
        super().__init__()
        self.bank = bank
        self.tag = tag
        self.results: list[Customer | None] = []

    def on_mount(self) -> None:
        self.open_form()

    def open_form(self) -> None:
        screen = CreateCustomerScreen(
            client=self.bank, clock=FrozenClock(NOW), tag=self.tag, cursor_blink=False
        )
        self.push_screen(screen, self.results.append)

    @property
    def form(self) -> CreateCustomerScreen:
        screen = self.screen
        assert isinstance(screen, CreateCustomerScreen), screen
        return screen
