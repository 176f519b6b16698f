"""`smart-outcome`: outcomes are SMART and their targets make sense over time.

Planning for Success (seed 001): "Outcomes are SMART goals: specific and
strategic; measurable; action-oriented; rigorous, realistic, results-focused;
timed and tracked. Final outcomes set targets for improvement achieved at the
end of plan implementation ... Interim outcomes set targets for improvement
during plan implementation." DESE's Goals & Benchmarks section uses the same
outcome block. SEZP lever goals only need to be measurable (a metric and a
dated target, in `completeness.py`), but when they do give baselines or
interim targets, those must make sense too.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

from pydantic import BaseModel

from sipctl.domain.findings import Finding
from sipctl.models import PlanDocument
from sipctl.models.blocks import SmartOutcome
from sipctl.models.dese import SipGoal
from sipctl.models.planning import Outcome
from sipctl.rules.datapaths import blocks_in, is_blank
from sipctl.rules.registry import SchoolCycle, rule, spoken
from sipctl.source.datapaths import Path_

# Where the outcome block must be SMART in full; elsewhere only its coherence is checked.
SMART_REQUIRED: tuple[type[BaseModel], ...] = (Outcome, SipGoal)

HINT_PARTS = (
    "a SMART outcome names the metric, the baseline (value and as_of date), and the target "
    "(value and by date), e.g. baseline: {value: 29, unit: percent, as_of: 2022-09-29}"
)


def _label(holder: BaseModel) -> str:
    noun = "outcome" if isinstance(holder, Outcome) else "goal"
    return f"{noun} {getattr(holder, 'id', '')}".strip()


def _missing_parts(outcome: SmartOutcome) -> list[tuple[Path_, str]]:
    parts: list[tuple[Path_, str, bool]] = [
        (("metric",), "metric", is_blank(outcome.metric)),
        (("baseline", "value"), "baseline value", outcome.baseline.value is None),
        (("baseline", "as_of"), "baseline date", outcome.baseline.as_of is None),
        (("target", "value"), "target value", outcome.target.value is None),
        (("target", "by"), "target date", outcome.target.by is None),
    ]
    return [(path, what) for path, what, gap in parts if gap]


@rule
def smart_outcome(plan: SchoolCycle) -> Iterator[Finding]:
    for doc_id, model, _ in plan.found(PlanDocument):
        for path, outcome, holder in blocks_in(model, SmartOutcome):
            label = _label(holder)
            if isinstance(holder, SMART_REQUIRED):
                severity = plan.unfinished_severity(doc_id)
                gaps = _missing_parts(outcome)
                if gaps and severity is not None:
                    names = spoken([f"{what} ({'.'.join(map(str, p))})" for p, what in gaps])
                    yield plan.finding(
                        doc_id,
                        "smart-outcome",
                        f"{label} is not SMART yet: it has no {names}",
                        at=(*path, *gaps[0][0]),
                        severity=severity,
                        hint=HINT_PARTS,
                    )
            yield from _coherence(plan, doc_id, path, outcome, label)


def _coherence(
    plan: SchoolCycle, doc_id: str, path: Path_, outcome: SmartOutcome, label: str
) -> Iterator[Finding]:
    baseline, target = outcome.baseline, outcome.target
    if baseline.as_of and target.by and target.by <= baseline.as_of:
        yield plan.finding(
            doc_id,
            "smart-outcome",
            f"{label}: the target date {target.by} is not after the baseline date {baseline.as_of}",
            at=(*path, "target", "by"),
            hint="the target is reached after the baseline is measured; check both dates",
        )
    for i, interim in enumerate(outcome.interim):
        at = (*path, "interim", i)
        name = f"{label}: interim target {interim.id}"
        if interim.by and target.by and interim.by >= target.by:
            yield plan.finding(
                doc_id,
                "smart-outcome",
                f"{name} is dated {interim.by}, not before the final target date {target.by}",
                at=(*at, "by"),
                hint="interim targets mark progress during the plan: date them before the final "
                "target",
            )
        elif interim.by and baseline.as_of and interim.by <= baseline.as_of:
            yield plan.finding(
                doc_id,
                "smart-outcome",
                f"{name} is dated {interim.by}, not after the baseline date {baseline.as_of}",
                at=(*at, "by"),
                hint="date interim targets between the baseline and the final target",
            )
        if interim.value is None or baseline.value is None or target.value is None:
            continue
        low, high = sorted((baseline.value, target.value))
        if not low <= interim.value <= high:
            yield plan.finding(
                doc_id,
                "smart-outcome",
                f"{name} ({interim.value}) is not between the baseline ({baseline.value}) and "
                f"the target ({target.value})",
                at=(*at, "value"),
                hint="interim targets are steps from the baseline toward the final target",
            )
    yield from _direction(plan, doc_id, path, outcome, label)


def _direction(
    plan: SchoolCycle, doc_id: str, path: Path_, outcome: SmartOutcome, label: str
) -> Iterator[Finding]:
    """Interim targets, in date order, move toward the target and never back."""
    start, goal = outcome.baseline.value, outcome.target.value
    if start is None or goal is None or start == goal:
        return
    rising = goal > start
    dated = sorted(
        (interim.by, i, interim.value)
        for i, interim in enumerate(outcome.interim)
        if interim.by is not None and interim.value is not None
    )
    for (_, _, before), (_, i, value) in pairwise(dated):
        if (value < before) if rising else (value > before):
            interim = outcome.interim[i]
            yield plan.finding(
                doc_id,
                "smart-outcome",
                f"{label}: interim target {interim.id} ({value}) moves away from the target "
                f"({goal}) after an earlier interim target of {before}",
                at=(*path, "interim", i, "value"),
                hint=f"interim targets should go steadily from {start} toward {goal}",
            )
