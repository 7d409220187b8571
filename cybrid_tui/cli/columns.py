"""The columns of a customer listing (table and CSV) and of a watch's events, read from the API's JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cybrid_tui.cli.output import Column

if TYPE_CHECKING:
    from collections.abc import Mapping


def _text(item: Mapping[str, Any], key: str) -> str:
    value = item.get(key)
    return value if isinstance(value, str) else ""


def customer_name(item: Mapping[str, Any]) -> str:
    """`name.full`, else first, middle and last joined; "" without PII (the API leaves the name out)."""
    name = item.get("name")
    if not isinstance(name, dict):
        return ""
    full = name.get("full")
    if isinstance(full, str) and full:
        return full
    return " ".join(
        part for key in ("first", "middle", "last") if isinstance(part := name.get(key), str) and part
    )


def labels(item: Mapping[str, Any]) -> str:
    values = item.get("labels")
    if not isinstance(values, list):
        return ""
    return ", ".join(value for value in values if isinstance(value, str))


def timestamp(value: object) -> str:
    """An API timestamp in UTC as `YYYY-MM-DD HH:MM:SS` (the table's form); any other text as it is."""
    if not isinstance(value, str):
        return ""
    if len(value) >= 20 and value[10] == "T" and (value.endswith("Z") or value.endswith("+00:00")):
        return f"{value[:10]} {value[11:19]}"
    return value


def customer_columns(*, table: bool, with_name: bool) -> list[Column]:
    """Columns of `customers list`. The table shows the name only with `--include-pii`; CSV always has the
    column (empty without PII), so a spreadsheet's columns never move; CSV times stay ISO 8601."""
    created = (
        (lambda item: timestamp(item.get("created_at")))
        if table
        else (lambda item: _text(item, "created_at"))
    )
    columns = [
        Column("guid", lambda item: _text(item, "guid"), width=32),
        Column("type", lambda item: _text(item, "type"), width=10),
        Column("state", lambda item: _text(item, "state"), width=10, coloured=True),
        Column("created_at" if not table else "created", created, width=19),
    ]
    if with_name or not table:
        columns.append(Column("name", customer_name, width=28))
    columns.append(Column("labels", labels))
    if not table:
        columns.insert(4, Column("updated_at", lambda item: _text(item, "updated_at")))
    return columns


def event_columns(*, table: bool) -> list[Column]:
    """Columns of `customers watch`: one row per change of state."""
    return [
        Column(
            "at",
            (lambda item: timestamp(item.get("at"))) if table else (lambda item: _text(item, "at")),
            width=19,
        ),
        Column("guid", lambda item: _text(item, "guid"), width=32),
        Column("type", lambda item: _text(item, "type"), width=10),
        Column("from", lambda item: _text(item, "from") or ("new" if table else ""), width=10, coloured=True),
        Column("to", lambda item: _text(item, "to"), width=10, coloured=True),
        Column("name", lambda item: _text(item, "name")),
    ]
