"""`customers create --body`: a body no customer looks like is a usage problem (exit 2), never a traceback."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from cybrid_tui.cli.create import read_body
from cybrid_tui.cli.errors import UsageProblem

if TYPE_CHECKING:
    from pathlib import Path


def test_a_body_nested_thousands_deep_is_a_usage_problem(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 200_000 + "]" * 200_000)
    with pytest.raises(UsageProblem, match="nested too deeply"):
        read_body(str(path))
