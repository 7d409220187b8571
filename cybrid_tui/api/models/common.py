"""Models shared by every resource: the API's error body.

The identity provider's token answer is read without pydantic (`cybrid_tui.api.raw.TokenResponse`): every
command fetches a token, and a command that only lists never imports pydantic.
"""

from __future__ import annotations

from typing import ClassVar

from cybrid_tui.api.models._base import Response


class ErrorResponse(Response):
    DESCRIPTION: ClassVar[str] = "an error response"

    status: int
    error_message: str
    message_code: str
