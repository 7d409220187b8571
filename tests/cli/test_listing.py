"""The commands' one listing loop (`customers list`, `verifications list`): each record once, the filter and
the limit applied, unreadable records counted on stderr, and the pages still in flight cancelled on exit."""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING, Any

import pytest

from cybrid_tui.api.raw import RawPage
from cybrid_tui.cli.customers import in_states
from cybrid_tui.cli.listing import print_pages
from cybrid_tui.cli.output import Printer

if TYPE_CHECKING:
    from collections.abc import AsyncIterator


class Pages:
    """Pages as the client yields them, remembering how far the loop read and whether it closed them."""

    def __init__(self, *pages: RawPage) -> None:
        self.pages = list(pages)
        self.read = 0
        self.closed = False

    def __aiter__(self) -> AsyncIterator[RawPage]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[RawPage]:
        for page in self.pages:
            self.read += 1
            yield page

    async def aclose(self) -> None:
        self.closed = True


def page(*guids: str, unreadable: int = 0, state: str = "unverified") -> RawPage:
    objects = [{"guid": guid, "state": state} for guid in guids]
    return RawPage(total=99, page=0, per_page=100, objects=objects, unreadable=unreadable)


async def listed(pages: Pages, **options: Any) -> list[str]:
    out = io.StringIO()
    await print_pages(pages, Printer("jsonl", [], out), noun="customer", **options)  # type: ignore[arg-type]
    return [json.loads(line)["guid"] for line in out.getvalue().splitlines()]


async def test_a_record_that_comes_round_again_is_printed_once() -> None:
    # A customer created during the listing pushes the others down a page: "b" is seen twice.
    pages = Pages(page("a", "b"), page("b", "c"))
    assert await listed(pages) == ["a", "b", "c"]
    assert pages.closed


async def test_the_filter_and_the_limit_apply_across_pages_and_the_rest_is_not_read() -> None:
    pages = Pages(page("a", "b", state="verified"), page("c", "d"), page("e", "f"), page("g"))
    assert await listed(pages, keep=lambda item: item["state"] == "unverified", limit=3) == ["c", "d", "e"]
    assert pages.read == 3 and pages.closed  # the limit ends the loop: the fourth page is never awaited


async def test_unreadable_records_are_counted_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    assert await listed(Pages(page("a", unreadable=2), page("b", unreadable=1))) == ["a", "b"]
    assert capsys.readouterr().err == "3 customer records unreadable (see the log)\n"


async def test_the_first_page_hook_runs_once_after_the_first_page() -> None:
    calls: list[int] = []
    pages = Pages(page("a"), page("b"))

    async def first_page() -> None:
        calls.append(pages.read)

    await listed(pages, first_page=first_page)
    assert calls == [1]


async def test_an_error_mid_listing_still_closes_the_pages() -> None:
    class Broken(Pages):
        async def _iterate(self) -> AsyncIterator[RawPage]:
            yield page("a")
            raise RuntimeError("the connection broke")

    pages = Broken()
    with pytest.raises(RuntimeError):
        await listed(pages)
    assert pages.closed


async def test_a_record_too_deep_to_write_is_left_out_and_counted(capsys: pytest.CaptureFixture[str]) -> None:
    deep: Any = "bottom"
    for _ in range(5000):  # orjson writes 254 levels, the standard library fewer than the recursion limit
        deep = [deep]
    pages = Pages(RawPage(total=3, page=0, per_page=100, objects=[{"guid": "a"}, {"guid": "b", "x": deep}]))
    assert await listed(pages) == ["a"]
    assert capsys.readouterr().err == "1 customer record unreadable (see the log)\n"


def test_a_state_that_is_no_string_is_in_no_state_filter() -> None:
    states = frozenset({"unverified"})
    assert in_states({"state": "unverified"}, states)
    assert not in_states({"state": ["unverified"]}, states)  # unhashable: this raised TypeError
    assert not in_states({"state": None}, states) and not in_states({}, states)
