"""Baseline for row 2: Cybrid's official Python SDK (cybrid-api-bank-python) listing every page.

Run as a worker: `python -m bench.sdk_listing --url URL` (it fetches its own token from the mock). The SDK's
generated client is synchronous (urllib3) and validates every model field by field; this is how a bank's
script would list its customers with it: page after page of the maximum size until a short page. It asks for
PII as the app does (the token allows it), so both read the same bytes.

Timed like `bench.listing_bench` times the app's data path: `import_s` is importing the SDK; `listing_s` runs
from the token request (the SDK has no token flow of its own; a plain HTTP request stands in) to the last page
parsed; `first_page_s` is from the token request to the first page.
"""

from __future__ import annotations

import argparse
import time

from bench.procs import MockServer, emit, listing_times


def list_all(url: str, *, per_page: int = 100) -> dict[str, float]:
    """Customers and pages listed, and the seconds each part took, through the SDK."""
    started = time.perf_counter()
    import cybrid_api_bank
    from cybrid_api_bank.api import customers_bank_api

    imported = time.perf_counter()
    token = MockServer(url=url, customers=0, pid=0).token()
    configuration = cybrid_api_bank.Configuration(host=url)
    configuration.access_token = token
    customers = 0
    pages = 0
    first_page = 0.0
    with cybrid_api_bank.ApiClient(configuration) as api_client:
        api = customers_bank_api.CustomersBankApi(api_client)
        page = 0
        while True:
            listing = api.list_customers(page=page, per_page=per_page, include_pii=True)
            pages += 1
            if pages == 1:
                first_page = time.perf_counter() - imported
            objects = listing.objects
            customers += len(objects)
            if len(objects) < per_page or customers >= int(listing.total):
                break
            page += 1
    times = listing_times(started=started, imported=imported, first_page=first_page, done=time.perf_counter())
    return {"customers": customers, "pages": pages, **times}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    args = parser.parse_args()
    emit(dict(list_all(args.url)))


if __name__ == "__main__":
    main()
