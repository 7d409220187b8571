"""The request log: what a troubleshooting line holds, and the log file it goes to."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import httpx
import pytest

from cybrid_tui import logging_setup
from cybrid_tui.api.request_log import loggable_target, request_id
from tests.support.client_fakes import SECRET, TOKEN_MARK, FakeCybrid, json_response

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


@pytest.fixture
def app_logger() -> Iterator[logging.Logger]:
    """Undo `configure_file_logging` after each test (it configures a process-wide logger)."""
    logger = logging.getLogger("cybrid_tui")
    handlers, level = list(logger.handlers), logger.level
    yield logger
    for handler in logger.handlers:
        if handler not in handlers:
            handler.close()
    logger.handlers[:] = handlers
    logger.setLevel(level)


def http_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "cybrid_tui.http"]


async def test_each_exchange_is_one_line_with_method_path_status_duration_and_request_id(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="cybrid_tui")
    fake = FakeCybrid(customers=5)
    async with fake.client() as client:
        await client.customers.list(
            page=0, per_page=10, label=["Jane Doe"], guid=["a" * 32], include_pii=True
        )
    token_line, list_line = http_lines(caplog)
    levels = {r.getMessage().split(" ")[0]: r.levelno for r in caplog.records if r.name == "cybrid_tui.http"}
    assert levels == {"POST": logging.INFO, "GET": logging.DEBUG}, "reads are routine, the token is not"
    assert token_line.startswith("POST id.sandbox.cybrid.app/oauth/token -> 200 in ")
    assert list_line.startswith(
        "GET bank.sandbox.cybrid.app/api/customers?page=0&per_page=10&guid=…&label=…&include_pii=true"
        " -> 200 in "
    )
    assert " ms [request id req-1]" in list_line
    assert "Jane" not in list_line


async def test_errors_and_retries_are_warnings(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="cybrid_tui")
    fake = FakeCybrid()
    fake.bank_replies.append(httpx.ConnectError("refused"))
    fake.bank_replies.append(json_response(503, {"status": 503, "error_message": "x", "message_code": "y"}))
    async with fake.client() as client:
        await client.customers.get(fake.customers[0]["guid"])
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("no complete response" in w and "ConnectError" in w for w in warnings)
    assert any("-> 503" in w for w in warnings)
    assert sum("retrying in" in w for w in warnings) == 2


def test_request_id_header_names() -> None:
    assert request_id(httpx.Headers({"X-Request-Id": "abc"})) == "abc"
    assert request_id(httpx.Headers({"x-cybrid-request-id": "def"})) == "def"
    assert request_id(httpx.Headers({"content-type": "x"})) is None


def test_loggable_target_keeps_only_safe_values() -> None:
    url = httpx.URL("https://bank.example/api/customers?page=3&per_page=5&label=Jane&type=individual")
    assert loggable_target(url) == "bank.example/api/customers?page=3&per_page=5&label=…&type=…"


def test_file_logging_writes_to_the_user_log_dir(app_logger: logging.Logger) -> None:
    path = logging_setup.configure_file_logging("info")
    assert path.name == "cybrid-tui.log"
    # conftest points XDG_STATE_HOME into the test's tmp folder; platformdirs puts logs under it.
    assert "xdg_state_home" in str(path)
    logging.getLogger("cybrid_tui.http").info("GET /api/customers -> 200")
    logging.getLogger("cybrid_tui.http").debug("debug line")
    for handler in app_logger.handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    assert "GET /api/customers -> 200" in text
    assert "debug line" not in text
    assert path.stat().st_mode & 0o077 == 0  # readable by the user only


def test_configuring_twice_replaces_the_handler(tmp_path: Path, app_logger: logging.Logger) -> None:
    logging_setup.configure_file_logging("debug", directory=tmp_path)
    path = logging_setup.configure_file_logging("warning", directory=tmp_path)
    logging.getLogger("cybrid_tui.x").warning("once")
    for handler in app_logger.handlers:
        handler.flush()
    assert path.read_text(encoding="utf-8").count("once") == 1
    assert app_logger.level == logging.WARNING


def test_unknown_level_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown log level"):
        logging_setup.configure_file_logging("chatty", directory=tmp_path)


def test_other_libraries_do_not_write_to_the_file(tmp_path: Path, app_logger: logging.Logger) -> None:
    path = logging_setup.configure_file_logging("debug", directory=tmp_path)
    logging.getLogger("httpx").warning("GET https://bank/api/customers?label=Jane")
    for handler in app_logger.handlers:
        handler.flush()
    assert "Jane" not in path.read_text(encoding="utf-8")


def test_redaction_filter_scrubs_tokens_and_registered_secrets(
    tmp_path: Path, app_logger: logging.Logger
) -> None:
    path = logging_setup.configure_file_logging("debug", directory=tmp_path)
    logging_setup.register_secret(SECRET)
    log = logging.getLogger("cybrid_tui.test")
    log.info("header Authorization: Bearer %s", "abc.def.ghi")
    log.info('body {"access_token": "%s-9", "expires_in": 60}', TOKEN_MARK)
    log.info("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig and secret %s", SECRET)
    try:
        raise RuntimeError(f"boom {SECRET}")
    except RuntimeError:
        log.exception("failed")
    for handler in app_logger.handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    for leaked in ("abc.def.ghi", TOKEN_MARK, "eyJhbGciOiJIUzI1NiJ9", SECRET):
        assert leaked not in text
    assert text.count("[redacted]") >= 4
    assert "RuntimeError" in text


def test_a_bad_log_call_is_written_not_raised(tmp_path: Path, app_logger: logging.Logger) -> None:
    path = logging_setup.configure_file_logging("info", directory=tmp_path)
    logging.getLogger("cybrid_tui.x").info("two %s %s", "one")
    for handler in app_logger.handlers:
        handler.flush()
    assert "unformattable arguments" in path.read_text(encoding="utf-8")
