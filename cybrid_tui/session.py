"""One way to open a client: the TUI, the command line and the bench all come through here.

`open_session(settings)` (or `open_session(demo=True)`) returns a ready `CybridClient` and a `Destination`
saying where it points; `describe(...)` gives the destination alone, without building anything. Opening never
touches the network: the first call fetches the token.

Importing this module is cheap (httpx, pydantic and the mock are imported inside the functions), so the
launcher can describe the destination before the first frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

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

Environment = Literal["demo", "sandbox", "production", "custom"]

#: Origin the demo client talks to; requests never leave the process (ASGI transport), and it is loopback
#: so the client's plain-http rule holds anyway.
DEMO_URL = "http://127.0.0.1"


@dataclass(frozen=True, slots=True)
class Destination:
    """Where a client points, for a header, a status line or `--json` output."""

    #: "in-process mock bank, no network", or the bank's host ("bank.sandbox.cybrid.app").
    label: str
    #: "custom" when a bank or identity URL overrides the environment's.
    environment: Environment
    bank_url: str
    demo: bool
    #: The settings name the production environment (even with custom URLs): style and confirm accordingly.
    production: bool = False


@dataclass(frozen=True, slots=True)
class Session:
    """A ready client and where it points. Close it with `await session.aclose()` (or `async with
    session.client:`)."""

    client: CybridClient
    destination: Destination
    #: The demo's in-memory bank (tests and the bench drive it directly); None unless demo.
    mock: MockBackend | None = None

    async def aclose(self) -> None:
        await self.client.aclose()


def describe(settings: Settings | None = None, *, demo: bool = False) -> Destination:
    """Where `open_session` with the same arguments would point; builds nothing, sends nothing."""
    if demo:
        return Destination(label=DEMO_LABEL, environment="demo", bank_url=DEMO_URL, demo=True)
    if settings is None:
        raise ValueError("settings are needed unless demo=True")
    from urllib.parse import urlsplit

    bank_url = settings.resolved_bank_url
    environment: Environment = (
        "custom" if settings.bank_url is not None or settings.id_url is not None else settings.environment
    )
    label = urlsplit(bank_url).netloc
    production = settings.environment == "production"
    return Destination(
        label=label, environment=environment, bank_url=bank_url, demo=False, production=production
    )


def open_session(
    settings: Settings | None = None,
    *,
    demo: bool = False,
    mock_config: MockConfig | None = None,
    faults: Mapping[str, float | int] | None = None,
    retry: RetryPolicy | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    setting_names: Mapping[str, str] | None = None,
) -> Session:
    """A ready client for `settings` (or the demo bank) and where it points.

    Demo: `mock_config` (default: the demo bank, activity on) and `faults` (FaultConfig fields, as the
    `--fault-*` flags) shape the embedded mock; `settings` are ignored. Otherwise `settings` are required
    (`cybrid_tui.config.load_settings()`), and `transport` may replace httpx's (the bench counts requests).
    `setting_names` maps "bank_url", "id_url", "client_id", "client_secret" to what the user set (a variable,
    a profile key), so a message can point at it (default: the `CYBRID_*` variables, named by the settings).

    Raises `CybridError` (`ConfigurationError`, `InsecureTransportError`) with a clear message when the
    settings cannot make a client (no client id or secret, a URL the client refuses).
    """
    if demo:
        mock_app = demo_mock_app(mock_config, faults=faults)
        client = demo_client(mock_app, retry=retry)
        mock: MockBackend = mock_app.state.backend
        return Session(client, describe(demo=True), mock)
    if settings is None:
        raise ValueError("settings are needed unless demo=True")
    return Session(
        settings_client(settings, retry=retry, transport=transport, setting_names=setting_names),
        describe(settings),
    )


# ------------------------------------------------------------------------- the builders (the TUI's backend)


def demo_mock_app(
    config: MockConfig | None = None,
    *,
    faults: Mapping[str, float | int] | None = None,
    clock: Clock | None = None,
) -> Starlette:
    """The demo bank's ASGI app: `config` (default: the demo bank, activity on) with `faults` applied."""
    import dataclasses

    from cybrid_tui.mock.app import create_mock_app
    from cybrid_tui.mock.config import MockConfig, updated_faults

    # A waiting verification nobody finishes expires in minutes in the demo (Persona: 24 h), so the demo
    # shows `expired` too.
    config = config if config is not None else MockConfig(activity=True, verification_lifetime_seconds=300)
    if faults:
        config = dataclasses.replace(config, faults=updated_faults(config.faults, faults))
    return create_mock_app(config, clock=clock)


def demo_client(
    mock_app: Starlette,
    *,
    retry: RetryPolicy | None = None,
    wrap_transport: Callable[[httpx.AsyncBaseTransport], httpx.AsyncBaseTransport] | None = None,
) -> CybridClient:
    """A client of the demo bank `mock_app`, in process (ASGI transport): no credentials, no network."""
    import httpx

    from cybrid_tui.api.client import CybridClient

    mock: MockBackend = mock_app.state.backend
    transport: httpx.AsyncBaseTransport = httpx.ASGITransport(app=mock_app)
    if wrap_transport is not None:
        transport = wrap_transport(transport)
    return CybridClient(
        bank_url=DEMO_URL,
        id_url=DEMO_URL,
        client_id=mock.config.client_id,
        client_secret=mock.config.client_secret,
        transport=transport,
        retry=retry,
    )


def settings_client(
    settings: Settings,
    *,
    retry: RetryPolicy | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    setting_names: Mapping[str, str] | None = None,
) -> CybridClient:
    """A client of the bank `settings` name."""
    from cybrid_tui.api.client import CybridClient
    from cybrid_tui.api.errors import ConfigurationError

    names = dict(setting_names) if setting_names is not None else variable_names()
    if settings.client_id is None or settings.client_secret is None:
        raise ConfigurationError(
            f"A client id and secret are needed ({names['client_id']}, {names['client_secret']})."
        )
    return CybridClient(
        bank_url=settings.resolved_bank_url,
        id_url=settings.resolved_id_url,
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        scopes=settings.scope_list,
        timeout=settings.timeout_seconds,
        transport=transport,
        retry=retry,
        setting_names=names,
    )


def variable_names() -> dict[str, str]:
    """How the client's messages name its settings when they came from the environment (the settings
    package owns the variable names)."""
    from cybrid_tui.settings.layers import env_name

    return {
        "bank_url": f"The bank URL ({env_name('bank_url')})",
        "id_url": f"The identity URL ({env_name('id_url')})",
        "client_id": env_name("client_id"),
        "client_secret": env_name("client_secret"),
    }
