"""Where the config file and `.env` are looked for, and a cheap check that neither can apply.

Kept apart from `config_file` and `layers` so the demo's start (which reads only the `[keys]` table) can
skip importing them when there is nothing to read: that import was ~5 ms before the first frame.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_DIR = "cybrid-tui"
FILE_NAME = "config.toml"
#: Points at another config file (environment or `.env`).
CONFIG_PATH_VARIABLE = "CYBRID_TUI_CONFIG"
DOTENV_NAME = ".env"


def default_path() -> Path:
    from platformdirs import user_config_path

    return user_config_path(APP_DIR, appauthor=False) / FILE_NAME


def nothing_to_read() -> bool:
    """No `.env` here, no `CYBRID_TUI_CONFIG` (any case, as every variable is matched) and no file at the
    default path: the config file cannot apply, so there is no need to load it."""
    if Path(DOTENV_NAME).is_file():
        return False
    if any(name.upper() == CONFIG_PATH_VARIABLE for name in os.environ):
        return False
    return not default_path().exists()
