"""A live tick turns only the customers that changed into rows: the rows a full conversion gives, cheaper."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cybrid_tui.api.models import Customer, CustomerSummary
from cybrid_tui.live import rows as rows_module
from cybrid_tui.live.rows import CustomerRow, _posix_seconds, changed_rows, rows_from_customers
from tests.support.client_fakes import customer_json

NAMES = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {},
        optional={
            "first": st.sampled_from(["Ada", "", None]),
            "middle": st.sampled_from(["B", None]),
            "last": st.sampled_from(["Lovelace", "", None]),
            "full": st.sampled_from(["Acme Corp", "", None]),
        },
    ),
)
TIMES = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "2026-03-01T12:00:00.000Z",
            "2026-03-01T12:00:00.001Z",
            "2026-03-01T14:00:00.000+02:00",  # the same instant as the first, written in another zone
            "1999-12-31T23:59:59.999-05:30",
        ]
    ),
)
BODIES = st.fixed_dictionaries(
    {
        "guid": st.sampled_from(["aa" * 16, "bb" * 16]),
        "state": st.sampled_from(["storing", "unverified", "verified", "under_review", None]),
        "type": st.sampled_from(["individual", "business", None]),
        "name": NAMES,
        "labels": st.one_of(st.none(), st.lists(st.sampled_from(["vip", "new", "VIP"]), max_size=3)),
        "created_at": TIMES,
        "updated_at": TIMES,
    }
)


def summary(body: dict[str, Any]) -> CustomerSummary:
    # Parsed from JSON, as the client reads a page (pydantic's own time zone objects).
    return CustomerSummary.model_validate_json(json.dumps(body))


@settings(max_examples=300, deadline=None)
@given(BODIES, BODIES)
def test_a_customer_becomes_a_row_exactly_when_its_row_would_differ(
    stored: dict[str, Any], fresh: dict[str, Any]
) -> None:
    fresh = {**fresh, "guid": stored["guid"]}
    known = rows_from_customers([summary(stored)])[0]
    expected = rows_from_customers([summary(fresh)])[0]
    rows = changed_rows([summary(fresh)], {known.guid: known}.get)
    if expected == known:
        assert rows == []
    else:
        assert rows == [expected]


def test_unknown_customers_become_rows_and_unchanged_ones_are_not_converted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = [summary(customer_json(n, labels=["vip"])) for n in range(1, 6)]
    known = {row.guid: row for row in rows_from_customers(page[:4])}
    converted: list[str] = []

    def counting(customers: Any) -> list[CustomerRow]:
        customers = list(customers)
        converted.extend(customer.guid for customer in customers)
        return rows_from_customers(customers)

    monkeypatch.setattr(rows_module, "rows_from_customers", counting)
    rows = changed_rows(page, known.get)
    assert [row.guid for row in rows] == [page[4].guid]
    assert converted == [page[4].guid]


@pytest.mark.parametrize(
    "change",
    [
        {"state": "verified"},
        {"labels": ["vip", "watch"]},
        {"name": {"first": "Grace", "last": "Hopper"}},
        {"type": "business"},
    ],
    ids=["state", "labels", "name", "type"],
)
def test_a_change_that_keeps_updated_at_is_still_found(change: dict[str, Any]) -> None:
    # The API does not promise that every change moves `updated_at`: every field is compared.
    before = customer_json(2, state="unverified", labels=["vip"], name={"first": "Ada", "last": "L"})
    known = rows_from_customers([summary(before)])[0]
    after = summary({**before, **change})
    assert after.updated_at == summary(before).updated_at
    assert changed_rows([after], {known.guid: known}.get) == rows_from_customers([after])


def test_full_customers_are_compared_like_summaries() -> None:
    body = customer_json(1, labels=["vip"])
    known = CustomerRow.from_customer(Customer.model_validate(body))
    assert changed_rows([Customer.model_validate_json(json.dumps(body))], {known.guid: known}.get) == []
    moved = Customer.model_validate({**body, "state": "frozen"})
    assert [row.state for row in changed_rows([moved], {known.guid: known}.get)] == ["frozen"]


@pytest.mark.parametrize(
    "value",
    [
        None,
        dt.datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5, minutes=-30))),
        dt.datetime(2026, 7, 1, 12, 0, tzinfo=ZoneInfo("Europe/Paris")),  # daylight saving time
        dt.datetime(2026, 1, 1, 12, 0, tzinfo=ZoneInfo("Europe/Paris")),
        dt.datetime(2026, 3, 1, 12, 0),  # naive: local time, as `timestamp()` reads it
    ],
)
def test_posix_seconds_is_timestamp_exactly(value: dt.datetime | None) -> None:
    expected = 0.0 if value is None else value.timestamp()
    assert _posix_seconds(value) == expected
    assert _posix_seconds(value) == expected  # and again, with the zone's epoch remembered


@settings(max_examples=300, deadline=None)
@given(
    st.datetimes(min_value=dt.datetime(1971, 1, 1), max_value=dt.datetime(2200, 1, 1)),
    st.integers(min_value=-14 * 60, max_value=14 * 60),
)
def test_posix_seconds_of_parsed_times_is_timestamp_exactly(moment: dt.datetime, minutes: int) -> None:
    sign = "+" if minutes >= 0 else "-"
    text = f"{moment.isoformat(timespec='microseconds')}{sign}{abs(minutes) // 60:02}:{abs(minutes) % 60:02}"
    parsed = summary({"guid": "aa" * 16, "updated_at": text}).updated_at
    assert parsed is not None
    assert _posix_seconds(parsed) == parsed.timestamp()
