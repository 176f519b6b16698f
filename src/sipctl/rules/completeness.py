"""`incomplete`: what a document still lacks before it can be submitted.

Issue 5: placeholders left from the scaffold and empty required sections are
info while a document is `not-started` or `in-progress` and errors from
`draft` on (a draft is judged as submitted). One finding per document lists
everything still missing, at the first missing item.

What is required is a table per document model, not code: each entry is a
pattern over the YAML data (`levers[].evidence` means "the evidence of every
lever"). Notes, reasons and other optional answers are left out. Parts a
framework rule owns are left out too, so nothing is reported twice: the TLT
roster (`tlt-members`), SMART outcomes of Planning for Success and DESE goals
(`smart-outcome`) and implementation benchmarks (`benchmark-incomplete`).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from sipctl.domain.findings import Finding, Severity
from sipctl.models import PlanDocument, dese, planning, sezp
from sipctl.rules.datapaths import missing
from sipctl.rules.registry import SchoolCycle, rule
from sipctl.source.datapaths import Path_, format_path
from sipctl.source.positions import LoadedYaml

REQUIRED: dict[type[PlanDocument], tuple[str, ...]] = {
    # SEZP 2022-23 (seed 000) -------------------------------------------------------------
    # "identification and selection of 2 priority levers" driven by mid-year data
    sezp.PriorityLevers: ("levers", "levers[].lever", "levers[].evidence"),
    # "Educator Working Conditions require a vote by the TLT"
    sezp.WorkingConditions: (
        "conditions",
        "conditions[].condition",
        "tlt_vote.date",
        "tlt_vote.in_favor",
        "tlt_vote.opposed",
    ),
    # "school start and end times, days off for students, and professional learning days"
    sezp.Calendars: (
        "student.first_day",
        "student.last_day",
        "student.schedule.start",
        "student.schedule.end",
        "student.schedule.lunch_minutes",
        "staff.first_day",
        "staff.last_day",
    ),
    # "Selections should be made directly in MyBudgetFile ... maintain a balanced budget"
    sezp.SpsOptionalServices: (
        "selections",
        "selections[].service",
        "selections[].decision",
        "entered_in_mybudgetfile",
        "budget_balanced",
    ),
    sezp.SezpSupportServices: ("selections", "selections[].service", "selections[].decision"),
    # "begin to outline major elements of the summer school"
    sezp.SummerSchoolLaunch: ("focus", "students"),
    # "levers are refined into measurable goals": a metric and a dated target
    sezp.LeverGoals: (
        "goals",
        "goals[].lever",
        "goals[].outcome.metric",
        "goals[].outcome.target.value",
        "goals[].outcome.target.by",
    ),
    sezp.TltTransition: (),  # the roster is `tlt-members`'
    sezp.SummerPlan: (
        "programs",
        "programs[].name",
        "programs[].start",
        "programs[].end",
        "programs[].activities",
    ),
    # "build out the strategies needed to achieve goals"
    sezp.StrategicActionPlan: (
        "strategies",
        "strategies[].title",
        "strategies[].goals",
        "strategies[].owner",
        "strategies[].start",
        "strategies[].end",
    ),
    sezp.FacultyHandbook: ("link", "updated_on"),
    # "TLTs should develop mid-year performance targets"
    sezp.MidYearTargets: (
        "targets",
        "targets[].goal",
        "targets[].metric",
        "targets[].target.value",
    ),
    # "the official record of each school's TLT composition and selection process"
    sezp.TltSelection: (
        "election_date",
        "selection_process",
        "faculty_engagement",
        "faculty_engagement[].date",
        "faculty_engagement[].activity",
    ),
    # Planning for Success (seed 001) -----------------------------------------------------
    planning.SchoolImprovementPlan: (
        "core_values",
        "core_values[].text",
        "mission",
        "vision",
        "data_analysis",
        "theory_of_action",
        "strategic_objectives",
        "strategic_objectives[].title",
        "strategic_initiatives",
        "strategic_initiatives[].title",
        "strategic_initiatives[].objective",
        "professional_development",
        "professional_development[].description",
        "induction_and_mentoring",
        "induction_and_mentoring[].description",
        "english_learner_programs",
        "english_learner_programs[].description",
        "outcomes",
        "outcomes[].objective",
        "evaluation_process",
    ),
    # "the staff and financial resources allocated to support these initiatives"
    planning.ActionPlan: ("benchmarks", "resources", "resources[].description"),
    # DESE Sustainable Improvement Plan (seeds 002-004) ------------------------------------
    # The five flexible-format items, and who is responsible for ongoing engagement.
    dese.StakeholderEngagement: (
        "composition",
        "composition[].group",
        "marginalized_groups",
        "process",
        "recommendations",
        "recommendations[].recommendation",
        "recommendations[].reflected_in",
        "ongoing_engagement.plan",
        "ongoing_engagement.responsible.name",
    ),
    dese.EnvisionTheFuture: ("vision", "student_experience"),
    dese.RootCauseAnalysis: (
        "assets",
        "assets[].text",
        "challenges",
        "challenges[].text",
        "root_causes",
        "root_causes[].cause",
        "root_causes[].challenges",
    ),
    dese.StrategicObjectives: (
        "objectives",
        "objectives[].title",
        "objectives[].turnaround_practice",
        "initiatives",
        "initiatives[].title",
        "initiatives[].objective",
    ),
    dese.GoalsBenchmarks: ("goals", "goals[].objective", "benchmarks"),
    dese.DistrictSystems: (
        "supports",
        "supports[].system",
        "supports[].support",
        "supports[].responsible",
    ),
    dese.ExecutiveSummary: ("summary",),
    # "when progress monitoring will occur, who will be involved, what data"
    dese.ProgressMonitoring: ("schedule", "schedule[].when", "schedule[].who", "schedule[].data"),
    # "describe what in the plan is being modified ... and what benchmarks and goals
    # will be used to gauge progress" (seed 003)
    dese.AnnualRenewal: (
        "reflection_date",
        "successes",
        "challenges",
        "changes",
        "changes[].change",
        "progress_gauges",
    ),
}

# Long lists are cut so the message stays readable; the count says how many more.
SHOWN = 8


def required_fields(kind: type[PlanDocument]) -> tuple[str, ...]:
    return REQUIRED.get(kind, ())


def _order(source: LoadedYaml, path: Path_) -> tuple[int, int]:
    """Gaps in file order of their list item (or section), then in the table's order."""
    last_item = max((i for i, part in enumerate(path) if isinstance(part, int)), default=0)
    return _position(source, path[: last_item + 1])


def _position(source: LoadedYaml, path: Path_) -> tuple[int, int]:
    """Where a gap is; a section not written at all points at the status line,
    which is what makes it required now."""
    data = source.data
    if isinstance(data, dict) and path[0] in data:
        return source.position(path)
    return source.position(("status",))


@rule
def incomplete(plan: SchoolCycle) -> Iterator[Finding]:
    for doc_id, model, data in plan.found(PlanDocument):
        severity = plan.unfinished_severity(doc_id)
        patterns = required_fields(type(model))
        if severity is None or not patterns:
            continue
        gaps = [path for pattern in patterns for path in missing(data, pattern)]
        loaded = plan.documents[doc_id]
        source = loaded.source
        if not gaps or source is None:
            continue
        gaps.sort(key=partial(_order, source))
        names = [format_path(path, data) for path in gaps]
        listed = ", ".join(names[:SHOWN])
        if len(names) > SHOWN:
            listed += f" and {len(names) - SHOWN} more"
        if severity is Severity.ERROR:
            hint = (
                f"fill these in: a {model.status} is judged as submitted (set `status: "
                "in-progress` while you are still writing it)"
            )
        else:
            hint = "fill these in, replacing every TODO, before you set `status: draft`"
        line, column = _position(source, gaps[0])
        yield loaded.place.finding(
            "incomplete",
            f"still missing: {listed}",
            severity=severity,
            line=line,
            column=column,
            path=names[0],
            hint=hint,
            missing=names,
        )
