"""`sipctl check`: read every file of the district and report what is wrong.

It judges structure (parse and schema of every file, the header keys against
the file's place, documents the framework does not know, framework documents
missing from a school's cycle folder) and, given `as_of`, every deadline from
git history and approved documents edited without reopening. Each broken file
becomes findings; the other files are still read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from sipctl.findings import Finding, Severity, count_by_severity
from sipctl.framework import FrameworkDocument
from sipctl.history import STATUS_ORDER
from sipctl.models import PlanDocument
from sipctl.models.district import SchoolProfile
from sipctl.repository import District, Loaded
from sipctl.rules import SchoolCycle, run_rules
from sipctl.services.audit import DeadlineRules, DocumentState, read_audit_history
from sipctl.validation import Place
from sipctl.yamlsource import YamlLoadError, load_yaml_file


@dataclass
class CheckOptions:
    school: str | None = None
    only: set[str] | None = None  # --changed-since: only these schools
    strict: bool = False
    as_of: dt.datetime | None = None  # None: deadlines are not judged


@dataclass
class CheckResult:
    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    schools: int = 0
    notes: list[str] = field(default_factory=list)
    strict: bool = False
    # school -> "cycle/document" of every document file read, for per-document reports
    checked_documents: dict[str, list[str]] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        return count_by_severity(self.findings)

    @property
    def failed(self) -> bool:
        counts = self.counts
        return counts["error"] > 0 or (self.strict and counts["warning"] > 0)


def run_check(district: District, options: CheckOptions) -> CheckResult:
    result = CheckResult(strict=options.strict)
    rules = None
    if options.as_of is not None:
        history, note = read_audit_history(district)
        if note:
            result.notes.append(note)
        rules = DeadlineRules(district, history, options.as_of)
    schools = district.schools()
    if options.school is not None:
        schools = [s for s in schools if s == options.school]
    if options.only is not None:
        schools = [s for s in schools if s in options.only]
    cycles_seen: set[str] = set()
    for slug in schools:
        result.schools += 1
        profile = district.school_profile(slug)
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
        for cycle_id in district.school_cycles(slug):
            if cycle_id not in cycles_seen:
                cycles_seen.add(cycle_id)
                result.findings.extend(_check_cycle_file(district, cycle_id))
            frameworks = district.frameworks_for(cycle_id, profile.model)
            expected = district.framework_documents(frameworks)
            result.findings.extend(
                _check_cycle_folder(
                    district, slug, cycle_id, expected, result, rules, profile.model
                )
            )
    if options.school is None and options.only is None:
        for cycle_id in district.cycle_ids():
            if cycle_id not in cycles_seen:
                result.findings.extend(_check_cycle_file(district, cycle_id))
    if rules is not None:
        result.findings.extend(rules.findings)
    result.findings.sort(key=Finding.sort_key)
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
    rules: DeadlineRules | None,
    profile: SchoolProfile | None,
) -> list[Finding]:
    findings: list[Finding] = []
    by_id = {doc.id: doc for doc in expected}
    present: set[str] = set()
    documents: dict[str, Loaded[PlanDocument]] = {}
    for path in district.document_files(slug, cycle_id):
        result.files += 1
        present.add(path.stem)
        entry = by_id.get(path.stem)
        if entry is None:
            findings.extend(_unknown_document(district, path, slug, cycle_id, by_id))
            continue
        loaded = district.load_document(path, slug, cycle_id, entry)
        documents[entry.id] = loaded
        result.checked_documents.setdefault(slug, []).append(f"{cycle_id}/{entry.id}")
        findings.extend(loaded.findings)
        findings.extend(_header_mismatches(loaded, slug, cycle_id, entry))
        if rules is not None:
            state = _document_state(loaded)
            rules.judge_document(state, cycle_id, entry.id)
            rules.approval_drift(state)
    plan = SchoolCycle(
        school=slug,
        cycle=cycle_id,
        profile=profile,
        cycle_config=district.cycle(cycle_id).model,
        documents=documents,
        as_of=rules.as_of if rules else None,
    )
    findings.extend(run_rules(plan))
    folder = f"schools/{slug}/{cycle_id}"
    for doc in expected:
        if doc.id not in present:
            findings.append(
                Place(f"{folder}/{doc.id}.yaml", slug, cycle_id, doc.id).finding(
                    "document-missing",
                    f"{doc.title} ({doc.id}.yaml) is missing from {folder}/",
                    hint=f"`sipctl init {slug} --cycle {cycle_id}` adds missing documents",
                )
            )
    return findings


def _unknown_document(
    district: District, path: Path, slug: str, cycle_id: str, known: dict[str, FrameworkDocument]
) -> list[Finding]:
    place = Place(district.rel(path), slug, cycle_id, path.stem)
    try:
        load_yaml_file(path)
    except YamlLoadError as exc:
        return [place.problem(exc.problem)]
    return [
        place.finding(
            "unknown-document",
            f"{path.name} is not a document of this school's framework",
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
