"""`ListingBank`: an in-memory bank answering `customers.list` like the API, for the live refresher's tests.

It fakes the listing side only (newest first, guid filter, pages) and records every call; compare
`form_fakes.CreateBank`, which fakes creates with scripted failures.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Sequence  # noqa: TC003 - dataclass fields are resolved at runtime
from dataclasses import dataclass, field

from cybrid_tui.api.errors import ServerError
from cybrid_tui.api.models import Customer, CustomerList, CustomerName
from cybrid_tui.live.rows import CustomerRow


@dataclass
class Call:
    page: int
    per_page: int
    guid: tuple[str, ...] | None
    include_pii: bool | None


@dataclass
class ListingBank:
    """An in-memory bank answering `customers.list` like the API: newest first, guid filter, pages."""

    states: dict[str, str] = field(default_factory=dict)  # guid -> state, insertion = creation order
    created: dict[str, float] = field(default_factory=dict)
    labels: dict[str, tuple[str, ...]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    fail: Callable[[Call], bool] = lambda call: False
    ignore_guid_filter: bool = False
    in_flight: int = 0
    max_in_flight: int = 0
    on_call: Callable[[Call], None] | None = None
    _newest_first: list[str] | None = None

    def add(self, count: int, state: str = "unverified") -> list[str]:
        start = len(self.states)
        new = [f"{start + i:032x}" for i in range(count)]
        for offset, guid in enumerate(new):
            self.states[guid] = state
            self.created[guid] = 1_767_225_600.0 + start + offset
        self._newest_first = None
        return new

    def newest_first(self) -> list[str]:
        if self._newest_first is None:
            self._newest_first = list(reversed(self.states))
        return self._newest_first

    def customer(self, guid: str) -> Customer:
        when = dt.datetime.fromtimestamp(self.created[guid], dt.UTC)
        return Customer.model_construct(
            guid=guid,
            type="individual",
            state=self.states[guid],
            created_at=when,
            updated_at=when,
            labels=list(self.labels.get(guid, ())),
            name=CustomerName(full=self.names[guid]) if guid in self.names else None,
        )

    def row(self, guid: str) -> CustomerRow:
        """The row `CustomerRow.from_customer(self.customer(guid))` gives, without pydantic (fast)."""
        created = self.created[guid]
        labels = self.labels.get(guid, ())
        name = self.names.get(guid)
        return CustomerRow(guid, "individual", self.states[guid], name, labels, created, created)

    async def list(
        self,
        *,
        page: int = 0,
        per_page: int = 100,
        guid: Sequence[str] | None = None,
        include_pii: bool | None = None,
    ) -> CustomerList:
        call = Call(page, per_page, tuple(guid) if guid else None, include_pii)
        self.calls.append(call)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await asyncio.sleep(0)  # let concurrent requests overlap, as on a network
            if self.on_call is not None:
                self.on_call(call)
            if self.fail(call):
                raise ServerError("The server failed", status=503)
            if guid and not self.ignore_guid_filter:
                wanted = set(guid)
                matching = [g for g in self.newest_first() if g in wanted]
            else:
                matching = self.newest_first()
            chunk = matching[page * per_page : (page + 1) * per_page]
            return CustomerList.model_construct(
                total=len(matching),
                page=page,
                per_page=per_page,
                objects=[self.customer(g) for g in chunk],
            )
        finally:
            self.in_flight -= 1
