"""The customers table: a virtual table on Textual's Line API.

It holds no rows of its own. It draws the visible lines straight from `CustomerStore.view` (filtered and
sorted by the store), so its cost depends on the height of the terminal, not on the number of customers:
100,000 customers cost what 40 do. It repaints only the lines that read differently from what is on screen: a
line's content is summed up in a key (its customer's fields as shown, the relative times as they read now,
cursor and highlight), and after any change only lines whose key changed are repainted; an idle refresh, where
nothing visible changed, paints nothing. Rendered lines are cached by that key, so a repaint after a filter or
a scroll renders only the lines not drawn before.

The cursor follows a customer, not a position: after a refresh, a new sort or a new filter it is on the same
guid (or, when that customer is gone, at the same position). New customers come in at the top; when the table
is scrolled, the view moves with the cursor so what the person was looking at stays where it was.

| Key | Action |
| :- | :- |
| up / down | Move the cursor |
| pageup / pagedown | Move a page |
| home / end | First / last customer |
| enter | Open the customer (posts `Selected`) |

Mouse: a click selects a row, a double click opens it, a click on a column title sorts by it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from cybrid_tui.timefmt import relative
from cybrid_tui.widgets.columns import Placed, layout_columns

if TYPE_CHECKING:
    from collections.abc import Hashable, Iterable

    from rich.style import Style
    from textual import events
    from textual.geometry import Region
    from textual.timer import Timer

    from cybrid_tui.live.rows import CustomerRow
    from cybrid_tui.live.store import CustomerStore

#: A glyph per state, so a state reads without colour too (the text is always there as well).
STATE_GLYPHS = {
    "storing": "◌",
    "unverified": "○",
    "verified": "●",
    "rejected": "✕",
    "frozen": "■",
}
UNKNOWN_GLYPH = "?"
#: Rendered lines kept (by line key) beyond those on screen: enough for a few screens of scrolling back.
_STRIP_CACHE_LINES = 512
NO_VALUE = "—"
#: Which column each sort key belongs to (for the arrow in the header and clicks on titles).
SORT_COLUMNS = {"created": "created", "updated": "updated", "state": "state", "type": "type", "name": "name"}


def state_text(state: str) -> str:
    """ "● verified": the state with its glyph."""
    return f"{STATE_GLYPHS.get(state, UNKNOWN_GLYPH)} {state or 'unknown'}"


def _fit(text: str, width: int) -> str:
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


class CustomerTable(ScrollView, can_focus=True):
    """Every customer in the store's view, one per line, under a fixed header row."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("enter", "select", "Details", show=False, tooltip="Open the highlighted customer"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "customer-table--header",
        "customer-table--sorted",
        "customer-table--cursor",
        "customer-table--flash",
        "customer-table--muted",
        "customer-table--empty",
        "customer-table--state-storing",
        "customer-table--state-unverified",
        "customer-table--state-verified",
        "customer-table--state-rejected",
        "customer-table--state-frozen",
        "customer-table--state-unknown",
    }

    DEFAULT_CSS = """
    CustomerTable {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
    }
    """

    class Highlighted(Message):
        """The cursor is on another customer (None: the view is empty)."""

        def __init__(self, table: CustomerTable, guid: str | None) -> None:
            super().__init__()
            self.table = table
            self.guid = guid

        @property
        def control(self) -> CustomerTable:
            return self.table

    class Selected(Message):
        """`enter` or a double click on a customer."""

        def __init__(self, table: CustomerTable, guid: str) -> None:
            super().__init__()
            self.table = table
            self.guid = guid

        @property
        def control(self) -> CustomerTable:
            return self.table

    class HeaderClicked(Message):
        """A click on a column title: `sort_key` is the sort it stands for (None when it has none)."""

        def __init__(self, table: CustomerTable, sort_key: str | None) -> None:
            super().__init__()
            self.table = table
            self.sort_key = sort_key

        @property
        def control(self) -> CustomerTable:
            return self.table

    def __init__(
        self,
        store: CustomerStore,
        *,
        flash_seconds: float = 3.0,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._store = store
        #: How long a new or changed row stays highlighted; 0 turns highlights off (snapshots).
        self.flash_seconds = flash_seconds
        self._version = -1
        self._cursor_row = 0
        self._cursor_guid: str | None = None
        self._now = 0.0
        self._show_name = True
        self._empty_message = ""
        self._layout: list[Placed] = []
        self._layout_key: tuple[int, bool] = (-1, True)
        self._flashing: dict[str, None] = {}
        self._flash_timer: Timer | None = None
        #: What is on screen: the first row, the header's key and each body line's key (see `_line_key`).
        self._shown_top = -1
        self._shown_header: Hashable = None
        self._shown_keys: list[Hashable] = []
        self._strips: dict[Hashable, Strip] = {}
        self._styles: dict[str, Style] = {}
        self._styles_focus = False

    # ------------------------------------------------------------------------------------------ state

    @property
    def store(self) -> CustomerStore:
        return self._store

    @property
    def cursor_row(self) -> int:
        """Position of the cursor in the store's view."""
        return self._cursor_row

    @property
    def cursor_guid(self) -> str | None:
        """The customer under the cursor (None when the view is empty)."""
        return self._cursor_guid

    @property
    def flashing(self) -> frozenset[str]:
        """Customers highlighted right now because they are new or changed state."""
        return frozenset(self._flashing)

    @property
    def show_name(self) -> bool:
        return self._show_name

    @show_name.setter
    def show_name(self, value: bool) -> None:
        if value != self._show_name:
            self._show_name = value
            self.refresh()

    @property
    def empty_message(self) -> str:
        """What an empty view says ("Loading customers…", "No customers match the filter")."""
        return self._empty_message

    @empty_message.setter
    def empty_message(self, value: str) -> None:
        if value != self._empty_message:
            self._empty_message = value
            if not len(self._store.view):
                self.refresh()

    @property
    def body_height(self) -> int:
        """Rows of customers that fit under the header."""
        return max(0, self.scrollable_content_region.height - 1)

    @property
    def top_row(self) -> int:
        """Position in the view of the first customer line on screen."""
        return int(self.scroll_y)

    def visible_rows(self) -> list[CustomerRow]:
        top = self.top_row
        return list(self._store.view[top : top + self.body_height])

    # ------------------------------------------------------------------------------------------ updates

    def sync(self, now: float | None = None) -> None:
        """Catch up with the store (when its version moved) and with the time (`now`, POSIX seconds)."""
        if now is not None:
            self._now = now
        store = self._store
        if store.version == self._version:
            # Only the time moved: repaint the lines whose "N min ago" now reads differently (usually none).
            self._repaint_changed()
            return
        self._version = store.version
        view = store.view
        size = len(view)
        old_row, old_guid = self._cursor_row, self._cursor_guid
        new_row = store.index_of(old_guid) if old_guid is not None else None
        if new_row is None:
            # The customer is gone or filtered out: stay at the same position.
            new_row = min(old_row, size - 1) if size else 0
        guid = view[new_row].guid if size else None
        self._cursor_row, self._cursor_guid = new_row, guid
        self.virtual_size = Size(self.size.width, size + 1)
        top = self.top_row
        height = self.body_height
        if top > 0 and top <= old_row < top + height:
            # Keep the cursor's customer on the same line of the screen (rows came or went above it).
            top += new_row - old_row
        self._scroll_to_row(top)
        self._repaint_changed()
        if guid != old_guid:
            self.post_message(self.Highlighted(self, guid))

    def select_guid(self, guid: str) -> bool:
        """Put the cursor on this customer (scrolling to it); False when it is not in the view."""
        self.sync()
        row = self._store.index_of(guid)
        if row is None:
            return False
        self._move_cursor(row)
        return True

    def flash(self, guids: Iterable[str]) -> None:
        """Highlight these customers for `flash_seconds` (new rows, changed states)."""
        if self.flash_seconds <= 0:
            return
        added = False
        for guid in guids:
            self._flashing[guid] = None
            added = True
        if not added:
            return
        if self._flash_timer is not None:
            self._flash_timer.stop()
        # One timer for the whole batch: highlights from one refresh end together.
        self._flash_timer = self.set_timer(self.flash_seconds, self._end_flash)
        self._repaint_changed()

    def _end_flash(self) -> None:
        self._flash_timer = None
        if self._flashing:
            self._flashing.clear()
            self._repaint_changed()

    def _line_key(self, row: CustomerRow, index: int) -> Hashable:
        """Everything a body line's look depends on, besides the layout and the styles (which clear the
        caches when they change). Rows are updated in place, so the key copies their fields."""
        now = self._now
        return (
            row.guid,
            row.type,
            row.state,
            row.name,
            row.labels,
            relative(row.created_at, now),
            relative(row.updated_at, now),
            index == self._cursor_row,
            row.guid in self._flashing,
        )

    def _header_key(self) -> Hashable:
        return (self._store.sort_key, self._store.sort_descending)

    def _repaint_changed(self) -> None:
        """Repaint the lines that would read differently from what is on screen, and nothing else."""
        top = self.top_row
        rows = self._store.view[top : top + self.body_height]
        keys = [self._line_key(row, top + offset) for offset, row in enumerate(rows)]
        header = self._header_key()
        shown = self._shown_keys
        if top != self._shown_top or len(keys) != len(shown) or header != self._shown_header:
            self.refresh()
        else:
            for offset, (key, old) in enumerate(zip(keys, shown, strict=True)):
                if key != old:
                    self._refresh_row(top + offset)
        self._shown_top, self._shown_header, self._shown_keys = top, header, keys

    # ------------------------------------------------------------------------------------------ cursor

    def _scroll_to_row(self, top: int) -> None:
        """Scroll so `top` is the first line (clamped) and the cursor is on screen."""
        height = self.body_height
        if height <= 0:
            return
        row = self._cursor_row
        if row < top:
            top = row
        elif row >= top + height:
            top = row - height + 1
        top = max(0, min(top, len(self._store.view) - height))
        if top != self.top_row:
            self.scroll_to(y=top, animate=False, immediate=True)

    def _move_cursor(self, row: int) -> None:
        view = self._store.view
        if not len(view):
            return
        row = max(0, min(row, len(view) - 1))
        old_guid = self._cursor_guid
        self._cursor_row = row
        self._cursor_guid = view[row].guid
        self._scroll_to_row(self.top_row)
        self._repaint_changed()
        if self._cursor_guid != old_guid:
            self.post_message(self.Highlighted(self, self._cursor_guid))

    def _refresh_row(self, row: int) -> None:
        # Row n is virtual line n + 1 (the header is line 0).
        self.refresh_line(row + 1)

    def action_cursor_up(self) -> None:
        self._move_cursor(self._cursor_row - 1)

    def action_cursor_down(self) -> None:
        self._move_cursor(self._cursor_row + 1)

    def action_page_up(self) -> None:
        self._move_cursor(self._cursor_row - max(1, self.body_height - 1))

    def action_page_down(self) -> None:
        self._move_cursor(self._cursor_row + max(1, self.body_height - 1))

    def action_first(self) -> None:
        self._move_cursor(0)

    def action_last(self) -> None:
        self._move_cursor(len(self._store.view) - 1)

    def action_select(self) -> None:
        if self._cursor_guid is not None:
            self.post_message(self.Selected(self, self._cursor_guid))

    def on_click(self, event: events.Click) -> None:
        y = event.y
        if y < 0:
            return
        if y == 0:
            self.post_message(self.HeaderClicked(self, self._sort_key_at(event.x)))
            return
        row = self.top_row + y - 1
        if row >= len(self._store.view):
            return
        self._move_cursor(row)
        if event.chain >= 2 and self._cursor_guid is not None:
            self.post_message(self.Selected(self, self._cursor_guid))

    def _sort_key_at(self, x: int) -> str | None:
        for placed in self._columns():
            if placed.x - 1 <= x < placed.x + placed.width + 1:
                return SORT_COLUMNS.get(placed.column.key)
        return None

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self._store.view) + 1)
        self._scroll_to_row(self.top_row)

    # ------------------------------------------------------------------------------------------ drawing

    def _columns(self) -> list[Placed]:
        key = (self.scrollable_content_region.width, self._show_name)
        if key != self._layout_key:
            self._layout_key = key
            self._layout = layout_columns(key[0], show_name=key[1])
            self._strips.clear()
        return self._layout

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._strips.clear()

    def _style(self, component: str) -> Style:
        style = self._styles.get(component)
        if style is None:
            style = self._styles[component] = self.get_component_rich_style(
                f"customer-table--{component}", partial=True
            )
        return style

    def render_lines(self, crop: Region) -> list[Strip]:
        # Focus changes the cursor's component style; pick it up before drawing.
        if self.has_focus != self._styles_focus:
            self._styles_focus = self.has_focus
            self._styles.clear()
            self._strips.clear()
        self._columns()  # a new width or column set clears the cached lines before any is reused
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            return self._header(width, base)
        view = self._store.view
        index = self.top_row + y - 1
        if index < len(view):
            row = view[index]
            key = self._line_key(row, index)
            strip = self._strips.get(key)
            if strip is None:
                if len(self._strips) >= _STRIP_CACHE_LINES:
                    self._strips.clear()
                strip = self._strips[key] = self._row(row, index == self._cursor_row, width, base)
            return strip
        if not len(view) and y == 2 and self._empty_message:
            text = _fit("  " + self._empty_message, width)
            return Strip([Segment(text, base + self._style("empty"))], width)
        return Strip.blank(width, base)

    def _header(self, width: int, base: Style) -> Strip:
        style = base + self._style("header")
        sorted_style = style + self._style("sorted")
        store = self._store
        arrow = " ↓" if store.sort_descending else " ↑"
        segments: list[Segment] = []
        x = 0
        for placed in self._columns():
            if placed.x > x:
                segments.append(Segment(" " * (placed.x - x), style))
            key = placed.column.key
            is_sorted = SORT_COLUMNS.get(key) == store.sort_key
            title = placed.column.title + (arrow if is_sorted else "")
            segments.append(Segment(_fit(title, placed.width), sorted_style if is_sorted else style))
            x = placed.x + placed.width
        if x < width:
            segments.append(Segment(" " * (width - x), style))
        return _strip(segments, x, width)

    def _row(self, row: CustomerRow, is_cursor: bool, width: int, base: Style) -> Strip:
        line = base
        if row.guid in self._flashing:
            line = line + self._style("flash")
        cursor = self._style("cursor") if is_cursor else None
        if cursor is not None:
            line = line + cursor
        muted = self._style("muted")
        now = self._now
        segments: list[Segment] = []
        x = 0
        for placed in self._columns():
            if placed.x > x:
                segments.append(Segment(" " * (placed.x - x), line))
            key = placed.column.key
            style = line
            if key == "guid":
                text = row.guid[: placed.width]
            elif key == "type":
                text = row.type or NO_VALUE
            elif key == "name":
                text = row.name or NO_VALUE
                if row.name is None:
                    style = line + muted
            elif key == "state":
                text = state_text(row.state)
                state = row.state if row.state in STATE_GLYPHS else "unknown"
                style = line + self._style(f"state-{state}")
            elif key == "labels":
                text = ", ".join(row.labels) if row.labels else ""
            elif key == "created":
                text = relative(row.created_at, now)
                style = line + muted
            else:
                text = relative(row.updated_at, now)
                style = line + muted
            if cursor is not None:
                style = style + cursor
            segments.append(Segment(_fit(text, placed.width), style))
            x = placed.x + placed.width
        if x < width:
            segments.append(Segment(" " * (width - x), line))
        return _strip(segments, x, width)
