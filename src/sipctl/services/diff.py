"""`sipctl diff`: what changed in the plan, in plan words.

Three comparisons, one result shape (`DiffReport`):

- submission: a document as it was when it first reached `draft` against when it first
  reached `final` (the audit trail's rule, DESIGN.md section 4), or against the working
  tree while there is no final yet;
- revisions: every plan document that differs between two git revisions (a pull
  request's base and head, or a revision and the working tree);
- cycles: a school's documents in two cycle folders of the working tree, for the annual
  renewal's "what changes next year" (seed 003).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from sipctl.diffing.changes import DiffMode, DiffReport, Side
from sipctl.diffing.documents import DocumentRef, Source, compare_document
from sipctl.diffing.versions import Version
from sipctl.domain.district import District
from sipctl.domain.framework import FrameworkDocument, all_documents
from sipctl.errors import UsageError
from sipctl.git.history import Commit, read_history
from sipctl.git.revisions import Revision, changed_files, read_files, resolve
from sipctl.names import visible
from sipctl.source.files import YamlLoadError, read_text

_SUFFIXES = (".yaml", ".yml")
_DOCUMENT_PATH = re.compile(r"^schools/([a-z0-9]+(?:-[a-z0-9]+)*)/([0-9]{4}-[0-9]{2})/([^/]+)$")
# Why there are no submitted versions to compare, and what to do (history.reason).
_NO_HISTORY = {
    "shallow": (
        "this is a shallow clone, so the submitted versions are not in it",
        "fetch the whole history: in GitHub Actions set `fetch-depth: 0` on "
        "actions/checkout, or run `git fetch --unshallow`",
    ),
    "no-git": (
        "{root} is not in a git repository, so there are no submitted versions",
        "commit the district to git first; to compare two cycles of the working tree use "
        "`sipctl diff SCHOOL --cycle 2022-23..2023-24`",
    ),
    "not-toplevel": (
        "{root} is not the top of its git work tree, so that history is not the plans' own",
        "run it in the district's own repository; `sipctl diff --from REV` compares revisions here",
    ),
    "no-commits": (
        "the repository has no commits yet",
        "commit the documents first: uncommitted work is not a submission",
    ),
}


@dataclass
class _Schools:
    """School names and framework entries, read once per school and cycle."""

    district: District
    _names: dict[str, str] = field(default_factory=dict)
    _entries: dict[tuple[str, str], list[FrameworkDocument]] = field(default_factory=dict)

    def name(self, slug: str) -> str:
        if slug not in self._names:
            profile = self.district.school_profile(slug).model
            self._names[slug] = profile.name if profile else slug
        return self._names[slug]

    def entries(self, slug: str, cycle: str) -> list[FrameworkDocument]:
        if (slug, cycle) not in self._entries:
            profile = self.district.school_profile(slug).model
            names = self.district.frameworks_for(cycle, profile)
            self._entries[slug, cycle] = self.district.framework_documents(names)
        return self._entries[slug, cycle]

    def ref(self, slug: str, cycle: str, doc_id: str) -> DocumentRef:
        entry = next((e for e in self.entries(slug, cycle) if e.id == doc_id), None)
        if entry is not None:
            return DocumentRef(slug, self.name(slug), cycle, doc_id, entry.title, entry.model_class)
        # Not in the school's frameworks: compared as plain YAML, titled if any framework
        # knows it, else by its file's name, shown as data (every sentence about it says it).
        other = all_documents().get(doc_id)
        title = other.title if other else visible(doc_id)
        return DocumentRef(slug, self.name(slug), cycle, doc_id, title, None)

    def order(self, slug: str, cycle: str, doc_id: str) -> tuple[int, str]:
        ids = [e.id for e in self.entries(slug, cycle)]
        return (ids.index(doc_id) if doc_id in ids else len(ids), doc_id)


# --- SCHOOL DOC: draft as submitted against final -----------------------------------------


def diff_submission(
    district: District, school: str, document: str, cycle: str | None
) -> DiffReport:
    schools = _Schools(district)
    cycle_id = district.school_cycle(school, cycle or None)
    rel = _document_file(district, schools, school, cycle_id, document)
    ref = schools.ref(school, cycle_id, document)
    history = read_history(district.root)
    if not history.available:
        reason, hint = _NO_HISTORY[history.reason or "no-git"]
        raise UsageError(
            f"cannot compare the submitted versions of {rel}: " + reason.format(root=district.root),
            hint=hint,
        )
    draft = history.reached(rel, "draft")
    if draft is None:
        raise UsageError(
            f"{ref.school_name} has not submitted the {ref.title} draft yet: no commit sets "
            f"`status: draft` (or later) in {rel}",
            hint="to review uncommitted changes, run `sipctl diff --from HEAD`",
        )
    final = history.reached(rel, "final")
    wanted = [(draft.sha, rel)] + ([(final.sha, rel)] if final else [])
    blobs = read_files(district.root, wanted)
    old_text = _decode(blobs[draft.sha, rel])
    new_text = _decode(blobs[final.sha, rel]) if final else _worktree(district, rel)
    new_side = _commit_side("final", final) if final else Side("working tree")
    diff = compare_document(
        ref, rel, old_text, rel, new_text, sides=("draft", "final" if final else "working tree")
    )
    report = DiffReport(
        DiffMode.SUBMISSION,
        f"{ref.school_name} · {ref.title} ({cycle_id}): the draft as submitted against "
        + ("the final" if final else "the working tree"),
        _commit_side("draft", draft),
        new_side,
        [diff],
    )
    if final is None:
        report.notes.append(
            "There is no final yet: the draft as submitted is compared with the working tree, "
            "uncommitted changes included."
        )
    elif final.sha == draft.sha:
        report.notes.append(
            f"The document reached final in the same commit as its draft ({draft.sha[:10]}): "
            "there is no separate draft to compare."
        )
    return report


def _commit_side(label: str, commit: Commit) -> Side:
    return Side(label, None, commit.sha, commit.time, commit.author, commit.subject)


# --- --from REV [--to REV]: every plan document changed -----------------------------------


def diff_revisions(
    district: District,
    from_rev: str,
    to_rev: str | None,
    *,
    school: str | None = None,
    document: str | None = None,
    cycle: str | None = None,
) -> DiffReport:
    if school is not None:
        district.require_school(school)
    revisions = resolve(district.root, [from_rev] if to_rev is None else [from_rev, to_rev])
    old, new = revisions[0], (revisions[1] if to_rev is not None else None)
    schools = _Schools(district)
    found = []
    for path in changed_files(district.root, old, new, "schools/"):
        match = _DOCUMENT_PATH.match(path)
        if match is None or not path.endswith(_SUFFIXES):
            continue  # school profiles and other files are not plan documents
        slug, cycle_id, name = match.groups()
        doc_id = name.rsplit(".", 1)[0]
        filters = zip((school, cycle, document), (slug, cycle_id, doc_id), strict=True)
        if any(want is not None and want != part for want, part in filters):
            continue
        found.append((slug, cycle_id, doc_id, path))
    found.sort(key=lambda f: (f[0], f[1], *schools.order(f[0], f[1], f[2])))
    wanted = [(old.sha, f[3]) for f in found] + [(new.sha, f[3]) for f in found if new]
    blobs = read_files(district.root, wanted)
    labels = (old.name, new.name if new else "working tree")
    report = DiffReport(
        DiffMode.REVISIONS,
        f"Plan changes from {_named(old)} to {_named(new) if new else 'the working tree'}",
        _revision_side(old),
        _revision_side(new) if new else Side("working tree"),
    )
    for slug, cycle_id, doc_id, path in found:
        if "\n" in path:  # git's cat-file --batch reads one name a line: it cannot be read
            report.notes.append(
                f"{visible(path)} changed but cannot be compared: its name holds a line "
                "break; rename it (`sipctl check` reports it too)"
            )
            continue
        new_text: Source = _decode(blobs[new.sha, path]) if new else _worktree(district, path)
        old_text = _decode(blobs[old.sha, path])
        if old_text is None and new_text is None:
            continue
        ref = schools.ref(slug, cycle_id, doc_id)
        report.documents.append(compare_document(ref, path, old_text, path, new_text, sides=labels))
    if not report.documents and not report.notes:
        report.notes.append("No plan document changed between these revisions.")
    return report


def _named(revision: Revision) -> str:
    """`origin/main (1a2b3c4d5e)`, or only the short commit when it was named by its id."""
    if revision.sha.startswith(revision.name.lower()):
        return revision.sha[:10]
    return f"{revision.name} ({revision.sha[:10]})"


def _revision_side(revision: Revision) -> Side:
    return Side(
        revision.sha[:10] if revision.sha.startswith(revision.name.lower()) else revision.name,
        revision.name,
        revision.sha,
        revision.time,
        revision.author,
        revision.subject,
    )


# --- SCHOOL --cycle A..B: year over year ---------------------------------------------------


def diff_cycles(
    district: District, school: str, old_cycle: str, new_cycle: str, document: str | None
) -> DiffReport:
    for cycle_id in (old_cycle, new_cycle):
        district.school_cycle(school, cycle_id)
    if old_cycle == new_cycle:
        raise UsageError("name two different cycles, e.g. --cycle 2022-23..2023-24")
    schools = _Schools(district)
    old_files = {p.stem: p for p in district.document_files(school, old_cycle)}
    new_files = {p.stem: p for p in district.document_files(school, new_cycle)}
    common = sorted(
        (d for d in new_files if d in old_files), key=lambda d: schools.order(school, new_cycle, d)
    )
    if document is not None:
        if document not in common:
            raise UsageError(
                f"{document!r} is not in both cycle folders of {school}",
                hint="documents in both: " + (", ".join(common) or "(none)"),
            )
        common = [document]
    report = DiffReport(
        DiffMode.CYCLES,
        f"{schools.name(school)}: the {old_cycle} plan against the {new_cycle} plan",
        Side(old_cycle),
        Side(new_cycle),
    )
    for doc_id in common:
        old_rel, new_rel = district.rel(old_files[doc_id]), district.rel(new_files[doc_id])
        report.documents.append(
            compare_document(
                schools.ref(school, new_cycle, doc_id),
                old_rel,
                _worktree(district, old_rel),
                new_rel,
                _worktree(district, new_rel),
                sides=(old_cycle, new_cycle),
                ignore=("status", "cycle"),
                old_cycle=old_cycle,
            )
        )
    if document is None:
        for here, there, label in (
            (old_files, new_files, old_cycle),
            (new_files, old_files, new_cycle),
        ):
            alone = sorted(
                (d for d in here if d not in there), key=lambda d: schools.order(school, label, d)
            )
            if alone:
                report.notes.append(f"Only in {label}: {', '.join(alone)}.")
    return report


# --- shared --------------------------------------------------------------------------------


def _document_file(
    district: District, schools: _Schools, school: str, cycle_id: str, document: str
) -> str:
    folder = f"schools/{school}/{cycle_id}"
    for suffix in _SUFFIXES:
        try:
            if (district.root / folder / f"{document}{suffix}").exists():
                return f"{folder}/{document}{suffix}"
        except OSError:  # the folder cannot be opened: read it as `_worktree` says
            return f"{folder}/{document}.yaml"
    known = [e.id for e in schools.entries(school, cycle_id)]
    if document in known:
        return f"{folder}/{document}.yaml"  # deleted from the working tree: history has it
    raise UsageError(
        f"{document!r} is not a document of {school}'s {cycle_id} plan",
        hint="documents: " + ", ".join(known),
    )


def _decode(data: bytes | None) -> str | None:
    return None if data is None else data.decode("utf-8-sig", "replace")


def _worktree(district: District, rel: str) -> Source:
    """The working tree's text of a file; None when it is not there."""
    path: Path = district.root / rel
    try:
        if not (path.exists() or path.is_symlink()):
            return None
    except OSError as exc:  # its folder cannot be opened (chmod 000)
        return Version(None, problem=f"cannot be read: {exc.strerror}")
    if not district.inside(path):
        return Version(None, problem="is a link to a file outside the district repository")
    try:
        return read_text(path)
    except YamlLoadError as exc:
        return Version(None, problem=exc.problem.message)


# --- which diff: the forms of `sipctl diff` ----------------------------------------------
_FORMS = (
    "sipctl diff SCHOOL DOC [--cycle C] | sipctl diff SCHOOL --cycle 2022-23..2023-24 | "
    "sipctl diff --from REV [--to REV]"
)


@dataclass(frozen=True)
class DiffRequest:
    """What `sipctl diff` was asked: a school's document, two cycles, or two revisions."""

    school: str | None = None
    document: str | None = None
    cycle: str | None = None  # one cycle, or two as A..B (year over year)
    from_rev: str | None = None
    to_rev: str | None = None


def run_diff(district: District, request: DiffRequest) -> DiffReport:
    """The diff `request` names, or a usage error saying which forms there are."""
    school, document, cycle = request.school, request.document, request.cycle
    years = cycle.split("..") if cycle and ".." in cycle else None
    if request.from_rev is not None:
        if years is not None:
            raise UsageError("--from compares revisions; give --cycle one cycle, or leave it out")
        return diff_revisions(
            district,
            request.from_rev,
            request.to_rev,
            school=school,
            document=document,
            cycle=cycle,
        )
    if request.to_rev is not None:
        raise UsageError("--to needs --from", hint=f"usage: {_FORMS}")
    if years is not None:
        if school is None or len(years) != 2:
            raise UsageError(
                "year over year needs a school and two cycles",
                hint="e.g. sipctl diff maple --cycle 2022-23..2023-24",
            )
        return diff_cycles(district, school, years[0], years[1], document)
    if school is not None and document is not None:
        return diff_submission(district, school, document, cycle)
    raise UsageError(
        "say what to compare: a school's document, two cycles, or two revisions",
        hint=f"usage: {_FORMS}",
    )
