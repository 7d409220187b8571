"""The read-only rule and the binding catalogue the `[keys]` table is checked against."""

from __future__ import annotations

import pytest

from cybrid_tui.api.errors import ConfigurationError
from cybrid_tui.keys import build_app_keymap, catalogue
from cybrid_tui.permissions import is_mutating, refusal


def test_read_only_refuses_exactly_the_changes() -> None:
    assert refusal("new_customer", read_only=True) is not None
    assert refusal("screen.new_customer", read_only=True) is not None
    assert "start identity verifications" in (refusal("start_verification", read_only=True) or "")
    assert refusal("new_customer", read_only=False) is None
    for harmless in ("refresh", "filter", "copy_guid", "toggle_state('storing')", "quit"):
        assert refusal(harmless, read_only=True) is None
        assert not is_mutating(harmless)


def test_every_binding_of_the_app_has_a_unique_id() -> None:
    from cybrid_tui.keys import binding_scopes

    bindings = [binding for items in binding_scopes().values() for binding in items]
    ids = [binding.id for binding in bindings]
    assert None not in ids
    assert len(ids) == len(set(ids))
    assert {"customers.new", "app.quit", "form.submit", "app.help"} <= {spec.id for spec in catalogue()}


def test_a_remapping_onto_a_taken_key_is_a_clash_naming_both() -> None:
    assert build_app_keymap({"customers.new": ("a",)}, where="c.toml [keys]") == {"customers.new": "a"}
    with pytest.raises(ConfigurationError, match=r"customers\.new and customers\.refresh"):
        build_app_keymap({"customers.new": ("r",)}, where="c.toml [keys]")
    with pytest.raises(ConfigurationError, match=r"did you mean customers\.new"):
        build_app_keymap({"customers.nwe": ("a",)}, where="c.toml [keys]")
