"""docs/security.md is the map of the defences: every test it names exists, and every
hostile-input test is on the map."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SECURITY = REPO / "docs" / "security.md"
# `test_file.py::test_name`, and the names that follow it in the same cell: `, test_other`
REFERENCE = re.compile(r"`(test_[a-z_]+\.py)::(test_[a-z0-9_]+)`((?:,\s+`test_[a-z0-9_]+`)*)")


def referenced() -> set[tuple[str, str]]:
    found = set()
    for file, first, more in REFERENCE.findall(SECURITY.read_text(encoding="utf-8")):
        found.add((file, first))
        found.update((file, name) for name in re.findall(r"`(test_[a-z0-9_]+)`", more))
    return found


def defined(file: str) -> set[str]:
    text = (REPO / "tests" / file).read_text(encoding="utf-8")
    return set(re.findall(r"^def (test_[a-z0-9_]+)\(", text, re.MULTILINE))


def test_every_test_the_threat_model_names_exists() -> None:
    missing = sorted(f"{file}::{name}" for file, name in referenced() if name not in defined(file))
    assert missing == []


def test_every_hostile_input_test_is_in_the_threat_model() -> None:
    named = referenced()
    files = [
        p.name for p in (REPO / "tests").glob("test_hostile_*.py") if p.name != Path(__file__).name
    ]
    files.append("test_properties.py")
    unmapped = sorted(
        f"{file}::{name}" for file in files for name in defined(file) if (file, name) not in named
    )
    assert unmapped == [], "add these to docs/security.md"
