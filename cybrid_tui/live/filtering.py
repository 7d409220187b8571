"""The customers table's filter: free text plus quick filters on state and type.

Free text is split on whitespace; every word must match (AND). A plain word is a case-insensitive substring
of the row's search text (guid, name, labels, type) or of its state. A word with a field prefix narrows one
field:

    state:unv    state starts with "unv"        type:b      type starts with "b"
    label:vip    some label contains "vip"      guid:3f2a   guid starts with "3f2a"

A prefix with nothing after it yet (`state:` while typing) restricts nothing. With `names=False` (personal
data hidden, see `cybrid_tui.pii`) a plain word never matches a name: a hidden field is not searchable, so a
shared screen does not reveal who matches.

`RowFilter.refines(previous)` says whether every row this filter keeps was also kept by `previous`; the store
then filters its current view instead of every row, which keeps filter-as-you-type cheap at 100,000 rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from cybrid_tui.live.rows import CustomerRow

# field -> does the value match as a prefix (True) or as a substring (False)
_FIELDS: dict[str, bool] = {"state": True, "type": True, "guid": True, "label": False}


@dataclass(frozen=True, slots=True)
class Token:
    field: str  # "" for a plain word
    value: str

    def implies(self, other: Token) -> bool:
        """Every row matching self also matches other."""
        if other.field == "":
            # Every field value is part of the search text, so a plain word inside it is implied too.
            return other.value in self.value
        if other.field != self.field:
            return False
        if _FIELDS[self.field]:
            return self.value.startswith(other.value)
        return other.value in self.value


def parse_text(text: str) -> tuple[Token, ...]:
    tokens: list[Token] = []
    for word in text.lower().split():
        name, sep, value = word.partition(":")
        if sep and name in _FIELDS:
            if value:
                tokens.append(Token(name, value))
            continue
        tokens.append(Token("", word))
    return tuple(tokens)


def _token_predicate(token: Token, *, names: bool = True) -> Callable[[CustomerRow], bool]:
    value = token.value
    if token.field == "state":
        return lambda row: row.state.lower().startswith(value)
    if token.field == "type":
        return lambda row: row.type.lower().startswith(value)
    if token.field == "guid":
        return lambda row: row.guid.startswith(value)
    if token.field == "label":
        return lambda row: any(value in label.lower() for label in row.labels)
    if not names:
        # The fields of `row.search` but the name, matched one by one: no search string is built per row and
        # keystroke (a word never spans two fields there either).
        return lambda row: (
            value in row.guid.lower()
            or value in row.type.lower()
            or value in row.state.lower()
            or any(value in label.lower() for label in row.labels)
        )
    return lambda row: value in row.search or value in row.state.lower()


@dataclass(frozen=True)
class RowFilter:
    text: str = ""
    states: frozenset[str] = frozenset()
    types: frozenset[str] = frozenset()
    #: Whether plain words may match names (False while personal data is hidden).
    names: bool = True
    tokens: tuple[Token, ...] = field(init=False, compare=False)
    matches: Callable[[CustomerRow], bool] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tokens", parse_text(self.text))
        object.__setattr__(self, "matches", self._predicate())

    @property
    def matches_all(self) -> bool:
        return not self.tokens and not self.states and not self.types

    def same_as(self, other: RowFilter) -> bool:
        """Keeps exactly the same rows (the text may differ only in spacing or case)."""
        return (
            self.tokens == other.tokens
            and self.states == other.states
            and self.types == other.types
            and self.names == other.names
        )

    def refines(self, previous: RowFilter) -> bool:
        """Every row kept by self was kept by `previous`."""
        if self.names and not previous.names:
            return False  # names now match where they did not
        if previous.states and not (self.states and self.states <= previous.states):
            return False
        if previous.types and not (self.types and self.types <= previous.types):
            return False
        return all(any(new.implies(old) for new in self.tokens) for old in previous.tokens)

    def _predicate(self) -> Callable[[CustomerRow], bool]:
        checks = [_token_predicate(token, names=self.names) for token in self.tokens]
        states, types = self.states, self.types
        if states:
            checks.append(lambda row: row.state in states)
        if types:
            checks.append(lambda row: row.type in types)
        if not checks:
            return lambda row: True
        if len(checks) == 1:
            return checks[0]
        return lambda row: all(check(row) for check in checks)

    def select(self, rows: Iterable[CustomerRow], states_present: Iterable[str]) -> list[CustomerRow]:
        """The rows this filter keeps, in their order (`states_present`: every state among `rows`).

        A plain word matches the search text or the state; which states it matches is worked out once here,
        so the common cases run as one comprehension without a Python call per row.
        """
        if self.matches_all:
            return list(rows)
        if not self.names:
            keep = self.matches  # rare (names hidden): the general predicate, no fast paths
            return [row for row in rows if keep(row)]
        universe = tuple(states_present)
        checks: list[Callable[[CustomerRow], bool]] = []
        words: list[str] = []
        for token in self.tokens:
            if token.field:
                checks.append(_token_predicate(token))
                continue
            word = token.value
            hit = frozenset(state for state in universe if word in state.lower())
            if hit:
                checks.append(_word_or_state(word, hit))
            else:
                words.append(word)
        states, types = self.states, self.types
        if not checks and not states and not types and len(words) <= 2:
            if len(words) == 1:
                (word,) = words
                return [row for row in rows if word in row.search]
            first, second = words
            return [row for row in rows if first in row.search and second in row.search]
        if not checks and not words:
            if not types:
                return [row for row in rows if row.state in states]
            if not states:
                return [row for row in rows if row.type in types]
            return [row for row in rows if row.state in states and row.type in types]
        checks.extend(_token_predicate(Token("", word)) for word in words)
        if states:
            checks.insert(0, lambda row: row.state in states)
        if types:
            checks.insert(0, lambda row: row.type in types)
        if len(checks) == 1:
            keep = checks[0]
            return [row for row in rows if keep(row)]
        return [row for row in rows if all(check(row) for check in checks)]


def _word_or_state(word: str, states: frozenset[str]) -> Callable[[CustomerRow], bool]:
    return lambda row: row.state in states or word in row.search
