"""Progress monitoring: benchmarks and action steps past their date need a status update."""

from __future__ import annotations

from pathlib import Path

import pytest

from district import header
from test_rules_support import check, doc, messages, plan, where

ACTION_PLAN = doc("strategic-action-plan")
PFS_ACTION_PLAN = doc("action-plan")


def test_action_step_past_due_without_update(tmp_path: Path) -> None:
    # The complete plan's step A2 is due 2022-10-14 and has no update.
    found = check(plan(tmp_path, "sezp"), as_of="2022-11-01")
    assert where(found, "benchmark-overdue") == [
        ("benchmark-overdue", "warning", ACTION_PLAN, 23, 13)
    ]
    assert messages(found, "benchmark-overdue") == [
        "action step A2 of strategy S1 was due 2022-10-14 and has no status update since"
    ]


def test_not_yet_due_on_its_day(tmp_path: Path) -> None:
    found = check(plan(tmp_path, "sezp"), as_of="2022-10-14")
    assert where(found, "benchmark-overdue") == []


def steps(status: str, *updates: str) -> str:
    return header("strategic-action-plan", status=status) + (
        "strategies:\n"
        "  - id: S1\n"
        "    title: Weekly data meetings\n"
        "    goals: [G1, G2]\n"
        "    owner: Principal\n"
        "    start: 2022-08-29\n"
        "    end: 2023-06-16\n"
        "    action_steps:\n"
        "      - id: A1\n"
        "        what: Schedule the meetings\n"
        "        who: Assistant principal\n"
        "        by: 2022-09-09\n"
        "        updates:\n" + "".join(f"          - {u}\n" for u in updates)
    )


@pytest.mark.parametrize(
    ("updates", "expected"),
    [
        # an update before the date, none since
        (("{date: 2022-09-01, status: on-track}",), [(17, 13)]),
        # the latest update says overdue
        (
            ("{date: 2022-09-01, status: on-track}", "{date: 2022-09-12, status: overdue}"),
            [(20, 40)],
        ),
    ],
)
def test_flagged(tmp_path: Path, updates: tuple[str, ...], expected: list[tuple[int, int]]) -> None:
    found = check(plan(tmp_path, "sezp", {ACTION_PLAN: steps("final", *updates)}))
    assert where(found, "benchmark-overdue") == [
        ("benchmark-overdue", "warning", ACTION_PLAN, line, column) for line, column in expected
    ]


@pytest.mark.parametrize(
    "updates",
    [
        ("{date: 2022-09-09, status: on-track}",),  # updated on the date
        ("{date: 2022-09-12, status: approaching}",),  # updated since
        ("{date: 2022-09-02, status: done}",),  # done early
        # an update dated after as_of does not count, but the one before it does
        ("{date: 2022-09-10, status: on-track}", "{date: 2022-10-01, status: overdue}"),
    ],
)
def test_not_flagged(tmp_path: Path, updates: tuple[str, ...]) -> None:
    found = check(plan(tmp_path, "sezp", {ACTION_PLAN: steps("final", *updates)}))
    assert where(found, "benchmark-overdue") == []


def test_plans_still_being_written_are_not_monitored(tmp_path: Path) -> None:
    found = check(plan(tmp_path, "sezp", {ACTION_PLAN: steps("in-progress")}))
    assert where(found, "benchmark-overdue") == []


def test_action_plan_benchmark_overdue(tmp_path: Path) -> None:
    # The complete Planning for Success action plan's B2 is due 2023-01-31.
    found = check(plan(tmp_path, "planning-for-success"), as_of="2023-02-15")
    assert where(found, "benchmark-overdue") == [
        ("benchmark-overdue", "warning", PFS_ACTION_PLAN, 20, 9)
    ]


def test_dese_benchmark_overdue(tmp_path: Path) -> None:
    found = check(plan(tmp_path, "dese-sip"), as_of="2023-01-03")
    assert where(found, "benchmark-overdue") == [
        ("benchmark-overdue", "warning", doc("goals-benchmarks"), 18, 9)
    ]
