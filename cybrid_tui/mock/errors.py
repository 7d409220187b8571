"""The mock's errors, each rendered as the spec's `ErrorResponse`:
`{"status", "error_message", "message_code"}`.

Messages and codes are the spec's own examples wherever it has one (see `bank-openapi.yaml`); where it is
silent, the code is the closest one Cybrid documents (`invalid_parameter` for a request that does not fit the
schema, `invalid_value` for a bad query value).
"""

from __future__ import annotations

import json
from typing import Any


class MockError(Exception):
    """An answer other than success; `status` is the HTTP status."""

    def __init__(
        self, status: int, error_message: str, message_code: str, *, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(f"{status} {message_code}: {error_message}")
        self.status = status
        self.error_message = error_message
        self.message_code = message_code
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        return {"status": self.status, "error_message": self.error_message, "message_code": self.message_code}

    def body_bytes(self) -> bytes:
        return json.dumps(self.body(), separators=(",", ":")).encode()


def bad_request(message: str, code: str = "invalid_parameter") -> MockError:
    return MockError(400, message, code)


def unprocessable(message: str, code: str) -> MockError:
    return MockError(422, message, code)


def malformed_auth() -> MockError:
    return MockError(401, "Authorization header is malformed.", "authentication_malformed")


def bad_signature() -> MockError:
    return MockError(401, "Signature verification raised", "authentication_failed")


def expired_signature() -> MockError:
    return MockError(401, "Signature has expired", "authentication_failed")


def invalid_scopes(required: str) -> MockError:
    return MockError(403, f"Invalid scopes. Required: {required}", "invalid_scopes")


def customer_not_found() -> MockError:
    return MockError(404, "customer not found", "not_found")


def invalid_state() -> MockError:
    return MockError(400, "Invalid state", "invalid_parameter")


def missing_detail(what: str) -> MockError:
    return unprocessable(f"Customer {what} required", "missing_parameter")


class OAuthError(MockError):
    """An identity-provider error: the spec's ErrorResponse fields plus RFC 6749's `error` fields."""

    def body(self) -> dict[str, Any]:
        return {**super().body(), "error": self.message_code, "error_description": self.error_message}


def invalid_client() -> OAuthError:
    return OAuthError(
        401,
        "Client authentication failed due to unknown client, no client authentication included, "
        "or unsupported authentication method.",
        "invalid_client",
    )
