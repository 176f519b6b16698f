"""Shared by the rule tests: a complete plan per framework, and `sipctl check` on it.

tests/data/valid/<framework>/ holds a complete plan of school `maple` that
`sipctl check` finds nothing in; a test replaces one document with a broken
version and asserts the exact rule, severity, file, line and column.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cli import sipctl
from district import write_district

VALID = Path(__file__).parent / "data" / "valid"
FOLDER = "schools/maple/2022-23"
AS_OF = "2022-09-15"  # mid-fall of the 2022-23 school year: monitoring is under way


def doc(name: str) -> str:
    return f"{FOLDER}/{name}.yaml"


def plan_files(framework: str) -> dict[str, str]:
    base = VALID / framework
    return {
        path.relative_to(base).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(base.rglob("*.yaml"))
    }


def plan(tmp_path: Path, framework: str, files: dict[str, str] | None = None) -> Path:
    """The complete plan of `framework`, with `files` replacing some of its documents."""
    return write_district(tmp_path, {**plan_files(framework), **(files or {})}, framework=framework)


def check(root: Path, *extra: str, as_of: str = AS_OF) -> list[dict[str, Any]]:
    run = sipctl("check", "--repo", root, "--format", "json", "--as-of", as_of, *extra)
    assert run.err == "", run.err
    assert run.code in (0, 1), run.out
    findings: list[dict[str, Any]] = run.json()["findings"]
    return findings


def where(found: list[dict[str, Any]], rule: str) -> list[tuple[Any, ...]]:
    """(rule, severity, file, line, column) of every finding of `rule`."""
    return [
        (f["rule"], f["severity"], f["file"], f["line"], f["column"])
        for f in found
        if f["rule"] == rule
    ]


def messages(found: list[dict[str, Any]], rule: str) -> list[str]:
    return [f["message"] for f in found if f["rule"] == rule]


def edit(framework: str, name: str, *changes: tuple[str, str]) -> dict[str, str]:
    """The complete plan's document `name` with each (old, new) text replaced once."""
    text = plan_files(framework)[doc(name)]
    for old, new in changes:
        assert text.count(old) == 1, f"{old!r} is not once in {name}"
        text = text.replace(old, new)
    return {doc(name): text}
