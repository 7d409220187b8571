"""The store's incremental updates agree with building its view from scratch, whatever happens in between."""

from __future__ import annotations

import random
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cybrid_tui.live import ordering as ordering_module
from cybrid_tui.live.rows import CustomerRow
from cybrid_tui.live.store import SORT_KEYS, STATES, CustomerStore

GUIDS = [f"{i:02x}{'ab' if i % 3 else 'cd'}" + "0" * 26 + f"{i:02x}" for i in range(48)]
ALL_STATES = (*STATES, "suspended")
TYPES = ("individual", "business", "trust")
NAMES = (None, "Ada", "ada", "Bob Stone", "Zoë", "")
LABELS = ((), ("vip",), ("VIP", "eu"), ("gold",))
WORDS = (
    "",
    "a",
    "ab",
    "abc",
    "ver",
    "state:v",
    "state:",
    "type:b",
    "label:v",
    "guid:0",
    "cd",
    "zz",
    "bob s",
    "ë",
)


def reference_view(rows: list[CustomerRow], store: CustomerStore) -> list[str]:
    """The documented behaviour, written plainly: filter, sort by the key, newest first on ties, then guid."""
    text = store.filter.text.lower().split()
    states, types = store.filter.states, store.filter.types

    def word_matches(r: CustomerRow, word: str) -> bool:
        field, sep, value = word.partition(":")
        if sep and field in ("state", "type", "guid", "label"):
            if not value:
                return True
            if field == "state":
                return r.state.lower().startswith(value)
            if field == "type":
                return r.type.lower().startswith(value)
            if field == "guid":
                return r.guid.startswith(value)
            return any(value in label.lower() for label in r.labels)
        haystack = "\x1f".join([r.guid, r.name or "", *r.labels, r.type]).lower()
        return word in haystack or word in r.state.lower()

    kept = [
        r
        for r in rows
        if (not states or r.state in states)
        and (not types or r.type in types)
        and all(word_matches(r, w) for w in text)
    ]
    descending = store.sort_descending
    primary = {
        "created": lambda r: r.created_at,
        "updated": lambda r: r.updated_at,
        "state": lambda r: (STATES.index(r.state) if r.state in STATES else len(STATES), r.state),
        "type": lambda r: r.type,
        "name": lambda r: (r.name or "").casefold(),
    }[store.sort_key]
    kept.sort(key=lambda r: r.guid, reverse=descending)
    kept.sort(key=lambda r: r.created_at, reverse=True)
    kept.sort(key=primary, reverse=descending)
    return [r.guid for r in kept]


def check(store: CustomerStore, truth: dict[str, CustomerRow]) -> None:
    expected = reference_view(list(truth.values()), store)
    assert [r.guid for r in store.view] == expected
    for position, guid in enumerate(expected):
        assert store.index_of(guid) == position
    for guid in set(truth) - set(expected):
        assert store.index_of(guid) is None
    counts = {state: 0 for state in STATES}
    for r in truth.values():
        counts[r.state] = counts.get(r.state, 0) + 1
    assert dict(store.counts) == counts
    assert store.total == len(truth)
    for guid, r in truth.items():
        assert store.get(guid) == r


rows_strategy = st.builds(
    CustomerRow,
    guid=st.sampled_from(GUIDS),
    type=st.sampled_from(TYPES),
    state=st.sampled_from(ALL_STATES),
    name=st.sampled_from(NAMES),
    labels=st.sampled_from(LABELS),
    created_at=st.integers(1, 6).map(float),
    updated_at=st.integers(1, 6).map(float),
)

operations = st.one_of(
    st.tuples(
        st.just("apply"), st.lists(rows_strategy, max_size=30), st.lists(st.sampled_from(GUIDS), max_size=4)
    ),
    st.tuples(
        st.just("filter"),
        st.sampled_from(WORDS),
        st.frozensets(st.sampled_from(ALL_STATES), max_size=2),
        st.frozensets(st.sampled_from(TYPES), max_size=1),
    ),
    st.tuples(st.just("type"), st.sampled_from("abcdev: ")),
    st.tuples(st.just("sort"), st.sampled_from(SORT_KEYS), st.booleans()),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operations, max_size=25), st.sampled_from([1, 4, 16]))
def test_incremental_view_matches_a_rebuild(ops: list[tuple[object, ...]], few: int) -> None:
    # `few` moves the switch between one-by-one and sliced list edits so small examples exercise both.
    with mock.patch.object(ordering_module, "_FEW", few):
        store = CustomerStore()
        truth: dict[str, CustomerRow] = {}
        for op in ops:
            version = store.version
            before = [r.guid for r in store.view]
            if op[0] == "apply":
                _, fresh, removed = op
                assert isinstance(fresh, list) and isinstance(removed, list)
                batch = {r.guid: r for r in fresh}
                expected_added = {g for g in batch if g not in truth}
                for g, r in batch.items():
                    truth[g] = CustomerRow(
                        r.guid, r.type, r.state, r.name, r.labels, r.created_at, r.updated_at
                    )
                gone = {g for g in removed if g in truth and g not in batch}
                for g in gone:
                    del truth[g]
                changes = store.apply(fresh, removed=removed)
                assert changes.added == expected_added
                assert changes.removed == gone
                if changes.empty:
                    assert store.version == version
            elif op[0] == "filter":
                _, text, states, types = op
                store.set_filter(text=str(text), states=states, types=types)  # type: ignore[arg-type]
            elif op[0] == "type":
                current = store.filter
                store.set_filter(text=current.text + str(op[1]), states=current.states, types=current.types)
            else:
                _, key, descending = op
                store.set_sort(str(key), descending=bool(descending))
            check(store, truth)
            if [r.guid for r in store.view] != before:
                assert store.version > version


def test_large_random_batches_match_a_rebuild() -> None:
    """Sizes that take the sliced and full-sort paths: bulk pages, state changes, moves under every sort."""
    rnd = random.Random(11)
    guids = [f"{rnd.getrandbits(128):032x}" for _ in range(3000)]

    def fresh(guid: str) -> CustomerRow:
        return CustomerRow(
            guid=guid,
            type=rnd.choice(TYPES),
            state=rnd.choice(ALL_STATES),
            name=rnd.choice(NAMES),
            labels=rnd.choice(LABELS),
            created_at=float(rnd.randint(1, 500)),
            updated_at=float(rnd.randint(1, 500)),
        )

    store = CustomerStore()
    truth: dict[str, CustomerRow] = {}
    for start in range(0, 2400, 300):  # bulk load in pages
        page = [fresh(g) for g in guids[start : start + 300]]
        truth.update({r.guid: r for r in page})
        store.apply(page)
        check(store, truth)
    for step, (key, descending) in enumerate([(k, d) for k in SORT_KEYS for d in (True, False)]):
        store.set_sort(key, descending=descending)
        if step % 3 == 1:
            store.set_filter(states=frozenset({"verified", "storing"}))
        elif step % 3 == 2:
            store.set_filter(text="a")
        else:
            store.set_filter()
        for size in (3, 40, 700):
            changed = [fresh(g) for g in rnd.sample(guids, size)]
            removed = rnd.sample(list(truth), size // 4)
            batch = {r.guid: r for r in changed}
            truth.update(batch)
            for g in removed:
                if g not in batch:
                    del truth[g]
            store.apply(changed, removed=removed)
            check(store, truth)
