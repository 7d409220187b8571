"""Import boundaries, as rules over whole packages: a new module is covered the day it is written.

Static rules (read with `ast`, every import counted: top level, lazy, and type-only):
- `api`, `mock`, `live` and `forms` never reach Textual or the UI, directly or through anything they import:
  the UI depends on them, never the reverse.
- The UI (`app`, `commands`, `messages`, `screens`, `widgets`) never reaches the mock. The doors are
  `cybrid_tui.backend` and `cybrid_tui.session` (one way to open a client): they build the demo bank (mock
  app + in-process transport) behind the `Backend` protocol, so the UI holds a backend and a client, never a
  mock object. `launch` and `__main__` sit outside the UI
  (they choose the backend and run `cybrid-tui mock-server`), so they may import the mock too.
- Widgets never reach screens: a widget is reusable by any screen.

Runtime rules (fresh interpreters, so transitive imports of third-party code count too):
- The path to the first frame (the UI, launch, the CLI entry point and `live`) never loads httpx, pydantic,
  starlette, uvicorn or the mock: they cost ~100 ms before anything is on screen.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import cybrid_tui
from tests.support.import_graph import ImportGraph

PACKAGE_ROOT = Path(cybrid_tui.__file__).resolve().parent

UI = (
    "cybrid_tui.app",
    "cybrid_tui.commands",
    "cybrid_tui.messages",
    "cybrid_tui.screens",
    "cybrid_tui.widgets",
)
NO_UI = ("cybrid_tui.api", "cybrid_tui.mock", "cybrid_tui.live", "cybrid_tui.forms")
MOCK_DOOR = ("cybrid_tui.backend", "cybrid_tui.session")
FIRST_FRAME = (*UI, "cybrid_tui.__main__", "cybrid_tui.launch", "cybrid_tui.backend", "cybrid_tui.live")
HEAVY = ("httpx", "pydantic", "pydantic_settings", "starlette", "uvicorn", "cybrid_tui.mock")


@pytest.fixture(scope="module")
def graph() -> ImportGraph:
    return ImportGraph.scan(PACKAGE_ROOT, "cybrid_tui")


def test_every_package_named_in_a_rule_exists(graph: ImportGraph) -> None:
    # A renamed package would otherwise leave its rule checking nothing.
    for package in (*UI, *NO_UI, *MOCK_DOOR, *FIRST_FRAME):
        assert graph.modules_in(package), f"{package} has no modules: update the rule"


def test_api_mock_live_and_forms_never_reach_textual_or_the_ui(graph: ImportGraph) -> None:
    assert graph.violations(NO_UI, ("textual", *UI)) == []


def test_the_ui_never_reaches_the_mock_except_through_the_backend(graph: ImportGraph) -> None:
    assert graph.violations(UI, ("cybrid_tui.mock",), gateways=MOCK_DOOR) == []


def test_widgets_never_reach_screens(graph: ImportGraph) -> None:
    assert graph.violations(("cybrid_tui.widgets",), ("cybrid_tui.screens",)) == []


# ------------------------------------------------------------------------------ the checker can fail


def write(root: Path, relative: str, source: str = "") -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source, encoding="utf-8")


@pytest.fixture
def bad_tree(tmp_path: Path) -> ImportGraph:
    """A small package breaking each rule once, in each way an import can be written."""
    root = tmp_path / "cybrid_tui"
    write(root, "__init__.py")
    write(root, "backend.py", "def demo():\n    from cybrid_tui.mock.app import create\n")
    write(root, "app.py", "from cybrid_tui import backend\n")  # through the door: allowed
    write(root, "mock/__init__.py")
    write(root, "mock/app.py")
    write(root, "api/__init__.py")
    write(root, "api/client.py", "from . import helpers\n")
    write(root, "api/helpers.py", "def later():\n    import textual.app\n")  # lazy, one step removed
    write(
        root,
        "api/new_resource.py",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import textual\n",
    )
    write(root, "live/__init__.py")
    write(root, "live/store.py", "from ..screens.customers import CustomersScreen\n")
    write(root, "screens/__init__.py")
    write(root, "screens/customers.py", "from cybrid_tui.mock import app\n")
    write(root, "widgets/table.py", "from ..screens import customers\n")  # a namespace package
    return ImportGraph.scan(root, "cybrid_tui")


def test_the_checker_sees_every_kind_of_violation(bad_tree: ImportGraph) -> None:
    assert bad_tree.violations(NO_UI, ("textual", *UI)) == [
        "cybrid_tui.api.client -> cybrid_tui.api.helpers -> textual.app",
        "cybrid_tui.api.helpers -> textual.app",
        "cybrid_tui.api.new_resource -> textual",
        "cybrid_tui.live.store -> cybrid_tui.screens",
    ]
    assert bad_tree.violations(UI, ("cybrid_tui.mock",), gateways=MOCK_DOOR) == [
        "cybrid_tui.screens.customers -> cybrid_tui.mock",
        "cybrid_tui.widgets.table -> cybrid_tui.screens.customers -> cybrid_tui.mock",
    ]
    assert bad_tree.violations(("cybrid_tui.widgets",), ("cybrid_tui.screens",)) == [
        "cybrid_tui.widgets.table -> cybrid_tui.screens",
    ]


def test_without_the_door_the_backend_route_to_the_mock_is_seen(bad_tree: ImportGraph) -> None:
    assert "cybrid_tui.app -> cybrid_tui.backend -> cybrid_tui.mock" in bad_tree.violations(
        UI, ("cybrid_tui.mock",)
    )


# ----------------------------------------------------------------------- runtime: the first frame is light


def loaded_after_import(*modules: str) -> set[str]:
    """Every module loaded (by a fresh interpreter) after importing `modules`."""
    imports = "; ".join(f"import {module}" for module in modules)
    # A None entry is a blocked import (cybrid_tui/__init__.py blocks httpx's command line), not a loaded one.
    code = f"import json, sys; {imports}; print(json.dumps(sorted(n for n, m in sys.modules.items() if m)))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout))


def offending(loaded: set[str], roots: tuple[str, ...]) -> list[str]:
    return sorted(
        name for name in loaded if any(name == root or name.startswith(root + ".") for root in roots)
    )


def test_first_frame_path_stays_light(graph: ImportGraph) -> None:
    # One interpreter for all of them (a subprocess each would cost seconds): none may load a heavy module.
    modules = graph.modules_in(*FIRST_FRAME)
    assert offending(loaded_after_import(*modules), HEAVY) == []


def test_the_runtime_checker_sees_heavy_imports() -> None:
    # The client does import httpx: if this failed, the test above could not fail either.
    loaded = loaded_after_import("cybrid_tui.api.client")
    assert "httpx" in offending(loaded, HEAVY)


def test_the_apps_client_thread_loads_what_reading_pages_needs() -> None:
    # The client imports its models on first use (so a command that only lists never loads pydantic); the
    # app must load them on its client thread, or the first page would build pydantic's schemas on the
    # event loop, freezing the screen for ~40 ms.
    needed = ("pydantic", "cybrid_tui.api.models", "cybrid_tui.api.identity_verifications")
    code = (
        "import sys\n"
        "from cybrid_tui.app import CybridApp\n"
        "from cybrid_tui.config import Settings\n"
        "from cybrid_tui.launch import settings_backend\n"
        "url = 'http://127.0.0.1:9'\n"
        "settings = Settings(client_id='id', client_secret='s', bank_url=url, id_url=url)\n"
        "CybridApp(backend=settings_backend(settings))._build_client()\n"
        f"print(sorted(m for m in {needed!r} if m not in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_non_ui_packages_load_no_textual_at_runtime(graph: ImportGraph) -> None:
    # The static rule sees our imports; this also catches a third-party library that drags Textual in.
    assert offending(loaded_after_import(*graph.modules_in(*NO_UI)), ("textual",)) == []
