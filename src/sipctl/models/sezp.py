"""SEZP 2022-23 School Improvement Planning (seed 000): the thirteen documents."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from sipctl.models.blocks import (
    Baseline,
    Block,
    ClockTime,
    DailySchedule,
    DayOff,
    EarlyRelease,
    Id,
    Number,
    Person,
    Ref,
    SmartOutcome,
    Strategy,
    Target,
    Text,
    TltMember,
    TltVote,
)
from sipctl.models.document import DOCUMENT, PlanDocument


class PriorityLever(Block):
    id: Id
    lever: Text | None = Field(
        None, description="A lever from SEZP's Framework for Equitable Schools."
    )
    evidence: Text | None = Field(
        None, description="The data that drove the choice (mid-year Roadmap, SQR, surveys...)."
    )
    data_sources: list[Text] = Field(default_factory=list)


class PriorityLevers(PlanDocument):
    """Phase I: the 2 priority levers chosen from the mid-year Roadmap data."""

    document: Literal["priority-levers"] = Field(description=DOCUMENT)
    reflection: Text | None = Field(None, description="What the TLT saw in the mid-year data.")
    levers: list[PriorityLever] = Field(default_factory=list)


class WorkingCondition(Block):
    id: Id
    area: Literal["calendar", "hours", "duties", "professional-learning", "other"] | None = None
    condition: Text | None = None
    change_from_last_year: Text | None = None


class WorkingConditions(PlanDocument):
    """Phase I: the school's working conditions for the next year; a TLT vote is required."""

    document: Literal["working-conditions"] = Field(description=DOCUMENT)
    summary: Text | None = None
    conditions: list[WorkingCondition] = Field(default_factory=list)
    tlt_vote: TltVote = Field(default_factory=TltVote)


class StaffCalendar(Block):
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    professional_days: list[DayOff] = Field(
        default_factory=list, description="Professional learning days without students."
    )
    daily_start: ClockTime | None = None
    daily_end: ClockTime | None = None


class StudentCalendar(Block):
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    days_off: list[DayOff] = Field(
        default_factory=list, description="Weekdays without students: holidays, breaks, PD."
    )
    early_release: list[EarlyRelease] = Field(default_factory=list)
    schedule: DailySchedule = Field(default_factory=DailySchedule)


class Calendars(PlanDocument):
    """Phase I: student and staff calendars, an extension of the working conditions."""

    document: Literal["calendars"] = Field(description=DOCUMENT)
    student: StudentCalendar = Field(default_factory=StudentCalendar)
    staff: StaffCalendar = Field(default_factory=StaffCalendar)


class ServiceSelection(Block):
    id: Id
    service: Text | None = None
    decision: Literal["purchase", "decline", "undecided"] | None = None
    level: Text | None = Field(None, description="The level of support or quantity chosen.")
    cost: Number | None = None
    notes: Text | None = None


class SpsOptionalServices(PlanDocument):
    """Phase I (principal): optional services bought from SPS, entered in MyBudgetFile."""

    document: Literal["sps-optional-services"] = Field(description=DOCUMENT)
    selections: list[ServiceSelection] = Field(default_factory=list)
    entered_in_mybudgetfile: bool | None = None
    budget_balanced: bool | None = None


class SezpSupportServices(PlanDocument):
    """Phase I (principal): the support chosen from the SEZP Support Team menu."""

    document: Literal["sezp-support-services"] = Field(description=DOCUMENT)
    selections: list[ServiceSelection] = Field(default_factory=list)


class SummerSchoolLaunch(PlanDocument):
    """Phase I (principal): first outline of summer school, for procurement and hiring."""

    document: Literal["summer-school-launch"] = Field(description=DOCUMENT)
    focus: Text | None = None
    students: Text | None = Field(None, description="Who summer school is for, and how many.")
    partners: list[Text] = Field(default_factory=list)
    staffing: Text | None = None
    facility_needs: Text | None = None
    family_information: Text | None = None


class LeverGoal(Block):
    id: Id
    lever: Ref | None = Field(None, description="The id of the priority lever (L1, L2).")
    statement: Text | None = None
    outcome: SmartOutcome = Field(default_factory=SmartOutcome)


class LeverGoals(PlanDocument):
    """Phase II: the levers refined into measurable goals."""

    document: Literal["lever-goals"] = Field(description=DOCUMENT)
    goals: list[LeverGoal] = Field(default_factory=list)


class Vacancy(Block):
    id: Id
    role: Text | None = None
    reason: Text | None = None


class TltTransition(PlanDocument):
    """Phase II: who stays on the TLT for year two of their term, and what seats open."""

    document: Literal["tlt-transition"] = Field(description=DOCUMENT)
    members: list[TltMember] = Field(default_factory=list)
    vacancies: list[Vacancy] = Field(default_factory=list)
    considerations: Text | None = Field(
        None, description="Membership needed given the school's priority goals."
    )


class SummerProgram(Block):
    id: Id
    name: Text | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    grades: Text | None = None
    students_served: Number | None = None
    goals: list[Ref] = Field(default_factory=list)
    activities: Text | None = None
    staffing: Text | None = None
    partners: list[Text] = Field(default_factory=list)


class SummerPlan(PlanDocument):
    """Phase II (principal): the plan for summer learning."""

    document: Literal["summer-plan"] = Field(description=DOCUMENT)
    rationale: Text | None = None
    programs: list[SummerProgram] = Field(default_factory=list)
    transportation: Text | None = None
    family_engagement: Text | None = None


class StrategicActionPlan(PlanDocument):
    """Phase III (principal): strategies to reach the lever goals, each with owner and dates."""

    document: Literal["strategic-action-plan"] = Field(description=DOCUMENT)
    school_year_start: dt.date | None = None
    school_year_end: dt.date | None = None
    strategies: list[Strategy] = Field(default_factory=list)
    monitoring: Text | None = Field(None, description="How and when progress will be reviewed.")


class HandbookSection(Block):
    id: Id
    title: Text | None = None
    summary: Text | None = None
    updated: bool | None = Field(None, description="Changed in this year's update.")


class FacultyHandbook(PlanDocument):
    """Phase III (principal): the annual update of the faculty handbook."""

    document: Literal["faculty-handbook"] = Field(description=DOCUMENT)
    link: Text | None = Field(None, description="Where the handbook is published.")
    updated_on: dt.date | None = None
    sections: list[HandbookSection] = Field(default_factory=list)


class MidYearTarget(Block):
    id: Id
    goal: Ref | None = Field(None, description="The id of the lever goal (G1, G2...).")
    metric: Text | None = None
    baseline: Baseline = Field(default_factory=Baseline)
    target: Target = Field(default_factory=Target)


class MidYearTargets(PlanDocument):
    """Phase IV: the new TLT's mid-year performance targets, reviewed in January."""

    document: Literal["mid-year-targets"] = Field(description=DOCUMENT)
    review_date: dt.date | None = None
    targets: list[MidYearTarget] = Field(default_factory=list)


class FacultyEngagement(Block):
    id: Id
    date: dt.date | None = None
    activity: Text | None = None
    participants: Text | None = None


class TltSelection(PlanDocument):
    """Phase IV: the official record of the TLT's composition and selection process."""

    document: Literal["tlt-selection"] = Field(description=DOCUMENT)
    election_date: dt.date | None = None
    selection_process: Text | None = None
    members: list[TltMember] = Field(default_factory=list)
    chair: Person = Field(default_factory=Person)
    faculty_engagement: list[FacultyEngagement] = Field(default_factory=list)
