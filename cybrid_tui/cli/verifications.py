"""`customers verify`, `verifications list` and `verifications get`: identity verifications from scripts.

`verify` starts the customer's platform verification (KYC for an individual, KYB for a business) through the
client's `VerificationStarter`, as the app's verify screen does: an open verification is reused and said so
(nothing is sent), and a retry after a lost answer never starts a second one. A customer who is not
`unverified` is refused before anything is sent. `--expect passes|fails` asks the sandbox (or the demo) to
decide by itself; production refuses it. `--wait` polls every 2 s until the verification is completed or
expired and exits by its outcome:

    0  completed and passed
    3  completed and failed (the failure codes are explained on stderr), or expired

so a script tells "the person did not pass" (3) from "the network failed" (1).

Verifications are printed as the client read them (`model_dump`: the API's fields, with the attested `pii`
left out); a Persona session token is never requested here, so it cannot be printed.
"""

from __future__ import annotations

import asyncio
import sys
from typing import TYPE_CHECKING, Any, Final

from cybrid_tui.cli.errors import EXIT_API, EXIT_OK, UsageProblem, report, say
from cybrid_tui.forms.verification import OUTCOMES
from cybrid_tui.safe_text import safe_text

if TYPE_CHECKING:
    import argparse

    from cybrid_tui.api.models import IdentityVerification
    from cybrid_tui.cli.connect import Connection
    from cybrid_tui.cli.output import Column

#: Exit status of `verify --wait` when the verification finished without passing (failed or expired).
EXIT_NOT_PASSED: Final = 3
#: Seconds between reads while waiting: gentle on the API (a verification takes minutes with a person).
POLL_SECONDS: Final = 2.0


def document(verification: IdentityVerification) -> dict[str, Any]:
    found: dict[str, Any] = verification.model_dump(mode="json", exclude_none=True)
    return found


def print_verification(verification: IdentityVerification, fmt: str) -> None:
    """One verification on stdout; a table also explains its failure codes in plain words."""
    from cybrid_tui.cli.output import print_document, print_fields

    shown = document(verification)
    if fmt in ("json", "jsonl"):
        print_document(shown, fmt)  # type: ignore[arg-type]
        return
    print_fields(shown, fmt)  # type: ignore[arg-type]
    if fmt == "table" and verification.codes:
        sys.stdout.write("\n" + "".join(line + "\n" for line in explained_codes(verification.codes)))
        sys.stdout.flush()


def explained_codes(codes: tuple[str, ...]) -> list[str]:
    """The failure codes by group, each with its plain sentence (codes are server text: made safe)."""
    from cybrid_tui.live.failure_codes import group_codes

    lines: list[str] = []
    for group, items in group_codes(codes):
        lines.append(f"{group}:")
        lines.extend(f"  {safe_text(item.code)}: {item.text}" for item in items)
    return lines


# ------------------------------------------------------------------------------------------------ verify


async def verify_customer(connection: Connection, args: argparse.Namespace) -> int:
    from cybrid_tui.api.models import PostIdentityVerification
    from cybrid_tui.cli.customers import refuse_when_read_only

    refuse_when_read_only(connection, "start_verification")
    if args.expect and connection.production:
        raise UsageProblem(
            "--expect is for the sandbox and the demo: production verifications are decided by the person "
            "and Cybrid. Nothing was sent."
        )
    customer = await connection.client.customers.get(args.guid)
    guid = safe_text(args.guid)
    if customer.state != "unverified":
        state = safe_text(str(customer.state))
        advice = f" (`cybrid-tui customers reset {guid}` first)" if customer.state == "rejected" else ""
        return report(
            f"customer {guid} is {state}: only an unverified customer can be verified{advice}. "
            "Nothing was sent.",
            as_json=args.format in ("json", "jsonl"),
            status=EXIT_API,
        )
    try:
        body = PostIdentityVerification.for_customer(
            args.guid,
            str(customer.type),
            country_code=args.country,
            expected_behaviours=OUTCOMES[args.expect] if args.expect else (),
        )
    except ValueError:
        raise UsageProblem(
            f"cannot verify customer {guid} of type {safe_text(str(customer.type))!r}. Nothing was sent."
        ) from None
    result = await connection.client.identity_verifications.starter(args.guid).start(body)
    verification = result.verification
    if not result.created:
        ignored = " (--expect and --country were not applied to it)" if args.expect or args.country else ""
        say(
            f"An open verification {safe_text(verification.guid)} ({safe_text(str(verification.state))}) "
            f"already exists: reusing it{ignored}. Nothing was sent."
        )
    elif result.recovered:
        say("The first answer was lost; the verification it started was found.")
    for other in result.others:
        say(f"Warning: another verification was started by a late retry: {safe_text(other.guid)}")
    if not args.wait:
        print_verification(verification, args.format)
        return EXIT_OK
    return await wait_for_outcome(connection, verification, args.format)


async def wait_for_outcome(connection: Connection, verification: IdentityVerification, fmt: str) -> int:
    """Poll every `POLL_SECONDS` until the verification closes; print it (with --jsonl: each change)."""
    guid = verification.guid
    say(f"Waiting for verification {safe_text(guid)} to finish (Ctrl-C stops waiting; it goes on).")
    if fmt == "jsonl":
        print_verification(verification, fmt)
    current: IdentityVerification = verification
    while current.state not in ("completed", "expired"):
        await asyncio.sleep(POLL_SECONDS)
        latest = await connection.client.identity_verifications.get(guid)
        if latest.state != current.state:
            say(f"{safe_text(str(current.state))} -> {safe_text(str(latest.state))}")
            if fmt == "jsonl":
                print_verification(latest, fmt)
        current = latest
    if fmt != "jsonl":
        print_verification(current, fmt)
    if current.state == "completed" and current.outcome == "passed":
        say(f"Verification {safe_text(guid)} passed.")
        return EXIT_OK
    if current.state == "expired":
        say(f"Verification {safe_text(guid)} expired before it was finished.")
    else:
        outcome = safe_text(str(current.outcome or "ended without an outcome"))
        say(f"Verification {safe_text(guid)} {outcome}.")
        for line in explained_codes(current.codes):
            say(line)
    return EXIT_NOT_PASSED


# -------------------------------------------------------------------------------------------- list / get


def verification_columns(*, table: bool) -> list[Column]:
    from cybrid_tui.cli.columns import timestamp
    from cybrid_tui.cli.output import Column

    def text(key: str) -> Any:
        return lambda item: value if isinstance(value := item.get(key), str) else ""

    def codes(item: Any) -> str:
        found = item.get("failure_codes")
        return " ".join(code for code in found if isinstance(code, str)) if isinstance(found, list) else ""

    if not table:
        keys = ("guid", "type", "method", "customer_guid", "state", "outcome", "created_at", "updated_at")
        return [*(Column(key, text(key)) for key in keys), Column("failure_codes", codes)]
    return [
        Column("guid", text("guid"), width=32),
        Column("customer", text("customer_guid"), width=32),
        Column("state", text("state"), width=9),
        Column("outcome", text("outcome"), width=7),
        Column("created", lambda item: timestamp(item.get("created_at")), width=19),
        Column("failure codes", codes),
    ]


async def list_verifications(connection: Connection, args: argparse.Namespace) -> int:
    """Every verification (or the first `--limit`), newest first, printed page by page as pages arrive."""
    from cybrid_tui.api.raw import RawPage
    from cybrid_tui.cli.customers import split_values
    from cybrid_tui.cli.listing import LIST_CONCURRENCY, print_pages
    from cybrid_tui.cli.output import Printer

    limit: int | None = args.limit
    filters: dict[str, Any] = {}
    if args.customer:
        filters["customer_guid"] = [args.customer]
    if states := split_values(args.state):
        filters["state"] = states
    printer = Printer(args.format, verification_columns(table=args.format == "table"))
    pages = connection.client.identity_verifications.iter_pages(
        per_page=min(100, limit or 100), concurrency=LIST_CONCURRENCY, model=RawPage, **filters
    )
    await print_pages(pages, printer, noun="verification", limit=limit)
    return EXIT_OK


async def get_verification(connection: Connection, args: argparse.Namespace) -> int:
    verification = await connection.client.identity_verifications.get(args.guid)
    print_verification(verification, args.format)
    return EXIT_OK
