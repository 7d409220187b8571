"""What one `CustomerStore.apply()` changed, by guid: the table repaints and the counters update from it.

This module is on the path to the app's first frame: it must not import pydantic or httpx.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """What one `apply()` changed, by guid. The sets are disjoint: a row whose state changed is in
    `state_changed` only; `updated` holds rows that changed in any other field."""

    added: frozenset[str] = frozenset()
    state_changed: frozenset[str] = frozenset()
    updated: frozenset[str] = frozenset()
    removed: frozenset[str] = frozenset()

    @property
    def empty(self) -> bool:
        return not (self.added or self.state_changed or self.updated or self.removed)

    @property
    def changed(self) -> frozenset[str]:
        """Every guid touched (added, state changed, updated or removed)."""
        return self.added | self.state_changed | self.updated | self.removed

    def __or__(self, later: ChangeSet) -> ChangeSet:
        """Both change sets as one, `later` applied after self (for progress reports over several batches)."""
        added = (self.added | later.added) - later.removed
        removed = (self.removed - later.added) | (later.removed - self.added)
        state_changed = (self.state_changed | later.state_changed) - added - removed
        updated = (self.updated | later.updated) - added - removed - state_changed
        return ChangeSet(added, state_changed, updated, removed)

    def __len__(self) -> int:
        return len(self.added) + len(self.state_changed) + len(self.updated) + len(self.removed)


EMPTY_CHANGES = ChangeSet()
