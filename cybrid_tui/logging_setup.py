"""The log file: `<user log dir>/cybrid-tui.log`, rotating, with secrets scrubbed on the way out.

Only the `cybrid_tui` logger tree writes there (httpx's own INFO lines carry full URLs with query values,
so they stay out). Nothing is logged to the terminal: it belongs to the TUI. The redaction filter is belt
and braces: nothing in the app logs a secret, but if something ever did, it would not reach the disk.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import threading
from pathlib import Path

LOG_FILE_NAME = "cybrid-tui.log"
APP_NAME = "cybrid-tui"
_MAX_BYTES = 1_000_000
_BACKUPS = 3
_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING, "error": logging.ERROR}

_MASK = "[redacted]"
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9\-._~+/]+=*"), rf"\1 {_MASK}"),
    (
        re.compile(
            r"(?i)(\"?(?:access_token|client_secret|refresh_token|authorization)\"?\s*[:=]\s*\"?)[^\s\",&]+"
        ),
        rf"\1{_MASK}",
    ),
    # JSON Web Tokens, whatever they are wrapped in.
    (re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"), _MASK),
)

_secrets: set[str] = set()
_secrets_lock = threading.Lock()


def register_secret(value: str) -> None:
    """Scrub this exact value from every log line from now on (the client secret, access tokens)."""
    if len(value) >= 4:  # a very short "secret" would mask ordinary words
        with _secrets_lock:
            _secrets.add(value)
            if len(_secrets) > 64:  # tokens rotate: keep the set bounded
                _secrets.pop()


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    with _secrets_lock:
        known = tuple(_secrets)
    for secret in known:
        if secret in text:
            text = text.replace(secret, _MASK)
    return text


class RedactingFilter(logging.Filter):
    """Formats the record once, scrubs it, and stores the clean text as the message."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not turn into a traceback on the terminal
            message = f"{record.msg!s} (unformattable arguments)"
        clean = redact(message)
        if record.exc_info and record.exc_info[1] is not None:
            # Tracebacks can quote anything: keep only the exception type and a scrubbed message.
            exc = record.exc_info[1]
            clean += f" [{type(exc).__name__}: {redact(str(exc))}]"
            record.exc_info = None
            record.exc_text = None
        record.msg = clean
        record.args = None
        return True


class _AppFileHandler(logging.handlers.RotatingFileHandler):
    """Marks the handler this module installed, so configuring twice replaces rather than duplicates it."""


def log_directory() -> Path:
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def configure_file_logging(level: str, *, directory: Path | None = None) -> Path:
    """Send the `cybrid_tui` loggers at `level` and above to the rotating log file; return its path."""
    try:
        numeric = _LEVELS[level.lower()]
    except KeyError:
        raise ValueError(f"unknown log level {level!r}; use one of {', '.join(_LEVELS)}") from None
    folder = directory if directory is not None else log_directory()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / LOG_FILE_NAME
    handler = _AppFileHandler(path, maxBytes=_MAX_BYTES, backupCount=_BACKUPS, encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger("cybrid_tui")
    for old in [h for h in root.handlers if isinstance(h, _AppFileHandler)]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    root.setLevel(numeric)
    path.touch(mode=0o600, exist_ok=True)
    return path
