"""Running `cybrid-tui` commands as a user does: a fresh process, against a mock server on loopback."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.support.mock_server import MockServerHandle

TIMEOUT = 60


@dataclass(frozen=True)
class Ran:
    status: int
    out: str
    err: str


def environment(**extra: str) -> dict[str, str]:
    """The test's environment (isolated HOME, no developer CYBRID_*), colour off, plus `extra`."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("CYBRID_")}
    env.pop("NO_COLOR", None)
    env.update(extra)
    return env


def run_cli(*args: str, env: dict[str, str] | None = None, stdin: str | None = None) -> Ran:
    result = subprocess.run(
        [sys.executable, "-m", "cybrid_tui", *args],
        capture_output=True,
        text=True,
        input=stdin,
        env=env if env is not None else environment(),
        timeout=TIMEOUT,
        check=False,
    )
    return Ran(result.returncode, result.stdout, result.stderr)


@dataclass(frozen=True)
class Cli:
    """`cybrid-tui` with CYBRID_* pointing at one mock server."""

    server: MockServerHandle
    env: dict[str, str]

    def __call__(self, *args: str, stdin: str | None = None) -> Ran:
        return run_cli(*args, env=self.env, stdin=stdin)


def server_env(url: str, *, secret: str = "mock-client-secret") -> dict[str, str]:
    return environment(
        CYBRID_BANK_URL=url, CYBRID_ID_URL=url, CYBRID_CLIENT_ID="mock-client-id", CYBRID_CLIENT_SECRET=secret
    )


@pytest.fixture
def cli(mock_server: MockServerHandle) -> Cli:
    """The default mock (seed 7, 60 customers, frozen clock) over HTTP, and a command line set up for it."""
    return Cli(mock_server, server_env(mock_server.url))
