"""The customers table: a virtual table on Textual's Line API, drawn by `cybrid_tui.widgets.table_lines`.

It holds no rows: it draws the visible lines straight from `CustomerStore.view`, so 100,000 customers cost
what 40 do. A line's look is summed up in a key (its fields as shown, relative times as they read now, cursor,
highlight); after a change only lines whose key changed are repainted, and lines are cached by key.

The cursor follows a customer, not a position: after a refresh, a sort or a filter it is on the same guid (or,
when that customer is gone, at the same position). When the table is scrolled, the view moves with the cursor
so what the person was looking at stays where it was.

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

from rich.segment import Segment
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from cybrid_tui.timefmt import relative
from cybrid_tui.widgets.table_lines import STATE_GLYPHS, LineCache, fit, header_line, row_line, sort_key_at
from cybrid_tui.widgets.table_message import TableMessage

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable, Iterable

    from textual import events
    from textual.geometry import Region
    from textual.timer import Timer

    from cybrid_tui.live.rows import CustomerRow
    from cybrid_tui.live.store import CustomerStore
    from cybrid_tui.widgets.columns import Placed


class CustomerTable(ScrollView, can_focus=True):
    """Every customer in the store's view, one per line, under a fixed header row."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Up", show=False, id="table.up"),
        Binding("down", "cursor_down", "Down", show=False, id="table.down"),
        Binding("pageup", "page_up", "Page up", show=False, id="table.page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="table.page_down"),
        Binding("home", "first", "First", show=False, id="table.first"),
        Binding("end", "last", "Last", show=False, id="table.last"),
        Binding("enter", "select", "Details", show=False, id="table.select", tooltip="Open the customer"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *(f"customer-table--{name}" for name in ("header", "sorted", "cursor", "flash", "muted", "empty")),
        *(f"customer-table--state-{state}" for state in (*STATE_GLYPHS, "unknown", "kyc")),
    }

    DEFAULT_CSS = """
    CustomerTable {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
    }
    """

    class Highlighted(TableMessage):
        """The cursor moved to another customer (`guid` None: the view is empty)."""

        def __init__(self, table: CustomerTable, guid: str | None) -> None:
            super().__init__(table)
            self.guid = guid

    class Selected(TableMessage):
        """A customer was opened: `enter` or a double click."""

        def __init__(self, table: CustomerTable, guid: str) -> None:
            super().__init__(table)
            self.guid = guid

    class HeaderClicked(TableMessage):
        """A column title was clicked: `sort_key` is the sort it stands for (None when it has none)."""

        def __init__(self, table: CustomerTable, sort_key: str | None) -> None:
            super().__init__(table)
            self.sort_key = sort_key

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
        #: The verification in progress of a customer, as the KYC column reads it ("" when none): set by
        #: the screen from `live.verifications.OpenVerifications`; the column shows while any row has one.
        self.kyc: Callable[[str], str] = lambda guid: ""
        self.show_kyc = False
        self._empty_message = ""
        self._flashing: dict[str, None] = {}
        self._flash_timer: Timer | None = None
        #: What is on screen: the first row, the header's key and each body line's key (see `_line_key`).
        self._shown_top = -1
        self._shown_header: Hashable = None
        self._shown_keys: list[Hashable] = []
        self._lines = LineCache(
            lambda component: self.get_component_rich_style(f"customer-table--{component}", partial=True)
        )

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
            self.kyc(row.guid),
        )

    def _repaint_changed(self) -> None:
        """Repaint the lines that would read differently from what is on screen, and nothing else."""
        top = self.top_row
        rows = self._store.view[top : top + self.body_height]
        keys = [self._line_key(row, top + offset) for offset, row in enumerate(rows)]
        header = (self._store.sort_key, self._store.sort_descending)
        shown = self._shown_keys
        if top != self._shown_top or len(keys) != len(shown) or header != self._shown_header:
            self.refresh()
        else:
            for offset, (key, old) in enumerate(zip(keys, shown, strict=True)):
                if key != old:
                    self.refresh_line(top + offset + 1)  # the header is line 0
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
            self.post_message(self.HeaderClicked(self, sort_key_at(self._columns(), event.x)))
            return
        row = self.top_row + y - 1
        if row >= len(self._store.view):
            return
        self._move_cursor(row)
        if event.chain >= 2 and self._cursor_guid is not None:
            self.post_message(self.Selected(self, self._cursor_guid))

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self._store.view) + 1)
        self._scroll_to_row(self.top_row)

    # ------------------------------------------------------------------------------------------ drawing

    def _columns(self) -> list[Placed]:
        width = self.scrollable_content_region.width
        return self._lines.columns(width, show_name=self._show_name, show_kyc=self.show_kyc)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()

    def render_lines(self, crop: Region) -> list[Strip]:
        self._lines.focused(self.has_focus)  # focus changes the cursor's component style
        self._columns()  # a new width or column set clears the cached lines before any is reused
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        style = self._lines.style
        if y == 0:
            store = self._store
            header = base + style("header")
            sort_key, descending = store.sort_key, store.sort_descending
            return header_line(
                self._columns(), width, sort_key=sort_key, descending=descending, style=header,
                sorted_style=header + style("sorted"),
            )  # fmt: skip
        view = self._store.view
        index = self.top_row + y - 1
        if index < len(view):
            row = view[index]

            def draw() -> Strip:
                return row_line(
                    row, self._columns(), width, now=self._now,
                    line=base + style("flash") if row.guid in self._flashing else base,
                    cursor=style("cursor") if index == self._cursor_row else None,
                    muted=style("muted"), state_style=lambda state: style(f"state-{state}"),
                    kyc=self.kyc(row.guid),
                )  # fmt: skip

            return self._lines.line(self._line_key(row, index), draw)
        if not len(view) and y == 2 and self._empty_message:
            return Strip([Segment(fit("  " + self._empty_message, width), base + style("empty"))], width)
        return Strip.blank(width, base)
