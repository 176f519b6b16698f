"""The example district's complete school passes every rule (issue 5: done when)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli import sipctl

SEZP = Path(__file__).resolve().parents[1] / "examples" / "sezp-district"


@pytest.mark.skipif(not (SEZP / "schools/oak-hill").is_dir(), reason="no example district yet")
@pytest.mark.parametrize("as_of", ["2022-05-27T16:00", "2022-11-01"])
def test_complete_school_has_no_errors(as_of: str) -> None:
    run = sipctl(
        "check", "--repo", SEZP, "--school", "oak-hill", "--as-of", as_of, "--format", "json"
    )
    errors = [f for f in run.json()["findings"] if f["severity"] == "error"]
    assert errors == []
    assert run.code == 0
