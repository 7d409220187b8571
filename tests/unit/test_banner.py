"""The header's words about the bank: production named in capitals, the profile and read-only shown."""

from __future__ import annotations

from cybrid_tui.banner import banner
from cybrid_tui.config import Settings


def test_demo_and_plain_settings_read_as_before() -> None:
    assert banner(description="bank.x", demo=True, settings=None).sub_title == "DEMO · bank.x"
    plain = banner(description="bank.sandbox.cybrid.app", demo=False, settings=Settings())
    assert plain.sub_title == "bank.sandbox.cybrid.app" and not plain.production


def test_production_is_named_in_words_with_the_profile() -> None:
    shown = banner(
        description="bank.production.cybrid.app",
        demo=False,
        settings=Settings(environment="production", profile="live", read_only=True),
    )
    assert shown.production
    assert shown.sub_title == "PRODUCTION · profile live · read-only · bank.production.cybrid.app"


def test_a_sandbox_profile_names_its_environment() -> None:
    shown = banner(description="127.0.0.1:8001", demo=False, settings=Settings(profile="a"))
    assert shown.sub_title == "sandbox · profile a · 127.0.0.1:8001" and not shown.production
