"""Serving the mock over HTTP with uvicorn: blocking for the CLI, or in a background thread for tests and
benchmarks.

`serve_in_thread` binds the socket itself (port 0 picks a free one, so the URL is known before serving) and
waits on uvicorn's own startup, not on a sleep; leaving the context stops the server and joins the thread.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
from typing import TYPE_CHECKING

import uvicorn
from uvicorn.config import LOGGING_CONFIG

from cybrid_tui.mock.faults import DropLogFilter

if TYPE_CHECKING:
    from collections.abc import Iterator

    from starlette.types import ASGIApp

_STARTUP_TIMEOUT = 30.0
_SHUTDOWN_TIMEOUT = 10.0


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port (port 0: any free port), IPv6 when the host is one."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio only sets TCP_NODELAY on accepted sockets whose proto says TCP; without it
    # Nagle + delayed ACK add ~40 ms to every keep-alive response (headers and body are separate writes).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
        sock.set_inheritable(True)
    except BaseException:
        sock.close()
        raise
    return sock


def base_url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _quiet_injected_drops() -> None:
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(existing, DropLogFilter) for existing in logger.filters):
        logger.addFilter(DropLogFilter())


def _config(app: ASGIApp, *, log_level: str, access_log: bool, own_logging: bool) -> uvicorn.Config:
    # No lifespan: the mock has no startup work. Without `own_logging` uvicorn leaves the process's logging
    # configuration alone (tests and benchmarks run many servers in one process).
    return uvicorn.Config(
        app,
        log_level=log_level,
        access_log=access_log,
        lifespan="off",
        timeout_graceful_shutdown=2,
        log_config=LOGGING_CONFIG if own_logging else None,
    )


def serve(
    app: ASGIApp,
    host: str = "127.0.0.1",
    port: int = 8787,
    *,
    sock: socket.socket | None = None,
    log_level: str = "warning",
    access_log: bool = False,
) -> None:
    """Serve until interrupted (Ctrl-C / SIGTERM); uvicorn handles the signals."""
    _quiet_injected_drops()
    listening = sock or bind_socket(host, port)
    try:
        uvicorn.Server(_config(app, log_level=log_level, access_log=access_log, own_logging=True)).run(
            sockets=[listening]
        )
    finally:
        listening.close()


class _Server(uvicorn.Server):
    """A uvicorn server that signals a threading.Event once it accepts connections (or fails to start)."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = threading.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        try:
            await super().startup(sockets=sockets)
        finally:
            self.ready.set()


@contextlib.contextmanager
def serve_in_thread(
    app: ASGIApp, host: str = "127.0.0.1", port: int = 0, *, log_level: str = "warning"
) -> Iterator[str]:
    """Run `app` under uvicorn in a daemon thread; yields its base URL (e.g. `http://127.0.0.1:41234`)."""
    _quiet_injected_drops()
    sock = bind_socket(host, port)
    server = _Server(_config(app, log_level=log_level, access_log=False, own_logging=False))
    failure: list[BaseException] = []

    def run() -> None:
        try:
            server.run(sockets=[sock])
        except BaseException as exc:  # reported to the caller below
            failure.append(exc)
        finally:
            server.ready.set()

    thread = threading.Thread(target=run, name=f"mock-server-{base_url(sock)}", daemon=True)
    thread.start()
    try:
        if not server.ready.wait(_STARTUP_TIMEOUT) or not server.started:
            raise RuntimeError(f"mock server did not start: {failure[0] if failure else 'timed out'}")
        yield base_url(sock)
    finally:
        server.should_exit = True
        thread.join(_SHUTDOWN_TIMEOUT)
        sock.close()
