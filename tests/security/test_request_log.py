"""The request log file, from real calls to the mock server over HTTP: one line per exchange with method,
path, status, duration and Cybrid's request id, at the configured level, and no secret, token or PII.

Request ids are checked against the ones the server really sent (a transport wrapper records the response
headers); tokens against the mock's own token store; PII against the seeded customers' details.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from cybrid_tui import logging_setup
from cybrid_tui.api.client import CybridClient
from cybrid_tui.api.errors import CybridError
from cybrid_tui.api.retry import RetryPolicy
from cybrid_tui.clock import SystemClock
from cybrid_tui.mock.config import MockConfig
from tests.support.mock_admin import SecretSearch, set_faults

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from cybrid_tui.mock.backend import MockBackend
    from tests.support.mock_server import MakeMockServer, MockServerHandle

pytestmark = pytest.mark.integration

SECRET = "S3CR3T-canary-request-log-5b1e0c"
LINE = re.compile(
    r"^\S+ \S+ (?P<level>[A-Z]+)\s+cybrid_tui\.http: (?P<method>GET|POST|PATCH) (?P<target>\S+) -> "
    r"(?P<status>\d{3}) in (?P<ms>\d+\.\d) ms(?: \[request id (?P<rid>[0-9a-f]{32})\])?$"
)


@pytest.fixture
def app_logger() -> Iterator[logging.Logger]:
    """Restore the process-wide `cybrid_tui` logger after `configure_file_logging`."""
    logger = logging.getLogger("cybrid_tui")
    handlers, level = list(logger.handlers), logger.level
    yield logger
    for handler in logger.handlers:
        if handler not in handlers:
            handler.close()
    logger.handlers[:] = handlers
    logger.setLevel(level)


class RecordingTransport(httpx.AsyncBaseTransport):
    """The real HTTP transport, remembering the request id of every response."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self.request_ids: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        if "x-request-id" in response.headers:
            self.request_ids.append(response.headers["x-request-id"])
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


def pii_of(backend: MockBackend) -> set[str]:
    """Personal details of every seeded customer that are distinctive enough to search for."""
    found: set[str] = set()

    def walk(value: Any, key: str = "") -> None:
        if isinstance(value, dict):
            for name, inner in value.items():
                walk(inner, name)
        elif isinstance(value, list):
            for inner in value:
                walk(inner, key)
        elif isinstance(value, str) and key in PII_KEYS and len(value) >= 6:
            found.add(value)

    for guid in backend.guids():
        customer = backend.customer_json(guid, include_pii=True)
        walk({key: customer.get(key) for key in PII_FIELDS})
        name = customer.get("name") or {}
        if name.get("first") and name.get("last"):
            found.add(f"{name['first']} {name['last']}")
    return found


PII_FIELDS = (
    "name", "address", "aliases", "date_of_birth", "phone_number", "email_address", "identification_numbers",
)  # fmt: skip
# Postal codes are left out: five digits turn up by chance inside hex request ids.
PII_KEYS = frozenset(
    {"first", "last", "full", "street", "street2", "date_of_birth", "phone_number", "email_address",
     "identification_number", "website"}
)  # fmt: skip


async def exercise(server: MockServerHandle, transport: RecordingTransport) -> None:
    """Real calls of every kind, some of them failing."""
    backend = server.backend
    guids = backend.guids()
    policy = RetryPolicy(max_attempts=3, base_delay=0.01, max_delay=0.02)
    async with CybridClient(
        bank_url=server.url, id_url=server.url, client_id="mock-client-id", client_secret=SECRET,
        transport=transport, retry=policy,
    ) as client:  # fmt: skip
        await client.customers.list(per_page=20, include_pii=True)
        await client.customers.list(guid=guids[:3], include_pii=True)
        email = backend.customer_json(guids[0], include_pii=True)["email_address"]
        await client.customers.list(label=[email])  # a filter value that is personal: never logged
        await client.customers.get(guids[1], include_pii=True)
        await set_faults(server.url, error_rate=1.0)
        with pytest.raises(CybridError):
            await client.customers.get(guids[2], include_pii=True)
        await set_faults(server.url, error_rate=0.0, drop_rate=1.0)
        with pytest.raises(CybridError):
            await client.customers.list(per_page=5)
        await set_faults(server.url, drop_rate=0.0)


@pytest.fixture
def server(make_mock_server: MakeMockServer) -> MockServerHandle:
    return make_mock_server(MockConfig(customers=30, client_secret=SECRET, seed=5), clock=SystemClock())


async def test_debug_level_logs_every_exchange_with_its_request_id(
    server: MockServerHandle, app_logger: logging.Logger
) -> None:
    path = logging_setup.configure_file_logging("debug")
    assert path.is_relative_to(logging_setup.log_directory())
    transport = RecordingTransport()
    await exercise(server, transport)
    text = path.read_text(encoding="utf-8")
    exchanges = [match for line in text.splitlines() if (match := LINE.match(line))]
    # Every response the server sent is a line, identified by the request id it carried.
    assert sorted(m["rid"] for m in exchanges) == sorted(transport.request_ids)
    assert {(m["method"], m["target"].split("?")[0].split("/", 1)[1]) for m in exchanges} >= {
        ("POST", "oauth/token"),
        ("GET", "api/customers"),
        ("GET", f"api/customers/{server.backend.guids()[1]}"),
    }
    statuses = {m["status"] for m in exchanges}
    assert "200" in statuses and statuses & {"500", "502", "503"}
    # Reads that succeed are routine (live refresh): DEBUG; the token request INFO; errors WARNING.
    expected = {"GET": "DEBUG", "POST": "INFO"}
    assert all(m["level"] == (expected[m["method"]] if m["status"] < "400" else "WARNING") for m in exchanges)
    assert "no complete response after" in text  # the dropped connections
    assert "retrying in" in text and "giving up after" in text
    assert all(float(m["ms"]) >= 0 for m in exchanges)
    assert "label=…" in text and "guid=…" in text

    search = SecretSearch(needles={SECRET, *server.backend.tokens._grants, *pii_of(server.backend)})
    search.add_file(path)
    assert len(search.needles) > 60  # tokens, the secret and the seeded PII really are being looked for
    assert not search.findings(), search.describe()


@pytest.mark.parametrize(
    ("level", "info_lines", "warning_lines"), [("warning", False, True), ("error", False, False)]
)
async def test_the_level_decides_what_is_written(
    server: MockServerHandle,
    app_logger: logging.Logger,
    level: str,
    info_lines: bool,
    warning_lines: bool,
) -> None:
    path = logging_setup.configure_file_logging(level)
    await exercise(server, RecordingTransport())
    text = path.read_text(encoding="utf-8")
    assert (" INFO " in text) is info_lines
    assert (" WARNING " in text) is warning_lines
    if warning_lines:
        assert re.search(
            r"GET \S+/api/customers/\S+ -> 50[023] in \d+\.\d ms \[request id [0-9a-f]{32}\]", text
        )


async def test_debug_level_adds_nothing_sensitive(
    server: MockServerHandle, app_logger: logging.Logger, tmp_path: Path
) -> None:
    path = logging_setup.configure_file_logging("debug")
    # httpx and httpcore log at debug on their own loggers: they must not reach the app's file.
    await exercise(server, RecordingTransport())
    text = path.read_text(encoding="utf-8")
    assert "httpcore" not in text and "httpx:" not in text
    search = SecretSearch(needles={SECRET, *server.backend.tokens._grants, *pii_of(server.backend)})
    search.add_file(path)
    assert not search.findings(), search.describe()


async def test_the_log_level_flag_configures_the_file(
    server: MockServerHandle, app_logger: logging.Logger, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`cybrid-tui --log-level warning`: the real CLI path (argparse -> launch -> logging setup), with the
    app's run replaced, then real calls: only warnings reach the file in the user log directory."""
    from cybrid_tui.__main__ import main
    from cybrid_tui.app import CybridApp
    from tests.support.mock_admin import point_app_at

    point_app_at(monkeypatch, server.url, client_secret=SECRET)
    monkeypatch.setattr(CybridApp, "run", lambda self, *args, **kwargs: None)
    assert main(["--log-level", "warning"]) == 0
    assert app_logger.level == logging.WARNING
    path = logging_setup.log_directory() / logging_setup.LOG_FILE_NAME
    await exercise(server, RecordingTransport())
    text = path.read_text(encoding="utf-8")
    assert " WARNING " in text and " INFO " not in text
