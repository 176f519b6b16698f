"""`sipctl check`: read every file of the district and report what is wrong.

It judges structure (parse and schema of every file, the header keys against
the file's place, documents the framework does not know, framework documents
missing from a school's cycle folder) and, given `as_of`, every deadline from
git history and approved documents edited without reopening. Each broken file
becomes findings; the other files are still read.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sipctl.concurrency import Background, batches, forked_map, uses_pool, workers
from sipctl.domain.district import District, Loaded, link_problem
from sipctl.domain.findings import Finding, Severity, count_by_severity
from sipctl.domain.framework import FrameworkDocument
from sipctl.domain.misnamed import cycle_file_findings, folder_findings
from sipctl.domain.submissions import DeadlineRules, DocumentState, history_note
from sipctl.domain.validation import Place
from sipctl.git.history import STATUS_ORDER, History, read_history_beside
from sipctl.git.history_child import read_history_apart
from sipctl.models import PlanDocument
from sipctl.models.district import SchoolProfile
from sipctl.names import visible
from sipctl.progress import Progress
from sipctl.rules.all_rules import run_rules
from sipctl.rules.contacts import contact_findings
from sipctl.rules.registry import SchoolCycle
from sipctl.services.check_start import CheckStart
from sipctl.services.crowds import count_crowds
from sipctl.source.files import YamlLoadError
from sipctl.source.positions import load_yaml_file


@dataclass
class CheckOptions:
    school: str | None = None
    only: set[str] | None = None  # --changed-since: only these schools
    strict: bool = False
    as_of: dt.datetime | None = None  # None: deadlines are not judged
    jobs: int = 1  # worker processes for a large district


@dataclass
class CheckResult:
    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    schools: int = 0
    notes: list[str] = field(default_factory=list)
    strict: bool = False
    # school -> "cycle/document" of every document file read, for per-document reports
    checked_documents: dict[str, list[str]] = field(default_factory=dict)
    # (state, cycle, document) of every framework document read, for the deadline rules,
    # which run once history is read (a few small records a document)
    states: list[tuple[DocumentState, str, str]] = field(default_factory=list)
    # Seconds spent (for JUnit; durations, not the time of day: nothing judged uses them):
    # the whole check, each school, each file read by school (None: the cycle files),
    # named as in checked_documents or by path.
    seconds: float = 0.0
    school_seconds: dict[str, float] = field(default_factory=dict)
    file_seconds: dict[str | None, dict[str, float]] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        return count_by_severity(self.findings)

    def merge(self, other: CheckResult) -> None:
        self.findings.extend(other.findings)
        self.files += other.files
        self.schools += other.schools
        self.checked_documents.update(other.checked_documents)
        self.states.extend(other.states)
        self.school_seconds.update(other.school_seconds)
        self.file_seconds.update(other.file_seconds)

    @property
    def failed(self) -> bool:
        counts = self.counts
        return counts["error"] > 0 or (self.strict and counts["warning"] > 0)


@dataclass
class CheckPlan:
    """A check ready to run: its options, with the schools --changed-since chose, the
    history read already started (if any), and how many schools it covers."""

    options: CheckOptions
    history: Background[History] | None
    schools: int


def plan_check(district: District, options: CheckOptions, start: CheckStart) -> CheckPlan:
    """The check of `options` on `district`, once `start_check` has found it: refuses a
    school that is not there, and takes the changed schools from `start`."""
    only, history = start.finish()
    if options.school is not None:
        district.require_school(options.school)
    options = dataclasses.replace(options, only=only)
    count = 1 if options.school else len(only if only is not None else district.schools())
    return CheckPlan(options, history, count)


def run_check(
    district: District,
    options: CheckOptions,
    progress: Progress | None = None,
    history: Background[History] | None = None,
) -> CheckResult:
    """Check the district (or the schools `options` selects), in `options.jobs` processes.

    Git history is read while the schools are checked: the git processes run on a core
    of their own, and the plans need no history. With worker processes it is read in a
    thread of this otherwise idle process; a large district checked in this process
    reads it in a child process instead (`git.history_child`), so that decoding it does not
    take turns with the plan check. The deadline rules judge the small record kept of
    each document as its school comes back, from when the history is in. Each school's
    plan is read, judged and dropped in turn, so memory grows with one school's plan
    rather than with the district.

    `history` is that read, already started by a caller that knew which schools it
    covers (`sipctl check` of a few schools starts it before it imports the models).
    The check then runs in this process: a fork never copies a running thread.
    """
    started = time.perf_counter()
    result = CheckResult(strict=options.strict)
    schools = district.schools()
    if options.school is not None:
        schools = [s for s in schools if s == options.school]
    if options.only is not None:
        schools = [s for s in schools if s in options.only]
    whole = options.school is None and options.only is None
    if options.school is None:  # --school names a slug: no other folder is its concern
        result.findings.extend(folder_findings(district.school_folders(), options.only))
    if whole:
        result.findings.extend(cycle_file_findings(district.cycle_file_stems()))
    cycle_ids = set(district.cycle_ids()) if whole else set()
    for slug in schools:
        cycle_ids.update(district.school_cycles(slug))
    for cycle_id in sorted(cycle_ids):
        began = time.perf_counter()
        result.findings.extend(_check_cycle_file(district, cycle_id))
        spent = time.perf_counter() - began
        result.file_seconds.setdefault(None, {})[district.cycle(cycle_id).rel] = spent
    judged = options.as_of is not None and (whole or bool(schools))
    with _school_checks(district, schools, options, parallel=history is None) as parts:
        # Started once any worker processes exist: a fork never copies a running thread.
        if history is None and judged:
            apart = not _pooled(options, schools) and uses_pool(len(schools))
            read = read_history_apart if apart else read_history_beside
            history = read(district.root, None if whole else schools)
        # Once the history is in, the documents are judged as their schools come back,
        # while the workers check the rest, rather than all at the end.
        deadlines = None
        if judged and history is not None and options.as_of is not None:
            deadlines = _Deadlines(district, history, options.as_of)
        for part in parts:
            result.merge(part)
            if deadlines is not None:
                deadlines.judge(result.states)
            if progress:
                progress(part.schools)
        if deadlines is not None:
            rules = deadlines.finish(result.states)
            note = history_note(district, rules.history)
            if note:
                result.notes.append(note)
            result.findings.extend(rules.findings)
    result.findings.sort(key=Finding.sort_key)
    result.findings = count_crowds(result.findings)
    result.seconds = time.perf_counter() - started
    return result


class _Deadlines:
    """The deadline rules over the documents checked so far, from when the history is
    read; `judge` takes up where its last call stopped."""

    def __init__(
        self, district: District, history: Background[History], as_of: dt.datetime
    ) -> None:
        self._district = district
        self._read = history
        self._as_of = as_of
        self._rules: DeadlineRules | None = None
        self._judged = 0

    def judge(self, states: list[tuple[DocumentState, str, str]]) -> None:
        """Judge the documents not judged yet, if the history is in; never waits."""
        if self._rules is None:
            if not self._read.ready():
                return  # a failed read raises in `finish`, once the workers are done
            self._rules = DeadlineRules(self._district, self._read.result(), self._as_of)
        for state, cycle_id, doc_id in states[self._judged :]:
            self._rules.judge_document(state, cycle_id, doc_id)
            self._rules.approval_drift(state)
        self._judged = len(states)

    def finish(self, states: list[tuple[DocumentState, str, str]]) -> DeadlineRules:
        """Wait for the history, judge the rest, and give the rules with their findings."""
        if self._rules is None:
            self._rules = DeadlineRules(self._district, self._read.result(), self._as_of)
        self.judge(states)
        return self._rules


_SHARED: tuple[District, CheckOptions] | None = None
_WORKER_NICENESS = 10


@contextlib.contextmanager
def _school_checks(
    district: District, schools: list[str], options: CheckOptions, *, parallel: bool = True
) -> Iterator[Iterator[CheckResult]]:
    """Each school's result, in order; with a pool, every worker is forked on entry."""
    if not parallel or not _pooled(options, schools):
        yield (_check_school(district, slug, options) for slug in schools)
        return
    jobs = workers(options.jobs, len(schools))
    global _SHARED
    _SHARED = (district, options)  # inherited by the forked workers
    try:
        with forked_map(_check_batch, batches(schools, jobs, 8), jobs, _yield_to_history) as done:
            yield done
    finally:
        _SHARED = None


def _pooled(options: CheckOptions, schools: list[str]) -> bool:
    """Whether these schools are checked by worker processes (unless history is
    already being read in a thread)."""
    return workers(options.jobs, len(schools)) > 0


def _yield_to_history() -> None:
    """Run a worker below the main process's priority. The main process reads the
    history meanwhile (git log, git cat-file and the thread that parses them), and that
    read, not the workers, is the last to finish on a long history: the deadline phase
    waits for it. On 2 cores and 1,800 schools this took a whole check from about 14.1
    to 12.9 s without the history cache; with it, it changes nothing."""
    with contextlib.suppress(OSError):
        os.nice(_WORKER_NICENESS)


def _check_batch(slugs: Sequence[str]) -> CheckResult:
    assert _SHARED is not None
    district, options = _SHARED
    out = CheckResult()
    for slug in slugs:
        out.merge(_check_school(district, slug, options))
    return out


def _check_school(district: District, slug: str, options: CheckOptions) -> CheckResult:
    started = time.perf_counter()
    result = CheckResult(schools=1)
    profile = district.school_profile(slug)
    result.file_seconds[slug] = {profile.rel: time.perf_counter() - started}
    result.files += 1
    result.findings.extend(profile.findings)
    if profile.source is None and not profile.findings:
        result.findings.append(
            profile.place.finding(
                "school-profile-missing",
                "the school has no school.yaml profile",
                hint=f"create it with `sipctl init {slug} --cycle <cycle>`",
            )
        )
    statuses: list[str | None] = []
    for cycle_id in district.school_cycles(slug):
        frameworks = district.frameworks_for(cycle_id, profile.model)
        expected = district.framework_documents(frameworks)
        result.findings.extend(
            _check_cycle_folder(
                district, slug, cycle_id, expected, result, options, profile.model, statuses
            )
        )
    planning = any(status not in (None, "not-started") for status in statuses)
    result.findings.extend(contact_findings(profile, started=planning))
    result.school_seconds[slug] = time.perf_counter() - started
    return result


def _check_cycle_file(district: District, cycle_id: str) -> list[Finding]:
    loaded = district.cycle(cycle_id)
    if loaded.source is None and not loaded.findings:
        return [
            loaded.place.finding(
                "cycle-missing",
                f"cycle {cycle_id} has no cycle file, so its deadlines are unknown",
                severity=Severity.WARNING,
                hint=f"`sipctl init SCHOOL --cycle {cycle_id}` writes it with the framework's "
                "dates",
            )
        ]
    return list(loaded.findings)


def _check_cycle_folder(
    district: District,
    slug: str,
    cycle_id: str,
    expected: list[FrameworkDocument],
    result: CheckResult,
    options: CheckOptions,
    profile: SchoolProfile | None,
    statuses: list[str | None],
) -> list[Finding]:
    """The findings of one cycle folder; adds each document's status to `statuses`."""
    findings: list[Finding] = []
    by_id = {doc.id: doc for doc in expected}
    present: set[str] = set()
    documents: dict[str, Loaded[PlanDocument]] = {}
    seconds = result.file_seconds.setdefault(slug, {})
    for path in district.document_files(slug, cycle_id):
        began = time.perf_counter()
        result.files += 1
        present.add(path.stem)
        entry = by_id.get(path.stem)
        if entry is None:
            findings.extend(_unknown_document(district, path, slug, cycle_id, by_id))
        else:
            loaded = district.load_document(path, slug, cycle_id, entry)
            documents[entry.id] = loaded
            statuses.append(loaded.model.status if loaded.model else None)
            result.checked_documents.setdefault(slug, []).append(f"{cycle_id}/{entry.id}")
            findings.extend(loaded.findings)
            findings.extend(_header_mismatches(loaded, slug, cycle_id, entry))
            if options.as_of is not None:
                result.states.append((_document_state(loaded), cycle_id, entry.id))
        seconds[f"{cycle_id}/{path.stem}"] = time.perf_counter() - began
    plan = SchoolCycle(
        school=slug,
        cycle=cycle_id,
        profile=profile,
        cycle_config=district.cycle(cycle_id).model,
        documents=documents,
        as_of=options.as_of,
    )
    findings.extend(run_rules(plan))
    folder = f"schools/{slug}/{cycle_id}"
    unreadable = district.unreadable.get(folder)
    if unreadable is not None:  # its documents are not missing: they could not be seen
        return [Place(folder, slug, cycle_id).problem(unreadable)]
    for doc in expected:
        if doc.id not in present:
            findings.append(
                Place(f"{folder}/{doc.id}.yaml", slug, cycle_id, doc.id).finding(
                    "document-missing",
                    f"{doc.title} ({doc.id}.yaml) is missing from {folder}/",
                    hint=f"add {doc.id}.yaml with the keys document, school, cycle and "
                    "status: not-started (a fresh `sipctl init` in an empty folder shows one)",
                )
            )
    return findings


def _unknown_document(
    district: District, path: Path, slug: str, cycle_id: str, known: dict[str, FrameworkDocument]
) -> list[Finding]:
    place = Place(district.rel(path), slug, cycle_id, path.stem)
    problem = link_problem(path, district.root)
    if problem is not None:  # never parsed: its text could land in a finding
        return [place.problem(problem)]
    try:
        load_yaml_file(path)
    except YamlLoadError as exc:
        return [place.problem(exc.problem)]
    return [
        place.finding(
            "unknown-document",
            f"{visible(path.name)} is not a document of this school's framework",
            line=1,
            column=1,
            hint="rename it to one of: " + ", ".join(f"{k}.yaml" for k in known),
        )
    ]


def _header_mismatches(
    loaded: Loaded[PlanDocument], slug: str, cycle_id: str, entry: FrameworkDocument
) -> list[Finding]:
    model, source = loaded.model, loaded.source
    if model is None or source is None:
        return []
    wanted = {"document": entry.id, "school": slug, "cycle": cycle_id}
    findings = []
    for key, value in wanted.items():
        actual = getattr(model, key)
        if actual != value:
            line, column = source.position((key,))
            findings.append(
                loaded.place.finding(
                    "path-mismatch",
                    f"says {key}: {actual} but the file is in the place of {key} {value}",
                    line=line,
                    column=column,
                    path=key,
                    hint=f"set `{key}: {value}` or move the file",
                )
            )
    return findings


def _document_state(loaded: Loaded[PlanDocument]) -> DocumentState:
    """The document's current status and the place of its `status:` line."""
    status = loaded.model.status if loaded.model else None
    line = column = None
    if loaded.source is not None:
        data = loaded.source.data
        raw = data.get("status") if isinstance(data, dict) else None
        if status is None and raw in STATUS_ORDER:
            status = raw
        line, column = loaded.source.position(("status",))
    return DocumentState(loaded.rel, loaded.place, status, line, column)
