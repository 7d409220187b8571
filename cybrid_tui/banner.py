"""What the header says about the bank on screen: demo, or the profile and environment, production loudest.

Production must be impossible to mistake for the sandbox, so it is named in words (not only a colour, which a
colour-blind person or a monochrome terminal loses) and flagged for the `-production` style class.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cybrid_tui.config import Settings

#: The style class the app (and so every screen below it) carries against a production bank.
PRODUCTION_CLASS = "-production"


@dataclass(frozen=True, slots=True)
class Banner:
    """The header's subtitle and whether it points at production."""

    sub_title: str
    production: bool


def banner(*, description: str, demo: bool, settings: Settings | None) -> Banner:
    """`DEMO · <bank>`; `PRODUCTION · profile b · <bank>`; `sandbox · profile a · <bank>`; `<bank>` alone when
    no profile was chosen in the sandbox (as before profiles existed)."""
    if demo or settings is None:
        return Banner(f"DEMO · {description}" if demo else description, production=False)
    parts = []
    if settings.is_production:
        parts.append("PRODUCTION")
    elif settings.profile is not None:
        parts.append(settings.environment)
    if settings.profile is not None:
        parts.append(f"profile {settings.profile}")
    if settings.read_only:
        parts.append("read-only")
    parts.append(description)
    return Banner(" · ".join(parts), production=settings.is_production)
