"""Bodies read without a model: list pages whose objects stay the server's JSON, and the token answer.

The commands print the objects they read as the server sent them, and a listing of 10,000 customers is
100 pages: parsing each object into a model only to dump it again cost more than the requests, and pydantic
itself costs ~45 ms of every command's start and exit. These readers check the same shape a model would
(the page's numbers, each object being an object, the token's fields) with orjson, and nothing else.

Problems are described as `describe_validation_error` describes a model's (the field and the kind of
problem, never a value): a body can hold PII or a token. An integer past 64 bits comes back as the nearest
float (orjson's reading); no field of the API is such a number.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass, field
from typing import Any, ClassVar, Self

import orjson

from cybrid_tui.api.secret import Secret

logger = logging.getLogger("cybrid_tui.api")


class ShapeError(ValueError):
    """A body that is not what was expected; the message names where, never a value."""


def read_object(content: bytes) -> tuple[dict[str, Any], bool]:
    """(the JSON object `content` holds, whether the standard library had to read it); `ShapeError` when it
    is not JSON or not an object.

    orjson refuses a number no double holds (1e400, 10**400), NaN and Infinity, and a lone surrogate escape
    ("\ud800"); the standard library reads them, so a problem is named by its field rather than called "not
    JSON", and such a page's objects are checked for what no JSON writer can write back (`RawPage`). Both
    read UTF-8 only, as the API sends."""
    try:
        value, fallback = orjson.loads(content), False
    except orjson.JSONDecodeError:
        try:
            value, fallback = json.loads(content.decode("utf-8")), True
        except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
            raise ShapeError("the body is not valid JSON (it may have been cut off)") from None
    if not isinstance(value, dict):
        raise ShapeError("the body should be a JSON object but is something else")
    return value, fallback


def _whole(document: dict[str, Any], key: str) -> int:
    if key not in document:
        raise ShapeError(f"the field '{key}' is missing")
    value = document[key]
    if isinstance(value, bool) or not isinstance(value, int):
        raise ShapeError(f"the field '{key}' has a value of the wrong kind (int_type)")
    return value


def _text(document: dict[str, Any], key: str, default: str | None = None) -> str:
    if key not in document:
        if default is None:
            raise ShapeError(f"the field '{key}' is missing")
        return default
    value = document[key]
    if not isinstance(value, str):
        raise ShapeError(f"the field '{key}' has a value of the wrong kind (string_type)")
    return value


@dataclass(frozen=True, slots=True)
class RawPage:
    """A page of any list endpoint with its objects kept as the server's JSON objects (dicts).

    Every object a list endpoint returns has a string `guid`. An object that is not a JSON object, or has no
    string `guid`, is left out and counted in `unreadable` (logged by index), as the models' pages leave out
    what they cannot read: a command never prints, or dedupes on, a record it cannot name."""

    DESCRIPTION: ClassVar[str] = "a list"

    total: int
    page: int
    per_page: int
    objects: list[dict[str, Any]] = field(repr=False)
    unreadable: int = 0

    @classmethod
    def read_json(cls, content: bytes) -> Self:
        document, fallback = read_object(content)
        total, page, per_page = (_whole(document, key) for key in ("total", "page", "per_page"))
        if "objects" not in document:
            raise ShapeError("the field 'objects' is missing")
        objects = document["objects"]
        if not isinstance(objects, list):
            raise ShapeError("the field 'objects' has a value of the wrong kind (list_type)")
        # Only a page the standard library read can hold a number no JSON writer writes back (NaN, 1e400).
        problems = [_problem(item, numbers=fallback) for item in objects]
        kept = [item for item, why in zip(objects, problems, strict=True) if why is None]
        if len(kept) < len(objects):
            bad = [f"#{index} ({why})" for index, why in enumerate(problems) if why]
            logger.warning(
                "the server sent %d unreadable object(s) in a list page, left out: %s",
                len(bad),
                "; ".join(bad[:20]),
            )
        return cls(total, page, per_page, objects=kept, unreadable=len(objects) - len(kept))


def _problem(item: object, *, numbers: bool) -> str | None:
    """Why a listed object is unreadable (None: it is fine), in the words the models' log uses; `numbers`
    also checks that every number in it is finite."""
    if not isinstance(item, dict):
        return "object: dict_type"
    if not isinstance(item.get("guid"), str):
        return "guid: string_type" if "guid" in item else "guid: missing"
    return "object: finite_number" if numbers and not _writable(item) else None


def _writable(value: object) -> bool:
    """Whether every number in `value` is finite (and it is not nested past what can be walked)."""
    try:
        return _finite_numbers(value)
    except RecursionError:
        return False


def _finite_numbers(value: object) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_finite_numbers(item) for item in value.values())
    if isinstance(value, list):
        return all(_finite_numbers(item) for item in value)
    return True


@dataclass(frozen=True, slots=True)
class TokenResponse:
    """The identity provider's answer to a client-credentials grant; the token stays a `Secret`.

    `expires_in` must be a finite JSON number (not a string, not a boolean); the token flow raises a lifetime
    of 0 or less to a minimum."""

    DESCRIPTION: ClassVar[str] = "a token response"

    access_token: Secret
    expires_in: float
    token_type: str = "Bearer"
    scope: str = ""

    @property
    def scopes(self) -> frozenset[str]:
        return frozenset(self.scope.split())

    @classmethod
    def read_json(cls, content: bytes) -> Self:
        document, _ = read_object(content)
        token = Secret(_text(document, "access_token"))
        if "expires_in" not in document:
            raise ShapeError("the field 'expires_in' is missing")
        lifetime = document["expires_in"]
        if isinstance(lifetime, bool) or not isinstance(lifetime, int | float):
            raise ShapeError("the field 'expires_in' has a value of the wrong kind (float_type)")
        try:
            seconds = float(lifetime)
        except OverflowError:  # an integer no double holds
            seconds = math.inf
        if not math.isfinite(seconds):
            raise ShapeError("the field 'expires_in' has a value of the wrong kind (finite_number)")
        return cls(
            access_token=token,
            expires_in=seconds,
            token_type=_text(document, "token_type", "Bearer"),
            scope=_text(document, "scope", ""),
        )
