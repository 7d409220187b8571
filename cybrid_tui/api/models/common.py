"""Models shared by every resource: the API's error body and the identity provider's token answer."""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import Field, SecretStr

from cybrid_tui.api.models._base import Response


class ErrorResponse(Response):
    DESCRIPTION: ClassVar[str] = "an error response"

    status: int
    error_message: str
    message_code: str


class TokenResponse(Response):
    """The identity provider's answer to a client-credentials grant. The token stays a secret type.

    `expires_in` must be a finite JSON number; the token flow raises a lifetime of 0 or less to a minimum.
    """

    DESCRIPTION: ClassVar[str] = "a token response"

    access_token: SecretStr
    token_type: str = "Bearer"
    #: A finite JSON number (10**400 and non-numbers are refused); the token flow raises 0 or less.
    expires_in: Annotated[float, Field(strict=True, allow_inf_nan=False)]
    scope: str = ""
    created_at: int | None = None

    @property
    def scopes(self) -> frozenset[str]:
        return frozenset(self.scope.split())
