"""School folders renamed in history (infrastructure layer): a document keeps the
submissions it made under its folder's old name.

git records a folder's rename as every file deleted under the old name and added under
the new one; `git log --no-renames` (as the walk reads it) shows just that. Read path by
path, the renamed document would seem to reach its status at the rename, after its
deadline, though it was submitted on time. So a document deleted from one school folder
and added to another in the same commit (the same cycle and file name) is one document
moving: the new path continues the old one's history. Its content may change in that
commit (the `school:` line does), so git's own rename detection, which pairs files by
likeness, is not asked; nor could it pair a school's documents with one another.

When several folders lose or gain the same document in one commit (two schools
swapped, or merged), which one continues which cannot be told: the added paths are
`unsure`, and the deadline rules say so instead of judging them late.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

from sipctl.git.history_cache import ALL_SCHOOLS
from sipctl.git.log_walk import Commit, LogEntry


class _Made(Protocol):
    @property
    def commit(self) -> Commit: ...


_Change = TypeVar("_Change", bound=_Made)
_Edit = TypeVar("_Edit", bound=_Made)
_T = TypeVar("_T", bound=_Made)


@dataclass(frozen=True)
class Rename:
    old: str  # the document's path before the commit
    new: str  # and after it
    commit: Commit
    order: int  # the commit's position in the log: older versions have a larger one
    old_blob: str  # the old path's last version


def school_and_rest(path: str) -> tuple[str, str] | None:
    """`schools/<slug>/<rest>` as (slug, rest); None for any other path."""
    parts = path.split("/", 2)
    if len(parts) < 3 or parts[0] != ALL_SCHOOLS:
        return None
    return parts[1], parts[2]


def find_renames(entries: Iterable[LogEntry]) -> tuple[list[Rename], dict[str, Commit]]:
    """The renames among a walk's entries, oldest first, and the added paths whose
    origin cannot be told (with the commit that added them)."""
    gone: dict[tuple[str, str], list[LogEntry]] = {}
    added: dict[tuple[str, str], list[LogEntry]] = {}
    for entry in entries:  # most are edits, passed over first: a district has 100,000s
        if (entry.old_blob is None) == (entry.new_blob is None) or entry.commit.is_merge:
            continue
        split = school_and_rest(entry.path)
        if split is None:
            continue
        key = (entry.commit.sha, split[1])
        (gone if entry.new_blob is None else added).setdefault(key, []).append(entry)
    renames: list[Rename] = []
    unsure: dict[str, Commit] = {}
    for key, adds in added.items():
        deletes = gone.get(key, [])
        last = deletes[0].old_blob if deletes else None
        if len(adds) == len(deletes) == 1 and last is not None:
            new, old = adds[0], deletes[0]
            renames.append(Rename(old.path, new.path, new.commit, new.order, last))
        elif deletes:
            unsure.update((add.path, add.commit) for add in adds)
    renames.sort(key=lambda rename: (rename.commit.time, -rename.order))
    return renames, unsure


def moved_from(entries: Iterable[LogEntry], deletions: Iterable[LogEntry]) -> set[str]:
    """The school folders (`schools/<slug>`) that ``deletions`` took documents from which
    ``entries`` added, in the same commit, to another folder: where a read of a few
    schools must look too."""
    adds: dict[tuple[str, str], set[str]] = {}
    for entry in entries:
        split = school_and_rest(entry.path)
        if split is not None and entry.old_blob is None and entry.new_blob is not None:
            adds.setdefault((entry.commit.sha, split[1]), set()).add(split[0])
    folders = set()
    for entry in deletions:
        split = school_and_rest(entry.path)
        if split is not None and adds.get((entry.commit.sha, split[1]), set()) - {split[0]}:
            folders.add(f"{ALL_SCHOOLS}/{split[0]}")
    return folders


def follow(
    rename: Rename,
    changes: dict[str, list[tuple[tuple[datetime, int], _Change]]],
    edits: dict[str, list[tuple[tuple[datetime, int], _Edit]]],
    versions: dict[str, dict[str, tuple[Commit, int | None, int]]],
) -> None:
    """The new path continues the old one: its versions, status changes and edits from
    before the rename are the new path's too (a change keeps its old path, which `log`
    shows)."""
    for sha, version in versions.get(rename.old, {}).items():
        if _before(version[0], rename):
            versions.setdefault(rename.new, {}).setdefault(sha, version)
    _prepend_older(changes, rename)
    _prepend_older(edits, rename)


def _prepend_older(
    by_path: dict[str, list[tuple[tuple[datetime, int], _T]]], rename: Rename
) -> None:
    older = [item for item in by_path.get(rename.old, []) if _before(item[1].commit, rename)]
    if older:
        by_path[rename.new] = older + by_path.get(rename.new, [])


def _before(commit: Commit, rename: Rename) -> bool:
    """Whether ``commit`` counts as before the rename: by committer time, as every
    submission is judged, so the history cache and a fresh walk (whose log orders may
    differ between commits of the same second) carry the same versions."""
    return commit.sha != rename.commit.sha and commit.time <= rename.commit.time
