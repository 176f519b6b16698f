"""Planning for Success (seed 001): the multi-year plan's focus.

SMART outcomes are in `outcomes.py`, benchmarks in `benchmarks.py`, initiatives
under objectives in `links.py`, blank sections (resources named, mission,
theory of action ...) in `completeness.py`.
"""

from __future__ import annotations

from collections.abc import Iterator

from sipctl.domain.findings import Finding, Severity
from sipctl.models.planning import SchoolImprovementPlan
from sipctl.rules.registry import SchoolCycle, rule

# Seed 001, III.a: "Strategic objectives for improvement (3-5 recommended, to support focus)".
OBJECTIVES = range(3, 6)


@rule
def objective_count(plan: SchoolCycle) -> Iterator[Finding]:
    for doc_id, model, _ in plan.found(SchoolImprovementPlan):
        count = len(model.strategic_objectives)
        if count == 0 or count in OBJECTIVES:
            continue  # none at all is `incomplete`'s to report
        few = count < OBJECTIVES.start
        yield plan.finding(
            doc_id,
            "objective-count",
            f"the plan has {count} strategic objective{'s' if count != 1 else ''}; Planning for "
            f"Success recommends 3 to 5 to support focus",
            at=("strategic_objectives",) if few else ("strategic_objectives", 5, "id"),
            key=few,
            severity=Severity.WARNING,
            hint="split a broad objective in two"
            if few
            else "merge related objectives, or "
            "make some of them initiatives under another objective",
        )
