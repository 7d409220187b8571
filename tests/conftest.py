"""Shared fixtures: a clean environment for every test, and the mock server fixtures."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest

from cybrid_tui import logging_setup
from tests.support.spec import SPEC_MISSING, find_openapi_spec, spec_skip_location

if TYPE_CHECKING:
    from collections.abc import Generator, Iterator
    from pathlib import Path

    from pluggy import Result

pytest_plugins = ["tests.support.mock_server"]


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
    # The log scrubber remembers client secrets for the whole process: one test's "secret" must not be
    # masked out of the next test's messages.
    monkeypatch.setattr(logging_setup, "_book", logging_setup.SecretBook())
    yield


#: The environment pytest started with: `.ci/run` sets CYBRID_REQUIRE_SPEC there, and `_isolated_environment`
#: clears CYBRID_* variables before each test.
ENVIRON_AT_START = dict(os.environ)


@pytest.fixture(scope="session")
def openapi_path() -> Path:
    """Cybrid's published spec: reference data read from outside the repository, never copied into it."""
    return find_openapi_spec(ENVIRON_AT_START)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, Result[pytest.TestReport]]:
    """Every test skipped for want of the spec is reported at one place, so `-ra` prints the reason once."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and isinstance(report.longrepr, tuple) and report.longrepr[2].endswith(SPEC_MISSING):
        report.longrepr = (*spec_skip_location(), report.longrepr[2])
