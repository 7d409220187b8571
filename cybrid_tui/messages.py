"""Messages workers post when their I/O is done. Named in the past tense: they report what happened.

The project's one convention for messages:

- a message a worker posts when its I/O is done lives here, whichever screen runs the worker: this module is
  the contract between the I/O and the UI (the bench posts `CustomersRefreshed` too);
- a message a widget posts to its parents is nested in the widget's class, as Textual's own are
  (`CustomerTable.Selected`, `IdentificationSection.RowRemoved`), with a `control` property when it names
  the widget;
- every message is named in the past tense and has a docstring saying what happened.

Workers never touch widgets; they post one of these and the screen's handler updates what is shown. Kept
free of heavy imports (the types are only needed for checking), since screens import this module before the
first frame.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from cybrid_tui.api.capabilities import Capabilities
    from cybrid_tui.api.errors import CybridError
    from cybrid_tui.api.identity_verifications import StartResult
    from cybrid_tui.api.models import Customer, IdentityVerification, IdentityVerificationWithDetails
    from cybrid_tui.api.safe_create import CreateResult
    from cybrid_tui.live.refresher import LiveRefresher
    from cybrid_tui.live.store import ChangeSet
    from cybrid_tui.live.verifications import VerificationChanges


class Connected(Message):
    """A token was obtained; `capabilities` says what it allows (`include_pii`: it may read PII)."""

    def __init__(self, refresher: LiveRefresher, *, capabilities: Capabilities) -> None:
        super().__init__()
        self.refresher = refresher
        self.capabilities = capabilities

    @property
    def include_pii(self) -> bool:
        return self.capabilities.can_read_pii


class CustomersPageLoaded(Message):
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

    def __init__(
        self, changes: ChangeSet, requests: int, *, verifications: VerificationChanges | None = None
    ) -> None:
        super().__init__()
        self.changes = changes
        self.requests = requests
        #: What the open-verifications listing changed, when the tick read it.
        self.verifications = verifications


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


class CustomerCreated(Message):
    """The create form's customer was created (`result` says whether it was found after a lost answer, and
    whether a late duplicate turned up)."""

    def __init__(self, result: CreateResult[Customer]) -> None:
        super().__init__()
        self.result = result


class CreateFailed(Message):
    """The create form's request failed; `uncertain` when it may have reached Cybrid (a retry looks first)."""

    def __init__(self, error: Exception, *, uncertain: bool) -> None:
        super().__init__()
        self.error = error
        self.uncertain = uncertain


# ------------------------------------------------------------------ identity verification (H11, issue 13)


class VerificationStarted(Message):
    """The verify screen's start answered: `result.created` False means an open verification already existed
    and nothing was sent (`result` is the client's `StartResult`)."""

    def __init__(self, result: StartResult) -> None:
        super().__init__()
        self.result = result


class VerificationStartFailed(Message):
    """Starting a verification failed; `uncertain` when the request may have reached Cybrid (a second start
    looks for what it created before sending again)."""

    def __init__(self, error: CybridError, *, uncertain: bool) -> None:
        super().__init__()
        self.error = error
        self.uncertain = uncertain


class OpenVerificationFound(Message):
    """The verify screen found the customer's open verification (None: there is none) when it opened."""

    def __init__(self, verification: IdentityVerification | None) -> None:
        super().__init__()
        self.verification = verification


class VerificationsFetched(Message):
    """The detail view read the customer's verifications (newest first) in its refresh; `details` are the
    detailed reads (Persona inquiry id) by verification guid; `error` when the listing failed."""

    def __init__(
        self,
        guid: str,
        verifications: list[IdentityVerification] | None,
        details: dict[str, IdentityVerificationWithDetails],
        error: CybridError | None = None,
    ) -> None:
        super().__init__()
        self.guid = guid
        self.verifications = verifications
        self.details = details
        self.error = error


class CustomerResetDone(Message):
    """A reset to `unverified` answered: `customer` on success, `error` when the API refused or failed."""

    def __init__(self, customer: Customer | None, error: CybridError | None = None) -> None:
        super().__init__()
        self.customer = customer
        self.error = error
