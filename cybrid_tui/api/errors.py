"""Typed errors for the Cybrid API.

    CybridError                      every error the client raises; `title` heads the message shown
    ├── ConfigurationError           settings missing or invalid (never shown with the secret)
    ├── RequestValidationError       arguments the API would refuse, caught before sending (also a ValueError)
    ├── InsecureTransportError       plain http:// to a host that is not loopback
    ├── TransportError               the request never got a usable answer
    │   ├── RequestTimeoutError      connect/read/write/pool timeout
    │   ├── NetworkError             refused, reset, DNS ...
    │   └── MalformedResponseError   a body that is not the JSON the spec promises
    └── APIStatusError               the server answered with an error status
        ├── InvalidRequestError      400, 422
        ├── AuthenticationError      401
        ├── PermissionDeniedError    403
        ├── NotFoundError            404
        ├── RateLimitError           429 (carries `retry_after`)
        └── ServerError              5xx

`TransportError.request_sent` says whether the request may have reached the server: a create that failed
with `request_sent=True` must be reconciled before it is sent again.

Every message is a sentence: it ends with one full stop (or other terminal punctuation), so callers can write
`f"{error.error_message} Try again."` and never print "arrived.. Try". Known secrets (the client secret,
tokens) are replaced in it when the error is made, so no server that echoes one can put it into an
exception's text or repr.
"""

from __future__ import annotations

from cybrid_tui.logging_setup import redact

_TERMINAL = (".", "!", "?", "…")


def sentence(text: str) -> str:
    """`text` with known secrets replaced, ending with exactly one full stop (unless it ends with `!`, `?`
    or an ellipsis already)."""
    text = redact(text).rstrip()
    if text.endswith(".."):
        text = text.rstrip(".") + "."
    if text and not text.endswith(_TERMINAL):
        text += "."
    return text


class CybridError(Exception):
    """Base of every error the client raises. The text is for people; `message_code` is for logic."""

    title = "Cybrid error"
    #: Cybrid's request id (`X-Request-Id` response header) when the server sent one, for support tickets.
    request_id: str | None = None

    def __init__(
        self,
        error_message: str,
        *,
        status: int | None = None,
        message_code: str | None = None,
    ) -> None:
        error_message = sentence(error_message)
        super().__init__(error_message)
        self.error_message = error_message
        self.status = status
        self.message_code = message_code

    def __str__(self) -> str:
        if self.status is not None:
            code = f", {self.message_code}" if self.message_code else ""
            # "Not found (HTTP 404, not_found)": the status joins the sentence before its full stop.
            text = self.error_message[:-1] if self.error_message.endswith(".") else self.error_message
            return f"{text} (HTTP {self.status}{code})"
        return self.error_message

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.error_message!r}, status={self.status!r}, "
            f"message_code={self.message_code!r})"
        )


class ConfigurationError(CybridError):
    title = "Configuration"


class RequestValidationError(CybridError, ValueError):
    """Arguments the API would refuse (page < 0, per_page outside 1..100, ...): nothing was sent."""

    title = "Invalid request"


class InsecureTransportError(CybridError):
    title = "Insecure connection refused"


class TransportError(CybridError):
    title = "Network"

    def __init__(self, error_message: str, *, request_sent: bool = False) -> None:
        super().__init__(error_message)
        self.request_sent = request_sent


class RequestTimeoutError(TransportError):
    title = "Timed out"


class NetworkError(TransportError):
    title = "Network"


class MalformedResponseError(TransportError):
    title = "Unexpected response"

    def __init__(self, error_message: str, *, status: int | None = None, request_sent: bool = True) -> None:
        super().__init__(error_message, request_sent=request_sent)
        self.status = status


class APIStatusError(CybridError):
    title = "Cybrid API"
    #: Seconds the server asked to wait (`Retry-After`), on 429 and sometimes 503.
    retry_after: float | None = None

    def __init__(self, error_message: str, *, status: int, message_code: str | None = None) -> None:
        super().__init__(error_message, status=status, message_code=message_code)


class InvalidRequestError(APIStatusError):
    title = "Rejected"


class AuthenticationError(APIStatusError):
    title = "Authentication"


class PermissionDeniedError(APIStatusError):
    title = "Permission"


class NotFoundError(APIStatusError):
    title = "Not found"


class RateLimitError(APIStatusError):
    title = "Rate limited"

    def __init__(
        self,
        error_message: str,
        *,
        status: int = 429,
        message_code: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(error_message, status=status, message_code=message_code)
        self.retry_after = retry_after


class ServerError(APIStatusError):
    title = "Server"


def error_for_status(
    status: int, error_message: str, message_code: str | None, *, retry_after: float | None = None
) -> APIStatusError:
    """The typed error for an HTTP error status."""
    if status == 429:
        return RateLimitError(error_message, message_code=message_code, retry_after=retry_after)
    cls: type[APIStatusError]
    if status in (400, 422):
        cls = InvalidRequestError
    elif status == 401:
        cls = AuthenticationError
    elif status == 403:
        cls = PermissionDeniedError
    elif status == 404:
        cls = NotFoundError
    elif status >= 500:
        cls = ServerError
    else:
        cls = APIStatusError
    error = cls(error_message, status=status, message_code=message_code)
    error.retry_after = retry_after
    return error
