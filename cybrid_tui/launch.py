"""Start the app: settings (unless demo), the log file, the backend, then the Textual app.

On the path to the first frame: nothing heavy is imported here for `--demo` (the settings, and with them
pydantic, are only read for the real API).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

    from cybrid_tui.api.errors import CybridError
    from cybrid_tui.backend import BackendFactory

#: Exit status for a configuration problem (like argparse's usage errors).
EXIT_CONFIGURATION = 2


def _configuration_problem(error: CybridError) -> int:
    print(
        f"cybrid-tui: {error.error_message}\n"
        "Set CYBRID_CLIENT_ID and CYBRID_CLIENT_SECRET (and CYBRID_ENVIRONMENT or CYBRID_BANK_URL / "
        "CYBRID_ID_URL) in the environment or a .env file,\n"
        "or run `cybrid-tui --demo` to try the app against a built-in demo bank.",
        file=sys.stderr,
    )
    return EXIT_CONFIGURATION


def real_backend() -> BackendFactory:
    """The configured Cybrid API; raises `CybridError` (ConfigurationError, InsecureTransportError)."""
    from cybrid_tui.api.security import check_base_url
    from cybrid_tui.backend import SettingsBackend
    from cybrid_tui.config import load_settings

    settings = load_settings()
    # Refuse a bad URL now, with the variable's name, rather than on the first request.
    check_base_url(settings.resolved_bank_url, name="CYBRID_BANK_URL")
    check_base_url(settings.resolved_id_url, name="CYBRID_ID_URL")
    return SettingsBackend(settings)


def launch(
    *,
    demo: bool,
    refresh_seconds: float | None,
    log_level: str,
    demo_faults: Mapping[str, float | int] | None = None,
) -> int:
    """Run the app until it quits; returns the process exit status. `demo_faults` (FaultConfig fields) make
    the demo's embedded mock inject faults."""
    from cybrid_tui.logging_setup import configure_file_logging

    backend: BackendFactory
    if demo:
        from cybrid_tui.backend import DemoBackend

        backend = DemoBackend(faults=demo_faults)
    else:
        from cybrid_tui.api.errors import CybridError

        try:
            backend = real_backend()
        except CybridError as error:
            return _configuration_problem(error)
        if refresh_seconds is None:
            refresh_seconds = _settings_refresh(backend)
    configure_file_logging(log_level)

    from cybrid_tui.app import CybridApp

    app = CybridApp(backend=backend, refresh_seconds=refresh_seconds, demo=demo)
    app.run()
    return app.return_code or 0


def _settings_refresh(backend: BackendFactory) -> float | None:
    settings = getattr(backend, "settings", None)
    value = getattr(settings, "refresh_seconds", None)
    return float(value) if isinstance(value, int | float) else None
