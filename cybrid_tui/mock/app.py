"""The mock Cybrid API as a Starlette app: identity (`POST /oauth/token`) and bank (`/api/...`) paths on one
origin, plus loopback-only admin paths under `/_mock`.

This module only assembles: each resource's handlers live in `routes/<resource>.py`, its records in
`records/<resource>.py`. Every answer other than success is the spec's `ErrorResponse`, including unknown
paths (404), wrong methods (405) and anything unexpected (500), so no client ever sees Starlette's plain-text
defaults.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.middleware import Middleware

from cybrid_tui.mock.backend import MockBackend
from cybrid_tui.mock.faults import FaultMiddleware
from cybrid_tui.mock.middleware import RequestIdMiddleware
from cybrid_tui.mock.routes import admin, customers, identity_verifications, oauth
from cybrid_tui.mock.routes._common import EXCEPTION_HANDLERS

if TYPE_CHECKING:
    from cybrid_tui.clock import Clock
    from cybrid_tui.mock.config import MockConfig


def create_mock_app(config: MockConfig | None = None, *, clock: Clock | None = None) -> Starlette:
    """The mock API; `app.state.backend` is its `MockBackend` (tests and the demo drive it directly)."""
    backend = MockBackend(config, clock=clock)
    app = Starlette(
        routes=[*oauth.routes(), *customers.routes(), *identity_verifications.routes(), *admin.routes()],
        middleware=[Middleware(RequestIdMiddleware), Middleware(FaultMiddleware, backend=backend)],
        exception_handlers=dict(EXCEPTION_HANDLERS),
    )
    # "/api/customers/" would otherwise redirect to the list: answer 404 like any unknown path.
    app.router.redirect_slashes = False
    app.state.backend = backend
    return app
