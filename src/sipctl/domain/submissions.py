"""The audit trail: deadlines judged from git history, approval drift, and the log.

Git history is the record (DESIGN.md section 4): the moment a document reached
`draft` or `final` is the committer time of the earliest commit in HEAD's
history whose version of the file has that status or a later one. Where there
is no trustworthy history (no git, a folder inside another project, a shallow
clone) this module says so and never passes off a guess as a judgement.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sipctl.domain.deadlines import (
    Judgement,
    Stage,
    State,
    humanize,
    judge,
    local_instant,
    show_time,
)
from sipctl.domain.district import District
from sipctl.domain.findings import Finding, Severity, finding
from sipctl.domain.validation import Place
from sipctl.git.history import STATUS_ORDER, History, StatusChange, read_history, school_folders
from sipctl.source.files import YamlLoadError
from sipctl.source.positions import load_yaml

SHALLOW_HINT = (
    "this is a shallow clone, so submission times cannot be judged; fetch the whole "
    "history (in GitHub Actions: `fetch-depth: 0` on actions/checkout, or run "
    "`git fetch --unshallow`)"
)
NOTES = {
    "no-git": "{root} is not in a git repository: deadlines are judged from each document's "
    "current status only, and submission times are unknown",
    "not-toplevel": "{root} is not the top of its git work tree, so that history does not "
    "belong to these plans: deadlines are judged from current status only",
    "no-commits": "the repository has no commits yet: deadlines are judged from each "
    "document's current status only, as in a folder without git, and submission times are "
    "unknown (commit the plans to start the audit trail)",
    "shallow": SHALLOW_HINT,
}

CACHE_NOTE = (
    "{problem}, so the history cache was neither read nor written there and the whole "
    "history was read again (slower, same result); remove it to let sipctl keep its cache"
)


def read_audit_history(
    district: District, schools: list[str] | None = None, *, overlap: bool = True
) -> tuple[History, str | None]:
    """The history (of `schools` only, if given) and, when it cannot be trusted whole,
    the note that says why. `overlap`: see `read_history`."""
    history = read_history(district.root, under=school_folders(schools), overlap=overlap)
    return history, history_note(district, history)


def history_note(district: District, history: History) -> str | None:
    """Why deadlines are judged without (trustworthy) history, or why the history cache
    was left alone; None when neither."""
    if history.available and history.cache_problem is not None:
        return CACHE_NOTE.format(problem=history.cache_problem)
    note = None if history.available else NOTES[history.reason or "no-git"]
    return note.format(root=district.root) if note else None


@dataclass(frozen=True)
class DocumentState:
    """What check knows of one document file now: its status and where that line is."""

    rel: str
    place: Place
    status: str | None
    line: int | None = None
    column: int | None = None


def cycle_timezone(district: District, cycle_id: str) -> ZoneInfo:
    cycle = district.cycle(cycle_id).model
    return ZoneInfo((cycle.timezone if cycle else None) or district.config.timezone)


def due_dates(district: District, cycle_id: str, doc_id: str) -> dict[Stage, dt.datetime]:
    cycle = district.cycle(cycle_id).model
    if cycle is None or doc_id not in cycle.documents:
        return {}
    tz = cycle_timezone(district, cycle_id)
    entry = cycle.documents[doc_id]
    out = {}
    for stage, value in ((Stage.DRAFT, entry.draft_due), (Stage.FINAL, entry.final_due)):
        if value is not None:
            out[stage] = local_instant(value, tz)
    return out


@dataclass
class DeadlineRules:
    """Judges every deadline of the documents check has seen."""

    district: District
    history: History
    as_of: dt.datetime
    findings: list[Finding] = field(default_factory=list)
    # (cycle, document) -> its timezone and deadlines: the same for every school
    _dues: dict[tuple[str, str], tuple[ZoneInfo, dict[Stage, dt.datetime]]] = field(
        default_factory=dict, repr=False
    )

    def __post_init__(self) -> None:
        if self.history.replaced:
            self.findings.append(replaced_history_finding())

    def judge_document(self, state: DocumentState, cycle_id: str, doc_id: str) -> None:
        if self.history.reason == "shallow":
            return  # a wrong date is worse than none: the note says why
        warning = dt.timedelta(days=self.district.config.warning_days)
        key = (cycle_id, doc_id)
        if key not in self._dues:
            self._dues[key] = (
                cycle_timezone(self.district, cycle_id),
                due_dates(self.district, cycle_id, doc_id),
            )
        tz, dues = self._dues[key]
        for stage, due in dues.items():
            verdict = self.judgement(state, stage, due, warning)
            moved = self.history.unsure.get(state.rel)
            if moved is not None and verdict.state in (State.MISSED, State.LATE):
                self.findings.append(_unsure_move(state, stage.value, moved.sha, moved.time, tz))
                continue  # a wrong judgement is worse than none: the note says why
            finding = self.finding(state, verdict, tz)
            if finding is not None:
                self.findings.append(finding)

    def judgement(
        self, state: DocumentState, stage: Stage, due: dt.datetime, warning: dt.timedelta
    ) -> Judgement:
        if self.history.available:
            commit = self.history.reached(state.rel, stage.value)
            at = commit.time if commit else None
            return judge(stage, due, at, reached=at is not None, as_of=self.as_of, warning=warning)
        reached = state.status is not None and reached_stage(state.status, stage)
        return judge(stage, due, None, reached=reached, as_of=self.as_of, warning=warning)

    def finding(self, state: DocumentState, verdict: Judgement, tz: ZoneInfo) -> Finding | None:
        if verdict.state not in (State.MISSED, State.LATE, State.SOON):
            return None  # most judgements: worded only when there is a finding
        stage, due = verdict.stage.value, show_time(verdict.due, tz)
        if verdict.state is State.MISSED:
            overdue = humanize(self.as_of - verdict.due)
            return _deadline_finding(
                state,
                "deadline-missed",
                f"the {stage} was due {due} and has not been submitted (overdue by {overdue})",
                Severity.ERROR,
                f"finish the document, set `status: {stage}` and commit it",
                stage,
                due,
            )
        if verdict.state is State.LATE and verdict.reached_at and verdict.delay:
            submitted = show_time(verdict.reached_at, tz)
            return _deadline_finding(
                state,
                "deadline-late",
                f"the {stage} was submitted {submitted}, {humanize(verdict.delay)} after the "
                f"deadline {due}",
                Severity.WARNING,
                "a record of the past: nothing to fix; the district sees it in `sipctl log`",
                stage,
                due,
                submitted=submitted,
                late_by_seconds=int(verdict.delay.total_seconds()),
            )
        if verdict.state is State.SOON:
            return _deadline_finding(
                state,
                "deadline-soon",
                f"the {stage} is due {due}, in {humanize(verdict.due - self.as_of)}",
                Severity.WARNING,
                f"set `status: {stage}` and commit when it is ready",
                stage,
                due,
            )
        return None

    def approval_drift(self, state: DocumentState) -> None:
        """`approved-changed`: content edited after approval without reopening."""
        edits = self.history.approved_edits.get(state.rel, [])
        if not edits:
            return
        last_approval = _last_approval(self.history.changes.get(state.rel, []))
        tz = ZoneInfo(self.district.config.timezone)
        for edit in edits:
            if last_approval is not None and edit.commit.time < last_approval:
                continue  # reopened and approved again since
            fields = changed_fields(
                self.history.blob_text(edit.old_blob), self.history.blob_text(edit.new_blob)
            )
            self.findings.append(
                state.place.finding(
                    "approved-changed",
                    f"commit {edit.commit.sha[:10]} by {edit.commit.author} on "
                    f"{show_time(edit.commit.time, tz)} changed the approved document "
                    f"({', '.join(fields) or 'formatting'}) without setting its status back",
                    line=state.line,
                    column=state.column,
                    hint="revert that change, or set `status: in-progress`, commit, and have the "
                    "district approve it again",
                    commit=edit.commit.sha,
                    fields=fields,
                )
            )


def replaced_history_finding() -> Finding:
    """`history-replaced`: the note that replace refs or grafts were set aside. Plain
    `git log` shows the replacement; submission times come from the recorded commits,
    which anyone can check with `git log --no-replace-objects`."""
    return finding(
        "history-replaced",
        "this repository has replacement commits (`git replace`) or a grafts file "
        "(.git/info/grafts), with which git shows other commits than those recorded; "
        "submission times are judged from the recorded history, as if they were not there",
        Severity.INFO,
        hint="`git log --no-replace-objects` shows the history sipctl judged; "
        "`git replace --list` lists the replacements and `git replace -d` removes one",
    )


def _unsure_move(
    state: DocumentState, stage: str, sha: str, time: dt.datetime, tz: ZoneInfo
) -> Finding:
    """`history-renamed`: the document came into its folder in a commit that moved the
    same document out of several school folders (or into several) at once, so whose
    submissions it continues cannot be told (`sipctl.git.renames`)."""
    return state.place.finding(
        "history-renamed",
        f"this document came into its folder in commit {sha[:10]} ({show_time(time, tz)}), "
        "which moved the same document between several school folders at once, so the "
        f"submissions it continues cannot be told; its {stage} deadline is not judged",
        severity=Severity.INFO,
        line=state.line,
        column=state.column,
        hint="rename one school folder per commit; `sipctl log` shows each old folder's trail",
        stage=stage,
        commit=sha,
    )


def _deadline_finding(
    state: DocumentState,
    rule: str,
    message: str,
    severity: Severity,
    hint: str,
    stage: str,
    due: str,
    **extra: Any,
) -> Finding:
    return state.place.finding(
        rule,
        message,
        severity=severity,
        line=state.line,
        column=state.column,
        hint=hint,
        stage=stage,
        due=due,
        **extra,
    )


def reached_stage(status: str, stage: Stage) -> bool:
    return STATUS_ORDER.index(status) >= STATUS_ORDER.index(stage.value)


def _last_approval(changes: list[StatusChange]) -> dt.datetime | None:
    times = [c.commit.time for c in changes if c.new_status == "approved"]
    return max(times) if times else None


def changed_fields(old_text: str, new_text: str) -> list[str]:
    """Top-level fields whose value differs between two versions of a document."""
    try:
        old, new = load_yaml(old_text).data, load_yaml(new_text).data
    except YamlLoadError:
        return ["a version that cannot be read"]
    if not isinstance(old, dict) or not isinstance(new, dict):
        return ["the whole document"]
    keys = list(dict.fromkeys([*old, *new]))
    return [k for k in keys if k != "status" and old.get(k) != new.get(k)]
