"""`sipctl log`: a school's audit trail, each status change with its deadline verdict."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sipctl.domain.deadlines import Stage, State, judge, on_time
from sipctl.domain.district import District
from sipctl.domain.framework import FrameworkDocument
from sipctl.domain.submissions import NOTES, due_dates, read_audit_history
from sipctl.errors import SipctlError, UsageError
from sipctl.git.history import STATUS_ORDER, History, StatusChange


@dataclass(frozen=True)
class LogEvent:
    document: str
    title: str
    path: str
    old_status: str | None
    new_status: str | None
    sha: str
    author: str
    time: dt.datetime
    subject: str
    stage: str | None = None  # the deadline this change answered
    due: dt.datetime | None = None
    first: bool = True  # the first time this stage was reached (what deadlines judge)

    @property
    def delay(self) -> dt.timedelta | None:
        return self.time - self.due if self.due is not None else None

    @property
    def verdict(self) -> str:
        if self.new_status in (None, "not-started", "in-progress") and self.old_status in (
            "draft",
            "final",
            "approved",
        ):
            return "reopened"
        if self.due is None:
            return ""
        if not self.first:
            return "resubmitted"
        return "on time" if on_time(self.time, self.due) else "late"


@dataclass(frozen=True)
class OpenDeadline:
    """A deadline of the school's cycle whose stage no commit has reached yet."""

    document: str
    title: str
    stage: str
    due: dt.datetime
    state: State  # missed, due soon or pending, as check and status judge it

    @property
    def missed(self) -> bool:
        return self.state is State.MISSED


@dataclass
class LogResult:
    school: str
    cycle: str
    as_of: dt.datetime
    events: list[LogEvent] = field(default_factory=list)
    # not reached, missed or still to come, in due order: what the trail does not show
    open_deadlines: list[OpenDeadline] = field(default_factory=list)


def audit_log(
    district: District,
    school: str,
    *,
    document: str | None,
    cycle: str | None,
    as_of: dt.datetime,
    history: History | None = None,
) -> LogResult:
    """A school's status changes, and the deadlines no commit has met yet as of `as_of`;
    `history` saves re-reading git when the caller has it (else only the school's own
    history is walked)."""
    cycle_id = district.school_cycle(school, cycle or None)
    profile = district.school_profile(school).model
    entries = {
        d.id: d for d in district.framework_documents(district.frameworks_for(cycle_id, profile))
    }
    if document is not None and document not in entries:
        raise UsageError(
            f"{document!r} is not a document of {school}'s {cycle_id} plan",
            hint="documents: " + ", ".join(entries),
        )
    note = None
    if history is None:
        history, note = read_audit_history(district, [school])
    if not history.available:
        reason = note or NOTES[history.reason or "no-git"].format(root=district.root)
        raise SipctlError(f"no audit trail: {reason}")
    result = LogResult(school, cycle_id, as_of)
    prefix = f"schools/{school}/{cycle_id}/"
    paths: dict[str, str] = {}  # document -> the file history knows it by
    for path, changes in history.changes_under(prefix):
        doc_id = path[len(prefix) :].rsplit(".", 1)[0]
        if document is not None and doc_id != document:
            continue
        paths.setdefault(doc_id, path)
        entry = entries.get(doc_id)
        events = _events(district, cycle_id, doc_id, entry, path, changes)
        result.events.extend(e for e in events if e.time <= as_of)  # later: not yet
    result.events.sort(key=lambda e: (e.time, e.document))
    warning = dt.timedelta(days=district.config.warning_days)
    for doc_id, entry in entries.items():
        if document is not None and doc_id != document:
            continue
        path = paths.get(doc_id, f"{prefix}{doc_id}.yaml")
        for stage, due in due_dates(district, cycle_id, doc_id).items():
            reached = history.reached(path, stage.value)
            verdict = judge(
                stage,
                due,
                reached.time if reached else None,
                reached=False,
                as_of=as_of,
                warning=warning,
            )
            if verdict.state in (State.MISSED, State.SOON, State.PENDING):
                result.open_deadlines.append(
                    OpenDeadline(doc_id, entry.title, stage.value, due, verdict.state)
                )
    result.open_deadlines.sort(key=lambda d: (d.due, d.stage != "draft", d.document))
    return result


def _events(
    district: District,
    cycle_id: str,
    doc_id: str,
    entry: FrameworkDocument | None,
    path: str,
    changes: list[StatusChange],
) -> list[LogEvent]:
    dues = due_dates(district, cycle_id, doc_id)
    reached: set[str] = set()
    seen: set[tuple[str, str | None]] = set()
    events = []
    for change in changes:
        # A merge that resolved a conflict differs from each parent: one entry is enough.
        key = (change.commit.sha, change.new_status)
        if key in seen:
            continue
        seen.add(key)
        stage = _stage(change.new_status)
        first = stage is not None and stage.value not in reached
        if stage is not None:
            # Reaching final also reaches draft: later drafts are resubmissions.
            reached.update(s.value for s in Stage if _rank(s.value) <= _rank(stage.value))
        events.append(
            LogEvent(
                document=doc_id,
                title=entry.title if entry else doc_id,
                path=path,
                old_status=change.old_status,
                new_status=change.new_status,
                sha=change.commit.sha,
                author=change.commit.author,
                time=change.commit.time,
                subject=change.commit.subject,
                stage=stage.value if stage and stage in dues else None,
                due=dues.get(stage) if stage else None,
                first=first,
            )
        )
    return events


def _rank(status: str) -> int:
    return STATUS_ORDER.index(status)


def _stage(status: str | None) -> Stage | None:
    return Stage(status) if status in (Stage.DRAFT.value, Stage.FINAL.value) else None
