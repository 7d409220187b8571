"""Where the TUI's `CybridClient` comes from: the embedded demo bank or the configured Cybrid API.

The clients are built by `cybrid_tui.session` (the one way to open a client, shared with the command line
and the bench); this module only defers that for the TUI. The app is handed a factory, not a client: the
client (and its httpx connection pool) is built inside the running app, in a worker after the first frame,
so it binds to the app's event loop and the heavy imports (httpx, pydantic, starlette, the mock) stay off
the path to the first frame. Demo, tests and production differ only in the transport the client is given.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from cybrid_tui.defaults import DEMO_LABEL

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    import httpx
    from starlette.applications import Starlette

    from cybrid_tui.api.client import CybridClient
    from cybrid_tui.api.retry import RetryPolicy
    from cybrid_tui.clock import Clock
    from cybrid_tui.config import Settings
    from cybrid_tui.mock.backend import MockBackend
    from cybrid_tui.mock.config import MockConfig

__all__ = ["BackendFactory", "DemoBackend", "SettingsBackend"]


class BackendFactory(Protocol):
    """Builds the client the app talks through; `create_client` runs off the UI's first frame."""

    #: True for the embedded mock: the screen says so.
    demo: bool

    @property
    def description(self) -> str:
        """What the app is connected to, for the header ("in-process mock bank", a host name)."""
        ...

    def create_client(self) -> CybridClient: ...


class DemoBackend:
    """The embedded mock bank, served in-process through `httpx.ASGITransport`: no credentials, no network.

    `config` defaults to the demo bank (seeded customers, storing for ~2 s, activity that moves states by
    itself). Tests pass their own `mock_app` (or `config` and `clock`), may wrap the transport to block or
    fail requests, and may give a `retry` policy (e.g. a single attempt, so a failure shows at once).
    `faults` (FaultConfig fields, from `--fault-*`) make the demo bank misbehave: the same faults
    `cybrid-tui mock-server` injects.
    """

    demo = True

    def __init__(
        self,
        config: MockConfig | None = None,
        *,
        clock: Clock | None = None,
        mock_app: Starlette | None = None,
        wrap_transport: Callable[[httpx.AsyncBaseTransport], httpx.AsyncBaseTransport] | None = None,
        faults: Mapping[str, float | int] | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        self._retry = retry
        self._config = config
        self._faults = dict(faults) if faults else None
        self._clock = clock
        self._mock_app = mock_app
        self._wrap = wrap_transport

    @property
    def description(self) -> str:
        return DEMO_LABEL

    @property
    def mock_app(self) -> Starlette:
        """The mock ASGI app (built on first use)."""
        if self._mock_app is None:
            from cybrid_tui.session import demo_mock_app

            self._mock_app = demo_mock_app(self._config, faults=self._faults, clock=self._clock)
        return self._mock_app

    @property
    def mock(self) -> MockBackend:
        """The in-memory bank behind the demo (tests drive it directly)."""
        backend: MockBackend = self.mock_app.state.backend
        return backend

    def create_client(self) -> CybridClient:
        from cybrid_tui.session import demo_client

        return demo_client(self.mock_app, retry=self._retry, wrap_transport=self._wrap)


class SettingsBackend:
    """The Cybrid API named by the settings (environment variables or `.env`)."""

    demo = False

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @property
    def description(self) -> str:
        from cybrid_tui.session import describe  # not at import: the demo's first frame does not need it

        return describe(self.settings).label

    def create_client(self) -> CybridClient:
        from cybrid_tui.session import settings_client

        return settings_client(self.settings)
