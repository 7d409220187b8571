"""Keyboard and mouse on the customers table: moving, filtering, sorting, hiding PII, copying."""

from __future__ import annotations

from cybrid_tui.widgets.state_counters import StateCounters
from tests.support.ui_harness import Harness, header_text, line_text
from tests.support.waiting import wait_for


async def test_keys_move_the_cursor_and_the_view_follows() -> None:
    h = Harness(customers=200)
    async with h.app.run_test() as pilot:
        await h.live()
        table = h.table
        await pilot.press("down", "down")
        assert table.cursor_row == 2
        await pilot.press("up")
        assert table.cursor_row == 1
        await pilot.press("end")
        assert table.cursor_row == 199
        assert table.cursor_guid == h.mock.guids()[-1]
        assert h.shown_guids()[-1] == table.cursor_guid
        await pilot.press("home")
        assert table.cursor_row == 0 and table.top_row == 0
        await pilot.press("pagedown")
        assert table.cursor_row == table.body_height - 1
        assert table.cursor_guid in h.shown_guids()


async def test_a_click_selects_a_row_and_a_click_on_a_title_sorts() -> None:
    h = Harness()
    async with h.app.run_test() as pilot:
        await h.live()
        await pilot.click("#customers", offset=(20, 4))  # the 4th customer line (line 0 is the header)
        assert h.table.cursor_row == 3
        guid = h.table.cursor_guid
        x = header_text(h.table).index("State")
        await pilot.click("#customers", offset=(x, 0))
        assert h.screen.store.sort_key == "state"
        assert h.table.cursor_guid == guid  # the cursor followed its customer


async def test_filter_as_you_type_matches_names_and_escape_clears_it() -> None:
    h = Harness()
    async with h.app.run_test() as pilot:
        await h.live()
        store = h.screen.store
        target = next(row for row in store.view if row.name and " " in row.name)
        word = target.name.split()[-1] if target.name else ""
        await pilot.press("slash")
        await pilot.press(*word.lower())
        await pilot.pause()
        assert 0 < len(store.view) < store.total
        assert all(word.lower() in (row.name or "").lower() for row in store.view) or all(
            word.lower() in row.search for row in store.view
        )
        assert target.guid in h.shown_guids()
        assert f"of {store.total} customers" in h.status_text()
        await pilot.press("enter")  # keeps the filter, back to the table
        assert h.table.has_focus
        assert len(store.view) < store.total
        await pilot.press("escape")  # on the table: clears every filter
        assert len(store.view) == store.total


async def test_typing_a_state_filters_by_state() -> None:
    h = Harness()
    async with h.app.run_test() as pilot:
        await h.live()
        await pilot.press("slash", *"state:rej")
        await pilot.pause()
        view = h.screen.store.view
        assert len(view) == h.screen.store.counts["rejected"] > 0
        assert all(row.state == "rejected" for row in view)
        await pilot.press("escape")  # in the input: clears the text and leaves
        assert len(h.screen.store.view) == h.screen.store.total
        assert h.table.has_focus


async def test_quick_filters_for_states_and_type() -> None:
    h = Harness()
    async with h.app.run_test() as pilot:
        await h.live()
        store = h.screen.store
        counts = dict(store.counts)
        await pilot.press("3")  # verified
        assert {row.state for row in store.view} == {"verified"}
        await pilot.press("4")  # and rejected
        assert {row.state for row in store.view} == {"verified", "rejected"}
        assert len(store.view) == counts["verified"] + counts["rejected"]
        # The counters still count everyone, and show which states are filtered.
        assert h.screen.query_one(StateCounters).counts == {state: counts[state] for state in counts}
        summary = h.screen.query_one("#filter-summary")
        assert summary.has_class("-active")
        await pilot.press("t")
        assert {row.type for row in store.view} == {"individual"}
        await pilot.press("t")
        assert {row.type for row in store.view} == {"business"}
        await pilot.press("0")
        assert len(store.view) == store.total
        assert not summary.has_class("-active")


async def test_sort_keys_cycle_and_reverse() -> None:
    h = Harness()
    async with h.app.run_test() as pilot:
        await h.live()
        store = h.screen.store
        assert "Created ↓" in header_text(h.table)
        await pilot.press("s")
        assert store.sort_key == "updated"
        updated = [row.updated_at for row in store.view]
        assert updated == sorted(updated, reverse=True)
        assert "sorted by updated ↓" in h.status_text()  # said even when the column gives way at 80
        await pilot.press("s", "s", "s")
        assert store.sort_key == "name"
        names = [(row.name or "").casefold() for row in store.view]
        assert names == sorted(names)
        await pilot.press("S")
        names = [(row.name or "").casefold() for row in store.view]
        assert names == sorted(names, reverse=True)
        assert "Name ↑" in header_text(h.table) or "Name ↓" in header_text(h.table)


async def test_cursor_follows_its_customer_across_a_new_sort_and_filter() -> None:
    h = Harness()
    async with h.app.run_test() as pilot:
        await h.live()
        await pilot.press("down", "down", "down", "down")
        guid = h.table.cursor_guid
        row = h.screen.store.get(guid or "")
        assert row is not None
        await pilot.press("s", "s")  # by state
        assert h.table.cursor_guid == guid
        assert guid in h.shown_guids()
        await pilot.press(
            str(1 + ("storing", "unverified", "verified", "rejected", "frozen").index(row.state))
        )
        assert h.table.cursor_guid == guid


async def test_pii_key_hides_names_everywhere_and_the_status_says_so() -> None:
    h = Harness(customers=20)
    async with h.app.run_test(size=(120, 30)) as pilot:
        await h.live()
        named = next(row for row in h.screen.store.view if row.name)
        assert "Name" in header_text(h.table)
        assert named.name and named.name in (line_text(h.table, named.guid) or "")
        await pilot.press("i")
        await pilot.pause()
        assert "Name" not in header_text(h.table)
        assert named.name not in (line_text(h.table, named.guid) or "")
        assert "PII hidden" in h.status_text()
        await pilot.press("i")
        await pilot.pause()
        assert named.name in (line_text(h.table, named.guid) or "")


async def test_without_the_pii_scope_no_names_are_requested_or_shown() -> None:
    scopes = frozenset({"customers:read", "customers:write", "customers:execute"})
    h = Harness(customers=20, granted_scopes=scopes)
    async with h.app.run_test() as pilot:
        await h.live()
        await pilot.pause()
        assert all(row.name is None for row in h.screen.store.rows())
        assert "Name" not in header_text(h.table)
        assert "no PII access" in h.status_text()


async def test_copy_puts_the_full_guid_on_the_clipboard() -> None:
    h = Harness()
    async with h.app.run_test() as pilot:
        await h.live()
        await pilot.press("down", "y")
        assert h.app.clipboard == h.table.cursor_guid
        assert len(h.app.clipboard) == 32


async def test_empty_bank_says_so() -> None:
    h = Harness(customers=0)
    async with h.app.run_test() as pilot:
        await h.live()
        await pilot.pause()
        assert h.table.cursor_guid is None
        assert "No customers yet" in h.table.render_line(2).text
        assert "0 customers" in h.status_text()
        await pilot.press("enter", "down", "y")  # nothing to open, move or copy: no crash
        assert h.app.screen is h.screen


async def test_help_lists_every_key_and_closes() -> None:
    from cybrid_tui.screens.help import HelpScreen

    h = Harness()
    async with h.app.run_test(size=(80, 24)) as pilot:
        await h.live()
        await pilot.press("question_mark")
        await wait_for(lambda: isinstance(h.app.screen, HelpScreen), message="help opened")
        help_screen = h.app.screen
        assert isinstance(help_screen, HelpScreen)
        listed = {keys for _, keys, _ in help_screen.rows}
        keys = {"n", "/", "r", "p", "s S", "t", "0", "1-5", "y, c", "e E", "?", "i", "q", "esc", "^p", "⏎"}
        assert keys <= listed, keys - listed
        assert "↑ ↓ pgup pgdn home end" in listed
        await pilot.pause()
        panel = help_screen.query_one("#help")
        assert panel.max_scroll_y == 0, "the help fits 80x24 without scrolling"
        labels = " ".join(label for _, _, label in help_screen.rows)
        for needle in (
            "Toggle storing, unverified, verified, rejected, frozen",
            "Create a customer",
            "Refresh now",
            "Pause",
            "Copy",
            "Leave the app",
            "Filter as you type",
        ):
            assert needle in labels, needle
        await pilot.press("escape")
        assert h.app.screen is h.screen


async def test_every_binding_is_in_the_command_palette() -> None:
    from cybrid_tui.commands import BindingCommands

    h = Harness()
    async with h.app.run_test() as pilot:
        await h.live()
        provider = BindingCommands(h.screen)
        names = [hit.text async for hit in provider.discover()]
        for label in (
            "New customer",
            "Filter customers",
            "Refresh now",
            "Pause or resume live refresh",
            "Sort by the next column",
            "Reverse sort",
            "Copy guid",
        ):
            assert f"Customers: {label}" in names, label
        assert "Help: every key" in names and "Quit" in names  # the app's own: no screen prefix
        assert "Customers: Filter verified" in names
        hits = [hit async for hit in provider.search("pause")]
        assert hits
        await max(hits).command()  # the palette lists the best match first
        assert h.screen.paused
        await pilot.pause()


async def test_the_table_screen_looks_the_same_after_the_form_was_open() -> None:
    # Screen CSS is global in Textual: another screen's "#status" once hid this screen's status line.
    h = Harness()
    async with h.app.run_test() as pilot:
        await h.live()
        before = (h.screen.status.region, h.table.region)
        await pilot.press("n")
        await wait_for(lambda: h.app.screen is not h.screen, message="form opened")
        await pilot.press("escape")
        await wait_for(lambda: h.app.screen is h.screen, message="form closed")
        await pilot.pause()
        assert (h.screen.status.region, h.table.region) == before
        assert h.screen.status.region.height >= 1
