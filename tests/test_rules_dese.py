"""DESE Sustainable Improvement Plan (seeds 002-004): stakeholders, team, links, renewal."""

from __future__ import annotations

from pathlib import Path

import pytest

from test_rules_support import check, doc, edit, messages, plan, where

DESE = "dese-sip"
ENGAGEMENT = doc("stakeholder-engagement")
RENEWAL = doc("annual-renewal")
TEAM = "  - {id: P2, name: Marcus Lee, role: Principal}\n"


def test_complete_plan_has_no_findings(tmp_path: Path) -> None:
    assert check(plan(tmp_path, DESE)) == []


def test_a_team_of_21_is_too_large(tmp_path: Path) -> None:
    more = "".join(f"  - {{id: P{i}, name: Member {i}, role: Teacher}}\n" for i in range(3, 22))
    found = check(plan(tmp_path, DESE, edit(DESE, "stakeholder-engagement", (TEAM, TEAM + more))))
    assert where(found, "team-size") == [("team-size", "warning", ENGAGEMENT, 39, 10)]
    assert "has 21 members" in messages(found, "team-size")[0]


def test_a_team_of_20_is_fine(tmp_path: Path) -> None:
    more = "".join(f"  - {{id: P{i}, name: Member {i}, role: Teacher}}\n" for i in range(3, 21))
    found = check(plan(tmp_path, DESE, edit(DESE, "stakeholder-engagement", (TEAM, TEAM + more))))
    assert where(found, "team-size") == []


@pytest.mark.parametrize(("status", "severity"), [("in-progress", "info"), ("draft", "error")])
def test_five_items_and_who_is_responsible(tmp_path: Path, status: str, severity: str) -> None:
    files = edit(
        DESE,
        "stakeholder-engagement",
        ("status: final", f"status: {status}"),
        ("    reflected_in: Objective O2, initiative I2.\n", ""),
        ("  responsible: {name: Ana Souza, role: Family engagement coordinator}\n", ""),
        ("marginalized_groups: The ELPAC", 'marginalized_groups: "TODO: The ELPAC'),
        ("at every meeting.", 'at every meeting."'),
    )
    found = check(plan(tmp_path, DESE, files))
    assert where(found, "incomplete") == [("incomplete", severity, ENGAGEMENT, 9, 22)]
    assert messages(found, "incomplete") == [
        "still missing: marginalized_groups, recommendations[R1].reflected_in, "
        "ongoing_engagement.responsible.name"
    ]


def test_renewal_names_changes_and_gauges(tmp_path: Path) -> None:
    files = edit(
        DESE,
        "annual-renewal",
        ("changes:\n  - {id: X1, section: Goals & Benchmarks, change: Add", "changes: []\n#"),
        ("progress_gauges: [G1, B1]", "progress_gauges: []"),
    )
    found = check(plan(tmp_path, DESE, files))
    assert where(found, "incomplete") == [("incomplete", "error", RENEWAL, 9, 10)]
    assert messages(found, "incomplete") == ["still missing: changes, progress_gauges"]


@pytest.mark.parametrize(
    ("name", "change", "line", "column", "words"),
    [
        (
            "root-cause-analysis",
            ("challenges: [C2]", "challenges: [C9]"),
            13,
            82,
            "root_causes[RC2].challenges[0] names C9, but root-cause-analysis.yaml has no "
            "challenge C9",
        ),
        (
            "strategic-objectives",
            ("root_causes: [RC2]", "root_causes: [RC9]"),
            8,
            112,
            "objectives[O2].root_causes[0] names RC9, but root-cause-analysis.yaml has no root "
            "cause RC9",
        ),
        (
            "goals-benchmarks",
            ("objective: O1", "objective: O9"),
            8,
            16,
            "goals[G1].objective names O9, but strategic-objectives.yaml has no strategic "
            "objective O9",
        ),
        (
            "goals-benchmarks",
            ("serves: [I1]", "serves: [I9]"),
            19,
            14,
            "benchmarks[B1].serves[0] names I9, but strategic-objectives.yaml has no initiative I9",
        ),
        (
            "annual-renewal",
            ("[G1, B1]", "[G1, B9]"),
            11,
            23,
            "progress_gauges[1] names B9, but goals-benchmarks.yaml has no goal or benchmark B9",
        ),
    ],
)
def test_links(
    tmp_path: Path, name: str, change: tuple[str, str], line: int, column: int, words: str
) -> None:
    found = check(plan(tmp_path, DESE, edit(DESE, name, change)))
    assert where(found, "link-unresolved") == [
        ("link-unresolved", "error", doc(name), line, column)
    ]
    assert messages(found, "link-unresolved") == [words]


def test_objective_without_initiative(tmp_path: Path) -> None:
    files = edit(DESE, "strategic-objectives", ("{id: I2, objective: O2", "{id: I2, objective: O1"))
    found = check(plan(tmp_path, DESE, files))
    assert where(found, "link-unused") == [
        ("link-unused", "warning", doc("strategic-objectives"), 8, 10)
    ]


def test_goal_without_target_date(tmp_path: Path) -> None:
    files = edit(DESE, "goals-benchmarks", ("unit: percent, by: 2025-06-30", "unit: percent"))
    found = check(plan(tmp_path, DESE, files))
    assert where(found, "smart-outcome") == [
        ("smart-outcome", "error", doc("goals-benchmarks"), 12, 15)
    ]
    assert messages(found, "smart-outcome") == [
        "goal G1 is not SMART yet: it has no target date (target.by)"
    ]
