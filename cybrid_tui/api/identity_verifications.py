"""`client.identity_verifications` and `client.persona_sessions`: start, list, page through and read KYC/KYB.

    verification = await client.identity_verifications.get(guid)          # with Persona details
    page = await client.identity_verifications.list(state=["waiting", "pending"], per_page=100)
    starter = client.identity_verifications.starter(customer_guid)       # one per "Verify identity" screen
    result = await starter.start(PostIdentityVerification.for_customer(guid, "individual"))
    session = await client.persona_sessions.create(verification.guid, verification.persona_inquiry_id)

A start never makes a second verification for a customer: `VerificationStarter` reuses an open one, and after
an ambiguous failure (timeout, dropped connection, 5xx) it lists the customer's verifications created since
the attempt before sending again (`safe_create.CreatedSinceStrategy`). Arguments the API would refuse raise
`RequestValidationError` before anything is sent.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, TypeVar, Unpack, overload
from urllib.parse import quote, urlencode

from cybrid_tui.api import vocab
from cybrid_tui.api.errors import APIStatusError, RequestValidationError
from cybrid_tui.api.filters import IdentityVerificationFilters
from cybrid_tui.api.models.identity_verifications import (
    IdentityVerification,
    IdentityVerificationList,
    IdentityVerificationWithDetails,
    PersonaSession,
    PostIdentityVerification,
    PostPersonaSession,
)
from cybrid_tui.api.paging import iter_items, iter_pages, list_query, list_url
from cybrid_tui.api.safe_create import CreatedSinceStrategy, GuardedCreator
from cybrid_tui.logging_setup import register_token

if TYPE_CHECKING:
    import builtins
    from collections.abc import AsyncIterator, Awaitable, Callable, Sequence

    from cybrid_tui.api._base import BaseClient

IDENTITY_VERIFICATIONS_PATH: Final = "/api/identity_verifications"
PERSONA_SESSIONS_PATH: Final = "/api/persona_sessions"
PERSONA_HOSTED_FLOW: Final = "https://inquiry.withpersona.com/verify"
#: The spec's limit on each comma-separated filter.
MAX_FILTER_LENGTH: Final = 4096
#: A customer has a handful of verifications: one page of this many, newest first, is its whole history.
CUSTOMER_PAGE: Final = 100
#: A pydantic page model or a `read_json` class (`cybrid_tui.api.raw.RawPage`).
ModelT = TypeVar("ModelT")

_FILTERS: Final = tuple(IdentityVerificationFilters.__annotations__)
_OPEN: Final = vocab.OPEN_IDENTITY_VERIFICATION_STATES


class IdentityVerifications:
    """The identity verification endpoints of one client (`client.identity_verifications`)."""

    def __init__(self, client: BaseClient) -> None:
        self._client = client

    @overload
    async def list(
        self, *, page: int = 0, per_page: int = 100, **filters: Unpack[IdentityVerificationFilters]
    ) -> IdentityVerificationList: ...
    @overload
    async def list(
        self,
        *,
        page: int = 0,
        per_page: int = 100,
        model: type[ModelT],
        **filters: Unpack[IdentityVerificationFilters],
    ) -> ModelT: ...
    async def list(
        self,
        *,
        page: int = 0,
        per_page: int = 100,
        model: type[Any] = IdentityVerificationList,
        **filters: Unpack[IdentityVerificationFilters],
    ) -> Any:
        """One page, newest first. Filters take a list or the API's comma-separated string; `model` reads
        the page as another model (`cybrid_tui.api.raw.RawPage`: the server's objects as they are)."""
        params = list_params(page, per_page, filters)
        url = list_url(self._client.bank_url, IDENTITY_VERIFICATIONS_PATH, params)
        # As every listing: a page holding more objects than asked for is refused (see `_list_page`).
        return await self._client._list_page(url, model, per_page=per_page)

    @overload
    def iter_pages(
        self, *, per_page: int = 100, concurrency: int = 4, **filters: Unpack[IdentityVerificationFilters]
    ) -> AsyncIterator[IdentityVerificationList]: ...
    @overload
    def iter_pages(
        self,
        *,
        per_page: int = 100,
        concurrency: int = 4,
        model: type[ModelT],
        **filters: Unpack[IdentityVerificationFilters],
    ) -> AsyncIterator[ModelT]: ...
    def iter_pages(
        self,
        *,
        per_page: int = 100,
        concurrency: int = 4,
        model: type[Any] = IdentityVerificationList,
        **filters: Unpack[IdentityVerificationFilters],
    ) -> AsyncIterator[Any]:
        """Every page in order (see `paging.iter_pages`); `model` as for `list`."""
        list_params(0, per_page, filters)  # refuse bad arguments before any request

        def fetch(number: int) -> Awaitable[Any]:
            return self.list(page=number, per_page=per_page, model=model, **filters)

        return iter_pages(fetch, per_page=per_page, concurrency=concurrency)

    def iter(
        self, *, per_page: int = 100, concurrency: int = 4, **filters: Unpack[IdentityVerificationFilters]
    ) -> AsyncIterator[IdentityVerification]:
        """Every verification, newest first."""
        return iter_items(self.iter_pages(per_page=per_page, concurrency=concurrency, **filters))

    async def get(self, guid: str) -> IdentityVerificationWithDetails:
        """One verification with Persona's side (`persona_inquiry_id`, `persona_state`, checks, ...)."""
        return await self._client._call(
            "GET", verification_path(guid), IdentityVerificationWithDetails, safe=True
        )

    async def create(self, body: PostIdentityVerification) -> IdentityVerification:
        """One POST, never repeated once it may have reached the server (use `starter` to start one
        safely: it reuses an open verification and recovers an ambiguous attempt)."""
        content = json.dumps(body.to_json_body(), separators=(",", ":")).encode()
        return await self._client._call(
            "POST", IDENTITY_VERIFICATIONS_PATH, IdentityVerification, content=content, safe=False
        )

    async def for_customer(self, customer_guid: str) -> builtins.list[IdentityVerification]:
        """The customer's verifications, newest first (one request: a customer has a handful)."""
        _check_guid(customer_guid, "customer")
        page = await self.list(customer_guid=[customer_guid], per_page=CUSTOMER_PAGE)
        # Checked here too: a server that ignored the filter must not show someone else's verifications.
        return [v for v in page.objects if v.customer_guid == customer_guid]

    async def open_for_customer(self, customer_guid: str) -> IdentityVerification | None:
        """The customer's newest open verification (`storing` .. `reviewing`), or None."""
        _check_guid(customer_guid, "customer")
        page = await self.list(customer_guid=[customer_guid], state=list(_OPEN), per_page=CUSTOMER_PAGE)
        mine = [v for v in page.objects if v.customer_guid == customer_guid and v.is_open]
        return mine[0] if mine else None

    def starter(
        self, customer_guid: str, *, now: Callable[[], dt.datetime] | None = None
    ) -> VerificationStarter:
        """A starter for one customer: keep it for the life of one "Verify identity" screen, so a retry
        after an ambiguous failure finds what the first attempt created. `now` (UTC, aware) is the clock an
        attempt is dated with; the server's `created_at` is compared with it (tests pass the mock's clock)."""
        _check_guid(customer_guid, "customer")
        return VerificationStarter(self, customer_guid, now=now)


class PersonaSessions:
    """`client.persona_sessions`: a session token to resume a person's Persona inquiry."""

    def __init__(self, client: BaseClient) -> None:
        self._client = client

    async def create(
        self, identity_verification_guid: str, persona_inquiry_id: str, *, customer_guid: str | None = None
    ) -> PersonaSession:
        """A new session for the inquiry. The token is registered with the log scrubber before anything else
        can see it; it stays a `SecretStr`. 409 `data_exists`: the inquiry is completed (or expired)."""
        try:
            body = PostPersonaSession(
                identity_verification_guid=identity_verification_guid,
                persona_inquiry_id=persona_inquiry_id,
                customer_guid=customer_guid,
            )
        except ValueError:
            raise RequestValidationError(
                "A Persona session needs the verification's guid and its Persona inquiry id."
            ) from None
        content = json.dumps(body.to_json_body(), separators=(",", ":")).encode()
        # Retried like a read: a second session for the same inquiry is harmless, a lost one is not.
        session = await self._client._call(
            "POST", PERSONA_SESSIONS_PATH, PersonaSession, content=content, safe=True
        )
        register_token(session.persona_session_token.get_secret_value())
        return session


def persona_link(persona_inquiry_id: str, session_token: str | None = None) -> str:
    """Persona's hosted flow for the person: `...verify?inquiry-id=<id>` (and `&session-token=` to resume
    after they submitted something). It grants access to the person's data: treat it as PII, never log it."""
    params = {"inquiry-id": persona_inquiry_id}
    if session_token:
        params["session-token"] = session_token
    return f"{PERSONA_HOSTED_FLOW}?{urlencode(params)}"


# --------------------------------------------------------------------------------------- starting safely


@dataclass(frozen=True, slots=True)
class StartResult:
    """What `VerificationStarter.start` did."""

    verification: IdentityVerification
    #: False: an open verification already existed and is returned instead; nothing was sent.
    created: bool = True
    #: True: found after an attempt whose answer was lost (it was created by that attempt).
    recovered: bool = False
    #: Other verifications the same submission created (a late-landing retry: rare, shown, never hidden).
    others: tuple[IdentityVerification, ...] = ()


class VerificationStarter:
    """Starts one customer's verification at most once (see the module doc).

    `start(body)` first looks for an open verification of the customer (after an attempt in doubt, one found
    open is taken as that attempt's, and otherwise the guarded creator looks for what it created); a 409
    `data_exists` answer (an open one exists, as the mock says) is resolved the same way. Raises the
    client's `CybridError` otherwise; after an ambiguous failure `uncertain` is True and the next `start`
    looks before sending."""

    def __init__(
        self,
        api: IdentityVerifications,
        customer_guid: str,
        *,
        now: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self._api = api
        self.customer_guid = customer_guid
        strategy = CreatedSinceStrategy(self._newest, customer_guid)
        self._creator: GuardedCreator[PostIdentityVerification, IdentityVerification] = GuardedCreator(
            api.create, strategy, now=now or _utc_now
        )

    @property
    def uncertain(self) -> bool:
        return self._creator.uncertain

    @property
    def attempts(self) -> int:
        """Create requests sent so far (a reused or recovered verification sends none)."""
        return self._creator.attempts

    async def start(self, body: PostIdentityVerification) -> StartResult:
        if body.customer_guid != self.customer_guid:
            raise RequestValidationError("The body names another customer than this starter's.")
        uncertain = self._creator.uncertain
        existing = await self._api.open_for_customer(self.customer_guid)
        if existing is not None:
            # After an attempt in doubt, an open verification is taken as that attempt's: the created-since
            # lookup could miss it (this machine's clock running ahead), and a second must never be started.
            return (
                StartResult(existing, created=False)
                if not uncertain
                else StartResult(existing, recovered=True)
            )
        try:
            result = await self._creator.create(body)
        except APIStatusError as error:
            if error.status != 409:
                raise
            existing = await self._api.open_for_customer(self.customer_guid)
            if existing is None:
                raise
            return StartResult(existing, created=False)
        return StartResult(result.record, recovered=result.recovered, others=result.others)

    async def _newest(self, customer_guid: str) -> Sequence[IdentityVerification]:
        return await self._api.for_customer(customer_guid)


# ------------------------------------------------------------------------------------------------ helpers


def list_params(page: int, per_page: int, filters: IdentityVerificationFilters) -> dict[str, str]:
    """The query of a listing (lists comma-separated), after checking every value."""
    return list_query(page, per_page, filters, _FILTERS, max_length=MAX_FILTER_LENGTH)


def verification_path(guid: str) -> str:
    _check_guid(guid, "identity verification")
    # Quoted so a guid can never step outside the collection (no "/", "..", "?" or "#").
    return f"{IDENTITY_VERIFICATIONS_PATH}/{quote(guid, safe='')}"


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _check_guid(guid: object, what: str) -> None:
    if not isinstance(guid, str) or not guid.strip():
        raise RequestValidationError(f"The {what} guid is missing.")
