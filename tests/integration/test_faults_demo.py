"""The demo's embedded mock takes the same faults as the mock server: `cybrid-tui --demo --fault-*`."""

from __future__ import annotations

from typing import Any

import pytest

from cybrid_tui.__main__ import build_parser, demo_faults, main
from cybrid_tui.api.errors import ServerError
from cybrid_tui.app import CybridApp
from cybrid_tui.backend import DemoBackend
from cybrid_tui.mock.config import FaultConfig
from cybrid_tui.screens.customers import CustomersScreen
from tests.support.waiting import wait_for

ALL_FLAGS = [
    "--demo",
    "--fault-latency-ms", "200", "--fault-jitter-ms", "50", "--fault-error-rate", "0.3",
    "--fault-rate-limit-rps", "5", "--fault-drop-rate", "0.1", "--fault-token-ttl", "2",
]  # fmt: skip


def test_every_fault_flag_reaches_the_demo_bank() -> None:
    faults = demo_faults(build_parser().parse_args(ALL_FLAGS))
    assert faults is not None
    backend = DemoBackend(faults=faults)
    assert backend.mock.faults == FaultConfig(
        latency_ms=200, jitter_ms=50, error_rate=0.3, rate_limit_rps=5, drop_rate=0.1, token_ttl_seconds=2
    )
    assert backend.mock.config.activity  # still the demo bank, now misbehaving


def test_main_passes_the_faults_to_launch(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, Any]] = []

    def fake_launch(**kwargs: Any) -> int:
        calls.append(kwargs)
        return 0

    monkeypatch.setattr("cybrid_tui.launch.launch", fake_launch)
    assert main(["--demo", "--fault-error-rate", "0.5"]) == 0
    assert main(["--demo"]) == 0
    assert [call["demo_faults"] for call in calls] == [{"error_rate": 0.5}, None]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--fault-error-rate", "0.3"], "need --demo"),
        (["--demo", "--fault-error-rate", "1.5"], "--fault-error-rate: must be a fraction between 0 and 1"),
        (["--demo", "--fault-drop-rate", "x"], "--fault-drop-rate: not a number"),
        (["--demo", "--fault-latency-ms", "-1"], "--fault-latency-ms: must be between 0 and 60000"),
        (["--demo", "--fault-rate-limit-rps", "0"], "--fault-rate-limit-rps: must be more than 0"),
        (["--demo", "--fault-token-ttl", "1.5"], "--fault-token-ttl: not a whole number"),
        (["--demo", "--fault-token-ttl", "0"], "--fault-token-ttl: must be between 1 and 86400"),
    ],
)
def test_bad_fault_values_are_usage_errors(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


async def test_the_demo_app_shows_the_injected_faults() -> None:
    backend = DemoBackend(faults={"error_rate": 1.0})
    client = backend.create_client()
    async with client:
        with pytest.raises(ServerError):
            await client.customers.list()
    app = CybridApp(backend=DemoBackend(faults={"error_rate": 1.0}), demo=True, refresh_seconds=0.5)
    async with app.run_test(size=(120, 40)):
        screen = app.screen
        assert isinstance(screen, CustomersScreen)
        await wait_for(lambda: "\n" in screen.status.plain_text, timeout=10, message="the fault shows")
        assert "Server error" in screen.status.plain_text
