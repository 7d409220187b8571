"""The customer store: sorting, filtering, counters, change sets and positions, as the table uses them."""

from __future__ import annotations

import dataclasses

import pytest

from cybrid_tui.live.rows import CustomerRow
from cybrid_tui.live.store import SORT_KEYS, ChangeSet, CustomerStore


def row(
    guid: str,
    *,
    state: str = "unverified",
    type: str = "individual",
    name: str | None = None,
    labels: tuple[str, ...] = (),
    created: float = 1_700_000_000.0,
    updated: float | None = None,
) -> CustomerRow:
    return CustomerRow(
        guid=guid,
        type=type,
        state=state,
        name=name,
        labels=labels,
        created_at=created,
        updated_at=created if updated is None else updated,
    )


def guids(store: CustomerStore) -> list[str]:
    return [r.guid for r in store.view]


@pytest.fixture
def store() -> CustomerStore:
    s = CustomerStore()
    s.apply(
        [
            row("aaaa0001", state="verified", name="Ada Lovelace", labels=("vip",), created=100, updated=500),
            row("bbbb0002", state="storing", type="business", name="Acme Corp", created=300, updated=300),
            row("cccc0003", state="unverified", name="Grace Hopper", created=200, updated=900),
            row("dddd0004", state="rejected", type="business", name=None, labels=("Gold", "eu"), created=400),
        ]
    )
    return s


def test_default_view_is_newest_first(store: CustomerStore) -> None:
    assert guids(store) == ["dddd0004", "bbbb0002", "cccc0003", "aaaa0001"]
    assert store.total == 4


@pytest.mark.parametrize(
    ("key", "descending", "expected"),
    [
        ("created", False, ["aaaa0001", "cccc0003", "bbbb0002", "dddd0004"]),
        ("updated", True, ["cccc0003", "aaaa0001", "dddd0004", "bbbb0002"]),
        ("updated", False, ["bbbb0002", "dddd0004", "aaaa0001", "cccc0003"]),
        # lifecycle order: storing, unverified, verified, rejected, frozen
        ("state", False, ["bbbb0002", "cccc0003", "aaaa0001", "dddd0004"]),
        ("state", True, ["dddd0004", "aaaa0001", "cccc0003", "bbbb0002"]),
        # ties (same type) stay newest first in both directions
        ("type", False, ["dddd0004", "bbbb0002", "cccc0003", "aaaa0001"]),
        ("type", True, ["cccc0003", "aaaa0001", "dddd0004", "bbbb0002"]),
        # no name sorts as the empty name
        ("name", False, ["dddd0004", "bbbb0002", "aaaa0001", "cccc0003"]),
        ("name", True, ["cccc0003", "aaaa0001", "bbbb0002", "dddd0004"]),
    ],
)
def test_sorts(store: CustomerStore, key: str, descending: bool, expected: list[str]) -> None:
    store.set_sort(key, descending=descending)
    assert guids(store) == expected
    assert (store.sort_key, store.sort_descending) == (key, descending)


def test_equal_keys_break_ties_by_creation_then_guid() -> None:
    store = CustomerStore()
    store.apply([row("b", created=5), row("a", created=5), row("c", created=9), row("d", created=1)])
    assert guids(store) == ["c", "b", "a", "d"]
    store.set_sort("state", descending=False)  # every state equal: newest first, then guid ascending
    assert guids(store) == ["c", "a", "b", "d"]


def test_unknown_sort_key_is_refused(store: CustomerStore) -> None:
    with pytest.raises(ValueError, match="unknown sort key"):
        store.set_sort("colour", descending=False)
    assert SORT_KEYS == ("created", "updated", "state", "type", "name")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ada", ["aaaa0001"]),
        ("ADA", ["aaaa0001"]),  # case-insensitive
        ("bbbb", ["bbbb0002"]),  # guid
        ("gold", ["dddd0004"]),  # label
        ("business", ["dddd0004", "bbbb0002"]),  # type
        ("verified", ["cccc0003", "aaaa0001"]),  # state: substring, so unverified too
        ("state:v", ["aaaa0001"]),  # field prefix
        ("state:", ["dddd0004", "bbbb0002", "cccc0003", "aaaa0001"]),  # half-typed: restricts nothing
        ("type:b state:r", ["dddd0004"]),
        ("label:vi", ["aaaa0001"]),
        ("guid:cc", ["cccc0003"]),
        ("guid:03", []),  # a guid prefix, not a substring
        ("a c", ["bbbb0002", "cccc0003", "aaaa0001"]),  # every word must match
        ("grace hopper", ["cccc0003"]),
        ("nobody", []),
    ],
)
def test_text_filter(store: CustomerStore, text: str, expected: list[str]) -> None:
    store.set_filter(text=text)
    assert guids(store) == expected
    assert store.filtered == (text.strip() not in ("", "state:"))


def test_quick_filters_combine_with_text(store: CustomerStore) -> None:
    store.set_filter(states=frozenset({"verified", "unverified"}))
    assert guids(store) == ["cccc0003", "aaaa0001"]
    store.set_filter(states=frozenset({"verified", "unverified"}), text="grace")
    assert guids(store) == ["cccc0003"]
    store.set_filter(types=frozenset({"business"}))
    assert guids(store) == ["dddd0004", "bbbb0002"]
    store.set_filter(types=frozenset({"business"}), states=frozenset({"storing"}))
    assert guids(store) == ["bbbb0002"]
    store.set_filter()
    assert len(store.view) == 4


def test_typing_on_narrows_and_deleting_widens_again(store: CustomerStore) -> None:
    seen = []
    for text in ["g", "gr", "gra", "grac", "gra", "g", "", "a", "ac"]:
        store.set_filter(text=text)
        seen.append(guids(store))
    assert seen[0] == ["dddd0004", "bbbb0002", "cccc0003"]  # "g": label Gold, state storing, Grace
    assert seen[3] == ["cccc0003"]
    assert seen[4] == ["cccc0003"]
    assert seen[5] == seen[0]
    assert seen[6] == ["dddd0004", "bbbb0002", "cccc0003", "aaaa0001"]
    assert seen[8] == ["bbbb0002", "cccc0003", "aaaa0001"]  # Acme, Grace, Lovelace


def test_counts_cover_every_customer_whatever_the_filter(store: CustomerStore) -> None:
    store.set_filter(text="ada")
    assert dict(store.counts) == {"storing": 1, "unverified": 1, "verified": 1, "rejected": 1, "frozen": 0}
    assert store.filtered_counts()["verified"] == 1
    assert store.filtered_counts()["storing"] == 0
    assert dict(store.type_counts) == {"individual": 2, "business": 2}


def test_counts_follow_state_changes_removals_and_unknown_states(store: CustomerStore) -> None:
    store.apply([row("bbbb0002", state="unverified", type="business", name="Acme Corp", created=300)])
    store.apply([row("eeee0005", state="suspended", created=50)], removed=["aaaa0001"])
    assert dict(store.counts) == {
        "storing": 0,
        "unverified": 2,
        "verified": 0,
        "rejected": 1,
        "frozen": 0,
        "suspended": 1,
    }
    store.apply([], removed=["eeee0005"])
    assert "suspended" not in store.counts
    assert store.total == 3


def test_apply_reports_what_changed(store: CustomerStore) -> None:
    changes = store.apply(
        [
            row("aaaa0001", state="frozen", name="Ada Lovelace", labels=("vip",), created=100, updated=600),
            row(
                "cccc0003", state="unverified", name="Grace Hopper", labels=("new",), created=200, updated=900
            ),
            row("dddd0004", state="rejected", type="business", labels=("Gold", "eu"), created=400),  # same
            row("ffff0006", state="storing", created=1000),
        ],
        removed=["bbbb0002", "not-known"],
    )
    assert changes == ChangeSet(
        added=frozenset({"ffff0006"}),
        state_changed=frozenset({"aaaa0001"}),
        updated=frozenset({"cccc0003"}),
        removed=frozenset({"bbbb0002"}),
    )
    assert changes.changed == {"ffff0006", "aaaa0001", "cccc0003", "bbbb0002"}
    assert len(changes) == 4
    assert guids(store) == ["ffff0006", "dddd0004", "cccc0003", "aaaa0001"]
    assert store.get("aaaa0001") is not None
    assert store.get("aaaa0001").state == "frozen"  # type: ignore[union-attr]
    assert store.get("bbbb0002") is None


def test_unchanged_rows_change_nothing(store: CustomerStore) -> None:
    version = store.version
    same = [dataclasses.replace(r) for r in store.view]
    changes = store.apply(same, removed=["unknown"])
    assert changes.empty
    assert store.version == version


def test_version_bumps_only_when_the_view_changes(store: CustomerStore) -> None:
    store.set_filter(states=frozenset({"verified"}))
    version = store.version
    # a hidden customer changes: counters move, the view does not
    changes = store.apply([row("cccc0003", state="rejected", name="Grace Hopper", created=200, updated=950)])
    assert changes.state_changed == {"cccc0003"}
    assert store.version == version
    # it becomes verified: now it shows
    store.apply([row("cccc0003", state="verified", name="Grace Hopper", created=200, updated=990)])
    assert store.version > version
    assert guids(store) == ["cccc0003", "aaaa0001"]
    version = store.version
    store.set_filter(states=frozenset({"verified"}))  # the same filter again
    assert store.version == version


def test_a_known_row_is_updated_in_place(store: CustomerStore) -> None:
    held = store.get("cccc0003")
    store.apply([row("cccc0003", state="verified", name="Grace Hopper", created=200, updated=990)])
    assert store.get("cccc0003") is held
    assert held is not None and held.state == "verified"


def test_index_of_follows_the_view(store: CustomerStore) -> None:
    assert [store.index_of(g) for g in ("dddd0004", "aaaa0001")] == [0, 3]
    store.set_sort("created", descending=False)
    assert [store.index_of(g) for g in ("dddd0004", "aaaa0001")] == [3, 0]
    store.set_filter(text="business")
    assert store.index_of("bbbb0002") == 0
    assert store.index_of("aaaa0001") is None  # filtered out
    assert store.index_of("unknown") is None


def test_view_supports_negative_indexes_and_slices(store: CustomerStore) -> None:
    view = store.view
    assert view[-1].guid == "aaaa0001"
    assert [r.guid for r in view[1:3]] == ["bbbb0002", "cccc0003"]
    assert [r.guid for r in view[::-2]] == ["aaaa0001", "bbbb0002"]
    assert [r.guid for r in reversed(view)] == ["aaaa0001", "cccc0003", "bbbb0002", "dddd0004"]
    with pytest.raises(IndexError):
        view[4]
    store.set_sort("created", descending=False)
    assert view[0].guid == "aaaa0001"  # the view is live


def test_changesets_merge_in_order() -> None:
    first = ChangeSet(added=frozenset({"a"}), state_changed=frozenset({"b"}), removed=frozenset({"c"}))
    later = ChangeSet(state_changed=frozenset({"a"}), updated=frozenset({"b"}), added=frozenset({"c"}))
    merged = first | later
    assert merged.added == {"a", "c"}
    assert merged.state_changed == {"b"}
    assert merged.updated == frozenset()
    assert merged.removed == frozenset()


def test_row_search_text_and_conversion_from_the_api_model() -> None:
    from cybrid_tui.api.models import Customer

    customer = Customer.model_validate(
        {
            "guid": "0123456789abcdef0123456789abcdef",
            "type": "business",
            "state": "storing",
            "created_at": "2022-05-13T13:55:08.460Z",
            "updated_at": "2022-05-13T13:56:08.460Z",
            "name": {"full": "Acme Ltd"},
            "labels": ["VIP", "eu"],
        }
    )
    converted = CustomerRow.from_customer(customer)
    assert converted.guid == customer.guid
    assert (converted.type, converted.state, converted.name) == ("business", "storing", "Acme Ltd")
    assert converted.labels == ("VIP", "eu")
    assert converted.created_at == pytest.approx(1652450108.46)
    assert converted.updated_at - converted.created_at == pytest.approx(60)
    assert "acme ltd" in converted.search and "vip" in converted.search
    bare = CustomerRow.from_customer(Customer.model_validate({"guid": "ff" * 16}))
    assert (bare.type, bare.state, bare.name, bare.labels, bare.created_at) == ("", "", None, (), 0.0)


def test_rows_and_store_stay_off_the_heavy_imports() -> None:
    """They are on the path to the first frame: no pydantic, httpx or the API's client and models at import
    (the pydantic-free vocabulary, `api.vocab`, is the one part of the API package they read)."""
    import subprocess
    import sys

    code = (
        "import sys, cybrid_tui.live.rows, cybrid_tui.live.store, cybrid_tui.timefmt\n"
        "heavy = ('pydantic', 'httpx', 'pydantic_settings', 'starlette', 'uvicorn', 'textual')\n"
        "light = {'cybrid_tui.api', 'cybrid_tui.api.vocab'}\n"
        # A None entry is an import blocked on purpose (httpx's own command line), not a loaded module.
        "print(sorted(m for m, module in sys.modules.items() if module is not None\n"
        "             and (m.split('.')[0] in heavy or (m.startswith('cybrid_tui.api') and m not in light))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_refresh_backoff_doubles_then_stays_within_a_few_intervals() -> None:
    from cybrid_tui.live.backoff import MAX_BACKOFF_INTERVALS, refresh_backoff

    def at(failures: int, jitter: float) -> float:
        return refresh_backoff(2.0, failures, jitter=lambda: jitter)

    assert at(1, 1.0) == 4.0
    assert at(2, 1.0) == 2.0 * MAX_BACKOFF_INTERVALS
    assert at(10, 1.0) == 2.0 * MAX_BACKOFF_INTERVALS
    assert at(10, 0.0) == 0.75 * 2.0 * MAX_BACKOFF_INTERVALS
    assert at(0, 0.0) == 2.0  # never faster than the normal pace
    assert refresh_backoff(2.0, 10, retry_after=30.0) == 30.0
