"""The filters of each list endpoint, declared once: every listing call takes them as keywords.

Plain `TypedDict`s with no pydantic behind them, so a resource module (and a command that only lists) can
name its filters without building the models. Lists become the API's comma-separated values; a bare string
is taken as one value (or the API's own comma-separated form).
"""

from __future__ import annotations

from collections.abc import Sequence  # noqa: TC003 - TypedDict annotations are read at runtime
from typing import TypedDict


class CustomerFilters(TypedDict, total=False):
    """The filters of `GET /api/customers`."""

    type: Sequence[str] | str | None
    guid: Sequence[str] | str | None
    label: Sequence[str] | str | None
    bank_guid: Sequence[str] | str | None
    include_pii: bool | None


class IdentityVerificationFilters(TypedDict, total=False):
    """The filters of `GET /api/identity_verifications`."""

    guid: Sequence[str] | str | None
    bank_guid: Sequence[str] | str | None
    customer_guid: Sequence[str] | str | None
    state: Sequence[str] | str | None
    type: Sequence[str] | str | None
