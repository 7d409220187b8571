"""`duplicate_guard = false`: no tag on the customer, and an ambiguous create is never sent again."""

from __future__ import annotations

import pytest

from cybrid_tui.api.errors import RequestTimeoutError
from cybrid_tui.api.models import PostCustomer
from cybrid_tui.api.safe_create import SafeCreator, UnverifiableRetry
from cybrid_tui.forms.outcome import describe_failure
from tests.support.form_fakes import CreateBank
from tests.support.form_samples import individual


async def test_without_the_guard_the_body_needs_no_tag_and_nothing_is_looked_up() -> None:
    bank = CreateBank()
    creator = SafeCreator(bank, guard=False)
    result = await creator.create(PostCustomer(type="individual", labels=["vip"]))
    assert result.customer.labels == ["vip"]
    assert (bank.create_calls, bank.list_calls) == (1, 0)


async def test_without_the_guard_an_ambiguous_create_is_never_sent_again() -> None:
    bank = CreateBank(["lost-after-create"])
    creator = SafeCreator(bank, guard=False)
    body = PostCustomer(type="individual")
    with pytest.raises(RequestTimeoutError):
        await creator.create(body)
    assert creator.uncertain
    with pytest.raises(UnverifiableRetry, match="check the customers table"):
        await creator.create(body)
    assert (bank.create_calls, bank.list_calls) == (1, 0)
    assert len(bank.customers) == 1  # the one the lost request made: no second one


def test_the_form_tells_the_person_to_check_the_table() -> None:
    error = RequestTimeoutError("The request timed out", request_sent=True)
    report = describe_failure(
        error, uncertain=True, values=individual(), tag="cybrid-tui-0123456789ab", guarded=False
    )
    assert "check the customers table" in report.text
    assert "retries safely" not in report.text
    guarded = describe_failure(error, uncertain=True, values=individual(), tag="cybrid-tui-0123456789ab")
    assert "retries safely" in guarded.text
