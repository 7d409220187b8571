"""Exit statuses of the commands, and the one-line error a failed command prints.

    0  success (also a watch stopped with Ctrl-C, and a reader that closed the pipe early)
    1  the API or the network failed (a refusal, a 404, a 5xx, a timeout, a malformed answer)
    2  usage or configuration: bad flags or body, missing or invalid settings, an insecure URL, read-only
    3  `customers verify --wait`: the verification finished without passing (failed or expired)
    4  authentication or permission (401, 403), as `gh` does
  130  interrupted (Ctrl-C) during a command that is not a watch

The message is one line on stderr in plain words; with `--json` a JSON object follows it, on stderr too, so
a script reading stdout never mistakes an error for data. Server text is made safe for the terminal first.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any, Final

from cybrid_tui.safe_text import safe_text as safe_line

if TYPE_CHECKING:
    from cybrid_tui.api.errors import CybridError

EXIT_OK: Final = 0
EXIT_API: Final = 1
EXIT_USAGE: Final = 2
EXIT_AUTH: Final = 4
EXIT_INTERRUPTED: Final = 130

PROG: Final = "cybrid-tui"


class UsageProblem(Exception):
    """Arguments or input a command cannot run with (exit 2); the text names what to change."""


def exit_status(error: CybridError) -> int:
    """The exit status for a client error."""
    from cybrid_tui.api.errors import (
        AuthenticationError,
        ConfigurationError,
        InsecureTransportError,
        PermissionDeniedError,
        RequestValidationError,
    )

    if isinstance(error, AuthenticationError | PermissionDeniedError):
        return EXIT_AUTH
    if isinstance(error, ConfigurationError | InsecureTransportError | RequestValidationError):
        return EXIT_USAGE
    return EXIT_API


def describe(error: CybridError) -> str:
    """One line: what went wrong and, for an id the server gave, how to quote it to support."""
    text = one_line(str(error))
    if error.request_id:
        text += f" (request id {error.request_id})"
    return safe_line(f"{error.title}: {text}")


def one_line(text: str) -> str:
    """A message of several lines (configuration problems list one per line) as one line of sentences."""
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    joined = ""
    for line in lines:
        if joined:
            joined += " " if joined.endswith((".", ":", ";", "!", "?")) else ". "
        joined += line
    return joined


def report(message: str, *, as_json: bool, status: int, fields: dict[str, Any] | None = None) -> int:
    """Print the error (one line, then a JSON object with `--json`) on stderr; return `status`."""
    line = safe_line(message)
    sys.stderr.write(f"{PROG}: {line}\n")
    if as_json:
        document: dict[str, Any] = {"error": {"message": line, "exit_status": status, **(fields or {})}}
        sys.stderr.write(json.dumps(document) + "\n")
    sys.stderr.flush()
    return status


def report_client_error(error: CybridError, *, as_json: bool) -> int:
    status = exit_status(error)
    fields: dict[str, Any] = {"type": type(error).__name__}
    if error.status is not None:
        fields["http_status"] = error.status
    if error.message_code:
        fields["message_code"] = safe_line(error.message_code)
    if error.request_id:
        fields["request_id"] = safe_line(error.request_id)
    return report(describe(error), as_json=as_json, status=status, fields=fields)


def say(message: str) -> None:
    """A message (never data) on stderr."""
    sys.stderr.write(message + "\n")
    sys.stderr.flush()
