"""The log file: `<user log dir>/cybrid-tui.log`, rotating, with secrets scrubbed on the way out.

Only the `cybrid_tui` logger tree writes there (httpx's own INFO lines carry full URLs with query values,
so they stay out). Nothing is logged to the terminal: it belongs to the TUI. The redaction filter is belt
and braces: nothing in the app logs a secret, but if something ever did, it would not reach the disk.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from cybrid_tui.safe_text import safe_text

if TYPE_CHECKING:
    import io

LOG_FILE_NAME = "cybrid-tui.log"
APP_NAME = "cybrid-tui"
_MAX_BYTES = 1_000_000
_BACKUPS = 3
#: Longest message written (after scrubbing): a server can send megabytes of text, the log keeps a line.
MAX_RECORD_CHARS = 2_000
#: Log files are owner-only: the first one, the rotated ones, and one an older version left readable.
_FILE_MODE = 0o600
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

#: Access tokens kept for scrubbing: the newest ones (a token lives an hour or so; older ones are long dead).
MAX_TOKENS = 64
_MIN_SECRET_CHARS = 4  # a very short "secret" would mask ordinary words


class SecretBook:
    """The exact values scrubbed from every log line: secrets for good, tokens while they are recent.

    Credentials (the client secret) are never forgotten. Tokens are renewed all through a long session, so
    only the newest `max_tokens` are kept and the oldest goes first: a renewal can never push the client
    secret, or a token still in use, out of the book.
    """

    def __init__(self, max_tokens: int = MAX_TOKENS) -> None:
        self._max_tokens = max_tokens
        self._secrets: dict[str, None] = {}  # insertion-ordered sets
        self._tokens: dict[str, None] = {}
        #: Every known value, longest first (what `redact` walks on every log line): rebuilt on a change,
        #: not sorted again per line.
        self._longest_first: tuple[str, ...] = ()
        self._lock = threading.Lock()

    def add_secret(self, value: str) -> None:
        if len(value) >= _MIN_SECRET_CHARS:
            with self._lock:
                self._secrets[value] = None
                self._reorder()

    def add_token(self, value: str) -> None:
        if len(value) < _MIN_SECRET_CHARS:
            return
        with self._lock:
            self._tokens.pop(value, None)  # seen again: it is the newest now
            self._tokens[value] = None
            while len(self._tokens) > self._max_tokens:
                del self._tokens[next(iter(self._tokens))]
            self._reorder()

    def _reorder(self) -> None:
        # Longest first: a value that contains another is replaced whole, not left with a hole in it.
        self._longest_first = tuple(sorted((*self._secrets, *self._tokens), key=len, reverse=True))

    def known(self) -> tuple[str, ...]:
        """Every value to scrub, longest first (a tuple replaced whole on change: safe to read unlocked)."""
        return self._longest_first


_book = SecretBook()


def register_secret(value: str) -> None:
    """Scrub this exact value from every log line for as long as the process runs (the client secret)."""
    _book.add_secret(value)


def register_token(value: str) -> None:
    """Scrub this access token from every log line while it is among the newest `MAX_TOKENS` seen."""
    _book.add_token(value)


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    for secret in _book.known():
        if secret in text:
            text = text.replace(secret, _MASK)
    return text


def scrub(text: str, limit: int | None = None) -> str:
    """`text` made fit for a log line, a message or the screen: secrets replaced first, then terminal controls
    (`safe_text`), then cut to `limit` characters. In that order: a cut made before the replacing could leave
    the front of a secret that straddles it, which no longer matches the secret and so stays."""
    text = safe_text(redact(text))
    if limit is not None and len(text) > limit:
        text = text[: max(0, limit - 1)] + "…"
    return text


class RedactingFilter(logging.Filter):
    """Formats the record once, scrubs it, and stores the clean text as the message."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not turn into a traceback on the terminal
            message = f"{record.msg!s} (unformattable arguments)"
        # Secrets out first, then control characters (a line may quote a server: a reason phrase, a
        # request id, an error message), then the length: one record stays one harmless line.
        clean = scrub(message, MAX_RECORD_CHARS)
        if record.exc_info and record.exc_info[1] is not None:
            # Tracebacks can quote anything: keep only the exception type and a scrubbed message.
            exc = record.exc_info[1]
            clean += f" [{type(exc).__name__}: {scrub(str(exc), MAX_RECORD_CHARS)}]"
            record.exc_info = None
            record.exc_text = None
        record.msg = clean
        record.args = None
        return True


class _AppFileHandler(logging.handlers.RotatingFileHandler):
    """Marks the handler this module installed, so configuring twice replaces rather than duplicates it.

    Every file it opens is created owner-only: the one after a rollover too (`RotatingFileHandler` would
    create it with the umask's mode, typically 0644), whatever the umask."""

    def _open(self) -> io.TextIOWrapper:
        # Created with the mode at once (no window in which it is readable by others); a umask can only
        # remove bits from it.
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, _FILE_MODE)
        try:
            return os.fdopen(fd, "a", encoding=self.encoding, errors=self.errors)
        except BaseException:
            os.close(fd)
            raise


def log_directory() -> Path:
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def log_file_path() -> Path:
    """The file the app logs to: the one `configure_file_logging` opened, else where it would go."""
    for handler in logging.getLogger("cybrid_tui").handlers:
        if isinstance(handler, _AppFileHandler):
            return Path(handler.baseFilename)
    return log_directory() / LOG_FILE_NAME


def start_file_logging(level: str) -> str | None:
    """`configure_file_logging`, or, when the log folder cannot be made or written (a read-only home, a bad
    `XDG_STATE_HOME`), a one-line warning to print: the app and the commands still run, without a log file,
    rather than stop with a traceback."""
    try:
        configure_file_logging(level)
    except OSError as error:
        # A handler added before the failure would fail on every record (and print that on the terminal).
        root = logging.getLogger("cybrid_tui")
        for handler in [h for h in root.handlers if isinstance(h, _AppFileHandler)]:
            root.removeHandler(handler)
            handler.close()
        where = safe_text(str(error.filename or log_directory()))
        reason = error.strerror or type(error).__name__
        return f"warning: no log file ({where}: {reason}); continuing without one"
    return None


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
    path.touch(mode=_FILE_MODE, exist_ok=True)
    # Files an older version (or another umask) left group- or world-readable become owner-only.
    for existing in (path, *(folder / f"{LOG_FILE_NAME}.{index}" for index in range(1, _BACKUPS + 1))):
        if existing.exists():
            existing.chmod(_FILE_MODE)
    return path
