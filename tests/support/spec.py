"""Finding Cybrid's published OpenAPI spec, which stays reference data outside the repository.

A fresh clone has no `../shared` beside it: tests that need the spec are then skipped with one reason that
says how to run them, except in CI (`.ci/run` sets CYBRID_REQUIRE_SPEC), where a missing spec is a failure.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Mapping

REPO_ROOT = Path(__file__).resolve().parents[2]
SPEC_DEFAULT = REPO_ROOT.parent / "shared" / "cybrid" / "bank-openapi.yaml"
SPEC_MISSING = (
    "Cybrid's OpenAPI spec not found: set CYBRID_OPENAPI=/path/to/bank-openapi.yaml "
    "or place it at ../shared/cybrid/ beside the repository to run the spec tests"
)


def find_openapi_spec(environ: Mapping[str, str], default: Path = SPEC_DEFAULT) -> Path:
    """Where the spec is; skips the asking test when it is absent (a fresh clone has no ../shared beside it).

    Fails instead when `CYBRID_REQUIRE_SPEC` is set (CI), or when an explicit `CYBRID_OPENAPI` names no file:
    that is a mistake worth stopping for, not a reason to quietly run fewer tests.
    """
    configured = environ.get("CYBRID_OPENAPI")
    if configured:
        path = Path(configured).expanduser()
        if not path.is_file():
            pytest.fail(f"CYBRID_OPENAPI={configured} is not a file", pytrace=False)
        return path
    if default.is_file():
        return default
    if environ.get("CYBRID_REQUIRE_SPEC", "") not in ("", "0"):
        pytest.fail(f"CYBRID_REQUIRE_SPEC is set and {SPEC_MISSING}", pytrace=False)
    pytest.skip(SPEC_MISSING)


def spec_skip_location() -> tuple[str, int]:
    """Where a skip for want of the spec is reported (this module), so the reports group into one line."""
    import inspect

    return "tests/support/spec.py", inspect.getsourcelines(find_openapi_spec)[1]
