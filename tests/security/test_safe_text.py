"""`safe_text` and the log's scrubbing: network text never reaches the terminal or the log as sent."""

from __future__ import annotations

import logging
import logging.handlers
import stat
from typing import TYPE_CHECKING

import pytest

from cybrid_tui.logging_setup import (
    LOG_FILE_NAME,
    RedactingFilter,
    configure_file_logging,
    register_secret,
    scrub,
)
from cybrid_tui.safe_text import safe_lines, safe_text
from tests.support.hostile import FORBIDDEN, PAYLOAD, PAYLOADS, forbidden_in

if TYPE_CHECKING:
    from pathlib import Path


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_payload_comes_out_without_a_control_character(payload: str) -> None:
    shown = safe_text(payload)
    assert not forbidden_in(shown)
    assert not set(shown) & FORBIDDEN
    assert safe_text(shown) == shown  # idempotent: made safe twice reads as once


def test_controls_are_shown_not_silently_dropped() -> None:
    assert safe_text("\x1b]0;title\x07") == "␛]0;title␇"
    assert safe_text("a\rb\nc\td\x08\x7f") == "a␍b␊c␉d␈␡"
    assert safe_text("\u202egnp.exe") == "\ufffdgnp.exe"
    assert safe_text("\x9b31m") == "\ufffd31m"


def test_clean_text_is_returned_as_is_including_non_latin_and_emoji() -> None:
    for clean in ("Zoë Øberg", "李王", "Nguyễn", "O'Brien [vip]", "👩‍👩‍👧 family", "a\u00a0b", ""):
        assert safe_text(clean) == clean
    name = "Ada Lovelace"
    assert safe_text(name) is name  # the fast path allocates nothing


def test_safe_lines_keeps_our_line_breaks_and_neutralises_the_rest() -> None:
    assert safe_lines("1 Main St\nSpringfield\x1b[2J") == "1 Main St\nSpringfield␛[2J"


def test_scrub_replaces_a_secret_before_cutting_so_no_fragment_survives_the_cut() -> None:
    secret = "Sup3rS3cretValue"
    register_secret(secret)
    text = "x" * 290 + secret + " tail"
    cut = scrub(text, 300)
    assert len(cut) <= 300
    for size in range(4, len(secret) + 1):
        assert secret[:size] not in cut
    assert "[redacted]" in scrub("y" * 10 + secret, 300)


def test_the_log_filter_redacts_neutralises_and_bounds_a_record() -> None:
    secret = "AnotherS3cretForLogs"
    register_secret(secret)
    record = logging.LogRecord(
        "cybrid_tui.http", logging.WARNING, __file__, 1, "%s", (PAYLOAD + secret,), None
    )
    RedactingFilter().filter(record)
    assert secret not in record.getMessage()
    assert not forbidden_in(record.getMessage())
    long = logging.LogRecord("cybrid_tui", logging.INFO, __file__, 1, "z" * 100_000, None, None)
    RedactingFilter().filter(long)
    assert len(long.getMessage()) <= 2_000


def test_every_log_file_rotated_ones_included_is_owner_only(tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    path = configure_file_logging("info", directory=folder)
    log = logging.getLogger("cybrid_tui.test_rotation")
    root = logging.getLogger("cybrid_tui")
    handler = next(h for h in root.handlers if isinstance(h, logging.handlers.RotatingFileHandler))
    try:
        for _ in range(3):
            log.info("a line to rotate")
            handler.doRollover()
        log.info("after the rotations")
        files = sorted(folder.glob(LOG_FILE_NAME + "*"))
        assert len(files) >= 3
        for file in files:
            assert stat.S_IMODE(file.stat().st_mode) == 0o600, file.name
    finally:
        root.removeHandler(handler)
        handler.close()
    assert path.exists()


def test_an_existing_readable_log_is_tightened(tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    folder.mkdir()
    old = folder / f"{LOG_FILE_NAME}.1"
    old.write_text("old\n")
    old.chmod(0o644)
    configure_file_logging("info", directory=folder)
    root = logging.getLogger("cybrid_tui")
    for handler in [h for h in root.handlers if h.__class__.__name__ == "_AppFileHandler"]:
        root.removeHandler(handler)
        handler.close()
    assert stat.S_IMODE(old.stat().st_mode) == 0o600


def test_a_lone_surrogate_becomes_a_replacement_character_a_terminal_can_print() -> None:
    # A JSON "\ud800" escape decodes to a lone surrogate: written to a UTF-8 terminal it raised
    # UnicodeEncodeError (a traceback from `customers list --csv` against such a server).
    for text in ("a\ud800b", "\udfff", "x\udbff\udc00"):  # the last is two lone halves, not a pair
        shown = safe_text(text)
        assert not any(0xD800 <= ord(char) < 0xE000 for char in shown)
        shown.encode("utf-8")  # would raise on a surrogate
    assert safe_text("a\ud800b") == "a\ufffdb"
