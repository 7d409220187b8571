"""`cybrid-tui mock-server`: flags, refusals, and what it prints."""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from cybrid_tui.mock.cli import add_arguments, config_from_args, print_banner, run
from cybrid_tui.mock.config import FaultConfig, MockConfig

if TYPE_CHECKING:
    import socket


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return parser.parse_args(argv)


def test_defaults_match_the_default_mock() -> None:
    args = parse()
    assert (args.host, args.port) == ("127.0.0.1", 8787)
    assert config_from_args(args) == MockConfig()


def test_every_flag_reaches_the_config() -> None:
    args = parse(
        "--seed=3",
        "--customers=500",
        "--client-id=bank-7",
        "--client-secret=s3",
        "--storing-seconds=0.5",
        "--require-details",
        "--activity",
        "--latency-ms=20",
        "--jitter-ms=5",
        "--error-rate=0.3",
        "--rate-limit-rps=50",
        "--drop-rate=0.1",
        "--token-ttl=2",
    )

    config = config_from_args(args)

    assert config == MockConfig(
        seed=3,
        customers=500,
        client_id="bank-7",
        client_secret="s3",
        storing_seconds=0.5,
        require_details=True,
        activity=True,
        faults=FaultConfig(
            latency_ms=20, jitter_ms=5, error_rate=0.3, rate_limit_rps=50, drop_rate=0.1, token_ttl_seconds=2
        ),
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--port=70000"], "--port must be between 0 and 65535"),
        (["--customers=-1"], "--customers must be between 0 and 1000000"),
        (["--storing-seconds=-2"], "--storing-seconds must be between 0 and 86400"),
        (["--client-secret="], "--client-id and --client-secret must not be empty"),
        (["--error-rate=1.5"], "--error-rate must be between 0 and 1"),
        (["--drop-rate=-0.5"], "--drop-rate must be between 0 and 1"),
        (["--rate-limit-rps=0"], "--rate-limit-rps must be more than 0"),
        (["--latency-ms=-1"], "--latency-ms must be between 0 and 60000"),
        (["--token-ttl=0"], "--token-ttl must be between 1 and 86400"),
    ],
)
def test_bad_values_refuse_to_start_with_exit_status_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(parse(*argv)) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_a_port_in_use_is_a_clear_message(capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert run(parse(f"--port={port}")) == 2
    assert f"cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err


def test_the_banner_says_how_to_connect() -> None:
    out = io.StringIO()
    print_banner("http://127.0.0.1:8787", MockConfig(customers=12, client_id="bank-7"), out)
    text = out.getvalue()

    assert "http://127.0.0.1:8787" in text
    assert "all interfaces" not in text and "loopback hosts only" not in text
    assert (
        "export CYBRID_BANK_URL=http://127.0.0.1:8787 CYBRID_ID_URL=http://127.0.0.1:8787 "
        "CYBRID_CLIENT_ID=bank-7 CYBRID_CLIENT_SECRET=mock-client-secret"
    ) in text


@pytest.mark.parametrize(
    ("bound", "wildcard", "local"),
    [
        ("http://0.0.0.0:8787", "0.0.0.0:8787", "http://127.0.0.1:8787"),
        ("http://[::]:8787", "[::]:8787", "http://[::1]:8787"),
    ],
)
def test_a_wildcard_bind_says_all_interfaces_and_gives_a_loopback_url(
    bound: str, wildcard: str, local: str
) -> None:
    out = io.StringIO()
    print_banner(bound, MockConfig(), out)
    text = out.getvalue()

    assert text.startswith(f"Mock Cybrid API listening on all interfaces ({wildcard})")
    assert f"from this machine: {local} " in text
    assert f"export CYBRID_BANK_URL={local} CYBRID_ID_URL={local} " in text
    # The wildcard is where it listens, never an address to connect to.
    assert bound not in text


def test_a_specific_address_is_printed_as_bound() -> None:
    out = io.StringIO()
    print_banner("http://192.0.2.10:8787", MockConfig(), out)
    text = out.getvalue()

    assert text.startswith("Mock Cybrid API on http://192.0.2.10:8787 ")
    assert "all interfaces" not in text
    assert "plain http to loopback hosts only" in text


def test_serving_on_0_0_0_0_prints_the_real_port_and_a_loopback_url(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import cybrid_tui.mock.server

    served: list[int] = []

    def serve(app: object, *, sock: socket.socket, log_level: str) -> None:
        served.append(sock.getsockname()[1])  # return at once instead of serving until Ctrl-C

    monkeypatch.setattr(cybrid_tui.mock.server, "serve", serve)

    assert run(parse("--host=0.0.0.0", "--port=0", "--customers=1")) == 0
    port = served[0]
    captured = capsys.readouterr()
    assert f"listening on all interfaces (0.0.0.0:{port})" in captured.out
    assert f"export CYBRID_BANK_URL=http://127.0.0.1:{port} " in captured.out
    assert "not a loopback address" in captured.err


def test_the_mock_config_repr_never_shows_the_secret() -> None:
    assert "mock-client-secret" not in repr(MockConfig())


def test_building_the_parser_imports_nothing_heavy() -> None:
    code = (
        "import sys, argparse\n"
        "from cybrid_tui.mock.cli import add_arguments\n"
        "add_arguments(argparse.ArgumentParser())\n"
        "heavy = {'starlette', 'uvicorn', 'httpx', 'pydantic', 'textual', 'cybrid_tui.mock.app'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_the_mock_never_imports_textual() -> None:
    code = (
        "import sys\n"
        "import cybrid_tui.mock.app, cybrid_tui.mock.server, cybrid_tui.mock.cli\n"
        "print('textual' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
