"""`Secret`: a string that never shows itself (the client secret, tokens), with no import behind it.

The same surface as pydantic's `SecretStr` (`get_secret_value()`, a masked `str` and `repr`, equality by
value), so settings, the client and the token flow hold secrets the same way the models do, while a command
that only lists customers starts without importing pydantic (~45 ms of every start and exit).
"""

from __future__ import annotations

from typing import Final, Protocol

_MASK: Final = "**********"


class SecretValue(Protocol):
    """Anything holding a secret string: `Secret`, or pydantic's `SecretStr` in a model."""

    def get_secret_value(self) -> str: ...


class Secret:
    """A secret string: `**********` in `str`, `repr` and f-strings; read with `get_secret_value()`."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not isinstance(value, str):
            raise TypeError("a secret is a string")
        self._value = value

    @classmethod
    def of(cls, value: str | SecretValue) -> Secret:
        """`value` as a `Secret`: a string, or anything with `get_secret_value()` (pydantic's `SecretStr`)."""
        if isinstance(value, Secret):
            return value
        return cls(value if isinstance(value, str) else value.get_secret_value())

    def get_secret_value(self) -> str:
        return self._value

    def __str__(self) -> str:
        return _MASK if self._value else ""

    def __repr__(self) -> str:
        return f"Secret('{self}')"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __len__(self) -> int:
        return len(self._value)
