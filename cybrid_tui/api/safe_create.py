"""Creating a customer at most once, over a network that can fail at the worst moment.

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
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Protocol

from cybrid_tui.api.errors import CybridError, ServerError, TransportError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from cybrid_tui.api.models import Customer, CustomerList, PostCustomer

TAG_PREFIX: Final = "cybrid-tui-"
_LOOKUP_PAGE: Final = 10


def new_tag() -> str:
    """A fresh duplicate-protection tag: `cybrid-tui-` and 12 random hex digits (23 characters)."""
    return f"{TAG_PREFIX}{secrets.token_hex(6)}"


def is_tag(label: str) -> bool:
    return label.startswith(TAG_PREFIX)


class CustomerApi(Protocol):
    """The two calls duplicate protection needs (`CybridClient` provides both)."""

    async def create_customer(self, body: PostCustomer) -> Customer: ...

    async def list_customers(
        self, *, per_page: int = ..., label: Sequence[str] | None = ...
    ) -> CustomerList: ...


@dataclass(frozen=True, slots=True)
class CreateResult:
    customer: Customer
    #: True when the customer was found by its tag after an attempt whose answer was lost.
    recovered: bool = False
    #: Other customers carrying the same tag: a duplicate created by a request that landed late (rare).
    others: tuple[Customer, ...] = ()


def may_have_created(error: BaseException) -> bool:
    """Whether a failed create may nonetheless have created the customer."""
    if isinstance(error, TransportError):
        return error.request_sent
    if isinstance(error, ServerError):
        return True
    # A refusal (4xx) proves nothing was created; anything unexpected proves nothing at all.
    return not isinstance(error, CybridError)


class SafeCreator:
    """Creates one customer for one form, never two: see the module docstring."""

    def __init__(self, api: CustomerApi, *, tag: str | None = None) -> None:
        self._api = api
        self.tag = tag or new_tag()
        self._uncertain = False
        self.attempts = 0

    @property
    def uncertain(self) -> bool:
        """True when an earlier attempt may have created the customer: the next `create` looks first."""
        return self._uncertain

    async def create(self, body: PostCustomer) -> CreateResult:
        """Create the customer described by `body` (which must carry `self.tag` among its labels).

        Raises the client's error when the customer was not created, or when it cannot be known yet (the
        lookup itself failed); `uncertain` then stays True and the next call looks again before sending.
        """
        if self.tag not in (body.labels or []):
            raise ValueError("the request must carry the duplicate-protection tag as a label")
        if self._uncertain:
            found = await self._find()
            if found:
                return self._found(found)
        retried = self._uncertain
        self.attempts += 1
        try:
            customer = await self._api.create_customer(body)
        except Exception as error:
            if not may_have_created(error):
                raise
            self._uncertain = True
            found = await self._find_quietly()
            if found:
                return self._found(found)
            raise
        self._uncertain = False
        others: tuple[Customer, ...] = ()
        if retried:
            others = tuple(c for c in await self._find_quietly() if c.guid != customer.guid)
        return CreateResult(customer, others=others)

    def _found(self, found: list[Customer]) -> CreateResult:
        self._uncertain = False
        return CreateResult(found[0], recovered=True, others=tuple(found[1:]))

    async def _find(self) -> list[Customer]:
        """Customers carrying the tag, oldest first."""
        listing = await self._api.list_customers(label=[self.tag], per_page=_LOOKUP_PAGE)
        # Checked here too: a server that ignored the filter must not hand us someone else's customer.
        mine = [customer for customer in listing.objects if self.tag in (customer.labels or [])]
        return mine[::-1]  # the API lists newest first

    async def _find_quietly(self) -> list[Customer]:
        try:
            return await self._find()
        except CybridError:
            return []
