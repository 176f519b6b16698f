"""DESE Sustainable Improvement Plan (seeds 002-004): the nine sections."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from sipctl.models.blocks import (
    Block,
    Count,
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
    group: Text | None = Field(None, description="Students, families, teachers, SEPAC, ELPAC...")
    members: Count | None = None
    description: Text | None = None


class Recommendation(Block):
    id: Id
    recommendation: Text | None = None
    reflected_in: Text | None = Field(
        None, description="Where and how the plan reflects this recommendation."
    )


class TeamMember(Block):
    id: Id
    name: Text | None = None
    role: Text | None = None


class StakeholderMeeting(Block):
    """Seed 002: meetings with a published agenda, attendance, notes and recommendations,
    translated for stakeholders who are not fluent in English."""

    id: Id
    date: dt.date | None = None
    audience: Text | None = None
    format: Text | None = Field(None, description="Meeting, focus group, survey, interview...")
    deliverables: list[Text] = Field(
        default_factory=list, description="agenda, attendance, notes, recommendations"
    )
    languages: list[Text] = Field(default_factory=list)


class OngoingEngagement(Block):
    plan: Text | None = None
    responsible: Person = Field(default_factory=Person)


class StakeholderEngagement(PlanDocument):
    """The five flexible-format items of stakeholder engagement (seed 002)."""

    document: Literal["stakeholder-engagement"] = Field(description=DOCUMENT)
    composition: list[StakeholderGroup] = Field(
        default_factory=list, description="1. The stakeholder groups that provided input."
    )
    marginalized_groups: Text | None = Field(
        None,
        description="2. How the perspectives of historically marginalized groups are represented.",
    )
    process: Text | None = Field(None, description="3. The process used to gather input.")
    meetings: list[StakeholderMeeting] = Field(default_factory=list)
    recommendations: list[Recommendation] = Field(
        default_factory=list, description="4. The recommendations and how each is reflected."
    )
    ongoing_engagement: OngoingEngagement = Field(
        default_factory=OngoingEngagement,
        description="5. Plans for regular, ongoing engagement, and who is responsible.",
    )
    planning_team: list[TeamMember] = Field(
        default_factory=list, description="The sustainable improvement planning team."
    )


class EnvisionTheFuture(PlanDocument):
    """The school's vision of success, built with stakeholders."""

    document: Literal["envision-the-future"] = Field(description=DOCUMENT)
    vision: Text | None = None
    student_experience: Text | None = Field(
        None, description="What students will experience when the vision is reached."
    )
    stakeholder_input: Text | None = None


class RootCause(Block):
    id: Id
    cause: Text | None = None
    evidence: Text | None = None
    challenges: list[Ref] = Field(
        default_factory=list, description="Ids of the challenges explained."
    )


class RootCauseAnalysis(PlanDocument):
    """Assessment of assets and challenges, and the root causes behind the challenges."""

    document: Literal["root-cause-analysis"] = Field(description=DOCUMENT)
    assets: list[Item] = Field(default_factory=list)
    challenges: list[Item] = Field(default_factory=list)
    root_causes: list[RootCause] = Field(default_factory=list)


class SipObjective(Block):
    id: Id
    title: Text | None = None
    turnaround_practice: TurnaroundPractice | None = None
    root_causes: list[Ref] = Field(default_factory=list)


class SipInitiative(Block):
    id: Id
    objective: Ref | None = None
    title: Text | None = None
    description: Text | None = None


class StrategicObjectives(PlanDocument):
    """Strategic objectives and initiatives aligned to the turnaround practices."""

    document: Literal["strategic-objectives"] = Field(description=DOCUMENT)
    objectives: list[SipObjective] = Field(default_factory=list)
    initiatives: list[SipInitiative] = Field(default_factory=list)


class SipGoal(Block):
    id: Id
    objective: Ref | None = None
    outcome: SmartOutcome = Field(default_factory=SmartOutcome)


class GoalsBenchmarks(PlanDocument):
    """Measurable goals and the implementation benchmarks that track them."""

    document: Literal["goals-benchmarks"] = Field(description=DOCUMENT)
    goals: list[SipGoal] = Field(default_factory=list)
    benchmarks: list[ImplementationBenchmark] = Field(default_factory=list)


class DistrictSupport(Block):
    id: Id
    system: Text | None = Field(None, description="Human resources, budget, data, curriculum...")
    support: Text | None = None
    responsible: Text | None = None


class DistrictSystems(PlanDocument):
    """How district systems support the school's improvement."""

    document: Literal["district-systems"] = Field(description=DOCUMENT)
    supports: list[DistrictSupport] = Field(default_factory=list)


class ExecutiveSummary(PlanDocument):
    """The plan on one page, for families and staff."""

    document: Literal["executive-summary"] = Field(description=DOCUMENT)
    summary: Text | None = None
    priorities: list[Item] = Field(default_factory=list)


class MonitoringEvent(Block):
    id: Id
    when: Text | None = Field(None, description="e.g. monthly, January data review")
    who: Text | None = None
    data: Text | None = Field(None, description="What data is collected and reviewed.")
    result: Text | None = Field(None, description="What happens as a result.")


class ProgressMonitoring(PlanDocument):
    """When monitoring happens, who is involved, what data, and what follows."""

    document: Literal["progress-monitoring"] = Field(description=DOCUMENT)
    schedule: list[MonitoringEvent] = Field(default_factory=list)
    benchmarks: list[ImplementationBenchmark] = Field(default_factory=list)


class PlannedChange(Block):
    id: Id
    section: Text | None = Field(None, description="The plan section that changes.")
    change: Text | None = None
    reason: Text | None = None


class AnnualRenewal(PlanDocument):
    """Annual reflection: what changes next year, and what gauges progress (seed 003)."""

    document: Literal["annual-renewal"] = Field(description=DOCUMENT)
    reflection_date: dt.date | None = None
    successes: Text | None = None
    challenges: Text | None = None
    changes: list[PlannedChange] = Field(default_factory=list)
    progress_gauges: list[Ref] = Field(
        default_factory=list, description="Ids of the goals and benchmarks that gauge progress."
    )
    carried_over: list[Text] = Field(
        default_factory=list, description="What was carried from the previous cycle's plan."
    )
