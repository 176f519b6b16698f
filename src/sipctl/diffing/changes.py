"""What a diff finds: changes of one document, documents of one comparison."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sipctl.diffing.words import WordRun


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    REORDERED = "reordered"  # the same items in another order; nothing added or removed


@dataclass(frozen=True)
class Change:
    """One difference at one data path.

    `old`/`new` are plain JSON values (dates as YYYY-MM-DD). For a reorder they are the
    items' ids (or values) in the old and the new order; `words` is set for long text.
    """

    kind: ChangeKind
    path: str  # levers[L2].evidence
    label: str  # Priority lever L2 › Evidence
    description: str | None = None
    old: Any = None
    new: Any = None
    words: tuple[WordRun, ...] | None = None


class DocumentState(StrEnum):
    CHANGED = "changed"
    UNCHANGED = "unchanged"  # same content (comments or formatting may differ)
    ADDED = "added"
    DELETED = "deleted"
    UNREADABLE = "unreadable"  # a version is not YAML: no field changes can be shown


@dataclass
class DocumentDiff:
    school: str
    school_name: str
    cycle: str
    document: str
    title: str
    old_file: str | None
    new_file: str | None
    state: DocumentState
    old_status: str | None = None
    new_status: str | None = None
    submission: str | None = None  # "Maple School submitted the Priority Levers Form draft"
    structural: bool = False  # compared as raw YAML because a version does not validate
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    old_cycle: str | None = None  # year over year: the earlier cycle


@dataclass(frozen=True)
class Side:
    """One side of a comparison: a commit, or the working tree, or a cycle folder."""

    label: str  # draft, final, working tree, main, 2022-23
    rev: str | None = None  # the revision as given, when there is one
    commit: str | None = None
    time: dt.datetime | None = None
    author: str | None = None
    subject: str | None = None


class DiffMode(StrEnum):
    SUBMISSION = "submission"  # SCHOOL DOC: draft as submitted against final
    REVISIONS = "revisions"  # --from REV [--to REV]
    CYCLES = "cycles"  # SCHOOL --cycle A..B


@dataclass
class DiffReport:
    mode: DiffMode
    title: str
    old: Side
    new: Side
    documents: list[DocumentDiff] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def change_count(self) -> int:
        return sum(len(d.changes) for d in self.documents)
