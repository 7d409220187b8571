"""Processes the harness starts: the mock server (`cybrid-tui mock-server`) and one-shot measurement workers.

The mock runs in a process of its own so that serving pages never competes with the measured code for a GIL.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
CLIENT_ID = "mock-client-id"
CLIENT_SECRET = "mock-client-secret"  # the mock's published demo credential, not a secret


class BenchProcessError(RuntimeError):
    """A measurement worker or the mock server failed; carries the end of its output."""


@dataclass(frozen=True)
class MockServer:
    url: str
    customers: int
    pid: int

    def token(self) -> str:
        """A bank token from the mock's /oauth/token (for the official SDK, which does not fetch its own)."""
        body = json.dumps(
            {
                "grant_type": "client_credentials",
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "scope": "customers:read customers:pii:read customers:write customers:execute",
            }
        ).encode()
        request = urllib.request.Request(
            f"{self.url}/oauth/token", data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return str(json.load(response)["access_token"])

    def admin(self, path: str, payload: dict[str, Any]) -> Any:
        request = urllib.request.Request(
            f"{self.url}{path}",
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)


def warm_up(server: MockServer, *, per_page: int = 100) -> float:
    """Read every page once (with PII, as the app and the SDK ask): the mock renders a customer's JSON on
    first use and caches it, a cost of the mock, not of any client, that neither measured client should pay.
    Returns the seconds it took."""
    import httpx

    started = time.perf_counter()
    headers = {"Authorization": f"Bearer {server.token()}"}
    with httpx.Client(base_url=server.url, headers=headers, timeout=60) as client:
        page = 0
        while True:
            response = client.get(
                "/api/customers", params={"page": page, "per_page": per_page, "include_pii": "true"}
            )
            response.raise_for_status()
            if len(response.json()["objects"]) < per_page:
                break
            page += 1
    return time.perf_counter() - started


def customer_total(server: MockServer) -> int:
    """How many customers the mock holds now: the sections before may have created some (the requests row
    creates one on some ticks), and a listing is checked against what is there, not what was seeded."""
    import httpx

    headers = {"Authorization": f"Bearer {server.token()}"}
    with httpx.Client(base_url=server.url, headers=headers, timeout=60) as client:
        response = client.get("/api/customers", params={"page": 0, "per_page": 1})
        response.raise_for_status()
        return int(response.json()["total"])


def state_counts(server: MockServer, *, per_page: int = 100) -> dict[str, int]:
    """How many of the mock's customers are in each state now (to describe the bank a row measured)."""
    import httpx

    counts: dict[str, int] = {}
    headers = {"Authorization": f"Bearer {server.token()}"}
    with httpx.Client(base_url=server.url, headers=headers, timeout=60) as client:
        page = 0
        while True:
            response = client.get("/api/customers", params={"page": page, "per_page": per_page})
            response.raise_for_status()
            objects = response.json()["objects"]
            for customer in objects:
                counts[customer["state"]] = counts.get(customer["state"], 0) + 1
            if len(objects) < per_page:
                return counts
            page += 1


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def bench_env() -> dict[str, str]:
    """The harness's environment minus CYBRID_* (a developer's real credentials must never be used here)."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("CYBRID_")}
    env["PYTHONUNBUFFERED"] = "1"
    # Compiled bytecode as an installed package has it: written once (by the warm-up runs) and reused, in a
    # folder of the bench's own so the source tree is untouched.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "cybrid-tui-bench-pycache")
    # The workers are `python -m bench.<name>`: importable from any working directory.
    env["PYTHONPATH"] = str(REPO_ROOT)
    return env


@contextlib.contextmanager
def mock_server(customers: int, *, seed: int = 7, extra_args: Sequence[str] = ()) -> Iterator[MockServer]:
    """`cybrid-tui mock-server` on a free loopback port, seeded with `customers`; stopped on exit."""
    port = free_port()
    argv = [
        sys.executable,
        "-m",
        "cybrid_tui",
        "mock-server",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--customers",
        str(customers),
        "--seed",
        str(seed),
        *extra_args,
    ]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            argv, stdout=log, stderr=subprocess.STDOUT, env=bench_env(), start_new_session=True
        )
        server = MockServer(url=f"http://127.0.0.1:{port}", customers=customers, pid=process.pid)
        try:
            _wait_ready(server, process, log, timeout=120)
            yield server
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()


def _wait_ready(server: MockServer, process: subprocess.Popen[bytes], log: Any, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise BenchProcessError(f"mock server exited ({process.returncode}): {log.read()[-2000:]!r}")
        try:
            server.token()
            return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.05)
    raise BenchProcessError(f"mock server not ready after {timeout}s")


def run_worker(module: str, args: Sequence[str], *, timeout: float = 600) -> dict[str, Any]:
    """Run `python -m bench.<module> args...` and return the JSON object it prints last on stdout."""
    argv = [sys.executable, "-m", f"bench.{module}", *args]
    try:
        completed = subprocess.run(
            argv, capture_output=True, text=True, env=bench_env(), timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise BenchProcessError(f"bench.{module} timed out after {timeout}s") from exc
    lines = [line for line in completed.stdout.splitlines() if line.strip()]
    if completed.returncode != 0 or not lines:
        raise BenchProcessError(
            f"bench.{module} failed ({completed.returncode}): {completed.stderr.strip()[-1500:]}"
        )
    result = json.loads(lines[-1])
    if not isinstance(result, dict):
        raise BenchProcessError(f"bench.{module} printed {lines[-1][:200]!r}, not a JSON object")
    return result


def emit(result: dict[str, Any]) -> None:
    """What a worker does last: one line of JSON on stdout for `run_worker`."""
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()


def listing_times(*, started: float, imported: float, first_page: float, done: float) -> dict[str, float]:
    """The times a listing worker reports (both sides of the SDK comparison report the same ones)."""
    return {
        "import_s": imported - started,
        "first_page_s": first_page,
        "listing_s": done - imported,
        "seconds": done - started,
    }


def bench_settings(url: str) -> Any:
    """The settings of a client of the bench's mock server at `url` (the real path: `cybrid_tui.session`)."""
    from cybrid_tui.api.secret import Secret
    from cybrid_tui.config import Settings

    return Settings(client_id=CLIENT_ID, client_secret=Secret(CLIENT_SECRET), bank_url=url, id_url=url)
