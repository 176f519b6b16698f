"""Links by id: every reference resolves, nothing is left without a plan under it, ids are unique.

DESIGN.md section 3: every list item a person may reorder has a stable `id`,
so links never depend on position. The links are a table: which field of which
document refers to the items of which list of which document.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sipctl.domain.findings import Finding, Severity
from sipctl.models import PlanDocument, dese, planning, sezp
from sipctl.rules.datapaths import identified_lists, is_blank, item_ids, values_at
from sipctl.rules.registry import SchoolCycle, rule
from sipctl.source.datapaths import format_path


@dataclass(frozen=True)
class Link:
    """`refs` in a `source` document names items of the `lists` of a `target` document."""

    source: type[PlanDocument]
    refs: str
    target: type[PlanDocument]
    lists: tuple[str, ...]
    noun: str


@dataclass(frozen=True)
class Parent:
    """Items of `items` should each have at least one `child` reference naming them."""

    kind: type[PlanDocument]
    items: str
    noun: str
    child: type[PlanDocument]
    refs: str
    child_noun: str


LINKS: tuple[Link, ...] = (
    # SEZP (seed 000): levers -> goals -> strategies, summer programs, mid-year targets.
    Link(sezp.LeverGoals, "goals[].lever", sezp.PriorityLevers, ("levers",), "priority lever"),
    Link(sezp.StrategicActionPlan, "strategies[].goals[]", sezp.LeverGoals, ("goals",), "goal"),
    Link(sezp.MidYearTargets, "targets[].goal", sezp.LeverGoals, ("goals",), "goal"),
    Link(sezp.SummerPlan, "programs[].goals[]", sezp.LeverGoals, ("goals",), "goal"),
    # Planning for Success (seed 001): objectives -> initiatives -> benchmarks, resources.
    *(
        Link(
            planning.SchoolImprovementPlan,
            refs,
            planning.SchoolImprovementPlan,
            ("strategic_objectives",),
            "strategic objective",
        )
        for refs in ("strategic_initiatives[].objective", "outcomes[].objective")
    ),
    *(
        Link(
            source,
            refs,
            planning.SchoolImprovementPlan,
            ("strategic_initiatives",),
            "strategic initiative",
        )
        for source, refs in (
            (planning.SchoolImprovementPlan, "professional_development[].serves[]"),
            (planning.SchoolImprovementPlan, "induction_and_mentoring[].serves[]"),
            (planning.SchoolImprovementPlan, "english_learner_programs[].serves[]"),
            (planning.ActionPlan, "benchmarks[].serves[]"),
            (planning.ActionPlan, "resources[].serves[]"),
        )
    ),
    # DESE SIP (seeds 002-004): challenges -> root causes -> objectives -> initiatives, goals.
    Link(
        dese.RootCauseAnalysis,
        "root_causes[].challenges[]",
        dese.RootCauseAnalysis,
        ("challenges",),
        "challenge",
    ),
    Link(
        dese.StrategicObjectives,
        "objectives[].root_causes[]",
        dese.RootCauseAnalysis,
        ("root_causes",),
        "root cause",
    ),
    Link(
        dese.StrategicObjectives,
        "initiatives[].objective",
        dese.StrategicObjectives,
        ("objectives",),
        "strategic objective",
    ),
    Link(
        dese.GoalsBenchmarks,
        "goals[].objective",
        dese.StrategicObjectives,
        ("objectives",),
        "strategic objective",
    ),
    *(
        Link(
            source,
            "benchmarks[].serves[]",
            dese.StrategicObjectives,
            ("initiatives",),
            "initiative",
        )
        for source in (dese.GoalsBenchmarks, dese.ProgressMonitoring)
    ),
    # Seed 003: "what benchmarks and goals will be used to gauge progress".
    Link(
        dese.AnnualRenewal,
        "progress_gauges[]",
        dese.GoalsBenchmarks,
        ("goals", "benchmarks"),
        "goal or benchmark",
    ),
)

PARENTS: tuple[Parent, ...] = (
    Parent(
        sezp.PriorityLevers, "levers", "priority lever", sezp.LeverGoals, "goals[].lever", "goal"
    ),
    Parent(
        planning.SchoolImprovementPlan,
        "strategic_objectives",
        "strategic objective",
        planning.SchoolImprovementPlan,
        "strategic_initiatives[].objective",
        "initiative",
    ),
    Parent(
        dese.StrategicObjectives,
        "objectives",
        "strategic objective",
        dese.StrategicObjectives,
        "initiatives[].objective",
        "initiative",
    ),
)


def _refs(data: object, pattern: str) -> Iterator[tuple[tuple[str | int, ...], str]]:
    for path, value in values_at(data, pattern):
        if isinstance(value, str) and not is_blank(value):
            yield path, value


@rule
def link_unresolved(plan: SchoolCycle) -> Iterator[Finding]:
    for link in LINKS:
        targets = list(plan.found(link.target))
        if not targets:
            continue  # missing or invalid: document-missing or schema already says so
        target_id, _, target_data = targets[0]
        known = [i for name in link.lists for i in item_ids(target_data, name)]
        for doc_id, _, data in plan.found(link.source):
            for path, value in _refs(data, link.refs):
                if value in known:
                    continue
                where = f"{target_id}.yaml"
                choices = ", ".join(known) if known else f"none yet: add the {link.noun} first"
                yield plan.finding(
                    doc_id,
                    "link-unresolved",
                    f"{format_path(path, data)} names {value}, but {where} has no "
                    f"{link.noun} {value}",
                    at=path,
                    hint=f"use an id from {where} ({choices}), or add {value} there",
                )


@rule
def link_unused(plan: SchoolCycle) -> Iterator[Finding]:
    for parent in PARENTS:
        children = list(plan.found(parent.child))
        if not children:
            continue
        child_id, _, child_data = children[0]
        named = {value for _, value in _refs(child_data, parent.refs)}
        if not named:
            continue  # nothing written under any of them yet: `incomplete` says so
        for doc_id, _, data in plan.found(parent.kind):
            items = data.get(parent.items) if isinstance(data, dict) else None
            for index, item in enumerate(items if isinstance(items, list) else []):
                item_id = item.get("id") if isinstance(item, dict) else None
                if not isinstance(item_id, str) or item_id in named:
                    continue
                in_file = "" if child_id == doc_id else f" in {child_id}.yaml"
                field = parent.refs.split(".")[-1]
                yield plan.finding(
                    doc_id,
                    "link-unused",
                    f"{parent.noun} {item_id} has no {parent.child_noun}{in_file}",
                    at=(parent.items, index, "id"),
                    severity=Severity.WARNING,
                    hint=f"add a {parent.child_noun}{in_file} with `{field}: {item_id}`, or "
                    f"remove {parent.noun} {item_id} if it is no longer a priority",
                )


@rule
def duplicate_id(plan: SchoolCycle) -> Iterator[Finding]:
    for doc_id, _, data in plan.found(PlanDocument):
        source = plan.documents[doc_id].source
        if source is None:
            continue
        for path, items in identified_lists(source):
            first: dict[str, int] = {}
            for index, item in enumerate(items):
                item_id = item.get("id") if isinstance(item, dict) else None
                if not isinstance(item_id, str):
                    continue
                if item_id not in first:
                    first[item_id] = index
                    continue
                line = source.position((*path, first[item_id], "id"))[0]
                yield plan.finding(
                    doc_id,
                    "duplicate-id",
                    f"{format_path(path, data)} uses the id {item_id} twice "
                    f"(first at line {line}); links and diffs need each id once",
                    at=(*path, index, "id"),
                    hint=f"give this item a new id, and check which {item_id} the links mean",
                )
