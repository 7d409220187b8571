"""The customers a live tick re-reads by guid because they move on their own, and the order they go in.

Customers that are `storing` (they become `unverified` within seconds) come first, then `unverified` ones
(they move when verification ends), each pool round-robin: the front of a pool is the customer re-read least
recently, and a customer re-read goes to the back. A customer whose identity verification just closed moves
to the front, and makes the next tick hurry as a `storing` one does.
"""

from __future__ import annotations

from itertools import chain
from typing import TYPE_CHECKING

from cybrid_tui.api.vocab import VOLATILE_CUSTOMER_STATES

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from cybrid_tui.live.store import CustomerStore

#: States whose customers are re-read in the volatile batch, most urgent first.
VOLATILE_STATES = VOLATILE_CUSTOMER_STATES


class VolatilePools:
    """One ordered set (a dict) of guids per volatile state, in step with each customer's latest state."""

    def __init__(self) -> None:
        self._pools: dict[str, dict[str, None]] = {state: {} for state in VOLATILE_STATES}
        #: Volatile customers to re-read at the next tick, whose verification just closed (ordered set).
        self._settled: dict[str, None] = {}
        #: Every row in the store has been tracked (else `sync` learns them from the store).
        self.synced = False

    def __len__(self) -> int:
        return sum(len(pool) for pool in self._pools.values())

    @property
    def urgent(self) -> bool:
        """A customer is `storing`, or its verification just closed: the batch should go out this tick."""
        return bool(self._pools["storing"]) or bool(self._settled)

    def track(self, guid: str, state: str | None) -> None:
        """Keep the pools in step with a customer's latest known state (None: it is gone)."""
        for name, pool in self._pools.items():
            if name == state:
                if guid not in pool:
                    pool[guid] = None
            else:
                pool.pop(guid, None)

    def sync(self, store: CustomerStore) -> None:
        """Learn the volatile customers from the store itself: it may have been filled by someone else (or
        changed by the app, e.g. a customer just created). Once at the first tick, then after each sweep."""
        track = self.track
        for row in store.rows():
            track(row.guid, row.state)
        for pool in self._pools.values():
            for guid in [guid for guid in pool if guid not in store]:
                del pool[guid]
        self.synced = True

    def pick(self, limit: int, *, skip: frozenset[str]) -> list[str]:
        """Up to `limit` guids: storing first, then unverified, least recently re-read first; the ones in
        `skip` (page 0 will show them anyway) are left out."""
        picked: list[str] = []
        for guid in chain.from_iterable(self._pools[state] for state in VOLATILE_STATES):
            if guid in skip:
                continue
            picked.append(guid)
            if len(picked) == limit:
                break
        return picked

    def re_read_first(self, guids: Iterable[str]) -> None:
        """Customers whose verification just closed: their state moves now, so the next tick re-reads them
        first (the volatile batch goes out then, as for a customer `storing`)."""
        for guid in guids:
            for pool in self._pools.values():
                if guid in pool:
                    self._settled[guid] = None
                    rest = [other for other in pool if other not in self._settled]
                    pool.clear()
                    pool.update(dict.fromkeys([*self._settled, *rest]))
                    break

    def requeue(self, guids: Sequence[str]) -> None:
        """The batch of `guids` was re-read: each goes to the back of its pool."""
        for guid in guids:
            for pool in self._pools.values():
                if guid in pool:
                    del pool[guid]
                    pool[guid] = None
        if guids:
            # The batch read the front of the pools, where they were (or page 0 showed them).
            self._settled.clear()
