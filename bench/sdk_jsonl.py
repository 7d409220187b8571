"""Baseline for `customers list --jsonl`: the script a bank writes today with Cybrid's official Python SDK.

Run as a whole process, like the command it is compared with: `python bench/sdk_jsonl.py > file`, with the
same CYBRID_* variables (`CYBRID_BANK_URL`, `CYBRID_ID_URL`, `CYBRID_CLIENT_ID`, `CYBRID_CLIENT_SECRET`).
It asks the identity server for a bank token (the bank SDK has no token flow of its own: a plain stdlib
request, as such scripts do), then lists every customer through `CustomersBankApi.list_customers`, page after
page of the maximum size, newest first, and writes each one as a line of JSON (the SDK's own
`sanitize_for_serialization`, which gives the API's field names and ISO times) as each page arrives.

Deliberately standalone (stdlib + the SDK, nothing from the bench or the app): its import time is the
SDK's. `--include-pii` asks for personal details, as `customers list --include-pii` does.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.request


def bank_token(id_url: str, client_id: str, client_secret: str) -> str:
    body = json.dumps(
        {
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": client_secret,
            "scope": "customers:read customers:pii:read",
        }
    ).encode()
    request = urllib.request.Request(
        f"{id_url}/oauth/token", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return str(json.load(response)["access_token"])


def main() -> int:
    import cybrid_api_bank
    from cybrid_api_bank.api import customers_bank_api

    include_pii = "--include-pii" in sys.argv[1:]
    bank_url = os.environ["CYBRID_BANK_URL"]
    token = bank_token(
        os.environ.get("CYBRID_ID_URL", bank_url),
        os.environ["CYBRID_CLIENT_ID"],
        os.environ["CYBRID_CLIENT_SECRET"],
    )
    configuration = cybrid_api_bank.Configuration(host=bank_url)
    configuration.access_token = token
    per_page = 100
    out = sys.stdout
    written = 0
    with cybrid_api_bank.ApiClient(configuration) as api_client:
        api = customers_bank_api.CustomersBankApi(api_client)
        page = 0
        while True:
            listing = api.list_customers(page=page, per_page=per_page, include_pii=include_pii)
            objects = listing.objects
            out.writelines(
                json.dumps(api_client.sanitize_for_serialization(customer)) + "\n" for customer in objects
            )
            out.flush()  # each page as it arrives, as `--jsonl` streams
            written += len(objects)
            if len(objects) < per_page or written >= int(listing.total):
                return 0
            page += 1


if __name__ == "__main__":
    sys.exit(main())
