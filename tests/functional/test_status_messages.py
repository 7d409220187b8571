"""What the status line says when things go wrong (issue 11, points 8-10): the cause and the fix first, the
whole message within the width, the same story as the table, and a retry countdown that counts."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import httpx
import pytest

from cybrid_tui.live.backoff import JITTER
from cybrid_tui.screens.detail import CustomerDetailScreen
from tests.support.ui_harness import Harness
from tests.support.waiting import wait_for

if TYPE_CHECKING:
    from cybrid_tui.widgets.status_bar import StatusBar


class _Refusing(httpx.AsyncBaseTransport):
    """The demo bank behind a transport that refuses the credentials (401) or every customer list read."""

    def __init__(self, inner: httpx.AsyncBaseTransport, *, refuse: str) -> None:
        self.inner = inner
        self.refuse = refuse

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if self.refuse == "token" and path.endswith("/oauth/token"):
            body = {"error": "invalid_client", "error_description": "Client authentication failed"}
            return httpx.Response(401, json=body, request=request)
        if self.refuse == "list" and path == "/api/customers":
            raise httpx.ConnectError("connection refused (test outage)", request=request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def refusing(refuse: str, **options: object) -> Harness:
    h = Harness(**options)  # type: ignore[arg-type]
    h.backend._wrap = lambda inner: _Refusing(inner, refuse=refuse)
    return h


def drawn(bar: StatusBar) -> list[str]:
    """The status bar's lines as drawn (cut where the widget cuts them)."""
    return [bar.render_line(y).text.rstrip() for y in range(bar.size.height)]


@pytest.mark.parametrize("width", [80, 100])
async def test_an_authentication_failure_shows_cause_and_fix_first_and_whole(width: int) -> None:
    h = refusing("token")
    async with h.app.run_test(size=(width, 24)) as pilot:
        await wait_for(lambda: h.screen.failures >= 1, message="the token request failed")
        await pilot.pause()
        lines = drawn(h.screen.status)
        assert "connecting" not in lines[0]
        assert "not connected" in lines[0]
        problem = lines[1:]
        assert all(len(line) <= width for line in lines)
        # The fix is on the first two lines, and nothing is cut: the message ends with the retry.
        first = " ".join(problem[:2])
        assert "Authentication failed: The client credentials were rejected. Check the client id" in first
        assert "client secret." in first
        assert re.search(r"Retrying in [\d a-z]+\.$", problem[-1]), problem
        assert "Client authentication failed." in " ".join(problem)


async def test_a_failed_first_load_says_the_same_in_the_status_line_and_the_table() -> None:
    h = refusing("list")
    async with h.app.run_test(size=(80, 24)) as pilot:
        await wait_for(lambda: h.screen.failures >= 1, message="the first load failed")
        await pilot.pause()
        status = h.status_text().splitlines()[0]
        assert "could not load" in status
        assert "loaded 0" not in status
        assert "customers" not in status
        assert "live" not in status
        assert h.table.empty_message.startswith("Could not load the customers")


async def test_the_retry_countdown_counts_down_each_second() -> None:
    JITTER.seed(0)
    h = Harness(refresh_seconds=20.0)
    async with h.app.run_test(size=(100, 24)) as pilot:
        await h.live()
        assert h.transport is not None
        h.clock.advance(3.0)
        h.transport.failing = True
        await pilot.press("r")
        await wait_for(lambda: h.screen.failures == 1, message="the refresh failed")
        await pilot.pause()
        text = h.status_text()
        match = re.search(r"Retrying in (\d+) s\.", text)
        assert match is not None, text
        left = int(match.group(1))
        # Next to a fresh error the last good refresh shows its age, not "just now".
        assert "just now" not in text and "refreshed 3 s ago" in text
        h.clock.advance(1.0)
        await wait_for(
            lambda: f"Retrying in {left - 1} s." in h.status_text(),
            timeout=3.0,
            message=f"the countdown moved from {left} s",
        )


async def test_the_detail_view_says_whole_seconds_until_the_retry() -> None:
    JITTER.seed(0)
    h = Harness(refresh_seconds=7.0)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await h.live()
        await pilot.press("enter")
        await wait_for(lambda: isinstance(h.app.screen, CustomerDetailScreen), message="detail opened")
        screen = h.app.screen
        assert isinstance(screen, CustomerDetailScreen)
        await wait_for(lambda: screen.customer is not None, message="customer read")
        assert h.transport is not None
        h.transport.failing = True
        await pilot.press("r")
        await wait_for(lambda: screen._failures == 1, message="the read failed")
        await pilot.pause()
        text = str(screen.query_one("#detail-status").render())
        assert re.search(r"Retrying in \d+ s\.$", text), text
