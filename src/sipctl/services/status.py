"""`sipctl status`: the district matrix, each school's documents with status and deadline state.

A cell is one document of one school in one cycle: its status as committed at
`as_of` (the working tree's status when there is no usable history) and the
judgement of each of its deadlines, made by the same `DeadlineRules` that
`sipctl check` uses. `render` builds its district index from the same result.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from sipctl.domain.deadlines import Judgement, Stage, State
from sipctl.domain.district import District
from sipctl.domain.framework import FrameworkDocument, load_framework
from sipctl.domain.submissions import DeadlineRules, DocumentState, due_dates, read_audit_history
from sipctl.domain.validation import Place
from sipctl.git.history import STATUS_ORDER, History
from sipctl.source.files import YamlLoadError
from sipctl.source.positions import load_yaml_file

# The state a cell shows when its deadlines disagree: the one that needs action first.
URGENCY = (State.MISSED, State.SOON, State.LATE, State.ON_TIME, State.REACHED, State.PENDING)
_NOTABLE = (State.MISSED, State.SOON, State.LATE)
SUBMITTED = ("final", "approved")
STATUS_LABEL = {
    "not-started": "not started",
    "in-progress": "in progress",
    "draft": "draft",
    "final": "final",
    "approved": "approved",
}
STATE_LABEL = {
    State.ON_TIME: "on time",
    State.LATE: "late",
    State.MISSED: "missed",
    State.SOON: "due soon",
    State.PENDING: "not due yet",
    State.REACHED: "submitted",
}


@dataclass(frozen=True)
class Column:
    """One document of the cycle's frameworks, in official order."""

    id: str
    title: str
    phase: str
    phase_title: str
    owner: str


@dataclass(frozen=True)
class Cell:
    document: str
    applies: bool  # False: not a document of this school's frameworks
    status: str | None  # None: no committed version at as_of (or no file)
    present: bool  # the file exists in the work tree
    file: str | None
    judgements: tuple[Judgement, ...] = ()

    @property
    def state(self) -> State | None:
        """The most pressing deadline state, None when the document has no deadline."""
        states = {j.state for j in self.judgements}
        return next((s for s in URGENCY if s in states), None)

    @property
    def submitted(self) -> bool:
        return self.status in SUBMITTED

    @property
    def status_label(self) -> str:
        if not self.applies:
            return "n/a"
        if self.status is None:
            return "not committed" if self.present else "missing"
        return STATUS_LABEL[self.status]

    @property
    def state_label(self) -> str:
        """'late', 'missed (draft)', 'due soon (final), late (draft)'; empty when all is well
        but nothing was submitted yet, or when nothing is due."""
        notable = [j for s in _NOTABLE for j in self.judgements if j.state is s]
        if not notable:
            on_time = [j for j in self.judgements if j.state is State.ON_TIME]
            return STATE_LABEL[State.ON_TIME] if on_time else ""
        if len(notable) == len(self.judgements) and len({j.state for j in notable}) == 1:
            return STATE_LABEL[notable[0].state]  # every deadline in the same state
        return ", ".join(f"{STATE_LABEL[j.state]} ({j.stage.value})" for j in notable)


@dataclass
class SchoolRow:
    slug: str
    name: str
    cells: list[Cell]

    def count(self, state: State) -> int:
        return sum(1 for c in self.cells for j in c.judgements if j.state is state)

    @property
    def states(self) -> list[tuple[str, int]]:
        """(state, how many deadlines) for the states that need attention or went well."""
        counts = [(s.value, self.count(s)) for s in (*_NOTABLE, State.ON_TIME)]
        return [(state, n) for state, n in counts if n]

    @property
    def applicable(self) -> int:
        return sum(1 for c in self.cells if c.applies)

    @property
    def submitted(self) -> int:
        return sum(1 for c in self.cells if c.applies and c.submitted)


@dataclass(frozen=True)
class Deadline:
    due: dt.datetime
    stage: Stage
    column: Column


@dataclass(frozen=True)
class Milestone:
    begin: dt.date
    end: dt.date | None
    title: str


@dataclass
class StatusResult:
    district: str
    cycle: str
    as_of: dt.datetime
    timezone: ZoneInfo
    columns: list[Column]
    schools: list[SchoolRow]
    notes: list[str] = field(default_factory=list)
    judged: bool = True  # False: a shallow clone, deadlines were not judged
    history: History = field(default_factory=lambda: History(available=False), repr=False)
    deadlines: list[Deadline] = field(default_factory=list)  # the cycle's, soonest first
    milestones: list[Milestone] = field(default_factory=list)

    @property
    def totals(self) -> dict[str, int]:
        """How many deadlines are in each state, over every school and document."""
        counts = Counter(j.state for row in self.schools for c in row.cells for j in c.judgements)
        return {state.value: counts.get(state, 0) for state in URGENCY}

    def submitted_count(self, column: Column) -> tuple[int, int]:
        """(schools that submitted the final, schools the document applies to)."""
        cells = [row.cells[self.columns.index(column)] for row in self.schools]
        applying = [c for c in cells if c.applies]
        return sum(1 for c in applying if c.submitted), len(applying)


def cycle_columns(district: District, cycle_id: str) -> list[Column]:
    columns: dict[str, Column] = {}
    for name in district.frameworks_for(cycle_id):
        framework = load_framework(name)
        phases = {p.id: p.title for p in framework.phases}
        for doc in framework.documents:
            columns.setdefault(doc.id, _column(doc, phases[doc.phase]))
    return list(columns.values())


def _column(doc: FrameworkDocument, phase_title: str) -> Column:
    return Column(doc.id, doc.title, doc.phase, phase_title, doc.owner)


def district_status(
    district: District,
    *,
    cycle: str | None,
    as_of: dt.datetime,
    history: tuple[History, str | None] | None = None,
) -> StatusResult:
    """The matrix for one cycle (default: the latest), judged as of `as_of`.

    `history` is what `read_audit_history` returned, for a caller that has read it already.
    """
    cycle_id = district.district_cycle(cycle)
    audit, note = history if history is not None else read_audit_history(district)
    result = StatusResult(
        district=district.config.district,
        cycle=cycle_id,
        as_of=as_of,
        timezone=district.timezone,
        columns=cycle_columns(district, cycle_id),
        schools=[],
        notes=[note] if note else [],
        judged=audit.reason != "shallow",
        history=audit,
    )
    _cycle_dates(district, result)
    rules = DeadlineRules(district, audit, as_of)
    warning = dt.timedelta(days=district.config.warning_days)
    without: list[str] = []
    for slug in district.schools():
        if cycle_id not in district.school_cycles(slug):
            without.append(slug)
            continue
        profile = district.school_profile(slug).model
        applies = {
            d.id for d in district.framework_documents(district.frameworks_for(cycle_id, profile))
        }
        files = {p.stem: p for p in district.document_files(slug, cycle_id)}
        cells = []
        for column in result.columns:
            path = files.get(column.id)
            rel = district.rel(path) if path else f"schools/{slug}/{cycle_id}/{column.id}.yaml"
            status = _status(audit, rel, path if path and district.inside(path) else None, as_of)
            judgements: tuple[Judgement, ...] = ()
            if column.id in applies and result.judged:
                state = DocumentState(rel, Place(rel, slug, cycle_id, column.id), status)
                dues = due_dates(district, cycle_id, column.id)
                judgements = tuple(
                    rules.judgement(state, stage, due, warning) for stage, due in dues.items()
                )
            cells.append(
                Cell(column.id, column.id in applies, status, path is not None, rel, judgements)
            )
        result.schools.append(SchoolRow(slug, profile.name if profile else slug, cells))
    if without:
        result.notes.append(f"no {cycle_id} plan folder yet: " + ", ".join(without))
    return result


def _cycle_dates(district: District, result: StatusResult) -> None:
    """The cycle's deadlines and milestones, for the index's timeline and key dates."""
    cycle = district.cycle(result.cycle).model
    for key, m in cycle.milestones.items() if cycle else ():
        result.milestones.append(Milestone(m.date, m.end, m.title or key))
    result.milestones.sort(key=lambda m: (m.begin, m.end or m.begin, m.title))
    for column in result.columns:
        for stage, due in due_dates(district, result.cycle, column.id).items():
            result.deadlines.append(Deadline(due, stage, column))
    order = {c.id: i for i, c in enumerate(result.columns)}
    result.deadlines.sort(key=lambda d: (d.due, d.stage != Stage.DRAFT, order[d.column.id]))


def _status(history: History, rel: str, path: Path | None, as_of: dt.datetime) -> str | None:
    """The status as committed at `as_of`; the work tree's when there is no history."""
    if history.available:
        status = None
        for change in history.changes.get(rel, ()):
            if change.commit.time > as_of:
                break  # changes are sorted by commit time
            status = change.new_status
        return status
    if path is None:
        return None
    try:
        data = load_yaml_file(path).data
    except YamlLoadError:
        return None
    raw = data.get("status") if isinstance(data, dict) else None
    return raw if raw in STATUS_ORDER else None
