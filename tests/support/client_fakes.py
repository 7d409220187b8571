"""A scriptable fake of Cybrid's identity and bank endpoints for `httpx.MockTransport` client tests."""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable
from typing import Any

import httpx

from cybrid_tui.api.client import CybridClient
from cybrid_tui.api.retry import RetryPolicy

BANK_URL = "https://bank.sandbox.cybrid.app"
ID_URL = "https://id.sandbox.cybrid.app"
CLIENT_ID = "test-client-id"
SECRET = "SECRET-d41d8cd98f00b204e980"
TOKEN_MARK = "TOKEN-5f4dcc3b5aa765d61d83"
BANK_GUID = "b" * 32

Reply = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


def customer_json(index: int, **extra: Any) -> dict[str, Any]:
    return {
        "guid": f"{index:032x}",
        "bank_guid": BANK_GUID,
        "type": "individual" if index % 2 == 0 else "business",
        "created_at": "2024-05-13T13:55:08.460Z",
        "updated_at": "2024-05-13T13:55:08.460Z",
        "state": "verified",
        "labels": ["vip"],
        "compliance_decisions": [],
        **extra,
    }


def error_body(status: int, message: str, code: str) -> dict[str, Any]:
    return {"status": status, "error_message": message, "message_code": code}


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(
        status,
        content=json.dumps(body).encode(),
        headers={"content-type": "application/json", **(headers or {})},
    )


class FakeTime:
    """A monotonic clock and a sleep that advances it instead of waiting."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class FakeCybrid:
    """Issues tokens, checks them, and answers bank calls from a script or from a customer list."""

    def __init__(self, customers: int = 250) -> None:
        self.customers = [customer_json(i) for i in range(customers)]
        self.token_ttl = 3600
        self.token_scope = "customers:read customers:write customers:execute customers:pii:read"
        self.token_replies: deque[Reply] = deque()
        self.bank_replies: deque[Reply] = deque()
        self.token_requests: list[httpx.Request] = []
        self.bank_requests: list[httpx.Request] = []
        self.bank_auth: list[str] = []
        self.valid_tokens: set[str] = set()
        self.issued = 0

    # ----------------------------------------------------------------------------------------- transport

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == httpx.URL(ID_URL).host:
            self.token_requests.append(request)
            return self._reply(self.token_replies, request) or self._issue()
        self.bank_requests.append(request)
        # The auth flow re-sends the same Request object after a 401: record the header as sent.
        self.bank_auth.append(request.headers.get("authorization", ""))
        scripted = self._reply(self.bank_replies, request)
        if scripted is not None:
            return scripted
        header = request.headers.get("authorization", "")
        if not header.startswith("Bearer ") or header[7:] not in self.valid_tokens:
            return json_response(401, error_body(401, "Authentication failed", "authentication_failed"))
        return self._bank(request)

    def _reply(self, queue: deque[Reply], request: httpx.Request) -> httpx.Response | None:
        if not queue:
            return None
        reply = queue.popleft()
        if isinstance(reply, Exception):
            raise reply
        if isinstance(reply, httpx.Response):
            return reply
        return reply(request)

    def _issue(self) -> httpx.Response:
        self.issued += 1
        token = f"{TOKEN_MARK}-{self.issued}"
        self.valid_tokens.add(token)
        return json_response(
            200,
            {
                "access_token": token,
                "token_type": "Bearer",
                "expires_in": self.token_ttl,
                "scope": self.token_scope,
                "created_at": 1_700_000_000,
            },
        )

    def revoke_all(self) -> None:
        self.valid_tokens.clear()

    def _bank(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/api/customers" and request.method == "GET":
            page = int(request.url.params.get("page", "0"))
            per_page = int(request.url.params.get("per_page", "100"))
            objects = self.customers[page * per_page : (page + 1) * per_page]
            body = {"total": len(self.customers), "page": page, "per_page": per_page, "objects": objects}
            return json_response(200, body, {"x-request-id": f"req-{len(self.bank_requests)}"})
        if path == "/api/customers" and request.method == "POST":
            sent = json.loads(request.content)
            created = customer_json(len(self.customers), type=sent["type"], state="storing")
            self.customers.insert(0, created)
            return json_response(201, created)
        guid = path.rsplit("/", 1)[-1]
        for customer in self.customers:
            if customer["guid"] == guid:
                if request.method == "PATCH":
                    customer["state"] = json.loads(request.content).get("state", customer["state"])
                return json_response(200, customer)
        return json_response(404, error_body(404, "Customer not found", "not_found"))

    # ---------------------------------------------------------------------------------------------- client

    def client(
        self,
        *,
        time: FakeTime | None = None,
        retry: RetryPolicy | None = None,
        **kwargs: Any,
    ) -> CybridClient:
        time = time or FakeTime()
        return CybridClient(
            bank_url=kwargs.pop("bank_url", BANK_URL),
            id_url=kwargs.pop("id_url", ID_URL),
            client_id=CLIENT_ID,
            client_secret=SECRET,
            transport=kwargs.pop("transport", None) or self.transport(),
            retry=retry or RetryPolicy(random=lambda: 0.5),
            sleep=time.sleep,
            monotonic=time.monotonic,
            **kwargs,
        )
