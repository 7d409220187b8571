"""`customers list`, `customers get` and `customers reset`: reading the bank, and the one change a script
makes to an existing customer today (rejected -> unverified)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from cybrid_tui.cli.errors import EXIT_OK, UsageProblem

if TYPE_CHECKING:
    import argparse

    from cybrid_tui.cli.connect import Connection


def split_values(values: list[str] | None) -> list[str]:
    """Repeated and comma-separated flag values as one list: `--state a,b --state c` -> [a, b, c]."""
    return [part.strip() for value in values or () for part in value.split(",") if part.strip()]


async def list_customers(connection: Connection, args: argparse.Namespace) -> int:
    """Every customer (or the first `--limit`), newest first, printed page by page as pages arrive."""
    from cybrid_tui.api.raw import RawPage
    from cybrid_tui.cli.columns import customer_columns
    from cybrid_tui.cli.listing import LIST_CONCURRENCY, print_pages
    from cybrid_tui.cli.output import Printer

    states = frozenset(split_values(args.state))
    limit: int | None = args.limit
    printer = Printer(args.format, customer_columns(table=args.format == "table", with_name=args.include_pii))
    # Only a limit with no local filter lets the pages be smaller: the filter may skip any number of them.
    per_page = min(100, limit) if limit and not states else 100
    filters: dict[str, Any] = {"type": split_values(args.type), "label": split_values(args.label)}
    if args.include_pii:
        filters["include_pii"] = True
    pages = connection.client.customers.iter_pages(
        per_page=per_page,
        concurrency=LIST_CONCURRENCY,
        model=RawPage,
        **{key: value for key, value in filters.items() if value},
    )

    async def say_when_pii_is_refused() -> None:
        await _say_when_pii_is_refused(connection)

    await print_pages(
        pages,
        printer,
        noun="customer",
        limit=limit,
        keep=(lambda item: isinstance(state := item.get("state"), str) and state in states)
        if states
        else None,
        first_page=say_when_pii_is_refused if args.include_pii else None,
    )
    if args.format == "table" and sys.stdout.isatty():
        sys.stderr.write(f"{printer.count} customer{'s' if printer.count != 1 else ''}\n")
    return EXIT_OK


def in_states(item: dict[str, Any], states: frozenset[str]) -> bool:
    """Whether a customer as the server sent it is in one of `states` (a state that is no string: none)."""
    state = item.get("state")
    return isinstance(state, str) and state in states


async def _say_when_pii_is_refused(connection: Connection) -> None:
    """`--include-pii` with a key that may not read personal data: the names would be empty with no word."""
    capabilities = await connection.client.capabilities()  # the token is fetched already: no request
    reason = capabilities.reason("can_read_pii")
    if reason is not None:
        sys.stderr.write(f"Note: personal data is not included. {reason}\n")


async def get_customer(connection: Connection, args: argparse.Namespace) -> int:
    from cybrid_tui.cli.output import print_document, print_fields

    document = await _get_raw(connection, args.guid, include_pii=args.include_pii)
    if args.format in ("json", "jsonl"):
        print_document(document, args.format)
    else:
        print_fields(document, args.format)
    return EXIT_OK


async def reset_customer(connection: Connection, args: argparse.Namespace) -> int:
    """PATCH the customer's state to `unverified` (the API's only allowed change: a rejected customer gets
    another verification); prints the customer as the server answered."""
    from cybrid_tui.api.models import PatchCustomer

    refuse_when_read_only(connection, "reset")
    customer = await connection.client.customers.get(args.guid)
    if customer.state != "rejected":
        # The app offers a reset for rejected customers only; anything else would undo a decision (verified)
        # or a freeze by accident. The API's own rule is looser: this is the tool's choice, kept in one place.
        from cybrid_tui.cli.errors import EXIT_API, report
        from cybrid_tui.safe_text import safe_text

        return report(
            f"customer {safe_text(args.guid)} is {safe_text(str(customer.state))}: only a rejected customer "
            "is reset to unverified. Nothing was sent.",
            as_json=args.format in ("json", "jsonl"),
            status=EXIT_API,
        )
    updated = await connection.client.customers.update(args.guid, PatchCustomer(state="unverified"))
    print_model(updated, args.format)
    return EXIT_OK


def refuse_when_read_only(connection: Connection, action: str) -> None:
    """`UsageProblem` (exit 2, nothing sent) when the session is read-only (`--read-only` or the profile's
    `read_only = true`) and `action` (a name in `permissions.MUTATING_ACTIONS`) changes the bank."""
    from cybrid_tui.permissions import refusal

    reason = refusal(action, read_only=connection.read_only)
    if reason is not None:
        raise UsageProblem(f"{reason} Nothing was sent.")


def print_model(model: Any, fmt: str) -> None:
    """A customer the client parsed (create, reset), printed in `fmt` like an object read raw."""
    from cybrid_tui.cli.output import print_document, print_fields

    document = model.model_dump(mode="json", exclude_none=True)
    if fmt in ("json", "jsonl"):
        print_document(document, fmt)  # type: ignore[arg-type]
    else:
        print_fields(document, fmt)  # type: ignore[arg-type]


async def _get_raw(connection: Connection, guid: str, *, include_pii: bool) -> dict[str, Any]:
    """The customer as the client read it, as JSON (one object: the model round trip costs nothing here)."""
    found = await connection.client.customers.get(guid, include_pii=include_pii)
    document: dict[str, Any] = found.model_dump(mode="json", exclude_none=True)
    return document
