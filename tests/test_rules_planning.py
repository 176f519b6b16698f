"""Planning for Success (seed 001): focus, SMART outcomes, benchmarks, links, resources."""

from __future__ import annotations

from pathlib import Path

import pytest

from test_rules_support import check, doc, edit, messages, plan, where

PFS = "planning-for-success"
SIP = doc("school-improvement-plan")
ACTION = doc("action-plan")

O3 = "  - {id: O3, title: Partner with families}\n"
OC1_BASELINE = "baseline: {value: 29, unit: percent, as_of: 2022-06-30}"
Y2 = "- {id: Y2, value: 40, by: 2024-06-30}"


def test_complete_plan_has_no_findings(tmp_path: Path) -> None:
    assert check(plan(tmp_path, PFS)) == []


@pytest.mark.parametrize(
    ("change", "count", "line", "column"),
    [
        ((O3, ""), 2, 12, 1),
        ((O3, O3 + "".join(f"  - {{id: O{i}, title: T{i}}}\n" for i in (4, 5, 6))), 6, 18, 10),
    ],
)
def test_objective_count(
    tmp_path: Path, change: tuple[str, str], count: int, line: int, column: int
) -> None:
    found = check(plan(tmp_path, PFS, edit(PFS, "school-improvement-plan", change)))
    assert where(found, "objective-count") == [("objective-count", "warning", SIP, line, column)]
    assert f"the plan has {count} strategic objectives" in messages(found, "objective-count")[0]


def test_five_objectives_are_fine(tmp_path: Path) -> None:
    more = O3 + "  - {id: O4, title: T4}\n  - {id: O5, title: T5}\n"
    found = check(plan(tmp_path, PFS, edit(PFS, "school-improvement-plan", (O3, more))))
    assert where(found, "objective-count") == []


@pytest.mark.parametrize(("status", "severity"), [("in-progress", "info"), ("final", "error")])
def test_outcome_without_baseline_date(tmp_path: Path, status: str, severity: str) -> None:
    files = edit(
        PFS,
        "school-improvement-plan",
        ("status: final", f"status: {status}"),
        (OC1_BASELINE, "baseline: {value: 29, unit: percent}"),
    )
    found = check(plan(tmp_path, PFS, files))
    assert where(found, "smart-outcome") == [("smart-outcome", severity, SIP, 31, 17)]
    assert messages(found, "smart-outcome") == [
        "outcome OC1 is not SMART yet: it has no baseline date (baseline.as_of)"
    ]


@pytest.mark.parametrize(
    ("change", "line", "column", "message"),
    [
        (
            (Y2, "- {id: Y2, value: 40, by: 2025-07-31}"),
            35,
            35,
            "outcome OC1: interim target Y2 is dated 2025-07-31, not before the final target "
            "date 2025-06-30",
        ),
        (
            (Y2, "- {id: Y2, value: 50, by: 2024-06-30}"),
            35,
            27,
            "outcome OC1: interim target Y2 (50) is not between the baseline (29) and the "
            "target (45)",
        ),
        (
            (Y2, "- {id: Y2, value: 33, by: 2024-06-30}"),
            35,
            27,
            "outcome OC1: interim target Y2 (33) moves away from the target (45) after an "
            "earlier interim target of 34",
        ),
        (
            (
                "by: 2025-06-30}\n      interim:\n        - {id: Y1, value: 22, by: 2023-06-30}\n",
                "by: 2022-06-30}\n",
            ),
            41,
            46,
            "outcome OC2: the target date 2022-06-30 is not after the baseline date 2022-06-30",
        ),
    ],
)
def test_outcome_targets_over_time(
    tmp_path: Path, change: tuple[str, str], line: int, column: int, message: str
) -> None:
    found = check(plan(tmp_path, PFS, edit(PFS, "school-improvement-plan", change)))
    assert where(found, "smart-outcome") == [("smart-outcome", "error", SIP, line, column)]
    assert messages(found, "smart-outcome") == [message]


@pytest.mark.parametrize(("status", "severity"), [("in-progress", "info"), ("final", "error")])
def test_benchmark_without_kind_or_who(tmp_path: Path, status: str, severity: str) -> None:
    files = edit(
        PFS,
        "action-plan",
        ("status: final", f"status: {status}"),
        ("    kind: early-evidence\n", ""),
        ("    who: Principal and literacy coach\n", ""),
    )
    found = check(plan(tmp_path, PFS, files))
    assert where(found, "benchmark-incomplete") == [
        ("benchmark-incomplete", severity, ACTION, 16, 5)
    ]
    assert messages(found, "benchmark-incomplete") == [
        "benchmark B2 does not say whether it is process or early-evidence (kind) or who is "
        "responsible (who)"
    ]


def test_initiative_under_an_unknown_objective(tmp_path: Path) -> None:
    files = edit(
        PFS,
        "school-improvement-plan",
        ("objective: O3, title: Family", "objective: O9, title: Family"),
    )
    found = check(plan(tmp_path, PFS, files))
    assert where(found, "link-unresolved") == [("link-unresolved", "error", SIP, 19, 25)]
    assert where(found, "link-unused") == [("link-unused", "warning", SIP, 15, 10)]
    assert messages(found, "link-unused") == ["strategic objective O3 has no initiative"]


def test_benchmark_serving_an_unknown_initiative(tmp_path: Path) -> None:
    found = check(
        plan(
            tmp_path,
            PFS,
            edit(PFS, "action-plan", ("serves: [I1]\n    updates", "serves: [I9]\n    updates")),
        )
    )
    assert where(found, "link-unresolved") == [("link-unresolved", "error", ACTION, 13, 14)]
    assert messages(found, "link-unresolved") == [
        "benchmarks[B1].serves[0] names I9, but school-improvement-plan.yaml has no strategic "
        "initiative I9"
    ]


def test_resources_must_be_named(tmp_path: Path) -> None:
    resources = "resources:\n  - {id: R1, kind: staff, description: Literacy coach,"
    files = edit(PFS, "action-plan", (resources, "resources: []\n#"))
    found = check(plan(tmp_path, PFS, files))
    assert where(found, "incomplete") == [("incomplete", "error", ACTION, 22, 12)]
    assert messages(found, "incomplete") == ["still missing: resources"]
