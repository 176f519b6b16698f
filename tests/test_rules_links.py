"""Links by id resolve, levers and objectives have something under them, ids are unique."""

from __future__ import annotations

from pathlib import Path

import pytest

from district import header
from test_rules_support import check, doc, messages, plan, where

LEVERS = doc("priority-levers")
GOALS = doc("lever-goals")


def goals(*pairs: tuple[str, str]) -> str:
    body = "goals:\n"
    for goal_id, lever in pairs:
        body += (
            f"  - id: {goal_id}\n"
            f"    lever: {lever}\n"
            "    outcome:\n"
            "      metric: Grade 3 students meeting expectations\n"
            "      target: {value: 45, by: 2023-06-15}\n"
        )
    return header("lever-goals", status="final") + body


def test_goal_naming_an_unknown_lever(tmp_path: Path) -> None:
    found = check(plan(tmp_path, "sezp", {GOALS: goals(("G1", "L1"), ("G2", "L3"))}))
    assert where(found, "link-unresolved") == [("link-unresolved", "error", GOALS, 13, 12)]
    assert messages(found, "link-unresolved") == [
        "goals[G2].lever names L3, but priority-levers.yaml has no priority lever L3"
    ]


def test_lever_without_a_goal_is_a_warning(tmp_path: Path) -> None:
    found = check(plan(tmp_path, "sezp", {GOALS: goals(("G1", "L1"), ("G2", "L1"))}))
    assert where(found, "link-unused") == [("link-unused", "warning", LEVERS, 11, 9)]
    assert messages(found, "link-unused") == ["priority lever L2 has no goal in lever-goals.yaml"]


def test_no_goals_written_yet_is_not_a_link_problem(tmp_path: Path) -> None:
    found = check(plan(tmp_path, "sezp", {GOALS: header("lever-goals", status="in-progress")}))
    assert where(found, "link-unused") == []


@pytest.mark.parametrize(
    ("name", "body", "line", "column"),
    [
        (
            "strategic-action-plan",
            "strategies:\n  - id: S1\n    title: Data meetings\n    goals: [G1, G9]\n"
            "    owner: Principal\n    start: 2022-09-01\n    end: 2023-06-16\n",
            9,
            17,
        ),
        (
            "mid-year-targets",
            "targets:\n  - id: M1\n    goal: G9\n    metric: i-Ready\n    target: {value: 38}\n",
            8,
            11,
        ),
        (
            "summer-plan",
            "programs:\n  - id: SP1\n    name: Reading Academy\n    start: 2022-07-11\n"
            "    end: 2022-08-05\n    goals: [G9]\n    activities: Phonics\n",
            11,
            13,
        ),
    ],
)
def test_references_to_lever_goals(
    tmp_path: Path, name: str, body: str, line: int, column: int
) -> None:
    files = {doc(name): header(name, status="final") + body}
    found = check(plan(tmp_path, "sezp", files))
    assert where(found, "link-unresolved") == [
        ("link-unresolved", "error", doc(name), line, column)
    ]
    assert "names G9, but lever-goals.yaml has no goal G9" in messages(found, "link-unresolved")[0]


def test_a_missing_target_document_is_not_a_link_problem(tmp_path: Path) -> None:
    root = plan(tmp_path, "sezp", {GOALS: goals(("G1", "L3"), ("G2", "L3"))})
    (root / LEVERS).unlink()
    found = check(root)
    assert where(found, "link-unresolved") == []
    assert [f["rule"] for f in found if f["file"] == LEVERS] == ["document-missing"]


DUPLICATE = """\
levers:
  - id: L1
    lever: Data-driven instruction
    evidence: Grade 3 ELA at 31%
  - id: L1
    lever: Family engagement
    evidence: Survey response fell to 22%
"""


def test_duplicate_ids(tmp_path: Path) -> None:
    found = check(plan(tmp_path, "sezp", {LEVERS: header("priority-levers") + DUPLICATE}))
    assert where(found, "duplicate-id") == [("duplicate-id", "error", LEVERS, 10, 9)]
    assert messages(found, "duplicate-id") == [
        "levers uses the id L1 twice (first at line 7); links and diffs need each id once"
    ]


def test_same_id_in_different_lists_is_fine(tmp_path: Path) -> None:
    # Interim target ids (Y1) repeat from one outcome to the next; each list is its own.
    body = (
        "goals:\n"
        "  - id: G1\n    lever: L1\n    outcome:\n      metric: ELA\n"
        "      interim: [{id: Y1, value: 1}]\n"
        "  - id: G2\n    lever: L2\n    outcome:\n      metric: Survey\n"
        "      interim: [{id: Y1, value: 1}]\n"
    )
    found = check(plan(tmp_path, "sezp", {GOALS: header("lever-goals") + body}))
    assert where(found, "duplicate-id") == []
