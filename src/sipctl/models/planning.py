"""Massachusetts Planning for Success (seed 001): the multi-year plan and the action plan."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from sipctl.models.blocks import (
    Block,
    Id,
    ImplementationBenchmark,
    Item,
    Ref,
    Resource,
    SmartOutcome,
    Text,
)
from sipctl.models.document import DOCUMENT, PlanDocument


class StrategicObjective(Block):
    """The "what" and "why": an overarching goal and key lever for improvement."""

    id: Id
    title: Text | None = Field(
        None, description="The objective in a few words, e.g. Strengthen core literacy instruction."
    )
    rationale: Text | None = Field(None, description="Why this objective, from the data analysis.")


class StrategicInitiative(Block):
    """The "how": a project or program that achieves a strategic objective."""

    id: Id
    objective: Ref | None = Field(None, description="The id of the strategic objective (O1...).")
    title: Text | None = Field(
        None, description="The initiative in a few words, e.g. Weekly common planning."
    )
    description: Text | None = Field(
        None, description="What the project or program is, and who it reaches."
    )


class SupportActivity(Block):
    """Professional development, induction and mentoring, or an English learner model."""

    id: Id
    description: Text | None = Field(
        None,
        description="What the activity is, for whom and when, "
        "e.g. Summer institute on the science of reading.",
    )
    serves: list[Ref] = Field(default_factory=list, description="Ids of the initiatives served.")


class Outcome(Block):
    """A SMART outcome measuring the plan's success."""

    id: Id
    objective: Ref | None = Field(None, description="The id of the strategic objective measured.")
    outcome: SmartOutcome = Field(
        default_factory=SmartOutcome,
        description="What is measured, for whom, from what baseline to what target, by when.",
    )


class SchoolImprovementPlan(PlanDocument):
    """The multi-year School Improvement Plan, sections I-IV of Planning for Success."""

    document: Literal["school-improvement-plan"] = Field(description=DOCUMENT)
    # I. Mission, vision, core values
    core_values: list[Item] = Field(
        default_factory=list,
        description="I. Core values (mission, vision and core values are the plan's foundation): "
        "what you believe in, the principles that guide decisions and action.",
    )
    mission: Text | None = Field(
        None, description="I. Mission: your purpose, why the school exists."
    )
    vision: Text | None = Field(
        None,
        description="I. Vision: your aspirations for students, what you value and why, and what "
        "future success will look like.",
    )
    # II. Data analysis and theory of action
    data_analysis: Text | None = Field(
        None,
        description="II. Data analysis: student achievement and the gaps between student groups "
        "in core subjects.",
    )
    theory_of_action: Text | None = Field(
        None,
        description="II. Theory of action: the beliefs about why certain actions will lead to the "
        'vision, framed as "if ... then ...".',
    )
    # III. Strategic objectives and initiatives
    strategic_objectives: list[StrategicObjective] = Field(
        default_factory=list,
        description="III. Strategic objectives: the coherent group of overarching goals and key "
        'levers that will achieve the vision (the "what" and "why"); 3 to 5 recommended, to '
        "support focus.",
    )
    strategic_initiatives: list[StrategicInitiative] = Field(
        default_factory=list,
        description="III. Strategic initiatives: the projects and programs that achieve the "
        'objectives (the "how").',
    )
    professional_development: list[SupportActivity] = Field(
        default_factory=list,
        description="The professional development that supports the objectives and initiatives.",
    )
    induction_and_mentoring: list[SupportActivity] = Field(
        default_factory=list,
        description="Teacher induction and mentoring that support successful implementation.",
    )
    english_learner_programs: list[SupportActivity] = Field(
        default_factory=list,
        description="District program models and approaches that ensure English learners progress.",
    )
    # IV. Outcomes
    outcomes: list[Outcome] = Field(
        default_factory=list,
        description="IV. Outcomes: the expected results as SMART goals (specific, measurable, "
        "action-oriented, rigorous, timed). The final outcome is the target at the end of the "
        "plan, e.g. by 2025, decrease chronic absenteeism by 2.8 percentage points to 12%; "
        "interim outcomes are targets during implementation.",
    )
    evaluation_process: Text | None = Field(
        None, description="The processes for evaluating whether the initiatives are effective."
    )


class ActionPlan(PlanDocument):
    """The annual action plan: implementation benchmarks and the resources behind them."""

    document: Literal["action-plan"] = Field(description=DOCUMENT)
    school_year: Text | None = Field(
        None, description="The school year this action plan covers, e.g. 2022-23."
    )
    benchmarks: list[ImplementationBenchmark] = Field(
        default_factory=list,
        description="I. Implementation benchmarks for the year: the activities, persons "
        "responsible and timelines that accomplish the School Improvement Plan's initiatives. "
        "Process benchmarks say what will happen, who will do it and when; early-evidence "
        "benchmarks, what changes in practice or attitude you should begin to see.",
    )
    resources: list[Resource] = Field(
        default_factory=list,
        description="II. The staff and financial resources allocated to support the initiatives.",
    )
