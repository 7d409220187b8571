"""Startup baselines: the smallest Textual apps, launched exactly like `cybrid-tui --demo` is.

`python -m bench.bare_app` is a bare `App`; `--widgets` adds Header + DataTable + Footer (the issue's second
reference figure).
"""

from __future__ import annotations

import sys

from textual.app import App, ComposeResult


class BareApp(App[None]):
    """Nothing but the App: the floor for time to first frame."""


class WidgetsApp(App[None]):
    """What a table app minimally composes, with the stock widgets."""

    def compose(self) -> ComposeResult:
        from textual.widgets import DataTable, Footer, Header

        yield Header()
        yield DataTable()
        yield Footer()


def main() -> None:
    app: App[None] = WidgetsApp() if "--widgets" in sys.argv[1:] else BareApp()
    app.run()


if __name__ == "__main__":
    main()
