"""Text that is not the app's own never breaks a widget: a typed filter with markup brackets, a verification
state or outcome from the server that is not a CSS identifier (both once raised out of the screen)."""

from __future__ import annotations

import pytest
from textual.dom import check_identifiers
from textual.widgets import Static

from cybrid_tui.api.models import IdentityVerification
from cybrid_tui.widgets.verifications_panel import verification_sections
from tests.support.ui_harness import Harness
from tests.support.waiting import wait_for


async def test_a_filter_with_markup_brackets_is_shown_as_typed() -> None:
    h = Harness()
    async with h.app.run_test() as pilot:
        await h.live()
        await pilot.press("slash", *"[/x]", "enter")
        summary = h.screen.query_one("#filter-summary", Static)
        await wait_for(lambda: "[/x]" in str(summary.render()), timeout=5, message="summary drawn")
        assert h.app.is_running


@pytest.mark.parametrize(("state", "outcome"), [("in.review", "pass ed"), ("x -hidden", "a!b"), ("9", "")])
def test_a_verification_state_the_app_does_not_know_adds_no_css_class(state: str, outcome: str) -> None:
    verification = IdentityVerification.model_validate(
        {"guid": "a" * 32, "state": state, "outcome": outcome or None, "method": "id_and_selfie"}
    )
    sections = verification_sections([verification], {}, now=0.0, pii="shown")
    fields = [field for section in sections for field in section.fields]
    assert any(field.value == state for field in fields)  # still shown, as sent
    for field in fields:
        check_identifiers("class name", *field.classes.split())  # raises BadIdentifier on a bad one
        assert "-hidden" not in field.classes.split()
