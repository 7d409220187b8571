"""cybrid-tui: a keyboard-driven terminal app for banks on the Cybrid platform."""

import sys as _sys

__version__ = "0.1.0"

# httpx's package imports its own command line (`httpx._main`: click, rich's console and progress, pygments)
# only to offer `httpx.main`, which this program never calls: ~30 ms of every start-up, the commands' too.
# A None entry makes that import fail, and httpx then defines a stub `main` instead (its own fallback).
_sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
