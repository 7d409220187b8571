"""Start the app: settings (unless demo), the log file, the backend, then the Textual app.

On the path to the first frame: nothing heavy is imported here for `--demo` (the settings, and with them
pydantic, are only read for the real API).
"""

from __future__ import annotations

import sys
from functools import partial
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

    from cybrid_tui.api.errors import CybridError
    from cybrid_tui.backend import BackendFactory
    from cybrid_tui.config import Settings

#: Exit status for a configuration problem (like argparse's usage errors).
EXIT_CONFIGURATION = 2


#: Said after a configuration problem whose message does not already offer it (issue 11, 12: advice once).
DEMO_ADVICE = "Or run `cybrid-tui --demo` to try the app against a built-in demo bank."


def _configuration_problem(error: CybridError) -> int:
    # The settings' messages carry their own advice (which variables, where to set them, `--demo`);
    # only a message without it (an insecure URL, ...) gets the pointer to the demo.
    message = error.error_message.rstrip()
    advice = "" if "--demo" in message else "\n" + DEMO_ADVICE
    print(f"cybrid-tui: {message}{advice}", file=sys.stderr)
    return EXIT_CONFIGURATION


def real_backend(profile: str | None = None, *, read_only: bool = False) -> BackendFactory:
    """The configured Cybrid API (`profile`: one of the config file's); raises `CybridError`
    (ConfigurationError, InsecureTransportError)."""
    from cybrid_tui.config import resolve_settings

    resolved = resolve_settings(profile=profile, flags={"read_only": True if read_only else None})
    return settings_backend(resolved.settings)


def settings_backend(settings: Settings) -> BackendFactory:
    """The backend for settings that were checked when read (their URLs by the client's own rules)."""
    from cybrid_tui.backend import SettingsBackend

    return SettingsBackend(settings)


def launch(
    *,
    demo: bool,
    refresh_seconds: float | None,
    log_level: str,
    demo_faults: Mapping[str, float | int] | None = None,
    profile: str | None = None,
    read_only: bool = False,
) -> int:
    """Run the app until it quits; returns the process exit status. `demo_faults` (FaultConfig fields) make
    the demo's embedded mock inject faults; `read_only`: the `--read-only` flag (a profile may set it too)."""
    from cybrid_tui.api.errors import CybridError
    from cybrid_tui.logging_setup import start_file_logging

    backend: BackendFactory
    try:
        if demo:
            from cybrid_tui.backend import DemoBackend

            backend = DemoBackend(faults=demo_faults)
            keymap = _demo_keymap()
        else:
            from cybrid_tui.config import resolve_settings
            from cybrid_tui.keys import build_app_keymap

            resolved = resolve_settings(profile=profile, flags={"read_only": True if read_only else None})
            backend = settings_backend(resolved.settings)
            keymap = build_app_keymap(resolved.config.keys, where=f"{resolved.config.path} [keys]")
    except CybridError as error:
        return _configuration_problem(error)
    if not demo and refresh_seconds is None:
        refresh_seconds = _settings_refresh(backend)
    logging_problem = start_file_logging(log_level)
    if logging_problem is not None:
        print(f"cybrid-tui: {logging_problem}", file=sys.stderr)

    from cybrid_tui.app import CybridApp

    app = CybridApp(
        backend=backend,
        refresh_seconds=refresh_seconds,
        demo=demo,
        keymap=keymap,
        read_only=read_only if demo else None,
        # `--read-only` holds for every profile switched to, not only the first.
        profile_backend=partial(real_backend, read_only=read_only),
    )
    app.run()
    return app.return_code or 0


def _demo_keymap() -> dict[str, str]:
    """The demo ignores the profiles but not the `[keys]` table: the keys are the person's, not the bank's."""
    from cybrid_tui.settings.presence import nothing_to_read

    if nothing_to_read():
        return {}
    from cybrid_tui.keys import build_app_keymap
    from cybrid_tui.settings import config_file
    from cybrid_tui.settings.layers import Environment

    config = config_file.load(config_file.locate(Environment.read())[0])
    return build_app_keymap(config.keys, where=f"{config.path} [keys]")


def _settings_refresh(backend: BackendFactory) -> float | None:
    settings = getattr(backend, "settings", None)
    value = getattr(settings, "refresh_seconds", None)
    return float(value) if isinstance(value, int | float) else None
