"""f3 on the create form copies the cybrid-tui and curl commands for what the form shows, says so in the
status line, works while typing in a field, and copies nothing while personal data is hidden."""

from __future__ import annotations

import json

from textual.widgets import Static

from cybrid_tui.forms.as_command import request_body
from tests.support.form_fakes import TAG, CreateBank, FormHost


class CopyingHost(FormHost):
    def __init__(self) -> None:
        super().__init__(CreateBank())
        self.copied: list[str] = []

    def copy_to_clipboard(self, text: str) -> None:
        self.copied.append(text)


def status(host: FormHost) -> str:
    return str(host.form.query_one("#status", Static).content)


async def test_f3_copies_the_form_as_commands_while_typing() -> None:
    host = CopyingHost()
    async with host.run_test(size=(120, 40)) as pilot:
        await pilot.press("tab", "down", "enter")  # bank-provided details
        await pilot.press("tab", *"Ann 'Q'")  # first name, focus stays in the field
        await pilot.press("f3")
        await pilot.pause()
        (copied,) = host.copied
        first_line, *rest = copied.splitlines()
        assert first_line == "cybrid-tui customers create --type individual --body - <<'JSON'"
        body = json.loads("\n".join(rest[: rest.index("JSON")]))
        assert body == request_body(host.form.values()) and body["name"]["first"] == "Ann 'Q'"
        assert TAG not in copied  # the command adds a guard tag of its own
        assert copied.splitlines()[-1].startswith('curl -X POST "$CYBRID_BANK_URL/api/customers"')
        assert status(host).startswith("Copied the cybrid-tui and curl commands")


async def test_nothing_is_copied_while_personal_data_is_hidden() -> None:
    host = CopyingHost()
    async with host.run_test(size=(120, 40)) as pilot:
        host.form._pii_changed(True)
        await pilot.press("f3")
        await pilot.pause()
        assert host.copied == []
        assert "Personal data is hidden" in status(host)
