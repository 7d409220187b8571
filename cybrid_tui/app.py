"""The Textual application: holds the backend, the clock and app-wide state; the screens do the rest.

Import-light on purpose (see the README's Performance section): the first frame is composed before httpx,
pydantic or the mock are imported. The client is built by `get_client()`, first called from a worker after
the customers screen mounted, on a thread so the imports it triggers do not freeze the screen.

| Key | Action |
| :- | :- |
| ? | Help: every key |
| i | Hide or show personal data (PII) on every screen |
| q | Quit |
| ctrl+p | Command palette |
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.reactive import reactive

from cybrid_tui.clock import SystemClock
from cybrid_tui.commands import BindingCommands
from cybrid_tui.paths import stylesheet

if TYPE_CHECKING:
    from pathlib import PurePath

    from textual.screen import Screen
    from textual.worker import Worker

    from cybrid_tui.api.client import CybridClient
    from cybrid_tui.backend import BackendFactory
    from cybrid_tui.clock import Clock

DEFAULT_REFRESH_SECONDS = 5.0
DEMO_REFRESH_SECONDS = 2.0


class CybridApp(App[None]):
    """Customers of one bank on the Cybrid platform, live."""

    TITLE = "Cybrid customers"
    # The customers screen's stylesheet is the app's: a screen's own CSS_PATH makes Textual re-parse every
    # stylesheet when the screen is installed, which cost ~100 ms before the first frame (measured).
    CSS_PATH: ClassVar[list[str | PurePath]] = [stylesheet("app.tcss"), stylesheet("customers.tcss")]
    COMMANDS = App.COMMANDS | {BindingCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", tooltip="Every key, on one screen"),
        Binding("i", "toggle_pii", "PII", tooltip="Hide or show personal data (for screen sharing)"),
        Binding("q", "quit", "Quit", tooltip="Leave the app"),
    ]

    #: Personal data hidden on every screen (the `i` key), whatever the token allows.
    pii_hidden: reactive[bool] = reactive(False)
    #: The token carries `customers:pii:read` (None until the first token was obtained).
    pii_available: reactive[bool | None] = reactive(None)

    def __init__(
        self,
        *,
        backend: BackendFactory,
        refresh_seconds: float | None = None,
        demo: bool = False,
        clock: Clock | None = None,
        flash_seconds: float = 3.0,
        cursor_blink: bool = True,
    ) -> None:
        super().__init__()
        self.backend = backend
        self.demo = demo
        self.clock: Clock = clock if clock is not None else SystemClock()
        default = DEMO_REFRESH_SECONDS if demo else DEFAULT_REFRESH_SECONDS
        self.refresh_seconds = refresh_seconds if refresh_seconds is not None else default
        #: How long a new or changed row stays highlighted (0: never, for snapshots).
        self.flash_seconds = flash_seconds
        #: Blinking text cursors (off in snapshot tests).
        self.cursor_blink = cursor_blink
        self._client: CybridClient | None = None
        self._client_lock: asyncio.Lock | None = None
        self.sub_title = f"DEMO · {backend.description}" if demo else backend.description

    @property
    def client(self) -> CybridClient | None:
        """The client, once a worker built it (None before)."""
        return self._client

    async def get_client(self) -> CybridClient:
        """The app's one client, built on first use (off the event loop: it imports httpx and friends)."""
        if self._client_lock is None:
            self._client_lock = asyncio.Lock()
        async with self._client_lock:
            if self._client is None:
                self._client = await asyncio.to_thread(self.backend.create_client)
            return self._client

    def get_default_screen(self) -> Screen[Any]:
        from cybrid_tui.screens.customers import CustomersScreen

        return CustomersScreen()

    @property
    def pii_visible(self) -> bool:
        """Personal data may be shown right now."""
        return bool(self.pii_available) and not self.pii_hidden

    def action_toggle_pii(self) -> None:
        # No notification: the status line says so while it is hidden (a toast would linger on a share).
        self.pii_hidden = not self.pii_hidden

    def action_help(self) -> None:
        from cybrid_tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        from cybrid_tui.screens import report_worker_failure

        report_worker_failure(self, event.worker, event.state)

    async def on_unmount(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()
