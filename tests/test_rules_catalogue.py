"""Every rule check can emit is catalogued, and every catalogued rule is in docs/rules.md."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from sipctl.domain.framework import all_documents
from sipctl.rules.catalogue import CATALOGUE, RULES

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "src" / "sipctl"
DOCS = REPO / "docs" / "rules.md"
RULE_ID = re.compile(r"^[a-z]+(-[a-z]+)*$")
# The calls that create findings or YAML problems, with the rule id as a string literal.
MAKERS = {"finding", "YamlProblem", "fail", "_deadline_finding"}


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else None


def emitted() -> dict[str, str]:
    """Rule id -> file:line of a call that emits it, from the source text."""
    documents = set(all_documents())
    found: dict[str, str] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        if path.name == "catalogue.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or _name(node.func) not in MAKERS:
                continue
            args = [*node.args, *(k.value for k in node.keywords if k.arg == "rule")]
            for arg in args:
                value = arg.value if isinstance(arg, ast.Constant) else None
                if isinstance(value, str) and RULE_ID.match(value) and value not in documents:
                    found.setdefault(value, f"{path.relative_to(REPO)}:{node.lineno}")
    return found


def test_the_source_scan_sees_rules_of_every_kind() -> None:
    ids = emitted()
    for known in ("schema", "yaml-alias", "document-missing", "deadline-missed", "incomplete"):
        assert known in ids


def test_every_emitted_rule_is_catalogued() -> None:
    missing = {rule: where for rule, where in emitted().items() if rule not in RULES}
    assert missing == {}, "add these to src/sipctl/rules/catalogue.py and docs/rules.md"


def test_every_catalogued_rule_is_emitted_somewhere() -> None:
    assert sorted(set(RULES) - set(emitted())) == []


def test_catalogue_ids_are_unique() -> None:
    assert len(RULES) == len(CATALOGUE)


def _sections(text: str) -> dict[str, str]:
    parts = re.split(r"^### `([a-z-]+)`\s*$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_every_catalogued_rule_is_documented_with_a_fix() -> None:
    sections = _sections(DOCS.read_text(encoding="utf-8"))
    assert sorted(set(RULES) - set(sections)) == [], "document these in docs/rules.md"
    assert sorted(set(sections) - set(RULES)) == [], "docs/rules.md names rules check lacks"
    for rule, body in sections.items():
        assert "**Fix" in body, f"docs/rules.md: `{rule}` has no example of the fix"


def test_the_summary_table_agrees_with_the_catalogue() -> None:
    rows = re.findall(r"^\| \[`([a-z-]+)`\]\(#[a-z-]+\) \| (\w+) \|", DOCS.read_text("utf-8"), re.M)
    assert [(rule, RULES[rule].severity.value) for rule, _ in rows] == rows
    assert [rule for rule, _ in rows] == [info.id for info in CATALOGUE]
