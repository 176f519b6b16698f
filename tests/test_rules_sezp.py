"""SEZP 2022-23 (seed 000): levers, the TLT vote, calendars, the TLT roster, strategy dates."""

from __future__ import annotations

from pathlib import Path

import pytest

from district import header
from test_rules_support import check, doc, messages, plan, where

LEVERS = doc("priority-levers")
CONDITIONS = doc("working-conditions")
CALENDARS = doc("calendars")
TRANSITION = doc("tlt-transition")
ACTION_PLAN = doc("strategic-action-plan")


def test_complete_sezp_plan_has_no_findings(tmp_path: Path) -> None:
    assert check(plan(tmp_path, "sezp")) == []


# lever-count ------------------------------------------------------------------------------
THREE_LEVERS = """\
levers:
  - id: L1
    lever: Data-driven instruction
    evidence: Grade 3 ELA at 31%
  - id: L2
    lever: Family engagement
    evidence: Survey response fell to 22%
  - id: L3
    lever: Attendance
    evidence: Chronic absence at 27%
"""
ONE_LEVER = "levers:\n  - id: L1\n    lever: Data-driven instruction\n    evidence: ELA at 31%\n"


def test_three_levers_are_an_error_at_the_third(tmp_path: Path) -> None:
    files = {LEVERS: header("priority-levers", status="in-progress") + THREE_LEVERS}
    found = check(plan(tmp_path, "sezp", files))
    assert where(found, "lever-count") == [("lever-count", "error", LEVERS, 13, 9)]
    assert "names 3 priority levers" in messages(found, "lever-count")[0]


@pytest.mark.parametrize(("status", "severity"), [("in-progress", "info"), ("draft", "error")])
def test_one_lever_follows_the_status(tmp_path: Path, status: str, severity: str) -> None:
    files = {LEVERS: header("priority-levers", status=status) + ONE_LEVER}
    found = check(plan(tmp_path, "sezp", files))
    assert where(found, "lever-count") == [("lever-count", severity, LEVERS, 6, 1)]


# tlt-vote ---------------------------------------------------------------------------------
def vote(**fields: object) -> str:
    values = {"date": "2022-05-20", "in_favor": 7, "opposed": 1, **fields}
    lines = "".join(f"  {k}: {v}\n" for k, v in values.items())
    return (
        header("working-conditions", status="final")
        + "conditions:\n  - id: C1\n    condition: The day runs 8:00 to 15:00\ntlt_vote:\n"
        + lines
    )


@pytest.mark.parametrize(
    ("fields", "line", "column", "words"),
    [
        ({"in_favor": 3, "opposed": 5}, 11, 13, "did not pass (3 in favor, 5 opposed)"),
        ({"in_favor": 4, "opposed": 4}, 11, 13, "did not pass (4 in favor, 4 opposed)"),
        ({"passed": "false"}, 13, 11, "did not pass"),
        ({"date": "2022-05-31"}, 10, 9, "after the final submission deadline 2022-05-27"),
        ({"members_eligible": 6}, 13, 21, "counts 8 votes but only 6"),
    ],
)
def test_tlt_vote(
    tmp_path: Path, fields: dict[str, object], line: int, column: int, words: str
) -> None:
    found = check(plan(tmp_path, "sezp", {CONDITIONS: vote(**fields)}))
    assert where(found, "tlt-vote") == [("tlt-vote", "error", CONDITIONS, line, column)]
    assert words in messages(found, "tlt-vote")[0]


def test_a_passing_vote_on_the_deadline_day_is_fine(tmp_path: Path) -> None:
    found = check(plan(tmp_path, "sezp", {CONDITIONS: vote(date="2022-05-27", passed="true")}))
    assert where(found, "tlt-vote") == []


# calendar-days, calendar-hours --------------------------------------------------------------
def calendar(days_off: str, schedule: str = '"08:00"\n    end: "15:00"') -> str:
    return header("calendars", status="final") + (
        "student:\n"
        "  first_day: 2022-09-01\n"
        "  last_day: 2023-05-31\n"
        "  days_off:\n"
        f"{days_off}"
        "  schedule:\n"
        f"    start: {schedule}\n"
        "    lunch_minutes: 30\n"
        "staff:\n  first_day: 2022-08-29\n  last_day: 2023-06-02\n"
    )


WINTER = "    - {id: D1, date: 2022-12-26, end: 2023-01-06, reason: Winter recess}\n"
MEMORIAL = "    - {id: D2, date: 2023-05-29, reason: Memorial Day}\n"


def test_184_days_is_below_603_cmr_27_03(tmp_path: Path) -> None:
    # 195 weekdays from 2022-09-01 to 2023-05-31, less 10 of winter recess and Memorial Day.
    found = check(plan(tmp_path, "sezp", {CALENDARS: calendar(WINTER + MEMORIAL)}))
    assert where(found, "calendar-days") == [("calendar-days", "error", CALENDARS, 8, 13)]
    assert "schedules 184 school days" in messages(found, "calendar-days")[0]


def test_185_days_is_enough(tmp_path: Path) -> None:
    found = check(plan(tmp_path, "sezp", {CALENDARS: calendar(WINTER)}))
    assert where(found, "calendar-days") == []


SHORT_DAYS = header("calendars", status="final") + (
    "student:\n"
    "  first_day: 2022-08-29\n"
    "  last_day: 2023-06-16\n"
    "  days_off:\n"
    "    - {id: D1, date: 2022-09-05}\n"
    "    - {id: D2, date: 2022-11-24, end: 2022-11-25}\n"
    "    - {id: D3, date: 2022-12-26, end: 2023-01-02}\n"
    "    - {id: D4, date: 2023-02-20, end: 2023-02-24}\n"
    "    - {id: D5, date: 2023-04-17, end: 2023-04-21}\n"
    "  early_release:\n"
    '    - {id: E1, date: 2022-11-23, dismissal: "12:00"}\n'
    "  schedule:\n"
    '    start: "08:00"\n'
    '    end: "14:00"\n'
    "    lunch_minutes: 30\n"
    "    passing_minutes: 30\n"
    "staff:\n  first_day: 2022-08-22\n  last_day: 2023-06-20\n"
)


def profile(grades: str | None) -> dict[str, str]:
    text = "school: maple\nname: Maple Street School\n"
    return {"schools/maple/school.yaml": text + (f'grades: "{grades}"\n' if grades else "")}


def test_953_hours_are_too_few_for_a_secondary_school(tmp_path: Path) -> None:
    # 190 five-hour days and an early-release day of 3 hours (12:00 less 60 minutes of breaks).
    found = check(plan(tmp_path, "sezp", {CALENDARS: SHORT_DAYS, **profile("9-12")}))
    assert where(found, "calendar-hours") == [("calendar-hours", "error", CALENDARS, 18, 5)]
    assert "gives 953 hours" in messages(found, "calendar-hours")[0]
    assert "at least 990 (603 CMR 27.04)" in messages(found, "calendar-hours")[0]


def test_953_hours_are_enough_for_an_elementary_school(tmp_path: Path) -> None:
    found = check(plan(tmp_path, "sezp", {CALENDARS: SHORT_DAYS, **profile("K-5")}))
    assert where(found, "calendar-hours") == []


def test_hours_cannot_be_judged_without_grades(tmp_path: Path) -> None:
    found = check(plan(tmp_path, "sezp", {CALENDARS: SHORT_DAYS, **profile(None)}))
    assert where(found, "calendar-hours") == [("calendar-hours", "info", CALENDARS, 18, 5)]
    assert "cannot be judged" in messages(found, "calendar-hours")[0]


# tlt-members ----------------------------------------------------------------------------------
NO_ROLE = """\
members:
  - {id: T1, name: Rosa Delgado, role: Grade 3 teacher, term_year: 2}
  - {id: T2, name: Nadia Haddad, term_ends: 2023-06-30}
  - {id: T3, name: "TODO: a name", role: ESL teacher}
"""


@pytest.mark.parametrize(("status", "severity"), [("in-progress", "info"), ("final", "error")])
def test_roster_without_role_or_term(tmp_path: Path, status: str, severity: str) -> None:
    files = {TRANSITION: header("tlt-transition", status=status) + NO_ROLE}
    found = check(plan(tmp_path, "sezp", files))
    assert where(found, "tlt-members") == [("tlt-members", severity, TRANSITION, 8, 5)]
    assert messages(found, "tlt-members") == [
        "the TLT roster is not complete: T2 has no role; T3 has no name or term"
    ]


def test_roster_with_nobody_on_it(tmp_path: Path) -> None:
    files = {TRANSITION: header("tlt-transition", status="draft") + "members: []\n"}
    found = check(plan(tmp_path, "sezp", files))
    assert where(found, "tlt-members") == [("tlt-members", "error", TRANSITION, 6, 1)]


# strategy-dates -------------------------------------------------------------------------------
def strategy(start: str, end: str, step_by: str = "2022-09-09") -> str:
    return header("strategic-action-plan", status="final") + (
        "strategies:\n"
        "  - id: S1\n"
        "    title: Weekly data meetings\n"
        "    goals: [G1, G2]\n"
        "    owner: Principal\n"
        f"    start: {start}\n"
        f"    end: {end}\n"
        "    action_steps:\n"
        "      - id: A1\n"
        "        what: Schedule the meetings\n"
        "        who: Assistant principal\n"
        f"        by: {step_by}\n"
        "        updates: [{date: 2022-09-09, status: done}]\n"
    )


@pytest.mark.parametrize(
    ("dates", "line", "column", "words"),
    [
        (("2022-06-01", "2023-06-16"), 11, 12, "strategy S1 starts 2022-06-01, before the school"),
        (("2022-09-01", "2023-07-14"), 12, 10, "strategy S1 ends 2023-07-14, after the school"),
        (("2022-09-01", "2022-08-30"), 12, 10, "strategy S1 ends 2022-08-30, before it starts"),
        (("2022-09-01", "2023-06-16", "2023-08-01"), 17, 13, "action step A1 of strategy S1"),
    ],
)
def test_strategy_dates(
    tmp_path: Path, dates: tuple[str, ...], line: int, column: int, words: str
) -> None:
    found = check(plan(tmp_path, "sezp", {ACTION_PLAN: strategy(*dates)}))
    assert where(found, "strategy-dates") == [
        ("strategy-dates", "error", ACTION_PLAN, line, column)
    ]
    assert words in messages(found, "strategy-dates")[0]


def test_strategy_inside_the_school_year(tmp_path: Path) -> None:
    found = check(plan(tmp_path, "sezp", {ACTION_PLAN: strategy("2022-07-01", "2023-06-30")}))
    assert where(found, "strategy-dates") == []
