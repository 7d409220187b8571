"""Which customers have an identity verification in progress, from one listing per turn.

The customers table marks every customer with an open verification (`storing`, `waiting`, `pending`,
`reviewing`) and counts them. That costs one request, whatever the size of the bank: the open verifications
are listed bank-wide with a state filter, 100 a page, newest first, never per customer. When more than 100
are open, one page is read per turn (the refresher's tick budget stays at 3 requests) and the markers switch
to the new picture once a round of pages is complete. Pages can shift while a round is read (a verification
that closes moves the later ones up): a verification can then be missed for one round, never invented.

The tracker plugs into `LiveRefresher` as one of its rotating slots (`verifications=`): `fetch()` is the
request of a turn, `apply(page)` applies it once the whole tick succeeded. A customer whose open
verifications all closed is reported `settled`: its own state is about to move (verified, rejected), so the
refresher re-reads it first.

No pydantic or httpx here: `live` is on the path to the first frame.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Protocol

from cybrid_tui.api.vocab import OPEN_IDENTITY_VERIFICATION_STATES

if TYPE_CHECKING:
    from collections.abc import Awaitable, Iterable, Mapping, Sequence

    from cybrid_tui.api.models.identity_verifications import IdentityVerification, IdentityVerificationList

OPEN_STATES: Final = OPEN_IDENTITY_VERIFICATION_STATES
_OPEN: Final = frozenset(OPEN_STATES)
#: Pages one round reads at most (10,000 open verifications): a server that never stops answering costs
#: bounded turns and memory.
DEFAULT_MAX_PAGES: Final = 100


class VerificationSource(Protocol):
    """The part of `client.identity_verifications` the tracker uses (tests pass a fake)."""

    def list(
        self, *, page: int = ..., per_page: int = ..., state: Sequence[str] | str | None = ...
    ) -> Awaitable[IdentityVerificationList]: ...


@dataclass(frozen=True, slots=True)
class InProgress:
    """A customer's verification in progress, for the table: the newest open one and how many are open."""

    state: str
    #: Open verifications of this customer: 1 normally; more means a duplicate someone should look at.
    count: int
    guid: str
    method: str | None = None


@dataclass(frozen=True, slots=True)
class VerificationChanges:
    """What one applied listing changed, by customer guid."""

    #: Customers whose in-progress marker appeared, changed state or count, or went away.
    changed: frozenset[str] = frozenset()
    #: Customers that had an open verification and have none now: their state is about to move.
    settled: frozenset[str] = frozenset()

    @property
    def empty(self) -> bool:
        return not self.changed


NO_CHANGES: Final = VerificationChanges()


class OpenVerifications:
    """Open identity verifications by customer guid (see the module doc)."""

    def __init__(
        self, source: VerificationSource, *, per_page: int = 100, max_pages: int = DEFAULT_MAX_PAGES
    ) -> None:
        if not 1 <= per_page <= 100:
            raise ValueError("per_page must be between 1 and 100")
        self.source = source
        self.per_page = per_page
        self.max_pages = max(1, max_pages)
        self._by_customer: dict[str, InProgress] = {}
        #: Open verifications read so far in the current round (newest first), when it spans pages.
        self._round: list[IdentityVerification] = []
        self._page = 0
        #: Open verifications bank-wide, as the server last counted them (None before the first listing).
        self.server_total: int | None = None
        #: Rounds completed (a full picture of what is open): 0 until the first listing arrived.
        self.rounds = 0

    # ---------------------------------------------------------------------------------------------- reading

    @property
    def ready(self) -> bool:
        """Whether a full picture has arrived (before that, "no marker" means "not known yet")."""
        return self.rounds > 0

    def get(self, customer_guid: str) -> InProgress | None:
        return self._by_customer.get(customer_guid)

    def __contains__(self, customer_guid: object) -> bool:
        return customer_guid in self._by_customer

    def __len__(self) -> int:
        """Customers with a verification in progress."""
        return len(self._by_customer)

    @property
    def customers(self) -> Mapping[str, InProgress]:
        return self._by_customer

    @property
    def open_total(self) -> int:
        """Verifications in progress bank-wide (the server's count when it gave one)."""
        if self.server_total is not None:
            return self.server_total
        return sum(item.count for item in self._by_customer.values())

    def counts_by_state(self) -> dict[str, int]:
        """Customers with a verification in progress, by that verification's state, in lifecycle order."""
        counted = Counter(item.state for item in self._by_customer.values())
        ordered = {state: counted.pop(state, 0) for state in OPEN_STATES}
        return {**ordered, **dict(sorted(counted.items()))}

    # --------------------------------------------------------------------------------------------- the turn

    def fetch(self) -> Awaitable[IdentityVerificationList]:
        """The one request of a turn: the next page of open verifications. Changes nothing here: a tick
        that fails leaves the tracker as it was, and the next turn asks for the same page."""
        return self.source.list(page=self._page, per_page=self.per_page, state=list(OPEN_STATES))

    def apply(self, result: IdentityVerificationList) -> VerificationChanges:
        """Take in the page `fetch()` asked for; at the end of a round, switch to the new picture."""
        page = self._page
        # Checked here too: a server that ignored the state filter must not mark closed ones as open.
        self._round.extend(v for v in result.objects if v.state in _OPEN and v.customer_guid)
        self.server_total = result.total
        last = (
            len(result.objects) < self.per_page
            or (page + 1) * self.per_page >= result.total
            or page + 1 >= self.max_pages
        )
        if not last:
            self._page = page + 1
            return NO_CHANGES
        verifications, self._round, self._page = self._round, [], 0
        self.rounds += 1
        return self._replace(_by_customer(verifications))

    async def refresh(self) -> VerificationChanges:
        """One turn on its own (fetch and apply), for a caller without a refresher."""
        return self.apply(await self.fetch())

    def _replace(self, new: dict[str, InProgress]) -> VerificationChanges:
        old = self._by_customer
        self._by_customer = new
        changed = {guid for guid, item in new.items() if old.get(guid) != item}
        settled = {guid for guid in old if guid not in new}
        if not changed and not settled:
            return NO_CHANGES
        return VerificationChanges(frozenset(changed | settled), frozenset(settled))


def _by_customer(verifications: Iterable[IdentityVerification]) -> dict[str, InProgress]:
    """Newest open verification per customer (the list is newest first) and how many are open."""
    counts: Counter[str] = Counter()
    newest: dict[str, IdentityVerification] = {}
    seen: set[str] = set()
    for verification in verifications:
        if verification.guid in seen:  # a page shift can show one twice
            continue
        seen.add(verification.guid)
        customer = verification.customer_guid
        if customer is None:
            continue
        counts[customer] += 1
        newest.setdefault(customer, verification)
    return {
        customer: InProgress(str(v.state), counts[customer], v.guid, v.method)
        for customer, v in newest.items()
    }
