"""The app's screens. Each screen module is imported on its own; this package stays import-light."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from textual.worker import WorkerState

if TYPE_CHECKING:
    from textual.app import App
    from textual.worker import Worker

log = logging.getLogger(__name__)


def report_worker_failure(app: App[Any], worker: Worker[Any], state: WorkerState) -> bool:
    """The one fallback for a worker that failed with an error it did not expect (a bug, not the API).

    Expected failures (`CybridError`) are caught inside the workers and posted as messages; anything else
    lands here: it is logged and shown as a notification, and the app keeps running. True when reported.
    """
    if state != WorkerState.ERROR:
        return False
    error = worker.error
    log.error("worker %s failed unexpectedly: %r", worker.name, error, exc_info=error)
    from cybrid_tui.safe_text import safe_text

    app.notify(
        safe_text(f"{type(error).__name__}: {error}") if error is not None else "Unknown error",
        title="Something went wrong (details in the log)",
        severity="error",
        timeout=10,
        markup=False,  # the error's text can quote a server
    )
    return True
