"""The store's sort orders, and keeping a list in one of them as rows come and go.

- `sort_key_function` is the internal ascending key of each order. Lists are kept ascending; a descending
  sort reads them backwards, so its tie-break on the creation time is ascending here. Every key ends with the
  creation time (newest first in both directions) and the guid, so every order is total and stable.
- `sort_rows` puts a whole list into an order several times faster than sorting by those tuples.
- `patch` edits a sorted list in place of rebuilding it: removed positions (found with `position` while the
  rows still have the key they are sorted by) are deleted and new rows inserted by bisect; many edits are
  spliced with a few slice copies, and a batch as large as a quarter of the list is merged by one full
  (timsort, run-aware) sort.

This module is on the path to the app's first frame: it must not import pydantic or httpx.
"""

from __future__ import annotations

from bisect import bisect_left
from itertools import compress
from operator import attrgetter, eq
from typing import TYPE_CHECKING, Any

from cybrid_tui.api.vocab import CUSTOMER_STATES

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from cybrid_tui.live.rows import CustomerRow

    SortKey = Callable[[CustomerRow], tuple[Any, ...]]

SORT_KEYS = ("created", "updated", "state", "type", "name")
#: The states the API documents, in lifecycle order: a state sort follows it, unknown states last.
STATE_RANK = {state: rank for rank, state in enumerate(CUSTOMER_STATES)}
_UNKNOWN_RANK = len(CUSTOMER_STATES)

# At most this many deletions/insertions are done one by one (list.insert); more are spliced with slices.
_FEW = 16


def unknown_sort_key(key: str) -> ValueError:
    return ValueError(f"unknown sort key {key!r}; expected one of {', '.join(SORT_KEYS)}")


def sort_key_function(key: str, *, descending: bool) -> SortKey:
    """The internal ascending key for a sort. Descending sorts read the list backwards, so their tie-break on
    the creation time is ascending here: both directions show equal rows newest first."""
    if key == "created":
        return lambda row: (row.created_at, row.guid)
    if descending:
        if key == "updated":
            return lambda row: (row.updated_at, row.created_at, row.guid)
        if key == "state":
            return lambda row: (
                STATE_RANK.get(row.state, _UNKNOWN_RANK),
                row.state,
                row.created_at,
                row.guid,
            )
        if key == "type":
            return lambda row: (row.type, row.created_at, row.guid)
        if key == "name":
            return lambda row: ((row.name or "").casefold(), row.created_at, row.guid)
    else:
        if key == "updated":
            return lambda row: (row.updated_at, -row.created_at, row.guid)
        if key == "state":
            return lambda row: (
                STATE_RANK.get(row.state, _UNKNOWN_RANK),
                row.state,
                -row.created_at,
                row.guid,
            )
        if key == "type":
            return lambda row: (row.type, -row.created_at, row.guid)
        if key == "name":
            return lambda row: ((row.name or "").casefold(), -row.created_at, row.guid)
    raise unknown_sort_key(key)


# ---------------------------------------------------------------------------------------------- whole sorts


def _state_order(state: str) -> tuple[int, str]:
    return (STATE_RANK.get(state, _UNKNOWN_RANK), state)


_CREATED = attrgetter("created_at")
_GUID = attrgetter("guid")


def sort_rows(
    rows: list[CustomerRow],
    key: str,
    *,
    descending: bool,
    by_created: bool,
    states: Iterable[str],
    types: Iterable[str],
) -> None:
    """Sort in place into the order of `sort_key_function(key, descending=descending)`, several times faster
    than sorting by those tuples: first by the tie-break alone (creation time, then guid), then stably by the
    primary field, mapped to small integers where it has few values (state, type).
    `by_created`: the list is already in the "created" order."""
    if key == "created" or descending:
        if not by_created:
            _sort_by_created(rows, reverse=False)
        if key == "created":
            return
    else:
        _sort_by_created(rows, reverse=True)
    if key == "state":
        state_rank = {state: rank for rank, state in enumerate(sorted(states, key=_state_order))}
        rows.sort(key=lambda row: state_rank[row.state])
    elif key == "type":
        type_rank = {type_: rank for rank, type_ in enumerate(sorted(types))}
        rows.sort(key=lambda row: type_rank[row.type])
    elif key == "updated":
        rows.sort(key=attrgetter("updated_at"))
    else:
        rows.sort(key=lambda row: (row.name or "").casefold())


def _sort_by_created(rows: list[CustomerRow], *, reverse: bool) -> None:
    """By creation time (newest last, or first when `reverse`), equal times by guid ascending."""
    rows.sort(key=_CREATED, reverse=reverse)
    created = list(map(_CREATED, rows))
    ties = list(compress(range(1, len(created)), map(eq, created[1:], created)))
    start = end = -1
    for index in ties:  # runs of equal times are rare: sort each by guid
        if index != end + 1:
            if end > start:
                rows[start : end + 1] = sorted(rows[start : end + 1], key=_GUID)
            start = index - 1
        end = index
    if end > start:
        rows[start : end + 1] = sorted(rows[start : end + 1], key=_GUID)


# ---------------------------------------------------------------------------------------------- edits


def locate(rows: list[CustomerRow], row: CustomerRow, key: SortKey) -> int | None:
    """Position of `row` (by its sort key) in a list sorted by `key`, None when it is not there."""
    position = bisect_left(rows, key(row), key=key)
    if position < len(rows) and rows[position].guid == row.guid:
        return position
    return None


def position_of(rows: list[CustomerRow], row: CustomerRow, key: SortKey) -> int:
    """Position of a row that must be in the list (sorted by `key`)."""
    found = locate(rows, row, key)
    if found is None:  # pragma: no cover - the lists and the dict disagree: a bug, not data
        raise RuntimeError(f"customer {row.guid} is missing from the sorted view")
    return found


def patch(
    rows: list[CustomerRow], remove: list[int], insert: list[CustomerRow], key: SortKey
) -> list[CustomerRow]:
    """`rows` without the rows at `remove` and with `insert` added, still sorted (maybe a new list)."""
    if remove:
        remove.sort()
        rows = _remove(rows, remove)
    if insert:
        rows = _insert(rows, insert, key)
    return rows


def _remove(rows: list[CustomerRow], positions: list[int]) -> list[CustomerRow]:
    if len(positions) <= _FEW:
        for position in reversed(positions):
            del rows[position]
        return rows
    kept: list[CustomerRow] = []
    start = 0
    for position in positions:
        kept += rows[start:position]
        start = position + 1
    kept += rows[start:]
    return kept


def _insert(rows: list[CustomerRow], insert: list[CustomerRow], key: SortKey) -> list[CustomerRow]:
    if len(insert) * 4 > len(rows):
        # A big batch (bulk load): one run-aware sort of the concatenation beats bisecting every row.
        rows.extend(insert)
        rows.sort(key=key)
        return rows
    keyed = sorted(((key(row), row) for row in insert), key=_first)
    size = len(rows)
    positions: list[int] = []
    position = 0
    bound: tuple[Any, ...] | None = None  # key of rows[position], computed once per position
    for new_key, _row in keyed:
        if position < size:
            if bound is None:
                bound = key(rows[position])
            if not new_key < bound:
                # Inserted rows often cluster (older pages of a bulk load): only bisect past the gap.
                position = bisect_left(rows, new_key, lo=position + 1, key=key)
                bound = None
        positions.append(position)
    if len(keyed) <= _FEW:
        for position, (_key, row) in zip(reversed(positions), reversed(keyed), strict=True):
            rows.insert(position, row)
        return rows
    merged: list[CustomerRow] = []
    start = 0
    for position, (_key, row) in zip(positions, keyed, strict=True):
        if position > start:
            merged += rows[start:position]
            start = position
        merged.append(row)
    merged += rows[start:]
    return merged


def _first(pair: tuple[tuple[Any, ...], CustomerRow]) -> tuple[Any, ...]:
    return pair[0]
