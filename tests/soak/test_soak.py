"""Soak: the real app, headless, against the mock server over loopback HTTP while the server misbehaves and
another client keeps changing the bank.

Faults (seeded, so the server's draws repeat): 30% of identity and bank requests answered 500/502/503, a
rate limit (429 with Retry-After), 2-second access tokens and a little latency jitter. The app runs through
its real non-demo path (CYBRID_* variables -> `launch.real_backend()` -> `SettingsBackend`), refreshing every
0.5 s, on a bank of 120 customers that grows during the run.

While that runs, a sampler checks ~50 times a second that the app is alive and that the table shows rows (it
never blanks after the first load) and collects what the status line says. The soak runs in two phases of
6 s; the memory traced at a quiet moment (no refresh running) at the end of each
is compared (pytest's log capture is cut off from the app's loggers, so it does not count). Then the other
client stops, the server settles (no customer left in `storing`), faults are switched off, and the test waits
for the table to match the server exactly: same customers, same states. Last, memory over 8 refreshes of the
now unchanged bank (after 4 to warm caches) must stay flat: that check fails at once if the app kept the
pages it reads (tried: keeping every page read fails the phase check with +2.5 MB).

Convergence bound, from the moment the faults stop: two refresh intervals, plus what may still be pending
then: (a) a tick in flight may be inside a client retry wait (one `Retry-After` of 1 s, or a jittered backoff
of at most 1 s): 1.5 s margin; (b) if the last refresh failed, the screen waits out its backoff (it doubles
per consecutive failure) before trying again: that delay (the one scheduled, or the one a running refresh
will schedule if it fails) is worked out from the screen's state and added. So
`bound = 2 x 0.5 s + pending backoff + 1.5 s`. A bank of up to 200 customers is read whole by one tick (page
0 and one sweep page), so the first successful tick after the faults converges the table.
"""

from __future__ import annotations

import asyncio
import gc
import random
import re
import time
import tracemalloc
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from cybrid_tui import logging_setup
from cybrid_tui.api.client import CybridClient
from cybrid_tui.api.errors import CybridError
from cybrid_tui.api.models import PostCustomer
from cybrid_tui.app import CybridApp
from cybrid_tui.clock import SystemClock
from cybrid_tui.launch import real_backend
from cybrid_tui.live.backoff import backoff_ceiling
from cybrid_tui.live.refresher import LiveRefresher, TickResult
from cybrid_tui.mock.config import MockConfig
from cybrid_tui.screens.customers import CustomersScreen
from tests.support.mock_admin import clear_faults, set_faults
from tests.support.mock_server import CLIENT_ID, CLIENT_SECRET
from tests.support.waiting import wait_for

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from tests.support.mock_server import MakeMockServer, MockServerHandle

pytestmark = [pytest.mark.soak, pytest.mark.integration]

REFRESH_SECONDS = 0.5
SEED = 20261125
FAULTS: dict[str, Any] = {"error_rate": 0.3, "rate_limit_rps": 8, "token_ttl_seconds": 2, "jitter_ms": 20}
#: Each of the two soak phases lasts this long; the work done in it is asserted afterwards.
PHASE_SECONDS = 6.0
SAMPLE_SECONDS = 0.02
#: Refreshes of the unchanged bank, faults off, over which memory must stay flat (after a warm-up).
CALM_WARM_UP = 4
CALM_TICKS = 8
IN_FLIGHT_MARGIN = 1.5
STATES = ("unverified", "verified", "rejected", "frozen")


@dataclass
class TickCounter:
    ok: int = 0
    failed: int = 0


@dataclass
class Sampler:
    """Watches the running app: rows on screen, status-line problems, liveness."""

    app: CybridApp
    screen: CustomersScreen
    samples: int = 0
    blank_samples: int = 0
    min_rows: int | None = None
    stopped_running: bool = False
    problems: Counter[str] = field(default_factory=Counter)
    example: dict[str, str] = field(default_factory=dict)
    stop: bool = False

    async def run(self) -> None:
        while not self.stop:
            if not self.app.is_running:
                self.stopped_running = True
                return
            rows = len(self.screen.table.visible_rows())
            self.samples += 1
            if rows == 0:
                self.blank_samples += 1
            self.min_rows = rows if self.min_rows is None else min(self.min_rows, rows)
            text = self.screen.status.plain_text
            if "\n" in text:
                # "⚠ Server error: Internal server error. ... Retrying in 1 s." -> "⚠ Server error".
                line = text.split("\n", 1)[1]
                heading = line.split(":", 1)[0]
                self.problems[heading] += 1
                self.example.setdefault(heading, line)
            await asyncio.sleep(SAMPLE_SECONDS)  # the sampling period, not a wait for something


@dataclass
class Mutator:
    """Another client of the bank: creates customers (through the faults) and moves states (admin)."""

    url: str
    guids: list[str]
    rng: random.Random
    transport: httpx.AsyncHTTPTransport = field(default_factory=httpx.AsyncHTTPTransport)
    creates_ok: int = 0
    creates_failed: int = 0
    state_changes: int = 0
    stop: bool = False

    @property
    def mutations(self) -> int:
        return self.creates_ok + self.creates_failed + self.state_changes

    async def run(self) -> None:
        async with (
            CybridClient(
                bank_url=self.url,
                id_url=self.url,
                client_id=CLIENT_ID,
                client_secret=CLIENT_SECRET,
                transport=self.transport,
            ) as client,
            httpx.AsyncClient(base_url=self.url, timeout=5.0) as admin,
        ):
            turn = 0
            while not self.stop:
                turn += 1
                if turn % 2:  # a create every other turn: the API's rate limit is shared with the app
                    try:
                        kind = self.rng.choice(("individual", "business"))
                        created = await client.customers.create(PostCustomer.model_validate({"type": kind}))
                        self.guids.append(created.guid)
                        self.creates_ok += 1
                    except CybridError:
                        self.creates_failed += 1
                guid = self.rng.choice(self.guids)
                response = await admin.post(
                    f"/_mock/customers/{guid}/state", json={"state": self.rng.choice(STATES)}
                )
                response.raise_for_status()
                self.state_changes += 1
                await asyncio.sleep(0.25)  # pacing of the load, not synchronisation


@dataclass
class Exchange:
    transport: int
    path: str
    outcome: str  # the status code, or the exception's type name


@pytest.fixture
def exchanges(monkeypatch: pytest.MonkeyPatch) -> list[Exchange]:
    """Every HTTP exchange of the process, with the transport that made it (the app's is told apart from
    the other client's by identity)."""
    seen: list[Exchange] = []
    real = httpx.AsyncHTTPTransport.handle_async_request

    async def recorded(self: httpx.AsyncHTTPTransport, request: httpx.Request) -> httpx.Response:
        try:
            response = await real(self, request)
        except Exception as exc:
            seen.append(Exchange(id(self), request.url.path, type(exc).__name__))
            raise
        seen.append(Exchange(id(self), request.url.path, str(response.status_code)))
        return response

    monkeypatch.setattr(httpx.AsyncHTTPTransport, "handle_async_request", recorded)
    return seen


@pytest.fixture
def tick_counter(monkeypatch: pytest.MonkeyPatch) -> TickCounter:
    """Counts the app's live-refresh ticks (the real ones, wrapped)."""
    counter = TickCounter()
    real_tick = LiveRefresher.tick

    async def counted(self: LiveRefresher) -> TickResult:
        try:
            result = await real_tick(self)
        except Exception:
            counter.failed += 1
            raise
        counter.ok += 1
        return result

    monkeypatch.setattr(LiveRefresher, "tick", counted)
    return counter


@pytest.fixture
def app_log() -> Iterator[Path]:
    """The request log file, as `launch` configures it (info level)."""
    import logging

    logger = logging.getLogger("cybrid_tui")
    handlers, level, propagate = list(logger.handlers), logger.level, logger.propagate
    # Only the app's own file handler: pytest's capture keeps every record, which would count as "memory
    # growth" of the app.
    logger.propagate = False
    yield logging_setup.configure_file_logging("info")
    for handler in logger.handlers:
        if handler not in handlers:
            handler.close()
    logger.handlers[:] = handlers
    logger.setLevel(level)
    logger.propagate = propagate


def store_states(screen: CustomersScreen) -> dict[str, str]:
    return {row.guid: row.state for row in screen.store.rows()}


async def traced_memory(screen: CustomersScreen) -> int:
    """Bytes allocated since tracing started and still alive, between two refreshes (a page being parsed
    is a few hundred kB that is gone a moment later), leaving out what this test itself keeps."""
    await wait_for(lambda: not screen._in_flight, timeout=15, message="a quiet moment between refreshes")
    gc.collect()
    snapshot = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(False, "*/tests/*")])
    return sum(stat.size for stat in snapshot.statistics("filename"))


def pending_backoff(screen: CustomersScreen) -> float:
    """Seconds the screen may still wait, because of failures, before the refresh that sees no faults: the
    backoff it scheduled after the last failure or, when a refresh is running (it may already have failed),
    the one it will schedule then (the screen doubles the delay per consecutive failure, capped)."""
    problem = screen._problem
    scheduled = (problem.retry_in or 0.0) if problem is not None else 0.0
    if not screen._in_flight:
        return scheduled
    base = REFRESH_SECONDS
    upcoming = backoff_ceiling(base, screen._failures + 1)
    return max(scheduled, upcoming, 1.0)  # 1.0: a Retry-After from a 429


async def test_soak_under_faults_then_converges(
    make_mock_server: MakeMockServer,
    monkeypatch: pytest.MonkeyPatch,
    tick_counter: TickCounter,
    exchanges: list[Exchange],
    app_log: Path,
    record_property: Any,
) -> None:
    server: MockServerHandle = make_mock_server(
        MockConfig(seed=SEED, customers=120, storing_seconds=1.0), clock=SystemClock()
    )
    await set_faults(server.url, **FAULTS)
    for name, value in {
        "CYBRID_CLIENT_ID": CLIENT_ID,
        "CYBRID_CLIENT_SECRET": CLIENT_SECRET,
        "CYBRID_BANK_URL": server.url,
        "CYBRID_ID_URL": server.url,
        "CYBRID_TIMEOUT_SECONDS": "3",
    }.items():
        monkeypatch.setenv(name, value)
    app = CybridApp(backend=real_backend(), refresh_seconds=REFRESH_SECONDS)
    started = time.monotonic()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, CustomersScreen)
        await wait_for(lambda: screen.phase == "live", timeout=30, message="first load under faults")
        first_load = time.monotonic() - started

        sampler = Sampler(app, screen)
        mutator = Mutator(server.url, server.backend.guids(), random.Random(SEED))
        sampling = asyncio.create_task(sampler.run())
        mutating = asyncio.create_task(mutator.run())

        work: list[tuple[int, int]] = []

        async def phase() -> None:
            mutations, refreshes = mutator.mutations, tick_counter.ok
            # The soak's duration: the app, the sampler and the other client work meanwhile.
            await asyncio.sleep(PHASE_SECONDS)
            work.append((mutator.mutations - mutations, tick_counter.ok - refreshes))

        # 30% failed requests are mostly absorbed by the client's own retries of reads; a burst of heavier
        # faults makes whole refreshes fail, so the soak also sees how the screen reports them.
        await set_faults(server.url, **{**FAULTS, "error_rate": 0.95})
        await wait_for(
            lambda: tick_counter.failed > 0, timeout=40, message="a refresh fails under heavy faults"
        )
        await set_faults(server.url, **FAULTS)

        tracemalloc.start()
        try:
            await phase()
            memory_1 = await traced_memory(screen)
            await phase()
            memory_2 = await traced_memory(screen)
        finally:
            tracemalloc.stop()
            mutator.stop = True
            await mutating
        soak_seconds = time.monotonic() - started
        # Both phases did real work: the other client changed the bank, the app refreshed through the faults.
        assert all(mutations >= 15 for mutations, _ in work), work

        # The server settles: every customer created has left `storing` (1 s after its creation).
        await wait_for(
            lambda: "storing" not in server.backend.snapshot_states().values(),
            timeout=5,
            message="the server settles",
        )
        backoff = pending_backoff(screen)
        faults_off = time.monotonic()
        under_faults = len(exchanges), tick_counter.ok, tick_counter.failed
        await clear_faults(server.url)
        bound = 2 * REFRESH_SECONDS + backoff + IN_FLIGHT_MARGIN
        await wait_for(
            lambda: store_states(screen) == server.backend.snapshot_states(),
            timeout=bound,
            interval=0.005,
            message=f"the table matches the server within {bound:.1f} s",
        )
        converged = time.monotonic() - faults_off

        # A calm bank and a healthy server: once caches are warm, refreshes must not accumulate anything.
        tracemalloc.start()
        try:

            async def calm_ticks(count: int) -> None:
                ticks = tick_counter.ok
                await wait_for(lambda: tick_counter.ok >= ticks + count, timeout=20, message="calm refreshes")

            await calm_ticks(CALM_WARM_UP)
            calm_1 = await traced_memory(screen)
            await calm_ticks(CALM_TICKS)
            calm_2 = await traced_memory(screen)
        finally:
            tracemalloc.stop()
        sampler.stop = True
        await sampling
        assert not sampler.stopped_running, "the app stopped during the soak"
        await pilot.pause()

        # What the table shows is the store: the same number of customers, every one of them.
        assert screen.store.total == len(server.backend.snapshot_states())
        assert len(screen.store.view) == screen.store.total
        shown = screen.table.visible_rows()
        assert shown and all(server.backend.snapshot_states()[row.guid] == row.state for row in shown)
        assert "\n" not in screen.status.plain_text  # the problem line is gone once things work again

    assert app.return_code in (None, 0)
    assert sampler.samples > 100
    assert sampler.blank_samples == 0 and (sampler.min_rows or 0) > 0
    assert sum(sampler.problems.values()) > 0, "errors never showed in the status line"
    assert set(sampler.problems) <= {
        "⚠ Server error", "⚠ Rate limited", "⚠ Network problem", "⚠ Network problem (timed out)",
    }, sampler.problems  # fmt: skip
    # The second phase keeps what the bank really gained (a few dozen customers, on the server and in the
    # table: ~1 kB each) plus, at most, one page still referenced at the moment of measuring (a parsed page
    # of 100 customers with PII is ~250-550 kB). Keeping every page read would be ~15 pages, several MB.
    growth = memory_2 - memory_1
    assert growth < 1_500_000, f"traced memory grew {growth:,} bytes in the second phase"
    # Each calm tick reads 2 pages (~0.5 MB parsed): keeping them would add ~4 MB over 8 ticks. The bound
    # allows for one page that happens to be still referenced at one of the two moments measured.
    calm_growth = calm_2 - calm_1
    assert calm_growth < 600_000, f"{CALM_TICKS} refreshes of an unchanged bank kept {calm_growth:,} bytes"

    during_soak = exchanges[: under_faults[0]]
    mine = [
        e for e in during_soak if e.transport != id(mutator.transport) and not e.path.startswith("/_mock")
    ]
    outcomes = Counter(e.outcome for e in mine)
    requests = len(mine)
    faults = sum(n for outcome, n in outcomes.items() if outcome in ("500", "502", "503", "429"))
    # The request log (written through the real logging setup) has a line for each of them.
    log = app_log.read_text(encoding="utf-8")
    assert "failed unexpectedly" not in log  # no worker died of an error it did not expect (a bug)
    assert len(re.findall(r" -> \d{3} in ", log)) >= requests
    figures = {
        "soak_seconds": round(soak_seconds, 1),
        "first_load_seconds": round(first_load, 2),
        "app_requests": requests,
        "app_faults_injected": faults,
        "app_outcomes": dict(sorted(outcomes.items())),
        "app_ticks_ok_under_faults": under_faults[1],
        "app_ticks_failed_under_faults": under_faults[2],
        "status_line_problems": dict(sampler.problems),
        "status_line_examples": sampler.example,
        "mutations": {"created": mutator.creates_ok, "create_failed": mutator.creates_failed,
                      "state_changes": mutator.state_changes},
        "customers_at_end": len(server.backend.snapshot_states()),
        "phase_work_mutations_refreshes": work,
        "samples": sampler.samples,
        "min_rows_shown": sampler.min_rows,
        "pending_backoff_at_faults_off": round(backoff, 2),
        "converged_seconds": round(converged, 2),
        "convergence_bound_seconds": round(bound, 2),
        "traced_memory_phase_1": memory_1,
        "traced_memory_phase_2": memory_2,
        "calm_ticks": CALM_TICKS,
        "traced_memory_calm_growth": calm_2 - calm_1,
    }  # fmt: skip
    record_property("soak", figures)
    print(f"\nSOAK FIGURES {figures}")
    assert under_faults[2] > 0 and faults > 0  # the faults really reached the app
