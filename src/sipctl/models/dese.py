"""DESE Sustainable Improvement Plan (seeds 002-004): the nine sections."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from sipctl.models.blocks import (
    Block,
    Count,
    Date,
    Id,
    ImplementationBenchmark,
    Item,
    Person,
    Ref,
    SmartOutcome,
    Text,
)
from sipctl.models.document import DOCUMENT, PlanDocument

TurnaroundPractice = Literal[
    "leadership-and-collaboration",
    "instruction",
    "student-supports",
    "climate-and-culture",
]


class StakeholderGroup(Block):
    id: Id
    group: Text | None = Field(
        None, description="The stakeholder group, e.g. students, families, teachers, SEPAC, ELPAC."
    )
    members: Count | None = Field(
        None, description="How many people from the group took part, e.g. 12."
    )
    description: Text | None = Field(None, description="Who they are, and how they were recruited.")


class Recommendation(Block):
    id: Id
    recommendation: Text | None = Field(
        None, description="The recommendation, in the stakeholders' words."
    )
    reflected_in: Text | None = Field(
        None, description="Where and how the plan reflects this recommendation."
    )


class TeamMember(Block):
    id: Id
    name: Text | None = Field(None, description="The team member's full name.")
    role: Text | None = Field(
        None, description="Their role in the school or district, e.g. Principal, Math coach."
    )


class StakeholderMeeting(Block):
    """Seed 002: meetings with a published agenda, attendance, notes and recommendations,
    translated for stakeholders who are not fluent in English."""

    id: Id
    date: Date | None = Field(
        None, description="The day of the meeting, or when the survey or interviews took place."
    )
    audience: Text | None = Field(
        None, description="Who was invited, e.g. families of English learners."
    )
    format: Text | None = Field(
        None, description="How input was gathered: meeting, focus group, survey, interview..."
    )
    deliverables: list[Text] = Field(
        default_factory=list,
        description="What the meeting produced, e.g. agenda, attendance, notes, recommendations.",
    )
    languages: list[Text] = Field(
        default_factory=list,
        description="The languages materials and interpretation were offered in, e.g. English, "
        "Spanish.",
    )


class OngoingEngagement(Block):
    plan: Text | None = Field(
        None,
        description="How and how often stakeholders will hear about progress and give feedback.",
    )
    responsible: Person = Field(
        default_factory=Person,
        description="The person responsible for keeping stakeholders engaged.",
    )


class StakeholderEngagement(PlanDocument):
    """The five flexible-format items of stakeholder engagement (seed 002)."""

    document: Literal["stakeholder-engagement"] = Field(description=DOCUMENT)
    composition: list[StakeholderGroup] = Field(
        default_factory=list,
        description="1. The stakeholder groups that provided input into the plan: students first, "
        "families, staff, school site council, SEPAC, ELPAC, union, community organizations, "
        "partners.",
    )
    marginalized_groups: Text | None = Field(
        None,
        description="2. How the perspectives of historically marginalized groups (African "
        "American/Black, Hispanic/Latino, English learners, students with disabilities...) are "
        "represented.",
    )
    process: Text | None = Field(
        None,
        description="3. The process used to gather input: meetings, focus groups, surveys, "
        "interviews, and how language barriers were removed.",
    )
    meetings: list[StakeholderMeeting] = Field(
        default_factory=list,
        description="The meetings and other ways input was gathered, each with its audience, "
        "materials and languages. Meetings have a published agenda, attendance records, notes "
        "and a written set of recommendations, all translated for stakeholders who are not "
        "fluent in English.",
    )
    recommendations: list[Recommendation] = Field(
        default_factory=list,
        description="4. The recommendations stakeholders made, and how each is reflected in the "
        "plan.",
    )
    ongoing_engagement: OngoingEngagement = Field(
        default_factory=OngoingEngagement,
        description="5. Plans for regular, ongoing engagement, and who is responsible.",
    )
    planning_team: list[TeamMember] = Field(
        default_factory=list,
        description="The sustainable improvement planning team: the school and district staff who "
        "lead the work and drive implementation (about 8 members for a small school, 12-14 for "
        "a secondary school).",
    )


class EnvisionTheFuture(PlanDocument):
    """The school's vision of success, built with stakeholders."""

    document: Literal["envision-the-future"] = Field(description=DOCUMENT)
    vision: Text | None = Field(
        None, description="The school's vision of success, set with stakeholders."
    )
    student_experience: Text | None = Field(
        None,
        description="What students will experience in their school day when the vision is reached.",
    )
    stakeholder_input: Text | None = Field(
        None, description="How stakeholder input shaped the vision (see stakeholder-engagement)."
    )


class RootCause(Block):
    id: Id
    cause: Text | None = Field(
        None, description="The root cause: what, if changed, would remove the challenges."
    )
    evidence: Text | None = Field(None, description="Why the team believes this is the cause.")
    challenges: list[Ref] = Field(
        default_factory=list, description="Ids of the challenges it explains, e.g. [C1, C2]."
    )


class RootCauseAnalysis(PlanDocument):
    """Assessment of assets and challenges, and the root causes behind the challenges."""

    document: Literal["root-cause-analysis"] = Field(description=DOCUMENT)
    assets: list[Item] = Field(
        default_factory=list,
        description="The school's strengths to build on, from data and stakeholder input.",
    )
    challenges: list[Item] = Field(
        default_factory=list,
        description="The school's challenges, from data and stakeholder input; root causes refer "
        "to them.",
    )
    root_causes: list[RootCause] = Field(
        default_factory=list,
        description="The root causes behind the challenges: what, if changed, would remove them; "
        "strategic objectives refer to them by id.",
    )


class SipObjective(Block):
    id: Id
    title: Text | None = Field(None, description="The objective in a few words.")
    turnaround_practice: TurnaroundPractice | None = Field(
        None,
        description="The turnaround practice it aligns to: leadership-and-collaboration, "
        "instruction, student-supports or climate-and-culture.",
    )
    root_causes: list[Ref] = Field(
        default_factory=list,
        description="Ids of the root causes it addresses (in root-cause-analysis), e.g. [RC1].",
    )


class SipInitiative(Block):
    id: Id
    objective: Ref | None = Field(
        None, description="The id of the objective it carries out, e.g. O1."
    )
    title: Text | None = Field(None, description="The initiative in a few words.")
    description: Text | None = Field(
        None, description="What the initiative does, for whom, and who leads it."
    )


class StrategicObjectives(PlanDocument):
    """Strategic objectives and initiatives aligned to the turnaround practices."""

    document: Literal["strategic-objectives"] = Field(description=DOCUMENT)
    objectives: list[SipObjective] = Field(
        default_factory=list,
        description="The strategic objectives that address the root causes, each aligned to a "
        "turnaround practice.",
    )
    initiatives: list[SipInitiative] = Field(
        default_factory=list, description="The initiatives that carry out each objective."
    )


class SipGoal(Block):
    id: Id
    objective: Ref | None = Field(
        None, description="The id of the objective it measures (in strategic-objectives), e.g. O1."
    )
    outcome: SmartOutcome = Field(
        default_factory=SmartOutcome,
        description="What is measured, for whom, from what baseline to what target, by when.",
    )


class GoalsBenchmarks(PlanDocument):
    """Measurable goals and the implementation benchmarks that track them."""

    document: Literal["goals-benchmarks"] = Field(description=DOCUMENT)
    goals: list[SipGoal] = Field(
        default_factory=list,
        description="Measurable goals, each tied to a strategic objective; each outcome is SMART: "
        "specific, measurable, action-oriented, rigorous and timed.",
    )
    benchmarks: list[ImplementationBenchmark] = Field(
        default_factory=list,
        description="Process and early-evidence benchmarks that show whether the plan is on track.",
    )


class DistrictSupport(Block):
    id: Id
    system: Text | None = Field(
        None, description="The district system, e.g. human resources, budget, data, curriculum."
    )
    support: Text | None = Field(
        None, description="What the district does for the school through this system."
    )
    responsible: Text | None = Field(None, description="The district office or person responsible.")


class DistrictSystems(PlanDocument):
    """How district systems support the school's improvement."""

    document: Literal["district-systems"] = Field(description=DOCUMENT)
    supports: list[DistrictSupport] = Field(
        default_factory=list,
        description="How the district's systems support the school's improvement, one item per "
        "system: human resources, budget, data, curriculum, monitoring...",
    )


class ExecutiveSummary(PlanDocument):
    """The plan on one page, for families and staff."""

    document: Literal["executive-summary"] = Field(description=DOCUMENT)
    summary: Text | None = Field(
        None,
        description="The plan in a paragraph, in plain words for staff and families: the vision, "
        "the objectives and how success is measured.",
    )
    priorities: list[Item] = Field(
        default_factory=list,
        description="The priorities to communicate, each in a sentence with the data behind it.",
    )


class MonitoringEvent(Block):
    id: Id
    when: Text | None = Field(
        None, description="When monitoring happens, e.g. monthly ILT meeting, January data review."
    )
    who: Text | None = Field(
        None,
        description="Who takes part, e.g. the principal and the instructional leadership team.",
    )
    data: Text | None = Field(None, description="What data is collected and reviewed.")
    result: Text | None = Field(None, description="What happens as a result.")


class ProgressMonitoring(PlanDocument):
    """When monitoring happens, who is involved, what data, and what follows."""

    document: Literal["progress-monitoring"] = Field(description=DOCUMENT)
    schedule: list[MonitoringEvent] = Field(
        default_factory=list,
        description="When progress monitoring happens, who is involved, what data is reviewed and "
        "what follows, so mid-course corrections are made in time.",
    )
    benchmarks: list[ImplementationBenchmark] = Field(
        default_factory=list,
        description="The benchmarks monitored during the year, with dated status updates.",
    )


class PlannedChange(Block):
    id: Id
    section: Text | None = Field(None, description="The plan section that changes.")
    change: Text | None = Field(None, description="What changes in that section.")
    reason: Text | None = Field(None, description="Why it changes, from the annual reflection.")


class AnnualRenewal(PlanDocument):
    """Annual reflection: what changes next year, and what gauges progress (seed 003)."""

    document: Literal["annual-renewal"] = Field(description=DOCUMENT)
    reflection_date: Date | None = Field(
        None, description="When the annual reflection with stakeholders took place."
    )
    successes: Text | None = Field(None, description="What succeeded this year, and the evidence.")
    challenges: Text | None = Field(None, description="What was hard this year, and why.")
    changes: list[PlannedChange] = Field(
        default_factory=list, description="What in the plan is modified or changed next year."
    )
    progress_gauges: list[Ref] = Field(
        default_factory=list,
        description="Ids of the goals and benchmarks (in goals-benchmarks) that will gauge "
        "progress next year, e.g. [G1, B2].",
    )
    carried_over: list[Text] = Field(
        default_factory=list,
        description="What was carried from the previous cycle's plan; `sipctl init --from` fills "
        "this in, one line per document.",
    )
