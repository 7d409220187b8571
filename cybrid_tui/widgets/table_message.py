"""The base of the customers table's messages: they carry the table as `control`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from textual.widget import Widget


class TableMessage(Message):
    """A message about the table (`control`, so handlers can select on the table's id)."""

    def __init__(self, table: Widget) -> None:
        super().__init__()
        self.table = table

    @property
    def control(self) -> Widget:
        return self.table
