"""SEZP 2022-23 School Improvement Planning (seed 000) and the Massachusetts time rules.

Links between the SEZP documents (goals to levers, strategies, summer programs
and mid-year targets to goals) are in `links.py`; blank fields in
`completeness.py`. This module checks what a careful SEZP reviewer reads for:
the number of levers, the TLT vote, the calendar against 603 CMR 27.00, the
TLT roster and the strategies' dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from sipctl.domain.findings import Finding, Severity
from sipctl.models.sezp import (
    Calendars,
    PriorityLevers,
    StrategicActionPlan,
    StudentCalendar,
    TltSelection,
    TltTransition,
    WorkingConditions,
)
from sipctl.rules.calendar_time import MAX_SPAN_DAYS, learning_time
from sipctl.rules.datapaths import is_blank
from sipctl.rules.registry import SchoolCycle, rule, spoken
from sipctl.source.datapaths import Path_

LEVERS = 2  # seed 000: "the identification and selection of 2 priority levers"
MIN_DAYS = 185  # 603 CMR 27.03: at least 185 scheduled school days
MIN_HOURS_ELEMENTARY = 900  # 603 CMR 27.04(1)
MIN_HOURS_SECONDARY = 990  # 603 CMR 27.04(2)


def _number(value: float) -> str:
    return f"{value:,.1f}".removesuffix(".0")


@rule
def lever_count(plan: SchoolCycle) -> Iterator[Finding]:
    # Seed 000, Phase I: data "should drive the identification and selection of 2
    # priority levers from SEZP's Framework for Equitable Schools".
    for doc_id, model, _ in plan.found(PriorityLevers):
        count = len(model.levers)
        if count in (0, LEVERS):
            continue  # none at all is `incomplete`'s to report
        if count > LEVERS:
            yield plan.finding(
                doc_id,
                "lever-count",
                f"the form names {count} priority levers; SEZP asks the TLT to choose exactly "
                f"{LEVERS}",
                at=("levers", LEVERS, "id"),
                hint=f"keep the {LEVERS} levers the mid-year data supports most strongly; the "
                "others can become goals or strategies under them",
            )
        elif (severity := plan.unfinished_severity(doc_id)) is not None:
            yield plan.finding(
                doc_id,
                "lever-count",
                f"the form names {count} priority lever; SEZP asks the TLT to choose {LEVERS}",
                at=("levers",),
                key=True,
                severity=severity,
                hint="add the second lever from SEZP's Framework for Equitable Schools, with the "
                "data that drove the choice",
            )


@rule
def tlt_vote(plan: SchoolCycle) -> Iterator[Finding]:
    # Seed 000: "Educator Working Conditions require a vote by the TLT" (SEA-SEZP
    # collective bargaining agreement); a vote counts only if it passed before the
    # working conditions were submitted.
    for doc_id, model, _ in plan.found(WorkingConditions):
        vote = model.tlt_vote
        counted = vote.in_favor is not None and vote.opposed is not None
        lost = (vote.in_favor or 0) <= (vote.opposed or 0)
        if vote.passed is False or (counted and lost):
            tally = f" ({vote.in_favor} in favor, {vote.opposed} opposed)" if counted else ""
            yield plan.finding(
                doc_id,
                "tlt-vote",
                f"the TLT vote did not pass{tally}; the working conditions need a passing TLT vote",
                at=("tlt_vote", "passed" if vote.passed is False else "in_favor"),
                hint="revise the working conditions with the TLT, vote again and record the "
                "new vote (date, in_favor, opposed)",
            )
        cast = sum(n or 0 for n in (vote.in_favor, vote.opposed, vote.abstained))
        if vote.members_eligible is not None and cast > vote.members_eligible:
            yield plan.finding(
                doc_id,
                "tlt-vote",
                f"the vote counts {cast} votes but only {vote.members_eligible} TLT members may "
                "vote",
                at=("tlt_vote", "members_eligible"),
                hint="check the counts against the meeting minutes",
            )
        due = plan.final_due(doc_id)
        if vote.date is not None and due is not None and vote.date > due:
            yield plan.finding(
                doc_id,
                "tlt-vote",
                f"the TLT vote is dated {vote.date}, after the final submission deadline {due}; "
                "the working conditions must be voted on before they are submitted",
                at=("tlt_vote", "date"),
                hint="correct the date if it is a typo; otherwise the vote came too late: tell "
                "the SEZP team and record the vote that preceded the submission",
            )


@rule
def calendar_minimums(plan: SchoolCycle) -> Iterator[Finding]:
    # 603 CMR 27.03 (185 scheduled days) and 27.04 (900/990 hours of structured
    # learning time); seed 000: the calendar tool "calculates total student ... days/hours".
    for doc_id, model, _ in plan.found(Calendars):
        student = model.student
        if student.first_day is None or student.last_day is None:
            continue
        if student.last_day < student.first_day:
            yield plan.finding(
                doc_id,
                "calendar-days",
                f"the last student day {student.last_day} comes before the first day "
                f"{student.first_day}",
                at=("student", "last_day"),
                hint="check the years of first_day and last_day",
            )
            continue
        spans = list(_overlong_spans(student))
        for at, start, end, what in spans:
            yield plan.finding(
                doc_id,
                "calendar-days",
                f"{what} runs from {start} to {end}, longer than a school year",
                at=at,
                hint="check the year of each date",
            )
        if spans and spans[0][0] == ("student", "last_day"):
            continue  # a count of school days over centuries would mean nothing
        days, hours = learning_time(student)
        if days < MIN_DAYS:
            yield plan.finding(
                doc_id,
                "calendar-days",
                f"the student calendar schedules {days} school days; Massachusetts requires at "
                f"least {MIN_DAYS} (603 CMR 27.03)",
                at=("student", "last_day"),
                hint=f"add {MIN_DAYS - days} day(s): a later last_day or fewer days_off (days "
                "are weekdays from first_day to last_day, less days_off)",
                days=days,
            )
        yield from _hours(plan, doc_id, model, hours)


def _overlong_spans(
    student: StudentCalendar,
) -> Iterator[tuple[Path_, dt.date, dt.date, str]]:
    """The school year and the breaks that last longer than a year: a typo in a year."""
    assert student.first_day is not None and student.last_day is not None
    if (student.last_day - student.first_day).days > MAX_SPAN_DAYS:
        yield ("student", "last_day"), student.first_day, student.last_day, "the student year"
    for index, entry in enumerate(student.days_off):
        if entry.end is not None and (entry.end - entry.date).days > MAX_SPAN_DAYS:
            at = ("student", "days_off", index, "end")
            yield at, entry.date, entry.end, f"day off {entry.id}"


def _hours(plan: SchoolCycle, doc_id: str, model: Calendars, hours: float) -> Iterator[Finding]:
    schedule = model.student.schedule
    if schedule.start is None or schedule.end is None:
        return  # `incomplete` names the missing times
    at = ("student", "schedule")
    profile = plan.profile
    if profile is None or profile.grades is None:
        yield plan.finding(
            doc_id,
            "calendar-hours",
            f"the calendar gives {_number(hours)} hours of structured learning time, but "
            "school.yaml has no grades, so whether 900 (elementary) or 990 (secondary) hours "
            "apply cannot be judged",
            at=at,
            severity=Severity.INFO,
            hint=f'add the grade span to schools/{plan.school}/school.yaml, e.g. `grades: "K-5"`',
            hours=round(hours, 2),
        )
        return
    secondary = profile.is_secondary
    minimum = MIN_HOURS_SECONDARY if secondary else MIN_HOURS_ELEMENTARY
    if hours < minimum:
        level = "secondary" if secondary else "elementary"
        yield plan.finding(
            doc_id,
            "calendar-hours",
            f"the calendar gives {_number(hours)} hours of structured learning time; a "
            f"{level} school (grades {profile.grades}) needs at least {minimum} (603 CMR 27.04)",
            at=at,
            hint=f"find {_number(minimum - hours)} more hours: a longer day, shorter breaks, "
            "fewer early-release days or more days (time excludes lunch, recess and passing)",
            hours=round(hours, 2),
        )


def _member_gaps(model: TltTransition | TltSelection) -> list[tuple[int, str, list[str]]]:
    gaps = []
    for index, member in enumerate(model.members):
        lacks = [
            what
            for what, blank in (
                ("name", is_blank(member.name)),
                ("role", is_blank(member.role)),
                ("term", member.term_year is None and member.term_ends is None),
            )
            if blank
        ]
        if lacks:
            gaps.append((index, member.id, lacks))
    return gaps


@rule
def tlt_members(plan: SchoolCycle) -> Iterator[Finding]:
    # Seed 000: the transition form captures "who will remain in their second year of
    # their term"; the selection form is "the official record of each school's TLT
    # composition" (SEA-SEZP agreement, Articles 22-23).
    forms: list[tuple[str, TltTransition | TltSelection, object]] = [
        *plan.found(TltTransition),
        *plan.found(TltSelection),
    ]
    for doc_id, model, _ in forms:
        severity = plan.unfinished_severity(doc_id)
        if severity is None:
            continue
        if not model.members:
            yield plan.finding(
                doc_id,
                "tlt-members",
                "the form names no TLT members",
                at=("members",),
                key=True,
                severity=severity,
                hint="list every member under `members:` with id, name, role and term "
                "(term_year 1 or 2, or term_ends)",
            )
            continue
        gaps = _member_gaps(model)
        if not gaps:
            continue
        described = "; ".join(f"{member_id} has no {spoken(lacks)}" for _, member_id, lacks in gaps)
        first_index, _, first_lacks = gaps[0]
        field = {"term": "term_year"}.get(first_lacks[0], first_lacks[0])
        yield plan.finding(
            doc_id,
            "tlt-members",
            f"the TLT roster is not complete: {described}",
            at=("members", first_index, field),
            severity=severity,
            hint="give every member a name, a role (e.g. Grade 3 teacher) and a term "
            "(term_year: 1 or 2, or term_ends: YYYY-MM-DD)",
        )


def _school_year(plan: SchoolCycle, model: StrategicActionPlan) -> tuple[dt.date, dt.date]:
    start, end = plan.school_year()
    return model.school_year_start or start, model.school_year_end or end


@rule
def strategy_dates(plan: SchoolCycle) -> Iterator[Finding]:
    # Seed 000, Phase III: the strategic action plan carries the goals through the
    # school year that begins July 1 ("Phase III & IV officially begin").
    for doc_id, model, _ in plan.found(StrategicActionPlan):
        first, last = _school_year(plan, model)
        year = f"the school year ({first} to {last})"
        hint = f"keep the dates inside {year}; school_year_start/school_year_end set other bounds"
        for i, strategy in enumerate(model.strategies):
            name = f"strategy {strategy.id}"
            if strategy.start and strategy.end and strategy.end < strategy.start:
                yield plan.finding(
                    doc_id,
                    "strategy-dates",
                    f"{name} ends {strategy.end}, before it starts {strategy.start}",
                    at=("strategies", i, "end"),
                    hint="swap or correct the start and end dates",
                )
            dated: list[tuple[dt.date | None, Path_, str]] = [
                (strategy.start, ("strategies", i, "start"), f"{name} starts"),
                (strategy.end, ("strategies", i, "end"), f"{name} ends"),
            ]
            for j, step in enumerate(strategy.action_steps):
                what = f"action step {step.id} of {name} is due"
                dated.append((step.by, ("strategies", i, "action_steps", j, "by"), what))
            for day, at, what in dated:
                if day is None or first <= day <= last:
                    continue
                side = f"before {year} begins" if day < first else f"after {year} ends"
                yield plan.finding(
                    doc_id, "strategy-dates", f"{what} {day}, {side}", at=at, hint=hint
                )
