"""Where the spec tests find Cybrid's published spec, and what a fresh clone without it sees."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.support.spec import SPEC_MISSING, find_openapi_spec

if TYPE_CHECKING:
    from pathlib import Path


def test_a_fresh_clone_skips_the_spec_tests_saying_how_to_run_them(tmp_path: Path) -> None:
    with pytest.raises(pytest.skip.Exception) as skipped:
        find_openapi_spec({}, default=tmp_path / "absent.yaml")

    reason = str(skipped.value)
    assert reason == SPEC_MISSING
    assert "CYBRID_OPENAPI=" in reason
    assert "../shared/cybrid/" in reason


@pytest.mark.parametrize("value", ["1", "yes"])
def test_ci_turns_a_missing_spec_into_a_failure(tmp_path: Path, value: str) -> None:
    with pytest.raises(pytest.fail.Exception, match="CYBRID_REQUIRE_SPEC is set"):
        find_openapi_spec({"CYBRID_REQUIRE_SPEC": value}, default=tmp_path / "absent.yaml")


def test_require_spec_set_to_zero_still_skips(tmp_path: Path) -> None:
    with pytest.raises(pytest.skip.Exception):
        find_openapi_spec({"CYBRID_REQUIRE_SPEC": "0"}, default=tmp_path / "absent.yaml")


def test_the_spec_beside_the_repository_is_used(tmp_path: Path) -> None:
    beside = tmp_path / "bank-openapi.yaml"
    beside.write_text("openapi: 3.0.1\n", encoding="utf-8")

    assert find_openapi_spec({"CYBRID_REQUIRE_SPEC": "1"}, default=beside) == beside


def test_cybrid_openapi_wins_over_the_default(tmp_path: Path) -> None:
    chosen = tmp_path / "mine.yaml"
    chosen.write_text("openapi: 3.0.1\n", encoding="utf-8")
    beside = tmp_path / "bank-openapi.yaml"
    beside.write_text("openapi: 3.0.1\n", encoding="utf-8")

    assert find_openapi_spec({"CYBRID_OPENAPI": str(chosen)}, default=beside) == chosen


def test_a_cybrid_openapi_naming_no_file_fails_rather_than_skipping(tmp_path: Path) -> None:
    with pytest.raises(pytest.fail.Exception, match="not a file"):
        find_openapi_spec({"CYBRID_OPENAPI": str(tmp_path / "typo.yaml")}, default=tmp_path / "absent.yaml")


def test_ci_requires_the_spec() -> None:
    """`.ci/run` must keep CI running every spec test."""
    from tests.support.spec import REPO_ROOT

    script = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "export CYBRID_REQUIRE_SPEC=1" in script
