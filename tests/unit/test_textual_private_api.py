"""The two private Textual names the app leans on: a Textual upgrade that renames them fails here, loudly,
rather than as a switched profile that crashes or a refused key that silently does nothing."""

from __future__ import annotations

from textual.app import App
from textual.screen import Screen


async def test_the_private_textual_names_the_app_uses_still_exist() -> None:
    app: App[None] = App()
    async with app.run_test():
        screen = app.screen
        assert isinstance(screen, Screen)
        # app.swap_backend (Switch profile): switch_screen pops a result callback the default screen lacks.
        assert hasattr(screen, "_result_callbacks") and callable(
            getattr(screen, "_push_result_callback", None)
        ), "Textual changed Screen._push_result_callback/_result_callbacks: see CybridApp.swap_backend"
        # guard.refused_action: the bindings of the focused chain, hidden ones included.
        chain = screen._modal_binding_chain
        assert all(len(entry) == 2 for entry in chain), (
            "Textual changed Screen._modal_binding_chain: see cybrid_tui/guard.py refused_action"
        )
