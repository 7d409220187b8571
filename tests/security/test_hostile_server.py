"""Against a hostile server (tests/support/hostile.py): nothing it sends takes over the terminal, the memory,
the request budget or the secret, through the client, the live refresher and the app (issue 12)."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

import pytest

from cybrid_tui.api.errors import CybridError
from cybrid_tui.live.refresher import LiveRefresher
from cybrid_tui.live.rows import rows_from_customers
from cybrid_tui.live.store import CustomerStore
from cybrid_tui.logging_setup import configure_file_logging
from cybrid_tui.mock.server import serve_in_thread
from tests.support.hostile import (
    CLIENT_SECRET,
    PAYLOADS,
    HostileBackend,
    HostileStats,
    HostileTransport,
    Hostility,
    forbidden_in,
    hostile_app,
    hostile_client,
    serve_reason_phrase,
)
from tests.support.waiting import wait_for

if TYPE_CHECKING:
    from pathlib import Path

    from starlette.applications import Starlette

    from cybrid_tui.live.store import ChangeSet


def stats(app: Starlette) -> HostileStats:
    counted: HostileStats = app.state.requests
    return counted


def no_progress(changes: ChangeSet, loaded: int, total: int | None) -> None:
    return None


def assert_clean_error(error: BaseException) -> None:
    """What an error says (its text, its repr, its request id) holds no control character and no secret."""
    for text in (str(error), repr(error), getattr(error, "request_id", None) or ""):
        assert not forbidden_in(text), text
        assert CLIENT_SECRET not in text


# ------------------------------------------------------------------------------------------ terminal text


async def test_injected_customer_fields_become_rows_without_a_control_character() -> None:
    app = hostile_app(Hostility(inject=True))
    async with hostile_client(HostileTransport(app)) as client:
        page = await client.customers.list_summaries(per_page=10, include_pii=True)
    raw = page.objects[0]
    assert raw.name is not None and "\x1b" in (raw.name.full or "")  # the client keeps data as sent ...
    for row in rows_from_customers(page.objects):  # ... and the row, what everything shows, is safe
        for text in (row.name or "", row.type, row.state, *row.labels):
            assert not forbidden_in(text), text
        assert "␛]0;pwned title␇" in (row.name or "")  # shown, not silently dropped


@pytest.mark.parametrize("status", [400, 500])
async def test_an_error_answer_with_payloads_everywhere_raises_clean_text(status: int) -> None:
    app = hostile_app(Hostility(error_status=status))
    async with hostile_client(HostileTransport(app)) as client:
        with pytest.raises(CybridError) as caught:
            await client.customers.list(per_page=10)
    assert_clean_error(caught.value)


async def test_the_request_log_neutralises_the_reason_phrase_and_request_id(tmp_path: Path) -> None:
    path = configure_file_logging("debug", directory=tmp_path / "logs")
    root = logging.getLogger("cybrid_tui")
    try:
        app = hostile_app(Hostility(error_status=500))
        async with hostile_client(HostileTransport(app)) as client:
            with pytest.raises(CybridError):
                await client.customers.list(per_page=10)
    finally:
        for handler in list(root.handlers):
            if isinstance(handler, logging.FileHandler):
                handler.flush()
    text = path.read_text(encoding="utf-8")
    assert "request id req-" in text
    assert not forbidden_in(text)


# ------------------------------------------------------------------------------------------ the secret


async def test_a_secret_echoed_in_the_reason_phrase_in_process_is_never_raised() -> None:
    app = hostile_app(Hostility(reason_secret=True))
    async with hostile_client(HostileTransport(app)) as client:
        with pytest.raises(CybridError) as caught:
            await client.customers.list(per_page=10)
    assert_clean_error(caught.value)


async def test_a_secret_echoed_in_the_reason_phrase_over_loopback_is_never_raised() -> None:
    server, url = await serve_reason_phrase(f"Unauthorized {CLIENT_SECRET} {PAYLOADS[0]}".encode())
    try:
        async with hostile_client(url=url) as client:
            with pytest.raises(CybridError) as caught:
                await client.customers.list(per_page=10)
    finally:
        server.close()
        await server.wait_closed()
    assert_clean_error(caught.value)


# ------------------------------------------------------------------------------------------ endless loads


async def load(hostility: Hostility, **options: int) -> tuple[LiveRefresher, HostileStats, float]:
    app = hostile_app(hostility)
    started = time.monotonic()
    async with hostile_client(HostileTransport(app)) as client:
        refresher = LiveRefresher(client.customers, CustomerStore(), include_pii=True, **options)
        await refresher.load_all(no_progress)
    return refresher, stats(app), time.monotonic() - started


async def test_a_total_of_ten_million_with_empty_pages_stops_at_the_first_empty_page() -> None:
    refresher, served, seconds = await load(Hostility(endless_total=True), concurrency=4)
    # Page 0, then at most one empty page per worker before they all see the end.
    assert served.list_requests <= 1 + 4
    assert len(refresher.store) == 100
    assert refresher.load_notice is not None and "10,000,000" in refresher.load_notice
    assert seconds < 5


async def test_a_total_that_grows_on_every_answer_is_not_chased() -> None:
    refresher, served, _ = await load(Hostility(growing_total=True, customers=1_000), concurrency=4)
    assert served.list_requests <= 10 + 4  # the 10 pages first announced, not the growth
    assert refresher.load_notice is not None and "jumped" in refresher.load_notice


async def test_the_load_stops_at_its_ceiling_and_says_so() -> None:
    refresher, served, _ = await load(
        Hostility(customers=5_000), concurrency=2, max_pages=7, max_customers=10_000
    )
    assert served.list_requests == 7
    assert len(refresher.store) == 700
    assert refresher.load_notice is not None and "ceiling" in refresher.load_notice


async def test_a_burst_that_never_ends_is_bounded_within_a_tick() -> None:
    """A server that shows only new customers on every page: a tick reads a bounded number of pages."""
    refresher, served, _ = await load(Hostility(growing_total=True, customers=100), max_burst_pages=5)
    before = served.list_requests
    result = await refresher.tick()
    assert result.requests <= 3 + 5
    assert served.list_requests - before == result.requests


# ------------------------------------------------------------------------------------------ answers (H1)


async def test_a_page_bigger_than_asked_is_refused() -> None:
    app = hostile_app(Hostility(objects_per_page=1_000))
    async with hostile_client(HostileTransport(app)) as client:
        with pytest.raises(CybridError) as caught:
            await client.customers.list_summaries(per_page=100)
    assert_clean_error(caught.value)


async def test_a_huge_body_is_refused_without_reading_it_all() -> None:
    app = hostile_app(Hostility(huge_body_bytes=50_000_000))
    async with hostile_client(HostileTransport(app)) as client:
        with pytest.raises(CybridError):
            await client.customers.list(per_page=10)


async def test_a_slow_drip_is_bounded_by_the_timeout_over_loopback() -> None:
    app = hostile_app(Hostility(drip_seconds=0.2))
    with serve_in_thread(app) as url:
        started = time.monotonic()
        async with hostile_client(url=url, timeout=1.0) as client:
            with pytest.raises(CybridError) as caught:
                await client.customers.list(per_page=10)
        assert time.monotonic() - started < 3.0
    assert_clean_error(caught.value)


@pytest.mark.parametrize("expires_in", ["1e400", "1" + "0" * 400, "0", "-5"])
async def test_a_malformed_or_silly_token_lifetime_is_an_error_or_clamped(expires_in: str) -> None:
    app = hostile_app(Hostility(expires_in=expires_in))
    async with hostile_client(HostileTransport(app)) as client:
        try:
            for _ in range(3):
                await client.customers.list(per_page=10)
        except CybridError as error:
            assert_clean_error(error)
            return
    # Accepted: then the token was not fetched again before every call.
    assert stats(app).token_requests == 1


async def test_one_customer_without_a_guid_does_not_reject_the_page() -> None:
    app = hostile_app(Hostility(missing_guid=True, customers=10))
    async with hostile_client(HostileTransport(app)) as client:
        page = await client.customers.list_summaries(per_page=10)
    assert len(page.objects) == 9


async def test_the_load_keeps_readable_customers_and_says_how_many_were_not() -> None:
    refresher, _, _ = await load(Hostility(missing_guid=True, customers=250), concurrency=1)
    assert len(refresher.store) == 250 - 3  # one unreadable per page
    assert refresher.load_notice is not None and "3 customer records unreadable" in refresher.load_notice


# ------------------------------------------------------------------------------------------ the app


async def screen_lines(app: object) -> list[str]:
    from cybrid_tui.app import CybridApp

    assert isinstance(app, CybridApp)
    return [strip.text for strip in app.screen._compositor.render_strips()]


async def test_the_app_draws_injected_customers_without_a_control_character() -> None:
    from cybrid_tui.app import CybridApp

    server = hostile_app(Hostility(inject=True, customers=30))
    app = CybridApp(
        backend=HostileBackend(server), refresh_seconds=3600.0, flash_seconds=0.0, cursor_blink=False
    )
    async with app.run_test(size=(140, 40)) as pilot:
        screen = app.screen
        await wait_for(lambda: getattr(screen, "phase", None) == "live", timeout=10, message="loaded")
        await pilot.pause()
        lines = await screen_lines(app)
        assert any("Eve" in line for line in lines)  # the injected rows are on screen ...
        for line in lines:
            assert not forbidden_in(line), repr(line)  # ... as harmless text
        assert any("␛" in line for line in lines)
        await pilot.press("y")  # copy the guid: the toast quotes it
        await pilot.press("enter")  # the detail view, with a hostile address and compliance decision
        await wait_for(
            lambda: "Compliance" in "".join(strip.text for strip in app.screen._compositor.render_strips()),
            timeout=10,
            message="detail read",
        )
        await pilot.pause()
        lines = await screen_lines(app)
        assert any("␛" in line for line in lines)
        for line in lines:
            assert not forbidden_in(line), repr(line)


async def test_r_restarts_a_refresh_that_does_not_answer_and_the_status_line_says_it_is_overdue() -> None:
    from cybrid_tui.app import CybridApp
    from cybrid_tui.clock import FrozenClock
    from cybrid_tui.screens.live_schedule import OVERDUE_SECONDS
    from tests.support.ui_harness import NOW

    clock = FrozenClock(NOW)
    server = hostile_app(Hostility(drip_seconds=30.0))  # headers, then a byte every 30 s: never done
    backend = HostileBackend(server, timeout=120.0)
    app = CybridApp(
        backend=backend, refresh_seconds=3600.0, flash_seconds=0.0, cursor_blink=False, clock=clock
    )
    async with app.run_test(size=(140, 30)) as pilot:
        screen = app.screen
        served = stats(server)
        await wait_for(lambda: served.list_requests == 1, timeout=10, message="the first page was asked for")
        clock.advance(OVERDUE_SECONDS + 1)
        screen._show()  # what the screen's 5-s clock tick does
        assert "Refresh overdue" in screen.status.plain_text
        await pilot.press("r")
        await wait_for(lambda: served.list_requests == 2, timeout=10, message="r asked again")
        assert "Refresh overdue" not in screen.status.plain_text


async def test_the_app_shows_a_hostile_error_and_an_endless_bank_harmlessly() -> None:
    from cybrid_tui.app import CybridApp

    server = hostile_app(Hostility(error_status=500))
    app = CybridApp(
        backend=HostileBackend(server), refresh_seconds=3600.0, flash_seconds=0.0, cursor_blink=False
    )
    async with app.run_test(size=(140, 30)) as pilot:
        screen = app.screen
        await wait_for(lambda: "Server error" in screen.status.plain_text, timeout=10, message="error shown")
        await pilot.pause()
        for line in await screen_lines(app):
            assert not forbidden_in(line), repr(line)
            assert CLIENT_SECRET not in line

    endless = hostile_app(Hostility(endless_total=True))
    app = CybridApp(
        backend=HostileBackend(endless), refresh_seconds=3600.0, flash_seconds=0.0, cursor_blink=False
    )
    async with app.run_test(size=(160, 30)) as pilot:
        screen = app.screen
        await wait_for(lambda: getattr(screen, "phase", None) == "live", timeout=10, message="loaded")
        await pilot.pause()
        assert stats(endless).list_requests <= 5
        assert "10,000,000" in screen.status.plain_text  # the status line says why the load stopped
