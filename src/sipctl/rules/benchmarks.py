"""Implementation benchmarks and action steps: complete, and monitored once under way.

Planning for Success (seed 001): "Implementation benchmarks for the year,
defining specific activities, persons responsible, and timelines", of two kinds:
process and early evidence of change. DESE (seed 003): "Benchmarks only add
value if there is a system for people to come together and reflect on them."
SEZP strategies' action steps (seed 000) use the same block, without a kind.
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel

from sipctl.domain.findings import Finding, Severity
from sipctl.models import PlanDocument
from sipctl.models.blocks import ImplementationBenchmark, Strategy
from sipctl.rules.datapaths import blocks_in, is_blank
from sipctl.rules.registry import SchoolCycle, rule, spoken

UPDATE_HINT = (
    "add a dated entry under its `updates:`, e.g. `- {date: YYYY-MM-DD, status: on-track}` "
    "(on-track, approaching, overdue or done)"
)


def _label(benchmark: ImplementationBenchmark, holder: BaseModel) -> str:
    if isinstance(holder, Strategy):
        return f"action step {benchmark.id} of strategy {holder.id}"
    return f"benchmark {benchmark.id}"


def _gaps(benchmark: ImplementationBenchmark, holder: BaseModel) -> list[tuple[str, str]]:
    step = isinstance(holder, Strategy)  # SEZP action steps have no kind
    checks = (
        ("what", "what will happen (what)", is_blank(benchmark.what)),
        ("kind", "whether it is process or early-evidence (kind)", benchmark.kind is None),
        ("who", "who is responsible (who)", is_blank(benchmark.who)),
        ("by", "by when (by)", benchmark.by is None),
    )
    return [(field, what) for field, what, gap in checks if gap and not (step and field == "kind")]


@rule
def benchmark_incomplete(plan: SchoolCycle) -> Iterator[Finding]:
    for doc_id, model, _ in plan.found(PlanDocument):
        severity = plan.unfinished_severity(doc_id)
        if severity is None:
            continue
        for path, benchmark, holder in blocks_in(model, ImplementationBenchmark):
            gaps = _gaps(benchmark, holder)
            if not gaps:
                continue
            yield plan.finding(
                doc_id,
                "benchmark-incomplete",
                f"{_label(benchmark, holder)} does not say {spoken([what for _, what in gaps])}",
                at=(*path, gaps[0][0]),
                severity=severity,
                hint="a process benchmark says what will happen, who does it and when; an "
                "early-evidence benchmark says what change you should see, who checks and when",
            )


@rule
def benchmark_overdue(plan: SchoolCycle) -> Iterator[Finding]:
    # Issue 5, progress monitoring: a benchmark whose date has passed without a dated
    # status update is flagged, so mid-year monitoring shows what is behind.
    today = plan.today
    if today is None:
        return
    for doc_id, model, _ in plan.found(PlanDocument):
        if not plan.submitted(doc_id):
            continue  # plans still being written are not monitored yet
        for path, benchmark, holder in blocks_in(model, ImplementationBenchmark):
            if benchmark.by is None or benchmark.by >= today:
                continue
            known = [(u.date, i) for i, u in enumerate(benchmark.updates) if u.date <= today]
            latest = benchmark.updates[max(known)[1]] if known else None
            label = _label(benchmark, holder)
            if latest is not None and latest.status == "done":
                continue
            if latest is not None and latest.status == "overdue":
                yield plan.finding(
                    doc_id,
                    "benchmark-overdue",
                    f"{label} was due {benchmark.by} and its latest update ({latest.date}) "
                    "says it is overdue",
                    at=(*path, "updates", max(known)[1], "status"),
                    severity=Severity.WARNING,
                    hint="record the new plan for it in an update (with a note), or mark it done",
                )
            elif not any(date >= benchmark.by for date, _ in known):
                yield plan.finding(
                    doc_id,
                    "benchmark-overdue",
                    f"{label} was due {benchmark.by} and has no status update since",
                    at=(*path, "by"),
                    severity=Severity.WARNING,
                    hint=UPDATE_HINT,
                )
