"""Shared fixtures: a clean environment for every test, and the mock server fixtures."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator

pytest_plugins = ["tests.mock_fixtures"]

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A developer's real CYBRID_* variables, .env file or log folder must never reach a test."""
    for name in list(os.environ):
        if name.startswith("CYBRID_") and name != "CYBRID_OPENAPI":
            monkeypatch.delenv(name)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for var in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"):
        monkeypatch.setenv(var, str(home / var.lower()))
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    yield


@pytest.fixture(scope="session")
def openapi_path() -> Path:
    """Cybrid's published spec: reference data read from ../shared, never copied into the repo."""
    configured = os.environ.get("CYBRID_OPENAPI")
    path = Path(configured) if configured else REPO_ROOT.parent / "shared" / "cybrid" / "bank-openapi.yaml"
    if not path.is_file():
        pytest.fail(f"Cybrid's OpenAPI spec not found at {path}; set CYBRID_OPENAPI")
    return path
