"""How the customers table draws one line: the header and a customer's row, as `Strip`s of exact width.

Plain functions of the columns, the row and the styles, so the table widget keeps only state, cursor and
repaint bookkeeping. Every text is padded or cut to its column (`fit`), with an ellipsis when cut.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from textual.strip import Strip

from cybrid_tui.safe_text import safe_text
from cybrid_tui.timefmt import relative
from cybrid_tui.widgets.columns import layout_columns

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable

    from rich.style import Style

    from cybrid_tui.live.rows import CustomerRow
    from cybrid_tui.widgets.columns import Placed

#: A glyph per state, so a state reads without colour too (the text is always there as well).
STATE_GLYPHS = {
    "storing": "◌",
    "unverified": "○",
    "verified": "●",
    "rejected": "✕",
    "frozen": "■",
}
UNKNOWN_GLYPH = "?"
NO_VALUE = "—"
#: Which column each sort key belongs to (for the arrow in the header and clicks on titles).
SORT_COLUMNS = {"created": "created", "updated": "updated", "state": "state", "type": "type", "name": "name"}


def state_text(state: str) -> str:
    """ "● verified": the state with its glyph."""
    return f"{STATE_GLYPHS.get(state, UNKNOWN_GLYPH)} {state or 'unknown'}"


def fit(text: str, width: int) -> str:
    """`text` padded or cut to exactly `width` cells, with an ellipsis when cut."""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    if width <= 1:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "…"


def _strip(segments: list[Segment], cells: int, width: int) -> Strip:
    """A line of exactly `width` cells from segments covering `cells` (padded to `width` when fewer)."""
    if cells > width:  # columns too wide for a very narrow terminal
        return Strip(segments).crop(0, width)
    return Strip(segments, width)  # the cell length given: no measuring, no crop (a Strip is not cheap)


def sort_key_at(columns: list[Placed], x: int) -> str | None:
    """The sort a click on the header at cell `x` asks for (None: not on a sortable title)."""
    for placed in columns:
        if placed.x - 1 <= x < placed.x + placed.width + 1:
            return SORT_COLUMNS.get(placed.column.key)
    return None


def header_line(
    columns: list[Placed], width: int, *, sort_key: str, descending: bool, style: Style, sorted_style: Style
) -> Strip:
    """The column titles, the sorted one marked with an arrow."""
    arrow = " ↓" if descending else " ↑"
    segments: list[Segment] = []
    x = 0
    for placed in columns:
        if placed.x > x:
            segments.append(Segment(" " * (placed.x - x), style))
        is_sorted = SORT_COLUMNS.get(placed.column.key) == sort_key
        title = placed.column.title + (arrow if is_sorted else "")
        segments.append(Segment(fit(title, placed.width), sorted_style if is_sorted else style))
        x = placed.x + placed.width
    if x < width:
        segments.append(Segment(" " * (width - x), style))
    return _strip(segments, x, width)


def row_line(
    row: CustomerRow,
    columns: list[Placed],
    width: int,
    *,
    now: float,
    line: Style,
    cursor: Style | None,
    muted: Style,
    state_style: Callable[[str], Style],
    kyc: str = "",
) -> Strip:
    """One customer's line: `line` is its base style (flash included); `cursor` is added on the cursor row.
    `kyc` is the state of the customer's verification in progress ("" when none)."""
    if cursor is not None:
        line = line + cursor
    segments: list[Segment] = []
    x = 0
    for placed in columns:
        if placed.x > x:
            segments.append(Segment(" " * (placed.x - x), line))
        key = placed.column.key
        style = line
        if key == "guid":
            # The other fields were made safe when the row was built; the guid is kept as sent (the key).
            text = safe_text(row.guid[: placed.width])
        elif key == "type":
            text = row.type or NO_VALUE
        elif key == "name":
            text = row.name or NO_VALUE
            if row.name is None:
                style = line + muted
        elif key == "state":
            text = state_text(row.state)
            style = line + state_style(row.state if row.state in STATE_GLYPHS else "unknown")
        elif key == "labels":
            text = ", ".join(row.labels) if row.labels else ""
        elif key == "kyc":
            text = kyc
            style = line + state_style("kyc")
        elif key == "created":
            text = relative(row.created_at, now)
            style = line + muted
        else:
            text = relative(row.updated_at, now)
            style = line + muted
        if cursor is not None:
            style = style + cursor
        segments.append(Segment(fit(text, placed.width), style))
        x = placed.x + placed.width
    if x < width:
        segments.append(Segment(" " * (width - x), line))
    return _strip(segments, x, width)


class LineCache:
    """Rendered lines by line key, the column layout they were drawn for, and the component styles.

    A new width or column set, a style update or a focus change (the cursor's style) empties it; it is also
    emptied when it holds `limit` lines (beyond those on screen: a few screens of scrolling back)."""

    def __init__(self, get_style: Callable[[str], Style], *, limit: int = 512) -> None:
        self._get_style = get_style
        self._limit = limit
        self._layout: list[Placed] = []
        self._layout_key: tuple[int, bool, bool] = (-1, True, False)
        self._strips: dict[Hashable, Strip] = {}
        self._styles: dict[str, Style] = {}
        self._focus = False

    def columns(self, width: int, *, show_name: bool, show_kyc: bool = False) -> list[Placed]:
        key = (width, show_name, show_kyc)
        if key != self._layout_key:
            self._layout_key = key
            self._layout = layout_columns(width, show_name=show_name, show_kyc=show_kyc)
            self._strips.clear()
        return self._layout

    def clear(self) -> None:
        self._styles.clear()
        self._strips.clear()

    def focused(self, focus: bool) -> None:
        if focus != self._focus:
            self._focus = focus
            self.clear()

    def style(self, component: str) -> Style:
        style = self._styles.get(component)
        if style is None:
            style = self._styles[component] = self._get_style(component)
        return style

    def line(self, key: Hashable, draw: Callable[[], Strip]) -> Strip:
        strip = self._strips.get(key)
        if strip is None:
            if len(self._strips) >= self._limit:
                self._strips.clear()
            strip = self._strips[key] = draw()
        return strip
