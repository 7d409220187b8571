"""Which columns the customers table shows at a given width, and how wide each one is.

Pure functions, so the narrow-terminal rules are easy to test. At 80 columns the table keeps GUID, Type,
Name, State and Created and drops Labels and Updated (a customer is recognised by name and state, the list is
newest first, and both dropped fields are in the detail view), which leaves Name a readable 28 cells.
Narrower still, Type, then Created, then Name give way. On a wide terminal the spare
width goes to Name and Labels first, then the GUID is shown in full (32 characters) when that fits too.
"""

from __future__ import annotations

from typing import NamedTuple

#: Spaces between two columns (and before the first).
GAP = 2
GUID_SHORT = 8
GUID_FULL = 32


# NamedTuples, not dataclasses: this module is imported before the first frame, and a dataclass costs ~0.5 ms
# to create (generated methods are exec'd) where a NamedTuple costs ~0.1 ms.
class Column(NamedTuple):
    key: str
    title: str
    width: int  # minimum (and natural) width
    #: Lower gives way first when the terminal is narrow; the GUID and State never do.
    keep: int
    #: Comfortable width a flexible column grows to before the GUID widens; 0 = fixed width.
    grow_to: int = 0
    #: Share of the width left over once every column is comfortable.
    flex: int = 0


COLUMNS: tuple[Column, ...] = (
    Column("guid", "GUID", GUID_SHORT, keep=100),
    Column("type", "Type", 10, keep=30),
    Column("name", "Name", 20, keep=60, grow_to=28, flex=2),
    Column("state", "State", 12, keep=100),
    #: The customer's identity verification in progress: shown only while at least one is (see below).
    Column("kyc", "KYC", 10, keep=35),
    Column("labels", "Labels", 10, keep=10, grow_to=24, flex=1),
    Column("created", "Created", 10, keep=40),
    Column("updated", "Updated", 10, keep=20),
)


class Placed(NamedTuple):
    column: Column
    x: int  # first cell of the column's text
    width: int


def _span(columns: list[Column], widths: dict[str, int]) -> int:
    return sum(widths[column.key] + GAP for column in columns)


def layout_columns(width: int, *, show_name: bool = True, show_kyc: bool = False) -> list[Placed]:
    """The columns shown in `width` cells, left to right, with their positions and widths. The KYC column
    is there only while a verification is in progress (`show_kyc`): at 80 columns it takes Type's place."""
    candidates = [
        column
        for column in COLUMNS
        if (show_name or column.key != "name") and (show_kyc or column.key != "kyc")
    ]
    widths = {column.key: column.width for column in candidates}
    # Drop the least important columns until the rest fit at their minimum width ...
    dropped: list[Column] = []
    for column in sorted(candidates, key=lambda column: column.keep):
        if _span(candidates, widths) <= width or column.keep >= 100:
            break
        candidates.remove(column)
        dropped.append(column)
    # ... then take back any smaller one that fits in what is left, most important first.
    for column in sorted(dropped, key=lambda column: -column.keep):
        if _span([*candidates, column], widths) <= width:
            candidates.append(column)
    order = {column.key: index for index, column in enumerate(COLUMNS)}
    candidates.sort(key=lambda column: order[column.key])
    spare = width - _span(candidates, widths)
    # Grow the flexible columns to a comfortable width, most important first.
    for column in sorted(candidates, key=lambda column: -column.keep):
        if column.grow_to and spare > 0:
            extra = min(spare, column.grow_to - widths[column.key])
            widths[column.key] += extra
            spare -= extra
    if spare >= GUID_FULL - GUID_SHORT:
        widths["guid"] = GUID_FULL
        spare -= GUID_FULL - GUID_SHORT
    flexible = [column for column in candidates if column.flex]
    shares = sum(column.flex for column in flexible)
    if spare > 0 and shares:
        given = 0
        for index, column in enumerate(flexible):
            extra = spare - given if index == len(flexible) - 1 else spare * column.flex // shares
            widths[column.key] += extra
            given += extra
    placed: list[Placed] = []
    x = 0
    for column in candidates:
        x += GAP
        placed.append(Placed(column, x, widths[column.key]))
        x += widths[column.key]
    return placed
