"""Messages workers post when their I/O is done. Named in the past tense: they report what happened.

Workers never touch widgets; they post one of these and the screen's handler updates what is shown. Kept
free of heavy imports (the types are only needed for checking), since screens import this module before the
first frame.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from cybrid_tui.api.errors import CybridError
    from cybrid_tui.api.models import Customer
    from cybrid_tui.live.refresher import LiveRefresher
    from cybrid_tui.live.store import ChangeSet


class Connected(Message):
    """A token was obtained; `include_pii` says whether it carries `customers:pii:read`."""

    def __init__(self, refresher: LiveRefresher, *, include_pii: bool) -> None:
        super().__init__()
        self.refresher = refresher
        self.include_pii = include_pii


class CustomersLoading(Message):
    """A batch of the first load was applied to the store: `loaded` of `total` customers so far."""

    def __init__(self, changes: ChangeSet, loaded: int, total: int | None) -> None:
        super().__init__()
        self.changes = changes
        self.loaded = loaded
        self.total = total


class CustomersLoaded(Message):
    """The first load finished: every customer of the bank is in the store."""


class CustomersRefreshed(Message):
    """A live-refresh tick succeeded (the store is already updated)."""

    def __init__(self, changes: ChangeSet, requests: int) -> None:
        super().__init__()
        self.changes = changes
        self.requests = requests


class RefreshFailed(Message):
    """Loading or refreshing failed; the store still holds the last good data."""

    def __init__(self, error: CybridError) -> None:
        super().__init__()
        self.error = error


class CustomerFetched(Message):
    """The detail view's customer was read."""

    def __init__(self, customer: Customer) -> None:
        super().__init__()
        self.customer = customer


class CustomerFetchFailed(Message):
    """Reading the detail view's customer failed; the last good copy stays on screen."""

    def __init__(self, guid: str, error: CybridError) -> None:
        super().__init__()
        self.guid = guid
        self.error = error
