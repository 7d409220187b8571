"""Contract test: Cybrid's official Python SDK (`cybrid-api-bank-python`) against the mock server over HTTP.

The SDK checks every response against its generated models (`_check_return_type` is on by default): if it
rejects something the mock sends, the mock is wrong. Customers, identity verifications and Persona sessions.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from cybrid_tui.mock.config import DEFAULT_BANK_GUID, MockConfig
from tests.support.mock_server import CLIENT_ID, CLIENT_SECRET

if TYPE_CHECKING:
    from collections.abc import Iterator

    from cybrid_tui.clock import FrozenClock
    from tests.support.mock_server import MakeMockServer, MockServerHandle

cybrid_api_bank = pytest.importorskip("cybrid_api_bank")

from cybrid_api_bank.api.customers_bank_api import CustomersBankApi  # noqa: E402
from cybrid_api_bank.api.identity_verifications_bank_api import IdentityVerificationsBankApi  # noqa: E402
from cybrid_api_bank.api.persona_sessions_bank_api import PersonaSessionsBankApi  # noqa: E402
from cybrid_api_bank.exceptions import (  # noqa: E402
    ApiException,
    ForbiddenException,
    NotFoundException,
    UnauthorizedException,
)
from cybrid_api_bank.model.patch_customer import PatchCustomer  # noqa: E402
from cybrid_api_bank.model.post_customer import PostCustomer  # noqa: E402
from cybrid_api_bank.model.post_customer_address import PostCustomerAddress  # noqa: E402
from cybrid_api_bank.model.post_customer_aliases_inner import PostCustomerAliasesInner  # noqa: E402
from cybrid_api_bank.model.post_customer_name import PostCustomerName  # noqa: E402
from cybrid_api_bank.model.post_identification_number import PostIdentificationNumber  # noqa: E402
from cybrid_api_bank.model.post_identity_verification import PostIdentityVerification  # noqa: E402
from cybrid_api_bank.model.post_persona_session import PostPersonaSession  # noqa: E402

pytestmark = pytest.mark.integration

ALL_SCOPES = "customers:read customers:write customers:execute customers:pii:read"


def fetch_token(url: str, scope: str = ALL_SCOPES) -> str:
    body = {
        "grant_type": "client_credentials",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "scope": scope,
    }
    response = httpx.post(f"{url}/oauth/token", json=body, timeout=10)
    response.raise_for_status()
    token: str = response.json()["access_token"]
    return token


def sdk_for(url: str, token: str) -> Iterator[CustomersBankApi]:
    configuration = cybrid_api_bank.Configuration(host=url, access_token=token)
    with cybrid_api_bank.ApiClient(configuration) as api_client:
        yield CustomersBankApi(api_client)


@pytest.fixture
def api(mock_server: MockServerHandle) -> Iterator[CustomersBankApi]:
    yield from sdk_for(mock_server.url, fetch_token(mock_server.url))


def error_body(exc: ApiException) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(exc.body)
    assert set(body) == {"status", "error_message", "message_code"}
    assert body["status"] == exc.status
    return body


def individual_details() -> PostCustomer:
    return PostCustomer(
        type="individual",
        name=PostCustomerName(first="Grace", middle="B", last="Hopper"),
        address=PostCustomerAddress(
            street="1 Navy Way",
            street2="Apt 2",
            city="Arlington",
            subdivision="VA",
            postal_code="22201",
            country_code="US",
        ),
        date_of_birth=dt.date(1906, 12, 9),
        phone_number="+17035550123",
        email_address="grace@example.com",
        identification_numbers=[
            PostIdentificationNumber(
                type="social_security_number", issuing_country_code="US", identification_number="912345678"
            ),
            PostIdentificationNumber(
                type="passport", issuing_country_code="US", identification_number="X1234567"
            ),
        ],
        labels=["vip", "sdk"],
    )


def business_details() -> PostCustomer:
    return PostCustomer(
        type="business",
        name=PostCustomerName(full="Cobol Works Inc."),
        aliases=[PostCustomerAliasesInner(full="Cobol Works")],
        website="https://cobol.example.com",
        address=PostCustomerAddress(street="2 Main St", city="Toronto", subdivision="ON", country_code="CA"),
        phone_number="+14165550100",
        email_address="hello@cobol.example.com",
        identification_numbers=[
            PostIdentificationNumber(
                type="business_registration_number",
                issuing_country_code="CA",
                identification_number="123456789",
            )
        ],
        labels=["sdk"],
    )


def test_create_type_only_customers(api: CustomersBankApi, mock_clock: FrozenClock) -> None:
    individual = api.create_customer(PostCustomer(type="individual"))
    business = api.create_customer(PostCustomer(type="business"))

    for customer, kind in ((individual, "individual"), (business, "business")):
        assert customer.type == kind
        assert customer.state == "storing"
        assert len(customer.guid) == 32
        assert customer.bank_guid == DEFAULT_BANK_GUID
        assert isinstance(customer.created_at, dt.datetime)
        assert customer.created_at.tzinfo is not None

    mock_clock.advance(2)
    assert api.get_customer(individual.guid).state == "unverified"


def test_create_detailed_customers_and_read_them_back_with_pii(api: CustomersBankApi) -> None:
    individual = api.create_customer(individual_details())
    business = api.create_customer(business_details())

    person = api.get_customer(individual.guid, include_pii=True)
    company = api.get_customer(business.guid, include_pii=True)
    hidden = api.get_customer(individual.guid)

    assert (person.name.first, person.name.middle, person.name.last) == ("Grace", "B", "Hopper")
    assert person.address.subdivision == "VA"
    assert person.date_of_birth == dt.date(1906, 12, 9)
    assert [number.type for number in person.identification_numbers] == ["social_security_number", "passport"]
    assert person.labels == ["vip", "sdk"]
    assert company.name.full == "Cobol Works Inc."
    assert company.aliases[0].full == "Cobol Works"
    assert company.website == "https://cobol.example.com"
    assert hidden.name is None
    assert hidden.identification_numbers is None


def test_get_seeded_customers_with_pii(api: CustomersBankApi, mock_server: MockServerHandle) -> None:
    for guid in mock_server.backend.guids()[:20]:
        customer = api.get_customer(guid, include_pii=True)
        assert customer.guid == guid
        assert customer.name is not None
        assert customer.address.country_code


def test_list_pages_and_filters(api: CustomersBankApi, mock_server: MockServerHandle) -> None:
    pages = [api.list_customers(page=page, per_page=25) for page in range(3)]
    everyone = [customer.guid for page in pages for customer in page.objects]
    businesses = api.list_customers(type="business", per_page=100)
    some = mock_server.backend.guids()[5:8]
    by_guid = api.list_customers(guid=",".join(some), per_page=100)
    with_pii = api.list_customers(per_page=5, include_pii=True)
    seeded_label = next(
        label
        for guid in mock_server.backend.guids()
        for label in mock_server.backend.customer_json(guid, include_pii=False)["labels"] or []
    )
    labelled = api.list_customers(label=seeded_label, per_page=100)
    this_bank = api.list_customers(bank_guid=DEFAULT_BANK_GUID, per_page=1)

    assert [page.total for page in pages] == [60, 60, 60]
    assert [len(page.objects) for page in pages] == [25, 25, 10]
    assert everyone == mock_server.backend.guids()
    assert businesses.total == len(businesses.objects) > 0
    assert {customer.type for customer in businesses.objects} == {"business"}
    assert [customer.guid for customer in by_guid.objects] == some
    assert all(customer.name is not None for customer in with_pii.objects)
    assert labelled.total > 0
    assert all(seeded_label in customer.labels for customer in labelled.objects)
    assert this_bank.total == 60


def test_patch_back_to_unverified(api: CustomersBankApi, mock_server: MockServerHandle) -> None:
    states = mock_server.backend.snapshot_states()
    guid = next(guid for guid, state in states.items() if state == "rejected")

    patched = api.update_customer(guid, PatchCustomer(state="unverified"))

    assert patched.state == "unverified"
    assert api.get_customer(guid).state == "unverified"


def test_errors_reach_the_sdk_as_its_exceptions_with_cybrid_bodies(
    api: CustomersBankApi, mock_server: MockServerHandle
) -> None:
    with pytest.raises(NotFoundException) as not_found:
        api.get_customer("0" * 32)
    assert error_body(not_found.value)["message_code"] == "not_found"

    with pytest.raises(ApiException) as invalid:
        api.create_customer(
            PostCustomer(
                type="individual",
                address=PostCustomerAddress(street="1 Nowhere", city="Atlantis", country_code="XX"),
            )
        )
    assert invalid.value.status == 422
    assert error_body(invalid.value)["error_message"] == "Address country code not supported"

    with pytest.raises(ApiException) as bad_page:
        api.list_customers(bank_guid=",".join([DEFAULT_BANK_GUID] * 130))
    assert bad_page.value.status == 400

    for unauthorized in sdk_for(mock_server.url, "not-a-token"):
        with pytest.raises(UnauthorizedException) as denied:
            unauthorized.list_customers()
        assert error_body(denied.value)["message_code"] == "authentication_failed"

    for read_only in sdk_for(mock_server.url, fetch_token(mock_server.url, scope="customers:read")):
        with pytest.raises(ForbiddenException) as forbidden:
            read_only.create_customer(PostCustomer(type="individual"))
        assert error_body(forbidden.value)["error_message"] == "Invalid scopes. Required: customers:execute"


def test_a_bank_requiring_details_refuses_type_only_creates(make_mock_server: MakeMockServer) -> None:
    server = make_mock_server(MockConfig(customers=0, require_details=True))
    for api in sdk_for(server.url, fetch_token(server.url)):
        with pytest.raises(ApiException) as refused:
            api.create_customer(PostCustomer(type="individual"))
        created = api.create_customer(individual_details())

    assert refused.value.status == 422
    assert error_body(refused.value) == {
        "status": 422,
        "error_message": "Customer name required",
        "message_code": "missing_parameter",
    }
    assert created.state == "storing"


def test_a_big_seeded_bank_parses_page_after_page(make_mock_server: MakeMockServer) -> None:
    server = make_mock_server(MockConfig(customers=1_000, activity=True))
    for api in sdk_for(server.url, fetch_token(server.url)):
        seen = 0
        for page in range(10):
            listing = api.list_customers(page=page, per_page=100, include_pii=True)
            seen += len(listing.objects)
    assert seen == 1_000


# ------------------------------------------------------------------------------------- identity verifications

IV_SCOPES = (
    "customers:read identity_verifications:read identity_verifications:execute persona_sessions:execute"
)


def test_verifications_are_created_listed_and_read_through_the_sdk(
    mock_server: MockServerHandle, mock_clock: FrozenClock
) -> None:
    backend = mock_server.backend
    unverified = [guid for guid, state in backend.snapshot_states().items() if state == "unverified"]
    kinds = {guid: backend.customer_json(guid, include_pii=False)["type"] for guid in unverified[:3]}
    configuration = cybrid_api_bank.Configuration(
        host=mock_server.url, access_token=fetch_token(mock_server.url, IV_SCOPES)
    )
    with cybrid_api_bank.ApiClient(configuration) as api_client:
        api = IdentityVerificationsBankApi(api_client)
        created = []
        for guid, behaviour in zip(kinds, ("passed_immediately", "failed_immediately", None), strict=True):
            method = "business_registration" if kinds[guid] == "business" else "id_and_selfie"
            extra = {"expected_behaviours": [behaviour]} if behaviour else {}
            post = PostIdentityVerification(
                type="kyc", method=method, customer_guid=guid, country_code="US", **extra
            )
            created.append(api.create_identity_verification(post))
            mock_clock.advance(1)
        mock_clock.advance(10)

        listing = api.list_identity_verifications(per_page=10)
        mine = api.list_identity_verifications(customer_guid=created[0].customer_guid, state="completed")
        details = [api.get_identity_verification(verification.guid) for verification in created]
        session = PersonaSessionsBankApi(api_client).create_persona_session(
            PostPersonaSession(
                identity_verification_guid=details[2].guid, persona_inquiry_id=details[2].persona_inquiry_id
            )
        )
        with pytest.raises(NotFoundException):
            api.get_identity_verification("0" * 32)

    assert [verification.state for verification in created] == ["storing"] * 3
    assert [item.guid for item in listing.objects] == [
        verification.guid for verification in reversed(created)
    ]
    assert [item.guid for item in mine.objects] == [created[0].guid]
    assert (details[0].state, details[0].outcome) == ("completed", "passed")
    assert (details[1].outcome, details[1].failure_codes) == ("failed", ["requested_failure"])
    assert (details[2].state, details[2].persona_state) == ("waiting", "waiting")
    assert details[2].persona_inquiry_id.startswith("inq_")
    assert session.persona_inquiry_id == details[2].persona_inquiry_id
    states = backend.snapshot_states()
    assert [states[guid] for guid in kinds] == ["verified", "rejected", "unverified"]
