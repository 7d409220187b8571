"""Customer pages as the API sent them: `objects` kept as plain dicts, printed without a model round trip.

A command prints the objects it read; parsing each into a `Customer` and dumping it again would cost more than
the request (and drop any field the models do not know). `RawCustomerPage` reads `total`, `page` and
`per_page` like every list page and leaves each object as the server's JSON; the client's page iterator
(`client.customers.iter_pages(model=...)`) fetches them with bounded concurrency, in order.
"""

from __future__ import annotations

from typing import Any, ClassVar

from cybrid_tui.api.models import ListPage


class RawCustomerPage(ListPage):
    """A page of `GET /api/customers` whose objects stay the server's JSON objects."""

    DESCRIPTION: ClassVar[str] = "a customer list"

    objects: list[dict[str, Any]]
