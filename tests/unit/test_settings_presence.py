"""The demo's start skips the config file only when nothing could point at one."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from cybrid_tui.settings.presence import nothing_to_read

if TYPE_CHECKING:
    from pathlib import Path

    import pytest


def test_nothing_to_read_only_when_no_file_no_variable_and_no_dotenv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    for name in [name for name in os.environ if name.upper() == "CYBRID_TUI_CONFIG"]:
        monkeypatch.delenv(name)
    assert nothing_to_read()

    monkeypatch.setenv("cybrid_tui_config", str(tmp_path / "elsewhere.toml"))  # any case, as every setting
    assert not nothing_to_read()
    monkeypatch.delenv("cybrid_tui_config")

    (tmp_path / ".env").write_text("CYBRID_TUI_CONFIG=x\n")
    assert not nothing_to_read()
    (tmp_path / ".env").unlink()

    (tmp_path / "config" / "cybrid-tui").mkdir(parents=True)
    (tmp_path / "config" / "cybrid-tui" / "config.toml").write_text("[keys]\n")
    assert not nothing_to_read()
