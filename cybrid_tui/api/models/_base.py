"""The two base models every resource's models derive from: strict requests, tolerant responses."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, PrivateAttr


class Request(BaseModel):
    """A request body or query: unknown fields are refused, so a bad request fails here, not at the server."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    def to_json_body(self) -> dict[str, Any]:
        """The exact JSON body to send: unset and None fields are omitted, not sent as null."""
        return self.model_dump(mode="json", exclude_none=True)


class Response(BaseModel):
    """A response: unknown fields are ignored, so a newer server never breaks parsing."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    #: What an error message calls this model when the server sent something else ("a customer").
    DESCRIPTION: ClassVar[str] = "a response"


class ListPage(Response):
    """One page of a list endpoint: `total`, `page`, `per_page` and its `objects` (typed by subclasses).

    `unreadable` counts the objects of the page that could not be read (and were left out): set by the client,
    never by the server's JSON (a private attribute, so no field of the body can claim it).
    """

    DESCRIPTION: ClassVar[str] = "a list"

    total: int
    page: int
    per_page: int

    _unreadable: int = PrivateAttr(default=0)

    @property
    def unreadable(self) -> int:
        """Objects of this page that were malformed and left out (0 on a well-formed page)."""
        return self._unreadable
