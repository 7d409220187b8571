"""Row 5: HTTP requests per live-refresh tick at 100,000 customers.

Worker: `python -m bench.requests_bench --url URL --ticks K`. Loads the bank through `LiveRefresher.load_all`
and then runs ticks back to back, counting every request at the transport (tokens included). Normal ticks
are of three kinds, in turn: nothing changed; a customer was created since the last tick; a customer's state
changed since the last tick (set through the mock's admin endpoint).
"""

from __future__ import annotations

import argparse
import asyncio
import time
from typing import Any

from bench.counting import CountingTransport
from bench.procs import MockServer, bench_settings, emit


async def measure(url: str, ticks: int) -> dict[str, Any]:
    from cybrid_tui.api.models import CustomerType, PostCustomer
    from cybrid_tui.live.refresher import LiveRefresher
    from cybrid_tui.live.store import CustomerStore

    transport = CountingTransport()
    server = MockServer(url=url, customers=0, pid=0)
    from cybrid_tui.session import open_session

    async with open_session(bench_settings(url), transport=transport).client as client:
        store = CustomerStore()
        include_pii = (await client.capabilities()).can_read_pii
        refresher = LiveRefresher(client.customers, store, include_pii=include_pii)
        started = time.perf_counter()
        await refresher.load_all(lambda changes, loaded, total: None)
        load_s = time.perf_counter() - started
        load_requests = transport.count
        kinds = ("nothing changed", "1 customer created", "1 state changed")
        per_tick: list[dict[str, Any]] = []
        created: list[str] = []
        for index in range(ticks):
            kind = kinds[index % len(kinds)]
            if kind == "1 customer created":
                customer = await client.customers.create(PostCustomer(type=CustomerType.INDIVIDUAL))
                created.append(customer.guid)
            elif kind == "1 state changed":
                guid = created[-1] if created else store.view[0].guid
                await asyncio.to_thread(server.admin, f"/_mock/customers/{guid}/state", {"state": "verified"})
            transport.by_path.clear()
            before = transport.count
            result = await refresher.tick()
            per_tick.append(
                {
                    "kind": kind,
                    "requests": transport.count - before,
                    "reported": result.requests,
                    "changes": len(result.changes),
                    "paths": dict(transport.by_path),
                }
            )
    counts = [tick["requests"] for tick in per_tick]
    summary = ", ".join(f"{tick['kind']}: {tick['requests']}" for tick in per_tick)
    return {
        "customers": store.total,
        "load_s": load_s,
        "load_requests": load_requests,
        "ticks": per_tick,
        "max_requests": max(counts),
        "median_requests": sorted(counts)[len(counts) // 2],
        "method": (
            f"LiveRefresher.tick() x{len(per_tick)} after load_all, requests counted at the httpx transport "
            f"(per tick: {summary})"
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--ticks", type=int, default=6)
    args = parser.parse_args()
    emit(asyncio.run(measure(args.url, args.ticks)))


if __name__ == "__main__":
    main()
