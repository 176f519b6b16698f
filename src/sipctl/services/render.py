"""`sipctl render`: the plans as pages people read, and a district index.

This service gathers what each page says: per school, the validated plan
documents in the framework's official order, a one-screen summary (mission and
vision, priority levers or strategic objectives, SMART goals), the submission
record and the revision history from the audit trail; for the district, the
status matrix with the cycle's deadlines and milestones. The reporter
`sipctl.reporters.render` turns that into HTML or Markdown and `publish` writes
it. Nothing here reads the clock: by default deadlines are judged as of the
repository's latest commit, so the same repository always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from sipctl.domain.deadlines import Judgement, humanize, local_instant
from sipctl.domain.district import District
from sipctl.domain.framework import load_framework
from sipctl.domain.submissions import read_audit_history
from sipctl.errors import SipctlError, UsageError
from sipctl.git.history import STATUS_ORDER, History, cache_enabled
from sipctl.git.log_walk import Repository, check_repository
from sipctl.git.worktree import head_time
from sipctl.models import PlanDocument
from sipctl.models.blocks import Block, SmartOutcome
from sipctl.models.dese import SipObjective
from sipctl.models.district import SchoolProfile
from sipctl.models.planning import StrategicObjective
from sipctl.models.sezp import PriorityLever
from sipctl.names import visible
from sipctl.services.calendar import CalendarLink, Feed, calendar_link, cycle_feeds, feed_path
from sipctl.services.log import LogEvent, audit_log
from sipctl.services.status import (
    STATUS_LABEL,
    URGENCY,
    Column,
    SchoolRow,
    StatusResult,
    district_status,
)

Format = Literal["html", "md"]
# What the summary lists as the plan's priorities, by the model that holds them, and the field
# that names each one. Model types, not framework names: a new framework reusing them just works.
PRIORITIES: dict[type[Block], tuple[str, str]] = {
    PriorityLever: ("Priority levers", "lever"),
    StrategicObjective: ("Strategic objectives", "title"),
    SipObjective: ("Strategic objectives", "title"),
}
STATEMENTS = (("mission", "Mission"), ("vision", "Vision"))


@dataclass(frozen=True)
class RenderOptions:
    format: Format
    school: str | None = None
    cycle: str | None = None
    as_of: dt.datetime | None = None  # None: the latest commit's time, else the end of `today`
    today: dt.date | None = None


@dataclass(frozen=True)
class Priority:
    id: str
    document: str
    title: str | None


@dataclass(frozen=True)
class Goal:
    id: str
    document: str
    statement: str | None
    outcome: SmartOutcome
    serves: str | None  # the id of the priority it refines


@dataclass
class Summary:
    statements: list[tuple[str, str]] = field(default_factory=list)
    priorities_label: str = "Priorities"
    priorities: list[Priority] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)

    def goals_of(self, priority: str | None) -> list[Goal]:
        """The goals refining a priority; with None, the goals that refine none."""
        return [g for g in self.goals if g.serves == priority]


@dataclass(frozen=True)
class PlanDocumentEntry:
    column: Column
    status: str  # its label, e.g. "in progress"
    model: PlanDocument | None
    problems: int | None = None  # the file exists but could not be read: how many findings


@dataclass(frozen=True)
class Revision:
    """A row of the revision history: a committed status change, in words."""

    when: dt.datetime
    document: str
    change: str  # "draft → final"
    timing: str  # "on time", "late by 45 minutes", "resubmitted", "reopened", ""
    author: str  # the name only: a published page does not need e-mail addresses
    commit: str


@dataclass
class PlanPage:
    district: str
    cycle: str
    school: str
    name: str
    profile: SchoolProfile | None
    framework_titles: list[str]
    as_of: dt.datetime
    timezone: dt.tzinfo
    summary: Summary
    documents: list[PlanDocumentEntry]
    submissions: list[tuple[Column, Judgement]]
    revisions: list[Revision]
    history_reason: str | None  # why there is no usable history: no-git, shallow, ...
    path: str = ""
    calendar: CalendarLink | None = None  # the school's deadlines as a calendar feed

    @property
    def history_available(self) -> bool:
        return self.history_reason is None

    @property
    def status_counts(self) -> dict[str, int]:
        """How many documents have each status, most advanced first."""
        counts = Counter(d.status for d in self.documents)
        order = [*(STATUS_LABEL[s] for s in reversed(STATUS_ORDER)), "not committed", "missing"]
        return {label: counts[label] for label in order if counts[label]}

    @property
    def deadline_counts(self) -> dict[str, int]:
        counts = Counter(j.state.value for _column, j in self.submissions)
        return {s.value: counts[s.value] for s in URGENCY if counts[s.value]}


@dataclass
class IndexPage:
    district: str
    cycle: str
    as_of: dt.datetime
    timezone: dt.tzinfo
    status: StatusResult
    pages: dict[str, str]  # school slug -> link to its plan page, relative to the index
    framework_titles: list[str]
    path: str = ""
    calendar: CalendarLink | None = None  # the district's deadlines as a calendar feed


@dataclass(frozen=True)
class PlanStub:
    """A plan page still to build: built when its turn to be rendered comes, so that
    memory holds one school's plan at a time, not the district's."""

    school: str
    path: str
    build: Callable[[], PlanPage]


@dataclass(frozen=True)
class HomePage:
    """The site's front page, `index` at the top of --out (where a web server sends the
    site's address): the district's cycles, newest first, each linking to its index once
    that cycle's pages are published. Which are published the reporter sees in --out."""

    district: str
    cycle: str  # the cycle this render publishes
    cycles: list[str]  # every cycle of the district, newest first
    index_name: str  # index.html or index.md

    @property
    def path(self) -> str:
        return self.index_name


@dataclass
class Site:
    plans: list[PlanStub] = field(default_factory=list)
    index: IndexPage | None = None
    home: HomePage | None = None
    feeds: list[Feed] = field(default_factory=list)  # the cycle's calendars (services/calendar)
    # The district repository's git folder, where render keeps the manifest of the pages
    # it wrote (never in --out, which is published); None without a usable repository.
    git_dir: Path | None = None

    @property
    def page_count(self) -> int:
        """How many files render publishes: pages and calendar feeds."""
        return (
            len(self.plans) + (self.index is not None) + (self.home is not None) + len(self.feeds)
        )


def build_site(district: District, options: RenderOptions) -> tuple[Site, list[str]]:
    if options.school is not None:
        district.require_school(options.school)
    history, note = read_audit_history(district)
    as_of = options.as_of or _latest_commit(district, history) or _end_of_today(options, district)
    status = district_status(district, cycle=options.cycle, as_of=as_of, history=(history, note))
    ext = "html" if options.format == "html" else "md"
    site = Site()
    repo = check_repository(district.root)
    # `--no-history-cache` keeps nothing in the git folder: the manifest goes beside --out.
    if isinstance(repo, Repository) and cache_enabled():
        site.git_dir = repo.git_dir
    for row in status.schools:
        if options.school is None or row.slug == options.school:
            path = f"{status.cycle}/{row.slug}.{ext}"
            build = functools.partial(_plan_page, district, status, row, path)
            site.plans.append(PlanStub(row.slug, path, build))
    if options.school is None:
        site.index = IndexPage(
            district=status.district,
            cycle=status.cycle,
            as_of=as_of,
            timezone=status.timezone,
            status=status,
            pages={p.school: f"{p.school}.{ext}" for p in site.plans},
            framework_titles=_titles(district.frameworks_for(status.cycle)),
            path=f"{status.cycle}/index.{ext}",
        )
        site.index.calendar = calendar_link(district, site.index.path, feed_path(status.cycle))
        site.home = HomePage(
            district=status.district,
            cycle=status.cycle,
            cycles=sorted(district.cycle_ids(), reverse=True),
            index_name=f"index.{ext}",
        )
    elif not site.plans:
        district.school_cycle(options.school, status.cycle)  # says which cycles it has
    # the whole district: its feed and every school's; one school: that school's only
    only = None if site.index is not None else {p.school for p in site.plans}
    site.feeds = cycle_feeds(district, status, only)
    return site, status.notes


def _titles(frameworks: list[str]) -> list[str]:
    return [load_framework(name).title for name in frameworks]


def _plan_page(
    district: District, status: StatusResult, row: SchoolRow, page_path: str
) -> PlanPage:
    cycle = status.cycle
    profile = district.school_profile(row.slug).model
    frameworks = district.frameworks_for(cycle, profile)
    entries = {d.id: d for d in district.framework_documents(frameworks)}
    files = {p.stem: p for p in district.document_files(row.slug, cycle)}
    documents = []
    for column, cell in zip(status.columns, row.cells, strict=True):
        if not cell.applies:
            continue
        model, problems = None, None
        path = files.get(column.id)
        if path is not None:
            loaded = district.load_document(path, row.slug, cycle, entries[column.id])
            model = loaded.model
            problems = len(loaded.findings) if model is None else None
        documents.append(PlanDocumentEntry(column, cell.status_label, model, problems))
    return PlanPage(
        district=status.district,
        cycle=cycle,
        school=row.slug,
        name=row.name,
        profile=profile,
        framework_titles=_titles(frameworks),
        as_of=status.as_of,
        timezone=status.timezone,
        summary=summarize([d.model for d in documents if d.model is not None]),
        documents=documents,
        submissions=[
            (column, j)
            for column, cell in zip(status.columns, row.cells, strict=True)
            for j in cell.judgements
        ],
        revisions=_revisions(district, status, row.slug),
        history_reason=status.history.reason,
        path=page_path,
        calendar=calendar_link(district, page_path, feed_path(cycle, row.slug)),
    )


def summarize(models: list[PlanDocument]) -> Summary:
    """The one-screen summary: what the plan is for, its priorities, how success is measured."""
    summary = Summary()
    for key, label in STATEMENTS:
        text = next((getattr(m, key) for m in models if getattr(m, key, None)), None)
        if isinstance(text, str) and text.strip():
            summary.statements.append((label, text))
    items = [
        (model.document, item)
        for model in models
        for name in type(model).model_fields
        for item in _blocks(getattr(model, name))
    ]
    for document, item in items:
        kind = PRIORITIES.get(type(item))
        if kind is not None:
            summary.priorities_label = kind[0]
            title = getattr(item, kind[1])
            summary.priorities.append(Priority(getattr(item, "id", ""), document, title))
    known = {p.id for p in summary.priorities}
    for document, item in items:
        outcome = getattr(item, "outcome", None)
        if isinstance(outcome, SmartOutcome):
            # The goal's reference to the priority it refines (`lever: L1`, `objective: O2`).
            refs = (v for v in vars(item).values() if isinstance(v, str) and v in known)
            statement = getattr(item, "statement", None)
            ident = getattr(item, "id", "")
            summary.goals.append(Goal(ident, document, statement, outcome, next(refs, None)))
    return summary


def _blocks(value: object) -> list[Block]:
    return [v for v in value if isinstance(v, Block)] if isinstance(value, list) else []


def _revisions(district: District, status: StatusResult, school: str) -> list[Revision]:
    if not status.history.available:
        return []
    try:
        events = audit_log(
            district,
            school,
            document=None,
            cycle=status.cycle,
            as_of=status.as_of,
            history=status.history,
        ).events
    except SipctlError:
        return []
    rows: list[Revision] = []
    created: dict[str, list[LogEvent]] = {}
    for e in events:
        if e.time > status.as_of:
            continue
        if e.old_status is None and e.new_status in (None, "not-started", "in-progress"):
            created.setdefault(e.sha, []).append(e)  # scaffolding: one row per commit
            continue
        what = visible(e.title)  # a file the framework does not know is titled by its name
        rows.append(Revision(e.time, what, _change(e), _timing(e), _name(e), e.sha[:10]))
    for sha, group in created.items():
        first = group[0]
        what = visible(first.title) if len(group) == 1 else f"{len(group)} documents"
        change = f"created ({_word(first.new_status, 'unreadable')})"
        rows.append(Revision(first.time, what, change, "", _name(first), sha[:10]))
    return sorted(rows, key=lambda r: r.when)


def _word(status: str | None, missing: str) -> str:
    return STATUS_LABEL.get(status, status) if status else missing


def _change(event: LogEvent) -> str:
    return f"{_word(event.old_status, 'created')} → {_word(event.new_status, 'deleted')}"


def _timing(event: LogEvent) -> str:
    if event.verdict == "late" and event.delay is not None:
        return f"late by {humanize(event.delay)}"
    return event.verdict


def _name(event: LogEvent) -> str:
    return visible(event.author.split(" <")[0])


def _latest_commit(district: District, history: History) -> dt.datetime | None:
    """The committer time of HEAD: what a published snapshot of the repository is as of."""
    return head_time(district.root) if history.available else None


def _end_of_today(options: RenderOptions, district: District) -> dt.datetime:
    if options.today is None:
        raise UsageError("render needs --as-of when the district has no git history")
    return local_instant(options.today, district.timezone)
