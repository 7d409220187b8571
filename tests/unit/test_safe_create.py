"""Duplicate protection: a create whose answer was lost is looked up by its tag before it is sent again."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from cybrid_tui.api.errors import (
    InvalidRequestError,
    NetworkError,
    RateLimitError,
    RequestTimeoutError,
    ServerError,
)
from cybrid_tui.api.models import CustomerList, PostCustomer
from cybrid_tui.api.safe_create import TAG_PREFIX, SafeCreator, is_tag, may_have_created, new_tag
from tests.support.form_fakes import CreateBank

if TYPE_CHECKING:
    from collections.abc import Sequence


def body(tag: str, *labels: str) -> PostCustomer:
    return PostCustomer(type="individual", labels=[*labels, tag])  # type: ignore[arg-type]


def test_tags_fit_the_label_limits_and_differ() -> None:
    tags = {new_tag() for _ in range(100)}
    assert len(tags) == 100
    for tag in tags:
        assert is_tag(tag)
        assert tag.startswith(TAG_PREFIX)
        assert 1 <= len(tag) <= 64
        assert len(tag) == len(TAG_PREFIX) + 12
        int(tag.removeprefix(TAG_PREFIX), 16)


@pytest.mark.parametrize(
    ("error", "maybe"),
    [
        (RequestTimeoutError("t", request_sent=True), True),
        (RequestTimeoutError("t", request_sent=False), False),
        (NetworkError("n", request_sent=False), False),
        (ServerError("s", status=503), True),
        (InvalidRequestError("i", status=422), False),
        (RateLimitError("r"), False),
        (RuntimeError("?"), True),
    ],
)
def test_which_failures_may_have_created_the_customer(error: Exception, maybe: bool) -> None:
    assert may_have_created(error) is maybe


async def test_a_plain_create_sends_once_and_does_not_look() -> None:
    bank = CreateBank()
    creator = SafeCreator(bank)
    result = await creator.create(body(creator.tag, "vip"))
    assert result.customer.labels == ["vip", creator.tag]
    assert not result.recovered
    assert (bank.create_calls, bank.list_calls) == (1, 0)


async def test_the_request_must_carry_the_tag() -> None:
    creator = SafeCreator(CreateBank())
    with pytest.raises(ValueError, match="tag"):
        await creator.create(body("cybrid-tui-someoneelse0"))


async def test_a_lost_answer_after_the_create_is_found_at_once() -> None:
    bank = CreateBank(["lost-after-create"])
    creator = SafeCreator(bank)
    result = await creator.create(body(creator.tag))
    assert result.recovered
    assert result.customer.guid == bank.customers[0].guid
    assert bank.create_calls == 1
    assert len(bank.tagged(creator.tag)) == 1
    assert not creator.uncertain


async def test_a_lost_answer_before_the_create_is_sent_again_with_the_same_tag() -> None:
    bank = CreateBank(["lost-before-create"])
    creator = SafeCreator(bank)
    with pytest.raises(RequestTimeoutError):
        await creator.create(body(creator.tag))
    assert creator.uncertain
    assert bank.customers == []
    result = await creator.create(body(creator.tag))
    assert not result.recovered
    assert result.others == ()
    assert bank.create_calls == 2
    assert len(bank.tagged(creator.tag)) == 1


async def test_when_the_lookup_fails_too_the_retry_looks_before_sending() -> None:
    bank = CreateBank(["lost-after-create"])
    bank.list_fails = 1  # the network is down for the immediate lookup
    creator = SafeCreator(bank)
    with pytest.raises(RequestTimeoutError):
        await creator.create(body(creator.tag))
    assert creator.uncertain
    result = await creator.create(body(creator.tag))  # the retry finds it: nothing is sent again
    assert result.recovered
    assert bank.create_calls == 1
    assert len(bank.tagged(creator.tag)) == 1


async def test_a_failing_lookup_on_retry_sends_nothing() -> None:
    bank = CreateBank(["lost-before-create"])
    creator = SafeCreator(bank)
    with pytest.raises(RequestTimeoutError):
        await creator.create(body(creator.tag))
    bank.list_fails = 1
    with pytest.raises(NetworkError):
        await creator.create(body(creator.tag))
    assert bank.create_calls == 1  # could not know: did not send
    assert creator.uncertain


async def test_a_5xx_after_the_create_is_found_by_its_tag() -> None:
    bank = CreateBank(["5xx-after-create"])
    creator = SafeCreator(bank)
    result = await creator.create(body(creator.tag))
    assert result.recovered
    assert len(bank.customers) == 1


async def test_refusals_are_certain_and_a_corrected_form_is_sent_again() -> None:
    bank = CreateBank(["refused", "rate-limited"])
    creator = SafeCreator(bank)
    with pytest.raises(InvalidRequestError):
        await creator.create(body(creator.tag))
    with pytest.raises(RateLimitError):
        await creator.create(body(creator.tag))
    assert not creator.uncertain
    assert bank.list_calls == 0
    result = await creator.create(body(creator.tag))
    assert bank.create_calls == 3
    assert [c.guid for c in bank.customers] == [result.customer.guid]


async def test_a_late_landing_duplicate_is_reported() -> None:
    # The documented limit: the first request lands after the lookup said "not found".
    bank = CreateBank(["lost-before-create"])
    creator = SafeCreator(bank)
    with pytest.raises(RequestTimeoutError):
        await creator.create(body(creator.tag))
    late = bank._store(body(creator.tag))
    bank.customers.remove(late)
    original_list = bank.list
    calls = 0

    async def list_then_land(*, per_page: int = 100, label: Sequence[str] | None = None) -> CustomerList:
        nonlocal calls
        calls += 1
        listing = await original_list(per_page=per_page, label=label)
        if calls == 1:
            bank.customers.append(late)  # ... just after the lookup before the retry
        return listing

    bank.list = list_then_land  # type: ignore[method-assign]
    result = await creator.create(body(creator.tag))
    assert not result.recovered
    assert [c.guid for c in result.others] == [late.guid]


async def test_a_server_that_ignores_the_label_filter_cannot_fool_the_lookup() -> None:
    bank = CreateBank(["ok", "lost-before-create"])
    bank.ignore_label_filter = True
    other = SafeCreator(bank)
    await other.create(body(other.tag))  # someone else's customer
    creator = SafeCreator(bank)
    with pytest.raises(RequestTimeoutError):
        await creator.create(body(creator.tag))
    result = await creator.create(body(creator.tag))
    assert not result.recovered
    assert creator.tag in (result.customer.labels or [])
    assert len(bank.tagged(creator.tag)) == 1
