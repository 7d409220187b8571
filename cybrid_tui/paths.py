"""Where the Textual stylesheets live, from a checkout and from an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def styles_dir() -> Path:
    """`cybrid_tui/styles` in a wheel (force-included by hatchling); the top-level `styles/` in a checkout."""
    installed = _PACKAGE / "styles"
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / "styles"


def stylesheet(name: str) -> Path:
    return styles_dir() / name
