"""Opening the client a command talks through: the embedded demo bank (`--demo`) or the configured API.

The same way the app opens its client (`cybrid_tui.session`), so a command and the app agree on settings,
profiles, the loopback-only http rule and the demo bank. Until `session.py` is there, the app's backends
(`cybrid_tui.backend`) build the same client.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import argparse

    from cybrid_tui.api.client import CybridClient


@dataclass(slots=True)
class Connection:
    """A client and, for the demo, the in-memory bank behind it."""

    client: CybridClient
    demo: bool
    #: The session object when `cybrid_tui.session` opened it (closing it closes the client).
    session: Any = None
    #: `--read-only` or the profile's `read_only = true`: commands that change the bank refuse.
    read_only: bool = False
    #: The settings name the production environment (even with custom URLs): no sandbox-only requests.
    production: bool = False
    #: The profile's `duplicate_guard`: off, creates carry no tag and an ambiguous one is never sent again.
    duplicate_guard: bool = True

    async def aclose(self) -> None:
        if self.session is not None:
            await self.session.aclose()
        else:
            await self.client.aclose()


def settings_for(args: argparse.Namespace) -> Any:
    """The settings the flags name (`--profile`, `--read-only`); raises `ConfigurationError` with one piece of
    advice. The flag can only add read-only: a profile's `read_only = true` holds without it."""
    from cybrid_tui.config import load_settings

    read_only = True if getattr(args, "read_only", False) else None
    return load_settings(profile=getattr(args, "profile", None), flags={"read_only": read_only})


def open_connection(args: argparse.Namespace) -> Connection:
    """The client for `args` (`--demo`, `--profile`, the demo's `--fault-*`); raises `CybridError` when the
    settings cannot open one. Nothing is sent until the first call."""
    demo = bool(getattr(args, "demo", False))
    faults = getattr(args, "demo_faults", None)
    import importlib.util

    if importlib.util.find_spec("cybrid_tui.session") is not None:
        from cybrid_tui import session as sessions  # type: ignore[attr-defined,unused-ignore]

        settings = None if demo else settings_for(args)
        opened = sessions.open_session(settings, demo=demo, faults=faults)
        return Connection(
            client=opened.client,
            demo=demo,
            session=opened,
            read_only=bool(getattr(args, "read_only", False) or getattr(settings, "read_only", False)),
            production=bool(opened.destination.production),
            duplicate_guard=bool(getattr(settings, "duplicate_guard", True)),
        )
    from cybrid_tui.backend import DemoBackend, SettingsBackend

    if demo:
        return Connection(client=DemoBackend(faults=faults).create_client(), demo=True)
    from cybrid_tui.launch import real_backend

    backend = real_backend(getattr(args, "profile", None))
    assert isinstance(backend, SettingsBackend)
    return Connection(client=backend.create_client(), demo=False)
