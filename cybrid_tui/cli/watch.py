"""`customers watch`: the app's live refresh without the screen, printing each change of state as it happens.

The same `LiveRefresher` and `CustomerStore` as the customers table: one full load (printed as nothing: a
watch reports changes), then a tick every few seconds whose cost depends on what can change, not on the size
of the bank. Each tick's new customers and changes of state become one event each (`from` is empty for a
customer that appeared). A failed tick is said on stderr and retried after a growing pause, as the app does;
an authentication or permission error ends the watch (exit 4). Ctrl-C ends it with exit status 0.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from typing import TYPE_CHECKING, Any, Final

from cybrid_tui.cli.errors import EXIT_API, EXIT_OK, UsageProblem, describe, exit_status
from cybrid_tui.defaults import refresh_seconds_for

if TYPE_CHECKING:
    import argparse

    from cybrid_tui.cli.connect import Connection
    from cybrid_tui.live.store import ChangeSet, CustomerStore

#: The longest pause between attempts while the bank keeps failing.
MAX_BACKOFF_SECONDS: Final = 60.0


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def events(
    changes: ChangeSet, store: CustomerStore, states: dict[str, str], wanted: frozenset[str], at: str
) -> list[dict[str, Any]]:
    """The events of one tick (sorted by guid), updating `states` (guid -> last state seen)."""
    found: list[dict[str, Any]] = []
    for guid in sorted(changes.added | changes.state_changed):
        row = store.get(guid)
        if row is None:
            continue
        before = states.get(guid)
        if before == row.state:
            continue
        states[guid] = row.state
        if wanted and row.state not in wanted:
            continue
        found.append(
            {
                "at": at,
                "guid": guid,
                "type": row.type,
                "from": before,
                "to": row.state,
                "name": row.name or "",
            }
        )
    for guid in changes.removed:
        states.pop(guid, None)
    return found


async def watch_customers(connection: Connection, args: argparse.Namespace) -> int:
    from cybrid_tui.api.errors import CybridError
    from cybrid_tui.cli.columns import event_columns
    from cybrid_tui.cli.customers import split_values
    from cybrid_tui.cli.output import Printer
    from cybrid_tui.live.refresher import LiveRefresher
    from cybrid_tui.live.store import CustomerStore

    if args.format == "json":
        raise UsageProblem("a watch never ends, so it has no single JSON document: use --jsonl")
    wanted = frozenset(split_values(args.state))
    seconds = refresh_seconds_for(demo=connection.demo, given=args.refresh_seconds)
    store = CustomerStore()
    refresher = LiveRefresher(
        connection.client.customers, store, include_pii=args.include_pii, take_turns_when_quiet=True
    )
    await refresher.load_all(lambda changes, loaded, total: None)
    states = {row.guid: row.state for row in store.rows()}
    sys.stderr.write(f"Watching {len(states)} customers, every {seconds:g} s. Ctrl-C stops.\n")
    sys.stderr.flush()
    printer = Printer(args.format, event_columns(table=args.format == "table"))
    printer.page([])  # the header (table, CSV) before the first event
    pause = seconds
    while True:
        await asyncio.sleep(pause)
        try:
            result = await refresher.tick()
        except CybridError as error:
            if exit_status(error) != EXIT_API:
                raise
            pause = min(MAX_BACKOFF_SECONDS, pause * 2)
            sys.stderr.write(f"{describe(error)} Trying again in {pause:g} s.\n")
            sys.stderr.flush()
            continue
        pause = seconds
        printer.page(events(result.changes, store, states, wanted, _now()))
    return EXIT_OK  # pragma: no cover - the loop ends by Ctrl-C (exit 0 by the runner) or an error
