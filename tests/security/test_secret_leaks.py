"""The client secret and access tokens never appear in anything the app writes.

The real app runs its non-demo path (CYBRID_* variables -> settings -> client) against a mock server over
loopback HTTP that only accepts a recognisable secret. It is driven through the first load, a failed
refresh, tokens revoked mid-session, an unexpected error in a worker, the detail view, the help screen and
the create form (a failed and a successful submission). Then everything it wrote is searched for the secret
and for every token the mock issued (taken from the mock's own token store): the screens (SVG exports of each
one visited), the log file in the user log directory, stdout/stderr, every log record, the text and repr of
every CybridError raised, the notifications, and the snapshot SVGs in the repository.

Also: wrong credentials show an authentication problem without the secret; a crash with the client and its
token in local variables prints a report (with locals) showing neither; the CLI with bad settings exits 2 with
a short message, no traceback and no secret.
"""

from __future__ import annotations

import html
import logging
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from cybrid_tui import logging_setup
from cybrid_tui.api.errors import CybridError
from cybrid_tui.app import CybridApp
from cybrid_tui.clock import SystemClock
from cybrid_tui.launch import real_backend
from cybrid_tui.live.refresher import LiveRefresher, TickResult
from cybrid_tui.mock.config import MockConfig
from cybrid_tui.screens.create_customer import CreateCustomerScreen
from cybrid_tui.screens.customers import CustomersScreen
from cybrid_tui.screens.detail import CustomerDetailScreen
from cybrid_tui.widgets.form_fields import FormField
from tests.support.mock_admin import SecretSearch, clear_faults, point_app_at, set_faults
from tests.support.waiting import wait_for

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tests.support.mock_server import MakeMockServer, MockServerHandle

pytestmark = pytest.mark.integration

CANARY = "S3CR3T-canary-0d9f2b7e41c6a58e"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def app_logger() -> Iterator[None]:
    """Restore the process-wide `cybrid_tui` logger after `configure_file_logging`."""
    logger = logging.getLogger("cybrid_tui")
    handlers, level = list(logger.handlers), logger.level
    yield
    for handler in logger.handlers:
        if handler not in handlers:
            handler.close()
    logger.handlers[:] = handlers
    logger.setLevel(level)


@pytest.fixture
def raised_errors(monkeypatch: pytest.MonkeyPatch) -> list[CybridError]:
    """Every CybridError constructed during the test (their text and repr are searched)."""
    errors: list[CybridError] = []
    real_init = CybridError.__init__

    def recording_init(self: CybridError, *args: Any, **kwargs: Any) -> None:
        real_init(self, *args, **kwargs)
        errors.append(self)

    monkeypatch.setattr(CybridError, "__init__", recording_init)
    return errors


def screenshot(app: CybridApp, shots: dict[str, str], name: str) -> None:
    """The SVG export of the screen, and its text (tags stripped, so a value split across styled spans
    is whole again)."""
    svg = app.export_screenshot()
    shots[f"screen:{name}"] = svg
    shots[f"text:{name}"] = svg_text(svg)


def svg_text(svg: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


async def test_no_secret_or_token_in_anything_the_app_writes(
    make_mock_server: MakeMockServer,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
    app_logger: None,
    raised_errors: list[CybridError],
) -> None:
    caplog.set_level(logging.DEBUG)
    server: MockServerHandle = make_mock_server(
        MockConfig(customers=40, seed=9, client_secret=CANARY), clock=SystemClock()
    )
    point_app_at(monkeypatch, server.url, client_secret=CANARY)
    log_file = logging_setup.configure_file_logging("debug")  # what `--log-level debug` does
    shots: dict[str, str] = {}

    # One unexpected error (a bug) inside a refresh, while the client and its token are in scope.
    real_tick = LiveRefresher.tick
    blow_up = {"armed": False}

    async def tick(self: LiveRefresher) -> TickResult:
        if blow_up["armed"]:
            blow_up["armed"] = False
            raise RuntimeError(f"unexpected failure near {self.client!r}")
        return await real_tick(self)

    monkeypatch.setattr(LiveRefresher, "tick", tick)

    app = CybridApp(backend=real_backend(), refresh_seconds=0.5, cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        customers = app.screen
        assert isinstance(customers, CustomersScreen)
        await wait_for(lambda: customers.phase == "live", timeout=15, message="first load")
        await pilot.pause()
        screenshot(app, shots, "customers")

        # A failed refresh, shown in the status line.
        await set_faults(server.url, error_rate=1.0)
        await wait_for(lambda: "\n" in customers.status.plain_text, timeout=10, message="the error shows")
        await pilot.pause()
        screenshot(app, shots, "refresh-failed")
        await clear_faults(server.url)

        # Tokens revoked mid-session: the app renews its token (the new one is searched for too).
        fetches = app.client.auth.fetches if app.client else 0
        async with httpx.AsyncClient(base_url=server.url) as admin:
            await admin.post("/_mock/tokens/expire")
        await wait_for(
            lambda: app.client is not None and app.client.auth.fetches > fetches,
            timeout=10,
            message="a new token",
        )
        await wait_for(lambda: "\n" not in customers.status.plain_text, timeout=10, message="recovered")

        # A bug in a refresh: reported as a notification and in the log, never with the token.
        blow_up["armed"] = True
        await wait_for(lambda: not blow_up["armed"] and bool(app._notifications), timeout=10, message="bug")
        await pilot.pause()
        screenshot(app, shots, "unexpected-error")

        # The detail view of the customer under the cursor.
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, CustomerDetailScreen), message="detail opens")
        detail = app.screen
        assert isinstance(detail, CustomerDetailScreen)
        await wait_for(lambda: detail._last_read is not None, timeout=10, message="detail loaded")
        await pilot.pause()
        screenshot(app, shots, "detail")
        await pilot.press("escape")
        await pilot.press("question_mark")
        await pilot.pause()
        screenshot(app, shots, "help")
        await pilot.press("escape")
        await wait_for(lambda: app.screen is customers, message="back to the table")

        # The form: a failed submission, then a successful one.
        await pilot.press("n")
        await wait_for(lambda: isinstance(app.screen, CreateCustomerScreen), message="the form opens")
        form = app.screen
        assert isinstance(form, CreateCustomerScreen)
        await pilot.pause()
        form.query_one("#field-labels", FormField).input.focus()
        await pilot.press(*"vip")
        await set_faults(server.url, error_rate=1.0)
        await pilot.press("ctrl+s")
        await wait_for(lambda: not form.busy and form._creator.attempts == 1, timeout=10, message="fails")
        await pilot.pause()
        screenshot(app, shots, "form-failed")
        await clear_faults(server.url)
        await pilot.press("ctrl+s")
        await wait_for(lambda: app.screen is customers, timeout=10, message="created")
        await pilot.pause()
        screenshot(app, shots, "created")
        client = app.client
        assert client is not None
        reprs = [repr(client), repr(client.auth), repr(app.backend), repr(server.backend)]
        notifications = [f"{n.title} {n.message}" for n in app._notifications]

    tokens = set(server.backend.tokens._grants)
    assert len(tokens) >= 2  # the first token and the one after the revocation
    search = SecretSearch(needles={CANARY, *tokens})
    for name, svg in shots.items():
        search.add(name, svg)
    search.add_file(log_file)
    captured = capfd.readouterr()
    search.add("stdout", captured.out)
    search.add("stderr", captured.err)
    search.add("log records", caplog.text)
    for record in caplog.records:
        search.add(
            f"log record {record.name}", f"{record.getMessage()} {record.exc_text or ''} {record.args!r}"
        )
    for error in raised_errors:
        search.add(f"error {type(error).__name__}", f"{error} {error!r} {error.error_message}")
    search.add("reprs", "\n".join(reprs))
    search.add("notifications", "\n".join(notifications))
    snapshots = search.add_tree(REPO / "tests", ("__snapshots__/**/*.svg",))

    # The search looked at real output: the screens, the log with its requests, errors of every kind.
    assert "Server error" in shots["text:refresh-failed"]
    assert "RuntimeError" in "\n".join(notifications)
    assert "/api/customers" in log_file.read_text(encoding="utf-8")
    assert "ServerError" in {type(e).__name__ for e in raised_errors}
    assert not search.findings(), search.describe()
    print(f"\nSECRET SEARCH texts={len(search.texts)} snapshots={snapshots} needles={len(search.needles)}")


async def test_wrong_credentials_say_authentication_without_the_secret(
    make_mock_server: MakeMockServer,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    app_logger: None,
    raised_errors: list[CybridError],
) -> None:
    caplog.set_level(logging.DEBUG)
    server = make_mock_server(MockConfig(customers=5), clock=SystemClock())  # expects the demo secret
    point_app_at(monkeypatch, server.url, client_secret=CANARY)
    log_file = logging_setup.configure_file_logging("debug")
    app = CybridApp(backend=real_backend(), refresh_seconds=0.5, cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        customers = app.screen
        assert isinstance(customers, CustomersScreen)
        await wait_for(lambda: "\n" in customers.status.plain_text, timeout=10, message="the error shows")
        await pilot.pause()
        status = customers.status.plain_text
        svg = app.export_screenshot()
    assert "Authentication" in status
    assert "CYBRID_CLIENT_SECRET" in status or "credentials" in status
    search = SecretSearch(needles={CANARY})
    search.add("screen", svg)
    search.add("screen text", svg_text(svg))
    search.add("status", status)
    search.add_file(log_file)
    search.add("log records", caplog.text)
    for error in raised_errors:
        search.add("error", f"{error} {error!r}")
    assert not search.findings(), search.describe()


@pytest.mark.parametrize(
    ("env", "names"),
    [
        ({"CYBRID_CLIENT_ID": "id"}, ["CYBRID_CLIENT_SECRET"]),
        ({"CYBRID_CLIENT_ID": "id", "CYBRID_REFRESH_SECONDS": "soon"}, ["CYBRID_REFRESH_SECONDS"]),
        ({"CYBRID_CLIENT_ID": "id", "CYBRID_BANK_URL": "http://bank.example.com"}, ["CYBRID_BANK_URL"]),
        ({"CYBRID_CLIENT_ID": "id", "CYBRID_ENVIRONMENT": "prod"}, ["CYBRID_ENVIRONMENT"]),
    ],
)
def test_cli_with_bad_settings_exits_2_briefly_without_the_secret(
    env: dict[str, str], names: list[str]
) -> None:
    environment = {**os.environ, **env, "TERM": "dumb"}
    if names != ["CYBRID_CLIENT_SECRET"]:
        environment["CYBRID_CLIENT_SECRET"] = CANARY
    result = subprocess.run(
        [sys.executable, "-m", "cybrid_tui"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert all(name in result.stderr for name in names), result.stderr
    assert "Traceback" not in output
    assert CANARY not in output
    assert len(result.stderr.splitlines()) <= 8  # a short message, not a dump


async def test_a_crash_report_shows_no_secret_or_token(
    make_mock_server: MakeMockServer,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
    app_logger: None,
) -> None:
    """A bug that crashes the app with the client and its token in local variables: Textual prints the
    traceback with every frame's locals; none of them shows the secret or the token."""
    server: MockServerHandle = make_mock_server(
        MockConfig(customers=5, client_secret=CANARY), clock=SystemClock()
    )
    point_app_at(monkeypatch, server.url, client_secret=CANARY)
    logging_setup.configure_file_logging("debug")

    def crash(self: CustomersScreen) -> None:
        client = self.cybrid_app.client
        assert client is not None
        auth, token = client.auth, client.auth._token  # in the crash report's locals
        raise RuntimeError(f"a bug, with {auth!r} and {token!r} at hand")

    monkeypatch.setattr(CustomersScreen, "_succeeded", crash)
    app = CybridApp(backend=real_backend(), refresh_seconds=0.5)
    with pytest.raises(RuntimeError, match="a bug"):
        async with app.run_test(size=(120, 40)):
            await wait_for(lambda: not app.is_running, timeout=10, message="the app crashes")
    report = capfd.readouterr().err
    assert "Traceback" in report and "locals" in report and "token" in report  # the report is there
    search = SecretSearch(needles={CANARY, *server.backend.tokens._grants})
    search.add("crash report", report)
    assert len(search.needles) >= 2
    assert not search.findings(), search.describe()
