"""Opening the client a command talks through: the embedded demo bank (`--demo`) or the configured API.

The same way the app opens its client (`cybrid_tui.session`), so a command and the app agree on settings,
profiles, the loopback-only http rule and the demo bank.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import argparse

    from cybrid_tui.api.client import CybridClient
    from cybrid_tui.session import Session


@dataclass(slots=True)
class Connection:
    """A client and, for the demo, the in-memory bank behind it."""

    client: CybridClient
    demo: bool
    #: What `cybrid_tui.session` opened (closing it closes the client and, for the demo, its bank).
    session: Session
    #: `--read-only` or the profile's `read_only = true`: commands that change the bank refuse.
    read_only: bool = False
    #: The settings name the production environment (even with custom URLs): no sandbox-only requests.
    production: bool = False
    #: The profile's `duplicate_guard`: off, creates carry no tag and an ambiguous one is never sent again.
    duplicate_guard: bool = True

    async def aclose(self) -> None:
        await self.session.aclose()


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
    from cybrid_tui.session import open_session

    settings = None if demo else settings_for(args)
    opened = open_session(settings, demo=demo, faults=faults)
    return Connection(
        client=opened.client,
        demo=demo,
        session=opened,
        read_only=bool(getattr(args, "read_only", False) or getattr(settings, "read_only", False)),
        production=bool(opened.destination.production),
        duplicate_guard=bool(getattr(settings, "duplicate_guard", True)),
    )
