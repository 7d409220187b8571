"""The app's defaults, defined once: the settings, the command line, the TUI and the bench read them here.

No imports beyond the standard library: the launcher reads these before the first frame.
"""

from __future__ import annotations

from typing import Final

#: Seconds between live-refresh ticks against a real bank.
DEFAULT_REFRESH_SECONDS: Final = 5.0
#: Seconds between ticks against the demo bank (its customers move within seconds).
DEMO_REFRESH_SECONDS: Final = 2.0
#: What the header says the demo is connected to.
DEMO_LABEL: Final = "in-process mock bank, no network"
#: Bounds of a refresh interval: above MIN (exclusive; faster would hammer the API), at most MAX.
MIN_REFRESH_SECONDS: Final = 0.2
MAX_REFRESH_SECONDS: Final = 3600.0

#: Seconds one request (connect, headers and body) may take; at most MAX.
DEFAULT_TIMEOUT_SECONDS: Final = 10.0
MAX_TIMEOUT_SECONDS: Final = 300.0


def refresh_seconds_for(*, demo: bool, given: float | None = None) -> float:
    """The refresh interval to use: the one given, else the demo's or the default."""
    if given is not None:
        return given
    return DEMO_REFRESH_SECONDS if demo else DEFAULT_REFRESH_SECONDS


def default_bank_url(environment: str) -> str:
    """Cybrid's bank API for `environment` ("sandbox", "production"), when no URL is set."""
    return f"https://bank.{environment}.cybrid.app"


def default_id_url(environment: str) -> str:
    """Cybrid's identity provider for `environment`, when no URL is set."""
    return f"https://id.{environment}.cybrid.app"
