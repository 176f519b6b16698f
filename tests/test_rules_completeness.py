"""`incomplete`: one finding per document listing what is still missing; severity by status."""

from __future__ import annotations

from pathlib import Path

import pytest

from district import header
from test_rules_support import check, doc, plan, where

LEVERS = doc("priority-levers")
CONDITIONS = doc("working-conditions")

PLACEHOLDERS = """\
levers:
  - id: L1
    lever: Data-driven instruction
    evidence: "TODO: the data that drove the choice"
  - id: L2
    lever: Family engagement
    evidence: tbd
"""


@pytest.mark.parametrize(
    ("status", "severity"),
    [("not-started", "info"), ("in-progress", "info"), ("draft", "error"), ("approved", "error")],
)
def test_placeholders_are_listed_by_path(tmp_path: Path, status: str, severity: str) -> None:
    found = check(
        plan(tmp_path, "sezp", {LEVERS: header("priority-levers", status=status) + PLACEHOLDERS})
    )
    assert where(found, "incomplete") == [("incomplete", severity, LEVERS, 9, 15)]
    [finding] = [f for f in found if f["rule"] == "incomplete"]
    assert finding["message"] == "still missing: levers[L1].evidence, levers[L2].evidence"
    assert finding["missing"] == ["levers[L1].evidence", "levers[L2].evidence"]
    assert finding["path"] == "levers[L1].evidence"


def test_a_section_not_written_points_at_the_status(tmp_path: Path) -> None:
    body = "conditions:\n  - id: C1\n    condition: The day runs 8:00 to 15:00\n"
    found = check(
        plan(tmp_path, "sezp", {CONDITIONS: header("working-conditions", status="final") + body})
    )
    assert where(found, "incomplete") == [("incomplete", "error", CONDITIONS, 5, 9)]
    assert [f["message"] for f in found if f["rule"] == "incomplete"] == [
        "still missing: tlt_vote.date, tlt_vote.in_favor, tlt_vote.opposed"
    ]


def test_an_empty_draft_is_incomplete(tmp_path: Path) -> None:
    found = check(plan(tmp_path, "sezp", {LEVERS: header("priority-levers", status="draft")}))
    assert where(found, "incomplete") == [("incomplete", "error", LEVERS, 5, 9)]


def test_a_form_nobody_has_opened_is_not_listed(tmp_path: Path) -> None:
    # Only its header, and not-started: the status and the deadlines say all there is.
    found = check(plan(tmp_path, "sezp", {LEVERS: header("priority-levers", status="not-started")}))
    assert where(found, "incomplete") == []


def test_long_lists_are_cut(tmp_path: Path) -> None:
    body = "levers:\n" + "".join(f"  - id: L{i}\n    lever: TODO\n" for i in range(1, 6))
    found = check(
        plan(tmp_path, "sezp", {LEVERS: header("priority-levers", status="in-progress") + body})
    )
    [message] = [f["message"] for f in found if f["rule"] == "incomplete"]
    assert message.startswith("still missing: levers[L1].lever, levers[L1].evidence, ")
    assert message.endswith(" and 2 more")


def test_zero_and_false_are_answers(tmp_path: Path) -> None:
    body = (
        "selections:\n  - {id: S1, service: Custodial overtime, decision: decline, cost: 0}\n"
        "entered_in_mybudgetfile: false\nbudget_balanced: true\n"
    )
    name = "sps-optional-services"
    found = check(plan(tmp_path, "sezp", {doc(name): header(name, status="final") + body}))
    assert where(found, "incomplete") == []
