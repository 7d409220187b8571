"""Creating a record at most once, over a network that can fail at the worst moment.

The machinery (`GuardedCreator`) is the same for every resource; how an earlier attempt is found again is a
strategy per resource (`FindExisting`): customers carry a label tag (below); identity verifications, which
have no labels, are found by listing the customer's verifications created since the attempt started
(`CreatedSinceStrategy`). What follows describes customers; other strategies differ only in step 2's lookup.


`POST /api/customers` is not idempotent and Cybrid offers no idempotency key. When a create times out, the
connection drops, or the server answers 5xx, the request may or may not have created the customer: sending it
again blindly can create the same customer twice. Duplicate protection works like this:

1. Each form submission carries a client-generated tag, `cybrid-tui-<12 hex digits>`, as one of its labels
   (the spec allows 8 labels of 1..64 characters, so the form keeps one slot free and allows 7 of the
   person's own). The tag is generated once per form and reused for every retry of it.
2. When a create fails in a way that leaves the outcome unknown (`TransportError.request_sent`, a 5xx, or an
   unexpected error), the creator becomes *uncertain* and looks right away: `GET /api/customers?label=<tag>`.
   If a customer carries the tag, that is the customer the request created: the submission succeeded.
3. Before sending again while uncertain, it looks again. Found: that customer is the result and nothing is
   sent. Not found: the earlier request did not create anything (yet), so the same body, with the same tag,
   is sent again.
4. Errors that prove nothing was created (400/422 refusals, 401, 403, 429) leave the creator certain: a
   corrected form is simply sent again.

Limit: a request still in flight inside the server when we look can land after the lookup said "not found";
the retry then creates a second customer. The tag makes that visible and recoverable: after a create that
followed an uncertain attempt the creator looks once more and reports every other customer carrying the tag
(`CreateResult.others`), the notification says so, and the customers table shows both with the same tag.

Turned off (`duplicate_guard = false`, `guard=False`): no tag, no lookup, and after an ambiguous failure the
creator refuses to send the same submission again (`UnverifiableRetry`): only the person, looking at the
table, can tell whether it was created.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, Generic, Protocol, TypeVar

from cybrid_tui.api.errors import CybridError, ServerError, TransportError
from cybrid_tui.api.vocab import DUPLICATE_GUARD_TAG_PREFIX

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Sequence

    from cybrid_tui.api.models import Customer, CustomerList, PostCustomer

TAG_PREFIX: Final = DUPLICATE_GUARD_TAG_PREFIX
_LOOKUP_PAGE: Final = 10

T = TypeVar("T")
BodyT = TypeVar("BodyT", contravariant=True)
RecordT = TypeVar("RecordT")


class UnverifiableRetry(CybridError):
    """An earlier attempt may have created the record and, without duplicate protection, nothing can tell."""

    title = "Not sent again"


def new_tag() -> str:
    """A fresh duplicate-protection tag: `cybrid-tui-` and 12 random hex digits (23 characters)."""
    return f"{TAG_PREFIX}{secrets.token_hex(6)}"


def is_tag(label: str) -> bool:
    return label.startswith(TAG_PREFIX)


def may_have_created(error: BaseException) -> bool:
    """Whether a failed create may nonetheless have created the record."""
    if isinstance(error, TransportError):
        return error.request_sent
    if isinstance(error, ServerError):
        return True
    # A refusal (4xx) proves nothing was created; anything unexpected proves nothing at all.
    return not isinstance(error, CybridError)


# ------------------------------------------------------------------------------------------ the strategy


@dataclass(frozen=True, slots=True)
class Attempt:
    """One submission, as a strategy needs it to find what an earlier attempt of it created."""

    #: The submission's duplicate-guard tag (customers carry it as a label; other resources may ignore it).
    tag: str
    #: When the first attempt was about to be sent (this machine's clock, UTC).
    started_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Existing(Generic[T]):
    """What an earlier attempt created: the record, and any other the same submission created (rare)."""

    record: T
    others: tuple[T, ...] = ()


class FindExisting(Protocol[T]):
    """How one resource finds the record an earlier, ambiguous attempt created."""

    async def find_existing(self, attempt: Attempt) -> Existing[T] | None: ...


@dataclass(frozen=True, slots=True)
class CreateResult(Generic[T]):
    record: T
    #: True when the record was found after an attempt whose answer was lost.
    recovered: bool = False
    #: Other records the same submission created: a duplicate made by a request that landed late (rare).
    others: tuple[T, ...] = ()

    @property
    def customer(self) -> T:
        """The record, under the name the customer form reads."""
        return self.record


class GuardedCreator(Generic[BodyT, RecordT]):
    """Creates one record per submission, never two: see the module docstring."""

    def __init__(
        self,
        create: Callable[[BodyT], Awaitable[RecordT]],
        strategy: FindExisting[RecordT],
        *,
        tag: str | None = None,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        guard: bool = True,
    ) -> None:
        #: Duplicate protection on: an ambiguous failure is looked up and retried safely (see above).
        self.guard = guard
        self._create = create
        self._strategy = strategy
        self._now = now
        self.tag = tag or new_tag()
        self._uncertain = False
        self._started_at: dt.datetime | None = None
        self.attempts = 0

    @property
    def uncertain(self) -> bool:
        """True when an earlier attempt may have created the record: the next `create` looks first."""
        return self._uncertain

    async def create(self, body: BodyT) -> CreateResult[RecordT]:
        """Create the record `body` describes.

        Raises the client's error when it was not created, or when it cannot be known yet (the lookup itself
        failed); `uncertain` then stays True and the next call looks again before sending.
        """
        if self._uncertain and not self.guard:
            raise UnverifiableRetry(
                "the last attempt may have created it and duplicate protection is off: check the customers "
                "table; to create it anyway, leave the form and start a new one"
            )
        if self._uncertain:
            found = await self._find()
            if found is not None:
                return self._found(found)
        retried = self._uncertain
        if self._started_at is None:
            self._started_at = self._now()
        self.attempts += 1
        try:
            record = await self._create(body)
        except Exception as error:
            if not may_have_created(error):
                raise
            self._uncertain = True
            if not self.guard:
                raise
            found = await self._find_quietly()
            if found is not None:
                return self._found(found)
            raise
        self._uncertain = False
        others: tuple[RecordT, ...] = ()
        if retried:
            found = await self._find_quietly()
            if found is not None:
                mine = _guid(record)
                others = tuple(r for r in (found.record, *found.others) if _guid(r) != mine)
        return CreateResult(record, others=others)

    def _found(self, found: Existing[RecordT]) -> CreateResult[RecordT]:
        self._uncertain = False
        return CreateResult(found.record, recovered=True, others=found.others)

    async def _find(self) -> Existing[RecordT] | None:
        started = self._started_at if self._started_at is not None else self._now()
        return await self._strategy.find_existing(Attempt(tag=self.tag, started_at=started))

    async def _find_quietly(self) -> Existing[RecordT] | None:
        try:
            return await self._find()
        except CybridError:
            return None


def _guid(record: object) -> object:
    return getattr(record, "guid", record)


# ------------------------------------------------------------------------------------------- customers


class CustomerApi(Protocol):
    """The two customer calls duplicate protection needs (`client.customers` provides both)."""

    async def create(self, body: PostCustomer) -> Customer: ...

    async def list(self, *, per_page: int = ..., label: Sequence[str] | None = ...) -> CustomerList: ...


@dataclass(frozen=True, slots=True)
class LabelTagStrategy:
    """Customers: the submission's tag is one of its labels; list by that label."""

    api: CustomerApi

    async def find_existing(self, attempt: Attempt) -> Existing[Customer] | None:
        listing = await self.api.list(label=[attempt.tag], per_page=_LOOKUP_PAGE)
        # Checked here too: a server that ignored the filter must not hand us someone else's customer.
        mine = [customer for customer in listing.objects if attempt.tag in (customer.labels or [])]
        if not mine:
            return None
        oldest_first = mine[::-1]  # the API lists newest first
        return Existing(oldest_first[0], tuple(oldest_first[1:]))


class SafeCreator(GuardedCreator["PostCustomer", "Customer"]):
    """Creates one customer for one form, never two (the label-tag strategy)."""

    def __init__(self, api: CustomerApi, *, tag: str | None = None, guard: bool = True) -> None:
        super().__init__(api.create, LabelTagStrategy(api), tag=tag, guard=guard)

    async def create(self, body: PostCustomer) -> CreateResult[Customer]:
        """Create the customer described by `body` (which must carry `self.tag` among its labels, unless
        duplicate protection is off)."""
        if self.guard and self.tag not in (body.labels or []):
            raise ValueError("the request must carry the duplicate-protection tag as a label")
        return await super().create(body)


# ------------------------------------------------------------------------------- identity verifications


class Dated(Protocol):
    """A record the created-since strategy can place in time and attribute to a customer."""

    @property
    def guid(self) -> str: ...

    @property
    def customer_guid(self) -> str | None: ...

    @property
    def created_at(self) -> dt.datetime | None: ...


DatedT = TypeVar("DatedT", bound=Dated)


@dataclass(frozen=True, slots=True)
class CreatedSinceStrategy(Generic[DatedT]):
    """A resource without labels (identity verifications): the customer's records created since the attempt.

    `list_for_customer(customer_guid)` returns that customer's records (any order; the
    `identity_verifications` resource plugs in here). A record counts when it belongs to the customer and was
    created no earlier than `skew` before the attempt started (this machine's clock and the server's differ).
    """

    list_for_customer: Callable[[str], Awaitable[Sequence[DatedT]]]
    customer_guid: str
    skew: dt.timedelta = field(default=dt.timedelta(seconds=60))

    async def find_existing(self, attempt: Attempt) -> Existing[DatedT] | None:
        since = attempt.started_at - self.skew
        records = await self.list_for_customer(self.customer_guid)
        mine = sorted(
            (
                record
                for record in records
                if record.customer_guid == self.customer_guid
                and record.created_at is not None
                and _aware(record.created_at) >= since
            ),
            key=lambda record: _aware(record.created_at),  # type: ignore[arg-type]
        )
        if not mine:
            return None
        return Existing(mine[0], tuple(mine[1:]))


def _aware(when: dt.datetime) -> dt.datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)
