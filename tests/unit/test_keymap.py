"""The `[keys]` table: ids must exist, key names must be real, and a remapping must not put two bindings on
one key in a screen; all of it reported as one start-up error."""

from __future__ import annotations

import pytest
from textual.app import App
from textual.binding import Binding

from cybrid_tui.api.errors import ConfigurationError
from cybrid_tui.settings.keymap import (
    APP_SCOPE,
    BindingSpec,
    build_keymap,
    catalogue,
    is_valid_key,
    normalize,
)

WHERE = "config.toml [keys]"
BINDINGS = [
    BindingSpec("app.quit", APP_SCOPE, ("q",)),
    BindingSpec("app.help", APP_SCOPE, ("question_mark",)),
    BindingSpec("customers.new", "customers", ("n",)),
    BindingSpec("customers.filter", "customers", ("slash",)),
    BindingSpec("customers.back", "customers", ("escape",)),
    BindingSpec("form.submit", "create", ("ctrl+s",)),
    BindingSpec("form.cancel", "create", ("escape",)),
]


def test_a_valid_table_becomes_textuals_keymap() -> None:
    keymap = build_keymap({"customers.new": ("c", "ctrl+n"), "app.help": ("f1",)}, BINDINGS, where=WHERE)
    assert keymap == {"customers.new": "c,ctrl+n", "app.help": "f1"}


def test_the_same_key_in_different_screens_is_fine() -> None:
    assert build_keymap({"form.submit": ("n",)}, BINDINGS, where=WHERE) == {"form.submit": "n"}


def test_swapping_two_keys_is_not_a_clash() -> None:
    table = {"customers.new": ("slash",), "customers.filter": ("n",)}
    assert build_keymap(table, BINDINGS, where=WHERE) == {"customers.new": "slash", "customers.filter": "n"}


def test_a_clash_in_one_screen_is_reported_with_both_ids() -> None:
    with pytest.raises(ConfigurationError) as caught:
        build_keymap({"customers.new": ("/",)}, BINDINGS, where=WHERE)
    message = str(caught.value)
    assert "'slash' is bound to both customers.filter and customers.new in the customers screen" in message
    assert WHERE in message


def test_an_app_binding_clashes_in_every_screen() -> None:
    with pytest.raises(ConfigurationError) as caught:
        build_keymap({"app.quit": ("escape",)}, BINDINGS, where=WHERE)
    message = str(caught.value)
    assert "app.quit and customers.back in the customers screen" in message
    assert "app.quit and form.cancel in the create screen" in message


def test_clashes_the_app_ships_with_are_not_the_persons_problem() -> None:
    shipped = [*BINDINGS, BindingSpec("customers.quit_search", "customers", ("q",))]
    assert build_keymap({"customers.new": ("c",)}, shipped, where=WHERE) == {"customers.new": "c"}


def test_unknown_ids_and_bad_key_names_are_all_reported_at_once() -> None:
    with pytest.raises(ConfigurationError) as caught:
        build_keymap(
            {"customers.nwe": ("c",), "app.help": ("ctrl+shft+h",), "app.quit": ("quit",)},
            BINDINGS,
            where=WHERE,
        )
    message = str(caught.value)
    assert "customers.nwe: no binding has this id (did you mean customers.new?)" in message
    assert "'ctrl+shft+h'" in message and "'quit'" in message


@pytest.mark.parametrize(
    "key", ["n", "N", "?", "question_mark", "f5", "ctrl+shift+up", "escape", "space", "comma"]
)
def test_real_key_names_are_accepted(key: str) -> None:
    assert is_valid_key(key)


@pytest.mark.parametrize("key", ["", " ", "foo", "ctrl+", "ctrl+ctrl+n", "cmd+n", " n"])
def test_made_up_key_names_are_refused(key: str) -> None:
    assert not is_valid_key(key)


def test_the_catalogue_reads_textual_bindings_with_ids() -> None:
    specs = catalogue(
        {
            APP_SCOPE: [Binding("q", "quit", "Quit", id="app.quit"), ("x", "noop", "no id")],
            "customers": [Binding("n,ctrl+n", "new", "New", id="customers.new"), Binding("r", "refresh")],
        }
    )
    assert specs == [
        BindingSpec("app.quit", APP_SCOPE, ("q",)),
        BindingSpec("customers.new", "customers", ("n", "ctrl+n")),
    ]


async def test_textual_applies_the_keymap_the_same_way() -> None:
    pressed: list[str] = []

    class Tiny(App[None]):
        BINDINGS = [Binding("n", "new", "New", id="customers.new")]

        def action_new(self) -> None:
            pressed.append("new")

    app = Tiny()
    keymap = build_keymap({"customers.new": ("?",)}, catalogue({APP_SCOPE: Tiny.BINDINGS}), where=WHERE)
    assert normalize("?") == "question_mark"
    async with app.run_test() as pilot:
        app.set_keymap(keymap)
        await pilot.press("n")
        assert pressed == []
        await pilot.press("question_mark")
        assert pressed == ["new"]
