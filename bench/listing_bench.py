"""Row 2's "ours": the app's data path listing every customer, in a fresh process, for the SDK comparison.

Worker: `python -m bench.listing_bench --url URL`. Exactly what the customers screen does on its first load,
without the screen: `CybridClient` (built as the real backend builds it: no transport given, so the client's
own loopback-http pool) + `LiveRefresher.load_all` into a `CustomerStore`, with PII, 100 per page.

Two times, each from a fresh process, like `bench.sdk_listing` reports for the SDK:
- `import_s`: importing the data path (httpx, pydantic, the client, the refresher, the store) and building the
  client, which imports the connection pool;
- `listing_s`: from the token request to the last page parsed into the store.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from typing import Any

from bench.procs import bench_settings, emit, listing_times


async def list_all(url: str) -> dict[str, Any]:
    started = time.perf_counter()
    import cybrid_tui.api.models  # noqa: F401 - as the app does on its client thread (`CybridApp._build_client`)
    from cybrid_tui.live.refresher import LiveRefresher
    from cybrid_tui.live.store import CustomerStore
    from cybrid_tui.session import open_session

    client = open_session(bench_settings(url)).client
    imported = time.perf_counter()
    store = CustomerStore()
    first_page = 0.0

    def on_progress(changes: object, loaded: int, total: int | None) -> None:
        nonlocal first_page
        if not first_page and loaded:
            first_page = time.perf_counter() - imported

    async with client:
        include_pii = (await client.capabilities()).can_read_pii
        await LiveRefresher(client.customers, store, include_pii=include_pii).load_all(on_progress)
    times = listing_times(started=started, imported=imported, first_page=first_page, done=time.perf_counter())
    return {"customers": store.total, **times}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    args = parser.parse_args()
    emit(asyncio.run(list_all(args.url)))


if __name__ == "__main__":
    main()
