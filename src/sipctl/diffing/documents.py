"""Compare two versions of one plan document into a DocumentDiff."""

from __future__ import annotations

from dataclasses import dataclass

from sipctl.diffing.changes import DocumentDiff, DocumentState
from sipctl.diffing.engine import HEADER_KEYS, compare
from sipctl.diffing.versions import Version, read_version
from sipctl.git.history import STATUS_ORDER
from sipctl.models import PlanDocument

# A side of the comparison: the file's text, an already-read version, or None (no file).
Source = str | Version | None


@dataclass(frozen=True)
class DocumentRef:
    """Which document is compared, and how people call it."""

    school: str
    school_name: str
    cycle: str
    document: str
    title: str
    model: type[PlanDocument] | None  # None: not a document of the school's framework


def compare_document(
    ref: DocumentRef,
    old_file: str | None,
    old_text: Source,
    new_file: str | None,
    new_text: Source,
    *,
    sides: tuple[str, str] = ("old", "new"),
    ignore: tuple[str, ...] = ("status",),
    old_cycle: str | None = None,
) -> DocumentDiff:
    """The diff of one document; None means the file does not exist on that side.
    `sides` names the two versions in notes ("draft", "final"). A status change is a
    submission, except across cycles (`old_cycle` set), where statuses always differ."""
    old = _version(old_text, old_file, ref)
    new = _version(new_text, new_file, ref)
    diff = DocumentDiff(
        school=ref.school,
        school_name=ref.school_name,
        cycle=ref.cycle,
        document=ref.document,
        title=ref.title,
        old_file=old_file if old is not None else None,
        new_file=new_file if new is not None else None,
        state=DocumentState.CHANGED,
        old_status=old.status if old else None,
        new_status=new.status if new else None,
        old_cycle=old_cycle,
    )
    if old_cycle is None:  # across cycles a status is no submission
        diff.submission = submission(ref, diff.old_status, diff.new_status)
    if new is None:
        diff.state = DocumentState.DELETED
        return diff
    unreadable = [
        f"The {side} version {version.problem}: its changes cannot be shown field by field."
        for side, version in zip(sides, (old, new), strict=True)
        if version is not None and version.raw is None
    ]
    if unreadable:
        diff.state = DocumentState.UNREADABLE
        diff.notes.extend(unreadable)
        return diff
    if old is None:
        diff.state = DocumentState.ADDED
        ignore = (*ignore, *HEADER_KEYS)  # a new file's document/school/cycle are not news
    old_data, new_data = _comparable(diff, sides, old, new)
    diff.changes = compare(old_data, new_data, ref.model, ignore=ignore)
    if diff.state is DocumentState.CHANGED and not diff.changes:
        diff.state = DocumentState.UNCHANGED
        # A submission says what changed; otherwise explain why git saw a change.
        if old_cycle is None and diff.submission is None and old_text != new_text:
            diff.notes.append(
                "The file changed but its plan content did not (comments, layout or empty values)."
            )
    return diff


def _version(source: Source, file: str | None, ref: DocumentRef) -> Version | None:
    if isinstance(source, str):
        return read_version(source, file or "", ref.model)
    return source


def _comparable(
    diff: DocumentDiff, sides: tuple[str, str], old: Version | None, new: Version
) -> tuple[dict[str, object] | None, dict[str, object] | None]:
    versions = [v for v in (old, new) if v is not None]
    if all(v.validated is not None for v in versions):
        return (old.validated if old else None), new.validated
    diff.structural = True
    problems = [
        f"the {side} version {version.problem}"
        for side, version in zip(sides, (old, new), strict=True)
        if version is not None and version.validated is None
    ]
    diff.notes.append(
        f"Compared as plain YAML because {'; '.join(problems)}. "
        "Run `sipctl check` to see every problem."
    )
    return (old.raw if old else None), new.raw


def submission(ref: DocumentRef, old: str | None, new: str | None) -> str | None:
    """A status change in the words of the planning cycle."""
    if old == new or new is None or new not in STATUS_ORDER:
        return None
    rank = STATUS_ORDER.index
    before = rank(old) if old in STATUS_ORDER else -1
    who, what = ref.school_name, ref.title
    if rank(new) < before:
        return f"{who} reopened the {what} (status {old} → {new})"
    if new == "draft":
        return f"{who} submitted the {what} draft"
    if new == "final":
        return f"{who} submitted the final {what}"
    if new == "approved":
        return f"The {what} of {who} was approved"
    if new == "in-progress":
        return f"{who} started the {what}"
    return None
