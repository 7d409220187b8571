"""Helpers shared by the fault, soak and secret tests: driving a mock server's admin endpoints over HTTP, and
searching everything a run wrote for secrets.

The admin calls go through the real `/_mock` endpoints (as an operator would), not through the backend object,
so the tests also prove the endpoints work over loopback HTTP.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

    import pytest

#: The admin body that switches every fault off (token lifetimes back to the bank's default).
NO_FAULTS: dict[str, Any] = {
    "latency_ms": 0,
    "jitter_ms": 0,
    "error_rate": 0.0,
    "rate_limit_rps": None,
    "drop_rate": 0.0,
    "token_ttl_seconds": None,
}


def point_app_at(
    monkeypatch: pytest.MonkeyPatch,
    url: str,
    *,
    client_id: str = "mock-client-id",
    client_secret: str = "mock-client-secret",
    timeout: float | None = None,
) -> None:
    """Configure the app's real (non-demo) path, as a person would: CYBRID_* environment variables."""
    monkeypatch.setenv("CYBRID_CLIENT_ID", client_id)
    monkeypatch.setenv("CYBRID_CLIENT_SECRET", client_secret)
    monkeypatch.setenv("CYBRID_BANK_URL", url)
    monkeypatch.setenv("CYBRID_ID_URL", url)
    if timeout is not None:
        monkeypatch.setenv("CYBRID_TIMEOUT_SECONDS", str(timeout))


async def set_faults(base_url: str, **changes: Any) -> dict[str, Any]:
    """`POST /_mock/faults` (a partial update); returns the fault settings now in force."""
    async with httpx.AsyncClient(base_url=base_url, timeout=5.0) as admin:
        response = await admin.post("/_mock/faults", json=changes)
    response.raise_for_status()
    settings: dict[str, Any] = response.json()
    return settings


async def clear_faults(base_url: str) -> dict[str, Any]:
    return await set_faults(base_url, **NO_FAULTS)


@dataclass
class Finding:
    where: str
    needle: str


@dataclass
class SecretSearch:
    """Every text a run produced, labelled by where it came from, and the secrets that must not be in it."""

    needles: set[str] = field(default_factory=set)
    texts: list[tuple[str, str]] = field(default_factory=list)

    def add(self, where: str, text: str) -> None:
        self.texts.append((where, text))

    def add_file(self, path: Path) -> None:
        self.add(str(path), path.read_bytes().decode("utf-8", "replace"))

    def add_tree(self, root: Path, patterns: Iterable[str] = ("*",)) -> int:
        count = 0
        for pattern in patterns:
            for path in sorted(root.rglob(pattern)):
                if path.is_file():
                    self.add_file(path)
                    count += 1
        return count

    def findings(self) -> list[Finding]:
        return [
            Finding(where, needle) for where, text in self.texts for needle in self.needles if needle in text
        ]

    def describe(self) -> str:
        # Never print a needle itself: a failing test must not leak what it looks for into CI logs.
        return ", ".join(
            f"{f.where} (needle #{sorted(self.needles).index(f.needle)})" for f in self.findings()
        )
