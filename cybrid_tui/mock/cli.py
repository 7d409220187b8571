"""`cybrid-tui mock-server`: serve the mock Cybrid backend over HTTP and say how to point a client at it.

`add_arguments` stays light (argparse only): `cybrid-tui --help` builds this parser on the way to the app.
The mock's demo credentials are printed on purpose: they open nothing but this mock.
"""

from __future__ import annotations

import contextlib
import sys
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    import argparse

    from cybrid_tui.mock.config import MockConfig

MAX_CUSTOMERS = 1_000_000


def add_arguments(parser: argparse.ArgumentParser) -> None:
    serving = parser.add_argument_group("serving")
    serving.add_argument(
        "--host", default="127.0.0.1", help="interface to bind (default: 127.0.0.1, loopback)"
    )
    serving.add_argument(
        "--port", type=int, default=8787, help="TCP port; 0 picks a free one (default: 8787)"
    )
    bank = parser.add_argument_group("the mock bank")
    bank.add_argument("--seed", type=int, default=7, help="seed for the generated customers (default: 7)")
    bank.add_argument("--customers", type=int, default=60, metavar="N", help="seeded customers (default: 60)")
    bank.add_argument("--client-id", default="mock-client-id", metavar="ID", help="client id to accept")
    bank.add_argument("--client-secret", default="mock-client-secret", metavar="SECRET", help="client secret")
    bank.add_argument(
        "--storing-seconds",
        type=float,
        default=2.0,
        metavar="S",
        help="seconds a new customer stays `storing` before `unverified` (default: 2)",
    )
    bank.add_argument(
        "--require-details",
        action="store_true",
        help="a bank doing its own KYC: a create without the customer's details answers 422",
    )
    bank.add_argument(
        "--activity", action="store_true", help="customers change state by themselves every ~10 s (demo)"
    )
    faults = parser.add_argument_group(
        "faults (also changeable at run time: POST /_mock/faults from loopback)"
    )
    faults.add_argument(
        "--latency-ms", type=float, default=0.0, metavar="MS", help="added latency per request"
    )
    faults.add_argument(
        "--jitter-ms", type=float, default=0.0, metavar="MS", help="extra random latency, 0..MS"
    )
    faults.add_argument(
        "--error-rate", type=float, default=0.0, metavar="F", help="fraction of requests answered 500/502/503"
    )
    faults.add_argument(
        "--rate-limit-rps",
        type=float,
        default=None,
        metavar="N",
        help="answer 429 above N requests per second",
    )
    faults.add_argument(
        "--drop-rate",
        type=float,
        default=0.0,
        metavar="F",
        help="fraction of connections dropped mid-response",
    )
    faults.add_argument(
        "--token-ttl", type=int, default=None, metavar="S", help="lifetime of new access tokens in seconds"
    )


class UsageError(ValueError):
    """A flag value the mock cannot run with; the message names the flag."""


def config_from_args(args: argparse.Namespace) -> MockConfig:
    """The MockConfig the flags describe; raises UsageError naming the bad flag."""
    from cybrid_tui.mock.config import FaultConfig, FaultConfigError, MockConfig, checked_faults

    if not 0 <= args.port <= 65535:
        raise UsageError("--port must be between 0 and 65535")
    if not 0 <= args.customers <= MAX_CUSTOMERS:
        raise UsageError(f"--customers must be between 0 and {MAX_CUSTOMERS}")
    if not 0 <= args.storing_seconds <= 86_400:
        raise UsageError("--storing-seconds must be between 0 and 86400")
    if not args.client_id or not args.client_secret:
        raise UsageError("--client-id and --client-secret must not be empty")
    try:
        faults = checked_faults(
            FaultConfig(
                latency_ms=args.latency_ms,
                jitter_ms=args.jitter_ms,
                error_rate=args.error_rate,
                rate_limit_rps=args.rate_limit_rps,
                drop_rate=args.drop_rate,
                token_ttl_seconds=args.token_ttl,
            )
        )
    except FaultConfigError as exc:
        flag = "--token-ttl" if exc.field == "token_ttl_seconds" else "--" + exc.field.replace("_", "-")
        raise UsageError(str(exc).replace(exc.field, flag, 1)) from None
    return MockConfig(
        seed=args.seed,
        customers=args.customers,
        client_id=args.client_id,
        client_secret=args.client_secret,
        storing_seconds=args.storing_seconds,
        require_details=args.require_details,
        activity=args.activity,
        faults=faults,
    )


#: Wildcard binds and the loopback address of the same family, which a client on this machine can use.
_WILDCARD_LOOPBACK = {"0.0.0.0": "127.0.0.1", "::": "::1"}


def local_url(bound_url: str) -> tuple[str, str | None]:
    """(the URL a client on this machine uses, the wildcard address or None) for the URL a socket is bound to.

    A wildcard bind (0.0.0.0, ::) is no address to connect to; the loopback address of the same family is,
    and loopback is also the only kind of host cybrid-tui sends credentials to over plain http.
    """
    from urllib.parse import urlsplit

    parts = urlsplit(bound_url)
    loopback = _WILDCARD_LOOPBACK.get(parts.hostname or "")
    if loopback is None:
        return bound_url, None
    netloc = f"[{loopback}]" if ":" in loopback else loopback
    return f"{parts.scheme}://{netloc}:{parts.port}", parts.netloc


def print_banner(bound_url: str, config: MockConfig, out: TextIO) -> None:
    """Where the mock listens and how to point a client at it; `bound_url` is the socket's own address."""
    from urllib.parse import urlsplit

    from cybrid_tui.api.security import is_loopback_host

    url, wildcard = local_url(bound_url)
    seeded = f"({config.customers} customers, seed {config.seed})"
    if wildcard is None:
        out.write(f"Mock Cybrid API on {url} {seeded}\n")
    else:
        port = wildcard.rpartition(":")[2]
        out.write(
            f"Mock Cybrid API listening on all interfaces ({wildcard}) {seeded}\n"
            f"  from this machine: {url}   from others: this machine's address, port {port}\n"
        )
    if wildcard is not None or not is_loopback_host(urlsplit(url).hostname or ""):
        out.write("  (cybrid-tui sends credentials over plain http to loopback hosts only)\n")
    out.write(
        f"  identity: POST {url}/oauth/token   bank: {url}/api/customers\n"
        f"  client id: {config.client_id}\n"
        f"  client secret: {config.client_secret}\n"
        "Point cybrid-tui (or any client) on this machine at it:\n"
        f"  export CYBRID_BANK_URL={url} CYBRID_ID_URL={url} "
        f"CYBRID_CLIENT_ID={config.client_id} CYBRID_CLIENT_SECRET={config.client_secret}\n"
    )
    if config.faults.active or config.faults.token_ttl_seconds:
        out.write(f"Faults: {config.faults.to_json()}\n")
    out.write("Ctrl-C stops it.\n")
    out.flush()


def run(args: argparse.Namespace) -> int:
    try:
        config = config_from_args(args)
    except UsageError as exc:
        sys.stderr.write(f"cybrid-tui mock-server: {exc}\n")
        return 2
    from cybrid_tui.api.security import is_loopback_host

    if not is_loopback_host(args.host):
        sys.stderr.write(
            f"warning: binding {args.host}, not a loopback address: other machines can reach this mock "
            "(its admin endpoints still answer loopback clients only)\n"
        )
    from cybrid_tui.mock.app import create_mock_app
    from cybrid_tui.mock.server import base_url, bind_socket, serve

    try:
        sock = bind_socket(args.host, args.port)
    except OSError as exc:
        sys.stderr.write(
            f"cybrid-tui mock-server: cannot listen on {args.host}:{args.port}: {exc.strerror}\n"
        )
        return 2
    app = create_mock_app(config)
    print_banner(base_url(sock), config, sys.stdout)
    with contextlib.suppress(KeyboardInterrupt):
        serve(app, sock=sock, log_level="info")
    return 0
