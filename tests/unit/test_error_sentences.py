"""Every error message is one sentence: it ends with terminal punctuation and never doubles a full stop, so
"…arrived.. The request…" (issue 11) cannot be assembled from it."""

from __future__ import annotations

import httpx
import pytest

from cybrid_tui.api import errors
from cybrid_tui.api.errors import CybridError, RequestTimeoutError, ServerError, TransportError, sentence
from cybrid_tui.api.responses import status_error, transport_error
from cybrid_tui.api.security import check_base_url
from cybrid_tui.forms.outcome import describe_failure
from cybrid_tui.forms.values import FormValues

_REQUEST = httpx.Request("GET", "https://bank.example/api/customers")


def _transport_errors() -> list[CybridError]:
    raised = [
        httpx.ConnectTimeout("t"),
        httpx.PoolTimeout("t"),
        httpx.ReadTimeout("t"),
        httpx.ConnectError("[Errno 111] Connection refused."),
        httpx.UnsupportedProtocol("no."),
        httpx.LocalProtocolError("bad"),
        httpx.DecodingError("gzip"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        httpx.ReadError(""),
        httpx.WriteError("w"),
        httpx.HTTPError("other."),
        RuntimeError("?"),
    ]
    return [transport_error(exc, host="bank.example", timeout=3.0) for exc in raised]


def _status_errors() -> list[CybridError]:
    made: list[CybridError] = []
    for status, reason, body in [
        (502, "Bad Gateway", b""),
        (502, "Bad gateway.", b""),
        (503, "", b"<html>down</html>"),
        (
            500,
            "Internal Server Error",
            b'{"status": 500, "error_message": "Bad gateway", "message_code": "x"}',
        ),
        (400, "Bad Request", b'{"status": 400, "error_message": "Name required.", "message_code": "x"}'),
        (
            401,
            "Unauthorized",
            b'{"error": "invalid_client", "error_description": "Client authentication failed..."}',
        ),
        (429, "Too Many Requests", b'{"status": 429, "error_message": "Slow down!", "message_code": "x"}'),
    ]:
        headers = {"content-type": "text/html" if body.startswith(b"<") else "application/json"}
        response = httpx.Response(
            status,
            headers=headers,
            content=body,
            request=_REQUEST,
            extensions={"reason_phrase": reason.encode()},
        )
        made.append(status_error(response, origin="The Cybrid API"))
    return made


def _configuration_errors() -> list[CybridError]:
    made: list[CybridError] = []
    for url in [
        "ftp://x",
        "http://bank.example",
        "https://u:p@bank.example",
        "https://b.example/?q=1",
        "http://[::",
    ]:
        with pytest.raises(CybridError) as caught:
            check_base_url(url, name="The bank URL")
        made.append(caught.value)
    return made


def every_error() -> list[CybridError]:
    plain = [cls("Something happened") for cls in (errors.ConfigurationError, errors.RequestValidationError)]
    return [*plain, *_transport_errors(), *_status_errors(), *_configuration_errors()]


@pytest.mark.parametrize("error", every_error(), ids=lambda e: f"{type(e).__name__}:{e.error_message[:30]}")
def test_every_message_is_one_sentence(error: CybridError) -> None:
    message = error.error_message
    assert message.endswith((".", "!", "?", "…")), message
    assert ".." not in message.replace("...", "…"), message


def test_sentences_end_once() -> None:
    assert sentence("Bad gateway") == "Bad gateway."
    assert sentence("Arrived.. ") == "Arrived."
    assert sentence("Why?") == "Why?"
    assert sentence("Slow down!") == "Slow down!"
    assert str(ServerError("Bad gateway", status=502)) == "Bad gateway (HTTP 502)"


@pytest.mark.parametrize(
    "error",
    [
        RequestTimeoutError(
            "The connection to bank.example broke before the answer arrived.", request_sent=True
        ),
        ServerError("Bad gateway", status=502),
        TransportError("Could not connect to bank.example: refused.", request_sent=False),
        ServerError("Internal error.", status=500),
    ],
)
@pytest.mark.parametrize("uncertain", [True, False])
def test_the_form_never_prints_a_doubled_full_stop(error: CybridError, uncertain: bool) -> None:
    report = describe_failure(error, uncertain=uncertain, values=FormValues(), tag="cybrid-tui-000000000000")
    assert ".." not in report.text.replace("...", "…"), report.text
    assert "Bad gateway." in report.text or "Bad gateway" not in error.error_message
