"""The client secret and access tokens never show up in reprs, exception text, tracebacks or logs."""

from __future__ import annotations

import io
import logging
import traceback
from collections.abc import Awaitable, Callable

import httpx
import pytest
from rich.console import Console
from rich.traceback import Traceback

from cybrid_tui.api.client import CybridClient
from cybrid_tui.api.errors import CybridError
from cybrid_tui.api.models import PostCustomer
from cybrid_tui.api.retry import RetryPolicy
from tests.support.client_fakes import SECRET, TOKEN_MARK, FakeCybrid, error_body, json_response

Scenario = Callable[[FakeCybrid, CybridClient], Awaitable[object]]


async def _bad_credentials(fake: FakeCybrid, client: CybridClient) -> object:
    fake.token_replies.append(json_response(401, {"error": "invalid_client", "error_description": SECRET}))
    return await client.customers.list()


async def _token_endpoint_down(fake: FakeCybrid, client: CybridClient) -> object:
    fake.token_replies.extend([httpx.ConnectError(f"refused {SECRET}")] * 5)
    return await client.customers.list()


async def _token_malformed(fake: FakeCybrid, client: CybridClient) -> object:
    fake.token_replies.append(json_response(200, {"access_token": f"{TOKEN_MARK}-x", "expires_in": "never"}))
    return await client.customers.list()


async def _revoked_token(fake: FakeCybrid, client: CybridClient) -> object:
    await client.customers.list()
    fake.bank_replies.extend([json_response(401, error_body(401, "Authentication failed", "bad"))] * 2)
    return await client.customers.list()


async def _read_timeout_on_create(fake: FakeCybrid, client: CybridClient) -> object:
    await client.customers.list()
    fake.bank_replies.append(httpx.ReadTimeout("slow"))
    return await client.customers.create(PostCustomer(type="individual"))  # type: ignore[arg-type]


async def _malformed_bank_body(fake: FakeCybrid, client: CybridClient) -> object:
    fake.bank_replies.append(json_response(200, {"token": f"{TOKEN_MARK}-echo", "secret": SECRET}))
    return await client.customers.get("a" * 32)


async def _server_error_with_retries(fake: FakeCybrid, client: CybridClient) -> object:
    fake.bank_replies.extend([json_response(503, error_body(503, "down", "unavailable"))] * 5)
    return await client.customers.list(label=["secret-label"])


SCENARIOS = [
    _bad_credentials,
    _token_endpoint_down,
    _token_malformed,
    _revoked_token,
    _read_timeout_on_create,
    _malformed_bank_body,
    _server_error_with_retries,
]


def _render_like_a_crash_screen(error: BaseException) -> str:
    """Textual shows unhandled errors with rich's traceback, locals included."""
    console = Console(file=io.StringIO(), width=200, color_system=None)
    console.print(Traceback.from_exception(type(error), error, error.__traceback__, show_locals=True))
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert isinstance(out, str)
    return out


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.__name__.strip("_") for s in SCENARIOS])
async def test_no_secret_anywhere_when_things_fail(
    scenario: Scenario, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="cybrid_tui")
    fake = FakeCybrid()
    client = fake.client(retry=RetryPolicy(max_attempts=3, random=lambda: 0.0))
    with pytest.raises(CybridError) as caught:
        await scenario(fake, client)
    error = caught.value
    texts = {
        "str": str(error),
        "repr": repr(error),
        "traceback": "".join(traceback.format_exception(error)),
        "traceback with locals": "".join(
            traceback.TracebackException.from_exception(error, capture_locals=True).format()
        ),
        "rich traceback": _render_like_a_crash_screen(error),
        "logs": _app_log(caplog),
        "client repr": repr(client) + repr(client.auth),
    }
    await client.aclose()
    for name, text in texts.items():
        assert SECRET not in text, name
        assert TOKEN_MARK not in text, name
    assert "secret-label" not in _app_log(caplog)  # filter values can be PII: names only


def _app_log(caplog: pytest.LogCaptureFixture) -> str:
    """What reaches the log file: the `cybrid_tui` loggers (httpx's own lines are not written there)."""
    return "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("cybrid_tui"))


async def test_successful_session_logs_no_secret(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="cybrid_tui")
    fake = FakeCybrid()
    async with fake.client() as client:
        async for _ in client.customers.iter_pages(per_page=50):
            pass
        await client.customers.get(fake.customers[0]["guid"], include_pii=True)
        await client.customers.create(PostCustomer(type="individual"))  # type: ignore[arg-type]
    log = _app_log(caplog)
    assert "POST id.sandbox.cybrid.app/oauth/token -> 200" in log
    assert SECRET not in log
    assert TOKEN_MARK not in log


def test_secret_str_client_secret_is_accepted_and_hidden() -> None:
    from pydantic import SecretStr

    client = CybridClient(
        bank_url="https://bank.sandbox.cybrid.app",
        id_url="https://id.sandbox.cybrid.app",
        client_id="id",
        client_secret=SecretStr(SECRET),
    )
    assert SECRET not in repr(client)
    assert SECRET not in repr(vars(client))
    assert SECRET not in repr(vars(client.auth))
