"""The form stays light at import: the customers screen imports it on the path to the first frame."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("httpx", "pydantic", "pydantic_settings", "starlette", "uvicorn", "cybrid_tui.mock")
LAZY = ("pycountry", "phonenumbers", "email_validator")


def test_importing_the_form_imports_nothing_heavy() -> None:
    code = (
        "import sys\n"
        "import cybrid_tui.screens.create_customer, cybrid_tui.forms.builder, cybrid_tui.api.safe_create\n"
        f"print(sorted(m for m in {HEAVY + LAZY!r} if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_api_modules_never_import_textual() -> None:
    code = "import sys\nimport cybrid_tui.api.safe_create\nprint('textual' in sys.modules)\n"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
