"""Switching the running app to another profile's bank, from the command palette.

The profile is resolved off the event loop (a `client_secret_command` may run, the config file is read),
the new client is built, and only then is the old bank let go: every screen is dropped and a fresh customers
screen is shown, so no row, detail or form of the previous bank stays on screen. A failure keeps the
current bank and says why.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cybrid_tui.app import CybridApp


def switch_profile(app: CybridApp, name: str) -> None:
    """Start switching to profile `name` (a worker; a second switch cancels the first). Refused while a
    screen holds input or a create waits for its answer: the switch drops every screen, and a create cut off
    mid-flight may or may not have reached the first bank."""
    if any(getattr(screen, "has_unsaved_input", lambda: False)() for screen in app.screen_stack):
        app.notify(
            "Finish or leave the new-customer form first: switching would lose it.",
            title=f"Not switching to profile {name}",
            severity="warning",
            timeout=6,
            markup=False,
        )
        return
    app.run_worker(_switch(app, name), group="switch-profile", exclusive=True, exit_on_error=False)


async def _switch(app: CybridApp, name: str) -> None:
    from cybrid_tui.api.errors import CybridError

    app.notify(f"Switching to profile {name}…", timeout=2, markup=False)
    try:
        backend = await asyncio.to_thread(app.profile_backend, name)
        client = await asyncio.to_thread(backend.create_client)
    except CybridError as error:
        app.notify(
            f"Still on the current bank. {error.error_message}",
            title=f"Could not switch to profile {name}",
            severity="error",
            timeout=10,
            markup=False,
        )
        return
    await app.swap_backend(backend, client)
    app.notify(f"Now on profile {name}: {backend.description}.", title="Profile switched", markup=False)


async def profile_names() -> list[str]:
    """The config file's profiles, sorted (read off the event loop; an unreadable file lists none)."""
    from cybrid_tui.api.errors import CybridError

    def read() -> list[str]:
        from cybrid_tui.settings import config_file
        from cybrid_tui.settings.layers import Environment

        return sorted(config_file.load(config_file.locate(Environment.read())[0]).profiles)

    try:
        return await asyncio.to_thread(read)
    except CybridError:
        return []
