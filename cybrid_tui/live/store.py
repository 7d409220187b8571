"""The customers the table shows: every known row, its state counters, and the filtered + sorted view.

Built for 100,000 rows refreshed every few seconds, on the UI thread:

- Rows live in a dict by guid and in a list sorted by the current sort key (`_all`); the filtered view
  (`_vis`) is a second sorted list (the same list object when no filter is set). Filtering keeps the sort
  order, so a new filter is one pass over `_all` and never a sort; a filter that narrows the previous one
  (more letters typed) passes over the current view only.
- `apply()` patches both lists in place of rebuilding them (`ordering.patch`): a known customer's row object
  is updated in place, so a row whose sort key did not change costs nothing; moved rows are found by
  bisecting on their old key, deleted and re-inserted.
- Lists are kept ascending by an internal key (`ordering.sort_key_function`); a descending sort reads them
  backwards (`view` is a reversed window, so flipping the direction of "created" costs nothing).

This module is on the path to the app's first frame: it must not import pydantic or httpx.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, overload

from cybrid_tui.api.vocab import CUSTOMER_STATES
from cybrid_tui.live.changes import EMPTY_CHANGES, ChangeSet
from cybrid_tui.live.filtering import RowFilter
from cybrid_tui.live.ordering import (
    SORT_KEYS,
    STATE_RANK,
    locate,
    patch,
    position_of,
    sort_key_function,
    sort_rows,
    unknown_sort_key,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping

    from cybrid_tui.live.rows import CustomerRow

__all__ = ["EMPTY_CHANGES", "SORT_KEYS", "STATES", "ChangeSet", "CustomerStore", "sort_key_function"]

#: The states the API documents, in lifecycle order: counters show these even at zero.
STATES = CUSTOMER_STATES

# Filtered views kept for reuse while the rows do not change: erasing a letter returns to a view already built
# (a pass over 100,000 rows costs ~10 ms, a keystroke's whole budget is 30).
_CACHED_VIEWS = 8


class _View(Sequence["CustomerRow"]):
    """The filtered, sorted rows in display order: a live window on the store (no copy)."""

    __slots__ = ("_store",)

    def __init__(self, store: CustomerStore) -> None:
        self._store = store

    def __len__(self) -> int:
        return len(self._store._vis)

    @overload
    def __getitem__(self, index: int) -> CustomerRow: ...
    @overload
    def __getitem__(self, index: slice) -> list[CustomerRow]: ...
    def __getitem__(self, index: int | slice) -> CustomerRow | list[CustomerRow]:
        rows = self._store._vis
        if not self._store._descending:
            return rows[index]
        size = len(rows)
        if isinstance(index, slice):
            return [rows[size - 1 - i] for i in range(*index.indices(size))]
        if index < 0:
            index += size
        if not 0 <= index < size:
            raise IndexError("view index out of range")
        return rows[size - 1 - index]

    def __iter__(self) -> Iterator[CustomerRow]:
        rows = self._store._vis
        return reversed(rows) if self._store._descending else iter(rows)

    def __repr__(self) -> str:
        return f"<view of {len(self)} customers>"


class CustomerStore:
    """Every known customer by guid, counters per state, and the filtered + sorted `view`.

    `version` bumps whenever the view (rows, order or filter) changes, so a table repaints only then.
    `counts` covers all customers, whatever the filter.
    """

    def __init__(self, *, sort: str = "created", descending: bool = True) -> None:
        self._rows: dict[str, CustomerRow] = {}
        self._counts: dict[str, int] = dict.fromkeys(STATES, 0)
        self._type_counts: dict[str, int] = {}
        self._sort = sort
        self._descending = descending
        self._key = sort_key_function(sort, descending=descending)
        self._filter = RowFilter()
        self._all: list[CustomerRow] = []
        self._vis: list[CustomerRow] = self._all
        self._view = _View(self)
        self._views: dict[tuple[Any, ...], list[CustomerRow]] = {}
        self.version = 0

    # ------------------------------------------------------------------------------------------ reading

    @property
    def total(self) -> int:
        return len(self._rows)

    @property
    def counts(self) -> Mapping[str, int]:
        """Customers per state over all rows: the documented states always, unknown ones while seen."""
        return MappingProxyType(self._counts)

    @property
    def type_counts(self) -> Mapping[str, int]:
        return MappingProxyType(self._type_counts)

    @property
    def view(self) -> Sequence[CustomerRow]:
        """Filtered and sorted, in display order. A live sequence: it reflects later changes."""
        return self._view

    @property
    def sort_key(self) -> str:
        return self._sort

    @property
    def sort_descending(self) -> bool:
        return self._descending

    @property
    def filter(self) -> RowFilter:
        return self._filter

    @property
    def filtered(self) -> bool:
        """A filter hides some rows (text, states or types)."""
        return not self._filter.matches_all

    def get(self, guid: str) -> CustomerRow | None:
        return self._rows.get(guid)

    def __contains__(self, guid: object) -> bool:
        return guid in self._rows

    def __len__(self) -> int:
        return len(self._rows)

    def rows(self) -> Iterable[CustomerRow]:
        """Every known row, in no particular order."""
        return self._rows.values()

    def index_of(self, guid: str) -> int | None:
        """Position of a customer in `view`, or None when unknown or filtered out. O(log n)."""
        row = self._rows.get(guid)
        if row is None or not self._filter.matches(row):
            return None
        position = locate(self._vis, row, self._key)
        if position is None:
            return None
        return len(self._vis) - 1 - position if self._descending else position

    def filtered_counts(self) -> dict[str, int]:
        """Customers per state within the view (one pass over it; call when the view's version changed)."""
        counts = dict.fromkeys(STATES, 0)
        for row in self._vis:
            counts[row.state] = counts.get(row.state, 0) + 1
        return counts

    # ------------------------------------------------------------------------------------------ writing

    def apply(self, rows: Iterable[CustomerRow], *, removed: Iterable[str] = ()) -> ChangeSet:
        """Merge fresh rows (new or changed customers; unchanged ones are ignored) and drop `removed` guids.

        A known customer's row object is updated in place (`CustomerRow.assign`), so references to it stay
        valid. Returns what changed; when nothing did, returns an empty ChangeSet and the version stays.
        """
        batch = {row.guid: row for row in rows}
        gone = [guid for guid in dict.fromkeys(removed) if guid not in batch and guid in self._rows]
        if not gone and not batch:
            return EMPTY_CHANGES
        known = self._rows
        key = self._key
        keep = self._filter.matches
        split = self._vis is not self._all
        all_rows, vis_rows = self._all, self._vis
        decrement = _decrement
        added: list[CustomerRow] = []
        state_changed: list[str] = []
        updated: list[str] = []
        changed: list[tuple[CustomerRow, CustomerRow]] = []
        # Positions are found while every listed row still has the key it is sorted by: before any update.
        all_remove: list[int] = []
        all_insert: list[CustomerRow] = []
        vis_remove: list[int] = []
        vis_insert: list[CustomerRow] = []
        view_touched = False
        counts = self._counts
        type_counts = self._type_counts

        for guid, row in batch.items():
            old = known.get(guid)
            if old is None:
                added.append(row)
                continue
            if old == row:
                continue
            changed.append((old, row))
            if old.state != row.state:
                state_changed.append(guid)
                decrement(counts, old.state)
                counts[row.state] = counts.get(row.state, 0) + 1
            else:
                updated.append(guid)
            if old.type != row.type:
                decrement(type_counts, old.type)
                type_counts[row.type] = type_counts.get(row.type, 0) + 1
            moved = key(old) != key(row)
            if moved:
                all_remove.append(position_of(all_rows, old, key))
                all_insert.append(old)
            if split:
                was, now = keep(old), keep(row)
                if was and (moved or not now):
                    vis_remove.append(position_of(vis_rows, old, key))
                if now and (moved or not was):
                    vis_insert.append(old)
                view_touched = view_touched or was or now
            else:
                view_touched = True

        for guid in gone:
            old = known[guid]
            decrement(counts, old.state)
            decrement(type_counts, old.type)
            all_remove.append(position_of(all_rows, old, key))
            if split and keep(old):
                vis_remove.append(position_of(vis_rows, old, key))
                view_touched = True
        for guid in gone:
            del known[guid]

        if not (added or changed or gone):
            return EMPTY_CHANGES
        self._views.clear()
        for old, row in changed:
            old.assign(row)
        for row in added:
            known[row.guid] = row
            counts[row.state] = counts.get(row.state, 0) + 1
            type_counts[row.type] = type_counts.get(row.type, 0) + 1
            all_insert.append(row)
            if split and keep(row):
                vis_insert.append(row)
                view_touched = True
        self._all = patch(all_rows, all_remove, all_insert, key)
        if split:
            if vis_remove or vis_insert:
                self._vis = patch(vis_rows, vis_remove, vis_insert, key)
        else:
            self._vis = self._all
            view_touched = True
        if view_touched:
            self.version += 1
        return ChangeSet(
            frozenset(row.guid for row in added),
            frozenset(state_changed),
            frozenset(updated),
            frozenset(gone),
        )

    def set_filter(
        self,
        *,
        text: str = "",
        states: frozenset[str] = frozenset(),
        types: frozenset[str] = frozenset(),
        names: bool = True,
    ) -> None:
        """Filter the view; `names=False` while names are hidden: a word then never matches a name."""
        new = RowFilter(text, frozenset(states), frozenset(types), names)
        previous = self._filter
        if new.same_as(previous):
            self._filter = new
            return
        self._filter = new
        key = (new.tokens, new.states, new.types, new.names)
        cached = self._views.get(key)
        if new.matches_all:
            self._vis = self._all
        elif cached is not None:
            self._vis = cached
        else:
            if new.refines(previous):
                self._vis = new.select(self._vis, self._counts)
            else:
                self._vis = new.select(self._all, self._counts)
            if len(self._views) >= _CACHED_VIEWS:
                del self._views[next(iter(self._views))]
            self._views[key] = self._vis
        self.version += 1

    def set_sort(self, key: str, *, descending: bool) -> None:
        if key not in SORT_KEYS:
            raise unknown_sort_key(key)
        if key == self._sort and descending == self._descending:
            return
        was_created = self._sort == "created"
        self._sort, self._descending = key, descending
        self._key = sort_key_function(key, descending=descending)
        self._views.clear()
        if not (was_created and key == "created"):
            sort_rows(
                self._all,
                key,
                descending=descending,
                by_created=was_created,
                states=self._counts,
                types=self._type_counts,
            )
            self._vis = self._select(self._all)
        self.version += 1

    # ------------------------------------------------------------------------------------------ internals

    def _select(self, rows: list[CustomerRow]) -> list[CustomerRow]:
        return rows if self._filter.matches_all else self._filter.select(rows, self._counts)


def _decrement(counts: dict[str, int], name: str) -> None:
    """One fewer of `name`; a count that reaches zero is dropped unless it is a documented state's."""
    left = counts[name] - 1
    if left or name in STATE_RANK:
        counts[name] = left
    else:
        del counts[name]
