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
from cybrid_tui.commands import BindingCommands, ProfileCommands
from cybrid_tui.defaults import refresh_seconds_for
from cybrid_tui.paths import stylesheet

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from pathlib import PurePath

    from textual import events
    from textual.command import Provider
    from textual.screen import Screen
    from textual.worker import Worker

    from cybrid_tui.api.capabilities import Capabilities
    from cybrid_tui.api.client import CybridClient
    from cybrid_tui.backend import BackendFactory
    from cybrid_tui.clock import Clock


class CybridApp(App[None]):
    """Customers of one bank on the Cybrid platform, live."""

    TITLE = "Cybrid customers"
    # The customers screen's stylesheet is the app's: a screen's own CSS_PATH makes Textual re-parse every
    # stylesheet when the screen is installed, which cost ~100 ms before the first frame (measured).
    CSS_PATH: ClassVar[list[str | PurePath]] = [stylesheet("app.tcss"), stylesheet("customers.tcss")]
    # Only the app's own commands: Textual's system commands (theme, screenshot, keys panel) are noise here.
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {
        BindingCommands,
        ProfileCommands,
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", id="app.help", tooltip="Every key, on one screen"),
        Binding(
            "i",
            "toggle_pii",
            "PII",
            id="app.toggle_pii",
            tooltip="Hide or show personal data",
        ),
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Leave the app"),
    ]

    #: Personal data hidden on every screen (the `i` key), whatever the token allows.
    pii_hidden: reactive[bool] = reactive(False)
    #: What the API key allows, from the token's scopes (None until the first token was obtained).
    capabilities: reactive[Capabilities | None] = reactive(None, always_update=True)
    #: The token carries `customers:pii:read` (None until the first token was obtained): derived from
    #: `capabilities`, kept as a reactive of its own so screens can watch it.
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
        keymap: Mapping[str, str] | None = None,
        read_only: bool | None = None,
        profile_backend: Callable[[str], BackendFactory] | None = None,
    ) -> None:
        super().__init__()
        self.backend = backend
        #: The `[keys]` table, checked (`settings.keymap.build_keymap`); applied on mount.
        self.keymap: dict[str, str] = dict(keymap or {})
        settings = getattr(backend, "settings", None)
        self._read_only_flag = bool(read_only)
        #: Creating customers (and every action of `cybrid_tui.permissions`) is hidden and refused.
        self.read_only = bool(getattr(settings, "read_only", False)) if read_only is None else read_only
        #: Tag creates so an ambiguous failure can be checked and retried (`duplicate_guard = false`: off).
        self.duplicate_guard = bool(getattr(settings, "duplicate_guard", True))
        self.demo = demo
        self.clock: Clock = clock if clock is not None else SystemClock()
        self.refresh_seconds = refresh_seconds_for(demo=demo, given=refresh_seconds)
        #: How long a new or changed row stays highlighted (0: never, for snapshots).
        self.flash_seconds = flash_seconds
        #: Blinking text cursors (off in snapshot tests).
        self.cursor_blink = cursor_blink
        self._client: CybridClient | None = None
        self._client_lock: asyncio.Lock | None = None
        #: The backend of a config-file profile, for "Switch profile" (runs on a thread: may run a command).
        self.profile_backend: Callable[[str], BackendFactory] = profile_backend or _profile_backend
        self._show_banner()

    def _show_banner(self) -> None:
        from cybrid_tui.banner import PRODUCTION_CLASS, banner

        settings = getattr(self.backend, "settings", None)
        shown = banner(description=self.backend.description, demo=self.demo, settings=settings)
        self.sub_title = shown.sub_title
        # On the app, so every screen below it (table, detail, form, dialogs) can be styled for production.
        self.set_class(shown.production, PRODUCTION_CLASS)

    async def swap_backend(self, backend: BackendFactory, client: CybridClient) -> None:
        """Show `backend`'s bank (its `client` already built) in place of the current one: every screen goes,
        a fresh customers screen comes, and only then is the old client closed."""
        from cybrid_tui.screens.customers import CustomersScreen

        old, self._client = self._client, client
        self.backend = backend
        self.demo = backend.demo
        settings = getattr(backend, "settings", None)
        self.read_only = bool(getattr(settings, "read_only", False)) or self._read_only_flag
        self.duplicate_guard = bool(getattr(settings, "duplicate_guard", True))
        self.capabilities = None
        self._show_banner()
        while len(self.screen_stack) > 1:
            await self.pop_screen()
        base = self.screen
        if not base._result_callbacks:
            # Textual 8's switch_screen pops a result callback the default screen never had: give it one.
            base._push_result_callback(base, None)
        await self.switch_screen(CustomersScreen())
        if old is not None:
            await old.aclose()

    def on_mount(self) -> None:
        if self.keymap:
            self.set_keymap(self.keymap)

    def allows(self, action: str) -> bool:
        """`action` may run in this session (the read-only rule of `cybrid_tui.permissions`)."""
        from cybrid_tui.permissions import refusal

        return refusal(action, read_only=self.read_only) is None

    def refuse(self, action: str) -> bool:
        """Say why `action` is refused and return True; False (and nothing said) when it is allowed."""
        from cybrid_tui.permissions import refusal

        reason = refusal(action, read_only=self.read_only)
        if reason is not None:
            self.notify(reason, title="Read-only", severity="warning", timeout=5)
        return reason is not None

    def confirm_change(self, what: str, proceed: Callable[[], object]) -> None:
        """Run `proceed` now, or against production only after a confirmation naming the bank (`what`:
        "Create a customer"). Creating customers and starting verifications both go through here."""
        from cybrid_tui.guard import confirm_change

        confirm_change(self, what, proceed)

    def on_key(self, event: events.Key) -> None:
        # A refused action's binding is hidden (check_action says False), so its key would do nothing at
        # all; a person who presses it learns why instead.
        from cybrid_tui.guard import refused_action

        action = refused_action(self, event.key)
        if action is not None:
            event.prevent_default()
            self.refuse(action)

    def switch_profile(self, name: str) -> None:
        """Reload every screen against the bank of profile `name` (see `cybrid_tui.profile_switch`)."""
        from cybrid_tui.profile_switch import switch_profile

        switch_profile(self, name)

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
                self._client = await asyncio.to_thread(self._build_client)
            return self._client

    def _build_client(self) -> CybridClient:
        """On a thread: the client, and the live layer the screens use next, imported off the event loop."""
        client = self.backend.create_client()
        # The client imports its models on first use (a command that only lists never needs them); the app
        # reads every page through them, so pydantic and their schemas are built here, not on the event loop.
        import cybrid_tui.api.identity_verifications
        import cybrid_tui.api.models
        import cybrid_tui.live.refresher
        import cybrid_tui.live.verifications  # noqa: F401

        return client

    def get_default_screen(self) -> Screen[Any]:
        from cybrid_tui.screens.customers import CustomersScreen

        return CustomersScreen()

    def watch_capabilities(self, capabilities: Capabilities | None) -> None:
        self.pii_available = None if capabilities is None else capabilities.can_read_pii

    def action_toggle_pii(self) -> None:
        # No notification: the status line says so while it is hidden (a toast would linger on a share).
        self.pii_hidden = not self.pii_hidden

    async def action_quit(self) -> None:
        """Quit, but ask first while a screen holds input that would be lost (`q`, `ctrl+q`, the palette)."""
        from cybrid_tui.screens.discard_changes import DiscardChangesScreen

        if isinstance(self.screen, DiscardChangesScreen):
            return  # already asking
        unsaved = [
            screen for screen in self.screen_stack if getattr(screen, "has_unsaved_input", lambda: False)()
        ]
        if not unsaved:
            self.exit()
            return

        def decided(discard: bool | None) -> None:
            if discard:
                self.exit()

        await self.push_screen(
            DiscardChangesScreen("Quit and discard this new customer? What you typed will be lost."), decided
        )

    def action_open_log_location(self) -> None:
        """Show where the log file is and copy its path (a terminal app has no file manager to open)."""
        from cybrid_tui.logging_setup import log_file_path

        path = str(log_file_path())
        self.copy_to_clipboard(path)
        self.notify(f"{path}\n(path copied to the clipboard)", title="Log file", timeout=8, markup=False)

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


def _profile_backend(name: str) -> BackendFactory:
    from cybrid_tui.launch import real_backend

    return real_backend(name)
