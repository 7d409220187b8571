"""Import boundaries, checked in fresh interpreters: what each part of the app may pull in.

- The path to the first frame (the CLI, launch, the app, its screens and widgets, the live store) must not
  import httpx, pydantic, starlette, uvicorn or the mock: they cost ~100 ms before anything is on screen.
- The API client and the mock never import Textual: the UI depends on them, never the reverse.
"""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("httpx", "pydantic", "pydantic_settings", "starlette", "uvicorn", "cybrid_tui.mock")

FIRST_FRAME_MODULES = (
    "cybrid_tui.__main__",
    "cybrid_tui.launch",
    "cybrid_tui.app",
    "cybrid_tui.backend",
    "cybrid_tui.commands",
    "cybrid_tui.messages",
    "cybrid_tui.screens",
    "cybrid_tui.screens.customers",
    "cybrid_tui.screens.detail",
    "cybrid_tui.screens.help",
    "cybrid_tui.widgets.customer_table",
    "cybrid_tui.widgets.status_bar",
    "cybrid_tui.widgets.state_counters",
    "cybrid_tui.widgets.customer_details",
    "cybrid_tui.live.rows",
    "cybrid_tui.live.store",
)

NO_TEXTUAL_MODULES = (
    "cybrid_tui.api.client",
    "cybrid_tui.api.models",
    "cybrid_tui.api.safe_create",
    "cybrid_tui.mock.app",
    "cybrid_tui.mock.backend",
    "cybrid_tui.mock.cli",
    "cybrid_tui.live.refresher",
)


def loaded_after_import(*modules: str) -> set[str]:
    """Every module loaded (by a fresh interpreter) after importing `modules`."""
    imports = "; ".join(f"import {module}" for module in modules)
    code = f"import json, sys; {imports}; print(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout))


def offending(loaded: set[str], roots: tuple[str, ...]) -> list[str]:
    return sorted(
        name for name in loaded if any(name == root or name.startswith(root + ".") for root in roots)
    )


def test_first_frame_path_stays_light() -> None:
    # One interpreter for all of them (a subprocess each would cost seconds): none may load a heavy module.
    assert offending(loaded_after_import(*FIRST_FRAME_MODULES), HEAVY) == []


def test_the_checker_itself_sees_heavy_imports() -> None:
    # The client does import httpx and pydantic: if this failed, the test above could not fail either.
    loaded = loaded_after_import("cybrid_tui.api.client")
    assert "httpx" in offending(loaded, HEAVY)


def test_api_mock_and_live_data_never_import_textual() -> None:
    assert offending(loaded_after_import(*NO_TEXTUAL_MODULES), ("textual",)) == []


def test_the_textual_check_can_fail() -> None:
    assert offending(loaded_after_import("cybrid_tui.app"), ("textual",))
