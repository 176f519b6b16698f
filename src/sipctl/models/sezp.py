"""SEZP 2022-23 School Improvement Planning (seed 000): the thirteen documents."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from sipctl.models.blocks import (
    Baseline,
    Block,
    ClockTime,
    DailySchedule,
    Date,
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
    data_sources: list[Text] = Field(
        default_factory=list,
        description="The data sources behind the evidence, e.g. Mid-year Roadmap, SQR report, "
        "Family Survey.",
    )


class PriorityLevers(PlanDocument):
    """Phase I: the 2 priority levers chosen from the mid-year Roadmap data."""

    document: Literal["priority-levers"] = Field(description=DOCUMENT)
    reflection: Text | None = Field(
        None,
        description="What the TLT saw in the mid-year Roadmap for Equitable Student Outcomes (SQR "
        "report, Insight educator survey, family survey, attendance, discipline and any other "
        "data the school collects): where is progress, where are the gaps?",
    )
    levers: list[PriorityLever] = Field(
        default_factory=list,
        description="The 2 levers the TLT chose from SEZP's Framework for Equitable Schools: "
        "broad areas for next year's improvement goals; lever goals refer to them as L1 and L2.",
    )


class WorkingCondition(Block):
    id: Id
    area: Literal["calendar", "hours", "duties", "professional-learning", "other"] | None = Field(
        None, description="Which kind: calendar, hours, duties, professional-learning or other."
    )
    condition: Text | None = Field(
        None, description="The condition, e.g. the student day runs 7:50 to 3:10."
    )
    change_from_last_year: Text | None = Field(
        None, description="What changes from this year, or 'no change'."
    )


class WorkingConditions(PlanDocument):
    """Phase I: the school's working conditions for the next year; a TLT vote is required."""

    document: Literal["working-conditions"] = Field(description=DOCUMENT)
    summary: Text | None = Field(
        None,
        description="In a few sentences, next year's working conditions and how they serve the "
        "school's improvement strategy; current and prospective teachers read it to know what "
        "to expect.",
    )
    conditions: list[WorkingCondition] = Field(
        default_factory=list,
        description="One item per condition the school sets; the student and staff calendars "
        "follow from them.",
    )
    tlt_vote: TltVote = Field(
        default_factory=TltVote,
        description="The TLT's vote on these conditions, which the SEA-SEZP collective bargaining "
        "agreement requires; counts are whole numbers.",
    )


class StaffCalendar(Block):
    first_day: Date | None = Field(None, description="The first day of the staff year.")
    last_day: Date | None = Field(None, description="The last day of the staff year.")
    professional_days: list[DayOff] = Field(
        default_factory=list,
        description="Professional learning days without students, e.g. PD1 from 2022-08-22 to "
        "2022-08-26, August professional development.",
    )
    daily_start: ClockTime | None = Field(
        None, description='When the staff day starts, 24-hour in quotes, e.g. "07:30".'
    )
    daily_end: ClockTime | None = Field(
        None, description='When the staff day ends, 24-hour in quotes, e.g. "15:40".'
    )


class StudentCalendar(Block):
    first_day: Date | None = Field(None, description="The first day of school for students.")
    last_day: Date | None = Field(None, description="The last day of school for students.")
    days_off: list[DayOff] = Field(
        default_factory=list,
        description="Weekdays without students: holidays, breaks, professional days, e.g. D1 from "
        "2022-11-24 to 2022-11-25, Thanksgiving break.",
    )
    early_release: list[EarlyRelease] = Field(
        default_factory=list,
        description="Days students are dismissed early, each with its dismissal time, e.g. E1 on "
        '2022-10-05 at "12:30", professional learning.',
    )
    schedule: DailySchedule = Field(
        default_factory=DailySchedule,
        description="A regular student day: start and end times, and minutes of lunch, recess and "
        "passing (structured learning time leaves them out).",
    )


class Calendars(PlanDocument):
    """Phase I: student and staff calendars, an extension of the working conditions."""

    document: Literal["calendars"] = Field(description=DOCUMENT)
    student: StudentCalendar = Field(
        default_factory=StudentCalendar,
        description="First and last day, days off, early releases and the daily schedule for "
        "students; the district schedules transportation from it and posts it with the plan.",
    )
    staff: StaffCalendar = Field(
        default_factory=StaffCalendar,
        description="The staff year, its daily hours and its professional learning days.",
    )


class ServiceSelection(Block):
    id: Id
    service: Text | None = Field(None, description="The service, as named on the menu.")
    decision: Literal["purchase", "decline", "undecided"] | None = Field(
        None, description="What the school decided: purchase, decline or undecided."
    )
    level: Text | None = Field(None, description="The level of support or quantity chosen.")
    cost: Number | None = Field(None, description="The cost to the school in dollars, e.g. 12500.")
    notes: Text | None = Field(None, description="Why this decision, or 'none'.")


class SpsOptionalServices(PlanDocument):
    """Phase I (principal): optional services bought from SPS, entered in MyBudgetFile."""

    document: Literal["sps-optional-services"] = Field(description=DOCUMENT)
    selections: list[ServiceSelection] = Field(
        default_factory=list,
        description="One item per optional service Springfield Public Schools offers: "
        "what the school decided. Enter the same selections in MyBudgetFile.",
    )
    entered_in_mybudgetfile: bool | None = Field(
        None, description="true once the same selections are entered in MyBudgetFile."
    )
    budget_balanced: bool | None = Field(
        None, description="true when the school's budget is balanced with these selections."
    )


class SezpSupportServices(PlanDocument):
    """Phase I (principal): the support chosen from the SEZP Support Team menu."""

    document: Literal["sezp-support-services"] = Field(description=DOCUMENT)
    selections: list[ServiceSelection] = Field(
        default_factory=list,
        description="One item per service on the SEZP Support Team's menu (linked in late "
        "January): the type and level of support the school will seek.",
    )


class SummerSchoolLaunch(PlanDocument):
    """Phase I (principal): first outline of summer school, for procurement and hiring."""

    document: Literal["summer-school-launch"] = Field(description=DOCUMENT)
    focus: Text | None = Field(
        None,
        description="What summer school will focus on, and the data and staff input behind it.",
    )
    students: Text | None = Field(None, description="Who summer school is for, and how many.")
    partners: list[Text] = Field(
        default_factory=list, description="Outside providers and partners to procure; [] if none."
    )
    staffing: Text | None = Field(
        None, description="The staff needed, and how they will be recruited."
    )
    facility_needs: Text | None = Field(
        None, description="Building and space needs to plan with SPS."
    )
    family_information: Text | None = Field(
        None, description="What families need to know to choose, and when they will hear it."
    )


class LeverGoal(Block):
    id: Id
    lever: Ref | None = Field(
        None, description="The id of the priority lever it refines (L1, L2 in priority-levers)."
    )
    statement: Text | None = Field(None, description="The goal in one sentence.")
    outcome: SmartOutcome = Field(
        default_factory=SmartOutcome,
        description="How the goal is measured, e.g. grade 3 students meeting expectations in MCAS "
        "ELA from 31% to 45% by June 2023.",
    )


class LeverGoals(PlanDocument):
    """Phase II: the levers refined into measurable goals."""

    document: Literal["lever-goals"] = Field(description=DOCUMENT)
    goals: list[LeverGoal] = Field(
        default_factory=list,
        description="Each priority lever refined into a measurable, SMART goal (specific, "
        "measurable, action-oriented, rigorous, timed). The principal builds the Strategic "
        "Action Plan on them over the summer and the new TLT sets mid-year targets for them in "
        "the fall; later documents refer to them as G1, G2.",
    )


class Vacancy(Block):
    id: Id
    role: Text | None = Field(None, description="The seat to fill, e.g. special education teacher.")
    reason: Text | None = Field(None, description="Why it opens, e.g. term ends.")


class TltTransition(PlanDocument):
    """Phase II: who stays on the TLT for year two of their term, and what seats open."""

    document: Literal["tlt-transition"] = Field(description=DOCUMENT)
    members: list[TltMember] = Field(
        default_factory=list,
        description="The TLT members who stay on for the second year of their two-year term.",
    )
    vacancies: list[Vacancy] = Field(
        default_factory=list,
        description="The seats to fill in the fall elections, so the TLT follows the TLT "
        "guidelines.",
    )
    considerations: Text | None = Field(
        None, description="Membership needed given the school's priority goals."
    )


class SummerProgram(Block):
    id: Id
    name: Text | None = Field(None, description="The program's name, e.g. Summer Reading Camp.")
    start: Date | None = Field(None, description="The program's first day.")
    end: Date | None = Field(None, description="The program's last day.")
    grades: Text | None = Field(None, description='The grades served, e.g. "K-2".')
    students_served: Number | None = Field(
        None, description="How many students the program serves, e.g. 60."
    )
    goals: list[Ref] = Field(
        default_factory=list, description="Ids of the lever goals it serves, e.g. [G1]."
    )
    activities: Text | None = Field(
        None, description="What students will do: engaging, hands-on learning."
    )
    staffing: Text | None = Field(None, description="Who teaches and supports the program.")
    partners: list[Text] = Field(
        default_factory=list, description="Partner organizations; [] if none."
    )


class SummerPlan(PlanDocument):
    """Phase II (principal): the plan for summer learning."""

    document: Literal["summer-plan"] = Field(description=DOCUMENT)
    rationale: Text | None = Field(
        None,
        description="Why the school runs summer learning for these students, and what the data "
        "says: engaging, hands-on out-of-school time that reinforces learning acceleration, "
        "attendance and social-emotional development.",
    )
    programs: list[SummerProgram] = Field(
        default_factory=list,
        description="The summer programs, each with its dates, grades, goals and staffing.",
    )
    transportation: Text | None = Field(
        None, description="How students get to and from the programs."
    )
    family_engagement: Text | None = Field(
        None, description="How families learn about the programs and take part."
    )


class StrategicActionPlan(PlanDocument):
    """Phase III (principal): strategies to reach the lever goals, each with owner and dates."""

    document: Literal["strategic-action-plan"] = Field(description=DOCUMENT)
    school_year_start: Date | None = Field(
        None, description="The first day of school in the year the plan covers."
    )
    school_year_end: Date | None = Field(
        None, description="The last day of school in the year the plan covers."
    )
    strategies: list[Strategy] = Field(
        default_factory=list,
        description="The strategies needed to reach each lever goal (from the TLT's goals form), "
        "each with an owner, dates and action steps, each step a process or early-evidence "
        "benchmark.",
    )
    monitoring: Text | None = Field(None, description="How and when progress will be reviewed.")


class HandbookSection(Block):
    id: Id
    title: Text | None = Field(
        None, description="The section's title, e.g. Daily schedule and duties."
    )
    summary: Text | None = Field(None, description="What the section covers.")
    updated: bool | None = Field(None, description="Changed in this year's update.")


class FacultyHandbook(PlanDocument):
    """Phase III (principal): the annual update of the faculty handbook."""

    document: Literal["faculty-handbook"] = Field(description=DOCUMENT)
    link: Text | None = Field(
        None, description="Where the updated handbook is published for staff: a link or a path."
    )
    updated_on: Date | None = Field(None, description="The day this year's update was finished.")
    sections: list[HandbookSection] = Field(
        default_factory=list,
        description="The handbook's sections, at least SEZP's minimum expectations, with what new "
        "and returning educators need to know; mark those changed this year.",
    )


class MidYearTarget(Block):
    id: Id
    goal: Ref | None = Field(
        None, description="The id of the lever goal it measures (G1, G2 in lever-goals)."
    )
    metric: Text | None = Field(None, description="What is measured, in plain words.")
    baseline: Baseline = Field(
        default_factory=Baseline,
        description="Where the measure stands now, e.g. from the end-of-year Roadmap.",
    )
    target: Target = Field(
        default_factory=Target, description="The number to reach by mid-year, and the date."
    )


class MidYearTargets(PlanDocument):
    """Phase IV: the new TLT's mid-year performance targets, reviewed in January."""

    document: Literal["mid-year-targets"] = Field(description=DOCUMENT)
    review_date: Date | None = Field(None, description="When the targets are reviewed, in January.")
    targets: list[MidYearTarget] = Field(
        default_factory=list,
        description="A mid-year target for each lever goal, set by the newly elected TLT from the "
        "Strategic Action Plan and the end-of-year Roadmap; SEZP shares them with the Board of "
        "Directors in the fall.",
    )


class FacultyEngagement(Block):
    id: Id
    date: Date | None = Field(None, description="The day it took place.")
    activity: Text | None = Field(
        None, description="What happened, e.g. faculty meeting on the TLT election."
    )
    participants: Text | None = Field(None, description="Who took part, e.g. all teaching staff.")


class TltSelection(PlanDocument):
    """Phase IV: the official record of the TLT's composition and selection process."""

    document: Literal["tlt-selection"] = Field(description=DOCUMENT)
    election_date: Date | None = Field(None, description="The day the TLT was elected.")
    selection_process: Text | None = Field(
        None, description="How members were nominated and elected, and who could vote."
    )
    members: list[TltMember] = Field(
        default_factory=list, description="Every TLT member this year, including the principal."
    )
    chair: Person = Field(default_factory=Person, description="The TLT's chair or facilitator.")
    faculty_engagement: list[FacultyEngagement] = Field(
        default_factory=list,
        description="How the faculty took part in the TLT's work and its selection: meetings, "
        "surveys...",
    )
