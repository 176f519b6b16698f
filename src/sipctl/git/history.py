"""The plan documents' status history: when each document reached each status, who
changed it, and what changed after approval (infrastructure layer).

Read from git in one pass (`sipctl.git.log_walk`), and kept between runs in the
repository's git folder (`sipctl.git.history_cache`), so a run walks only the commits made
since the last one.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sipctl.concurrency import Background
from sipctl.git import history_cache, subtrees
from sipctl.git.history_cache import ALL_SCHOOLS
from sipctl.git.log_walk import (
    STATUS_INDEX,
    STATUS_ORDER,
    UNDATED,
    BlobReader,
    Commit,
    LogEntry,
    Repository,
    Walk,
    check_repository,
    decode_blob,
    deleted_in,
    folder_list,
    is_ancestor,
    rewritten_history,
    walk_log,
)
from sipctl.git.own_folder import folder_problem
from sipctl.git.process import git_process_count
from sipctl.git.renames import find_renames, follow, moved_from

# Commit, STATUS_ORDER and UNDATED are re-exported: the rest of sipctl reads history's
# records from here; git_process_count too, for the tests that count git processes.
__all__ = [
    "STATUS_ORDER",
    "UNDATED",
    "Commit",
    "ContentChange",
    "History",
    "StatusChange",
    "cache_enabled",
    "git_process_count",
    "read_history",
    "read_history_beside",
    "school_folders",
    "use_cache",
]


@dataclass(frozen=True)
class StatusChange:
    """One status change of one file, for the audit log."""

    path: str  # posix path relative to the district root
    commit: Commit
    old_status: str | None  # None: the file did not exist before / status unreadable
    new_status: str | None  # None: the file was deleted / status unreadable
    old_blob: str | None
    new_blob: str | None


@dataclass(frozen=True)
class ContentChange:
    """A commit that changed a file whose old and new version both have status approved."""

    path: str
    commit: Commit
    old_blob: str
    new_blob: str


@dataclass
class History:
    available: bool  # False when there is no usable history (see ``reason``)
    reason: str | None = None  # "no-git", "not-toplevel", "shallow", "no-commits"
    # the repository has replace refs or grafts, which plain git shows instead of the
    # recorded commits; this history is the recorded one (git runs with them off)
    replaced: bool = False
    # documents added to a school folder in a commit that moved the same document out of
    # several (or into several) at once: whose history they continue is not known
    unsure: dict[str, Commit] = field(default_factory=dict)
    changes: dict[str, list[StatusChange]] = field(default_factory=dict)
    approved_edits: dict[str, list[ContentChange]] = field(default_factory=dict)
    # per path: (commit, status index or None, log order) of every version, oldest first
    _versions: dict[str, list[tuple[Commit, int | None, int]]] = field(
        default_factory=dict, repr=False, compare=False
    )
    _texts: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _root: Path | None = field(default=None, repr=False, compare=False)
    # Why the history cache was not used although it was asked for: `.git/sipctl` is a
    # link, a FIFO or a file (see `sipctl.git.own_folder`); None when it was, or was not asked.
    cache_problem: str | None = field(default=None, compare=False)
    _paths: list[str] | None = field(default=None, repr=False, compare=False)

    def changes_under(self, prefix: str) -> list[tuple[str, list[StatusChange]]]:
        """The status changes of the paths that start with ``prefix``, in path order.
        A bisection of the sorted paths (sorted once): render asks this for each of
        1,800 schools, and a scan of every path each time made that quadratic."""
        if self._paths is None:
            self._paths = sorted(self.changes)
        paths = self._paths
        found = []
        at = bisect.bisect_left(paths, prefix)
        while at < len(paths) and paths[at].startswith(prefix):
            found.append((paths[at], self.changes[paths[at]]))
            at += 1
        return found

    def reached(self, path: str, status: str) -> Commit | None:
        """The earliest commit in HEAD's history whose version of ``path`` has ``status``
        or a later one in STATUS_ORDER; None if there is none.

        - Committer time counts, compared as an instant: it is when the change entered
          the branch history (author time can be set freely, and survives a rebase).
          On equal instants the commit earlier in topological order wins.
        - The first time counts: a status that goes back (final -> in-progress) and
          is reached again keeps the first date.
        - Merges: a document that reached draft on a side branch counts from that
          branch commit once the branch is merged into HEAD's history; a merge
          that itself produces the status (conflict resolution) counts at the merge.
        - Commits not reachable from HEAD never count; uncommitted changes never count.
        """
        wanted = STATUS_INDEX.get(status)
        if wanted is None:
            raise ValueError(f"unknown status {status!r}; expected one of {STATUS_ORDER}")
        for commit, index, _order in self._versions.get(path, ()):
            if index is not None and index >= wanted:
                return commit  # versions are sorted oldest first
        return None

    def for_deadlines(self) -> History:
        """A copy with only what the deadline rules ask of it, small enough to send from
        another process: of each path's versions, those that reach a status no earlier
        version had (`reached` finds the same commit among them), and the status
        changes of the paths edited after approval."""
        versions = {}
        for path, found in self._versions.items():
            kept, best = [], -1
            for version in found:
                if version[1] is not None and version[1] > best:
                    kept.append(version)
                    best = version[1]
            versions[path] = kept
        changes = {p: self.changes[p] for p in self.approved_edits if p in self.changes}
        return History(
            self.available,
            self.reason,
            self.replaced,
            self.unsure,
            changes,
            self.approved_edits,
            versions,
            self._texts,
            self._root,
        )

    def blob_text(self, blob: str) -> str:
        """Text of a blob (BOM removed). Blobs of ``approved_edits`` are kept from the
        bulk read; any other blob is read lazily with one extra ``git cat-file --batch``."""
        text = self._texts.get(blob)
        if text is None:
            if self._root is None:
                raise KeyError(blob)
            reader = BlobReader(self._root, keep=lambda _status: True)
            reader.request(blob)
            data = reader.finish()[blob][1]
            text = self._texts[blob] = decode_blob(data or b"")
        return text


_cache_enabled = True


def use_cache(enabled: bool) -> None:
    """Whether `read_history` keeps its walk in the repository's git folder (see
    `sipctl.git.history_cache`) unless its caller says otherwise; the CLI's
    `--no-history-cache` turns it off."""
    global _cache_enabled
    _cache_enabled = enabled


def cache_enabled() -> bool:
    """Whether `read_history` keeps its walk unless its caller says otherwise."""
    return _cache_enabled


def read_history(
    district_root: Path,
    under: str | Sequence[str] = ALL_SCHOOLS,
    overlap: bool = True,
    *,
    cache: bool | None = None,
) -> History:
    """Read the status history of every document under ``district_root/under``.

    ``under`` may list several folders (``schools/maple``, ``schools/oak``): a check of
    one school then walks only that school's history, whatever the district's size.

    With ``overlap`` the blobs are read while the log is still being walked: git log
    and cat-file run side by side, and the read takes about as long as the longer of
    the two. A caller that reads history beside other work (check reads it while it
    checks the plans) leaves the second core to that work instead.

    With ``cache`` (by default, unless `use_cache(False)`), the walk is kept in the
    repository's git folder and the next read walks only the commits made since.
    """
    root = Path(district_root)
    repo = check_repository(root)
    if isinstance(repo, str):
        return History(available=False, reason=repo)
    use = cache if cache is not None else _cache_enabled
    # A link, FIFO or file where the cache folder belongs: walk in full, touch nothing.
    problem = folder_problem(repo.git_dir, "history") if use else None
    if use and problem is None:
        walk, texts = _cached_walk(root, repo, under, overlap)
    else:
        walk, texts = _fresh_walk(root, under, overlap, repo=repo, since=None, known={})
    folders = folder_list(under)
    if folders != [ALL_SCHOOLS]:  # a few schools: renamed from a folder not walked?
        extra = _renamed_from(root, walk) - set(folders)
        if extra:
            return read_history(root, [*folders, *sorted(extra)], overlap, cache=cache)
    history = History(
        available=True,
        replaced=rewritten_history(root, repo.git_dir),
        _root=root,
        cache_problem=problem,
    )
    _collect(history, walk.entries, walk.statuses)
    wanted = {
        oid
        for edits in history.approved_edits.values()
        for edit in edits
        for oid in (edit.old_blob, edit.new_blob)
    }
    missing = wanted - texts.keys()
    if missing:  # approved versions the cache named but did not keep: one batch read
        reader = BlobReader(root, keep=lambda _status: True)
        for oid in sorted(missing):
            reader.request(oid)
        texts.update({oid: data for oid, (_s, data) in reader.finish().items() if data})
    history._texts = {oid: decode_blob(texts[oid]) for oid in wanted if oid in texts}
    return history


def _fresh_walk(
    root: Path,
    under: str | Sequence[str],
    overlap: bool,
    *,
    repo: Repository,
    since: str | None,
    known: dict[str, str | None],
) -> tuple[history_cache.Walk, dict[str, bytes]]:
    """One `git log` walk of ``head``'s history (only the commits after ``since``, if
    given) and one `cat-file --batch` for the blobs it named whose status is not
    ``known``; with the content of those it read whose status is approved."""
    reader = BlobReader(root, keep=lambda status: status == "approved")
    later: list[str] = []

    def on_blob(oid: str) -> None:
        if oid not in known:
            (reader.request if overlap else later.append)(oid)

    try:
        range_ = repo.head if since is None else f"{since}..{repo.head}"
        entries = walk_log(root, under, on_blob, range_, how=_walk_for(repo, under, since))
        for oid in later:
            reader.request(oid)
    except BaseException:
        reader.abort()
        raise
    blobs = reader.finish()
    statuses = {oid: status for oid, (status, _data) in blobs.items()}
    texts = {oid: data for oid, (_status, data) in blobs.items() if data is not None}
    return history_cache.Walk(repo.head, entries, statuses), texts


def _renamed_from(root: Path, walk: history_cache.Walk) -> set[str]:
    """The school folders that documents of this walk were moved from (see
    `sipctl.git.renames`): asked of git only for the commits that added a document
    already submitted, since a rename matters to a deadline only then."""
    submitted = STATUS_INDEX["draft"]
    commits = sorted(
        {
            entry.commit.sha
            for entry in walk.entries
            if entry.old_blob is None
            and entry.new_blob is not None
            and not entry.commit.is_merge
            and STATUS_INDEX.get(walk.statuses.get(entry.new_blob) or "", -1) >= submitted
        }
    )
    return moved_from(walk.entries, deleted_in(root, commits, ALL_SCHOOLS))


def _walk_for(repo: Repository, under: str | Sequence[str], since: str | None) -> Walk:
    """How `walk_log` finds the commits that touch ``under`` (see its docstring)."""
    folders = folder_list(under)
    # Nearly every commit of a district touches some school: its walk diffs each commit
    # once, where testing each against the folder first would cost as much again. Past
    # a few schools, the walk of them all costs less than git's test of each. And in a
    # range since the cache, git's test leaves out a merge's parents outside the range,
    # so it would miss what a walk from scratch finds: the diff against them.
    if since is not None or folders == [ALL_SCHOOLS] or len(folders) > subtrees.MAX_FOLDERS:
        return "relative"
    return "subtrees" if subtrees.suits(repo.git_dir, folders) else "pathspec"


def _cached_walk(
    root: Path, repo: Repository, under: str | Sequence[str], overlap: bool
) -> tuple[history_cache.Walk, dict[str, bytes]]:
    folders = folder_list(under)
    cached = history_cache.load(
        repo.git_dir, folders, repo.head, lambda old: is_ancestor(root, old, repo.head)
    )
    if cached is not None and cached.head == repo.head:
        return cached, {}
    walk, texts = _fresh_walk(
        root,
        under,
        overlap,
        repo=repo,
        since=cached.head if cached is not None else None,
        known=cached.statuses if cached is not None else {},
    )
    if cached is not None:
        walk = history_cache.extend(cached, walk)
    history_cache.save(repo.git_dir, folders, walk)
    return walk, texts


def school_folders(schools: Sequence[str] | None) -> str | list[str]:
    """What `read_history` walks for these schools (all of them: None)."""
    return ALL_SCHOOLS if schools is None else [f"{ALL_SCHOOLS}/{slug}" for slug in schools]


def read_history_beside(
    root: Path, schools: Sequence[str] | None, *, overlap: bool = False
) -> Background[History]:
    """`read_history` of these schools in a thread, started now, for a caller that checks
    the plans meanwhile. Without ``overlap`` the log is walked before the blobs are read,
    so git takes one core and leaves the other to the caller: right for many schools.
    For a few, the caller is done long before git, which should then not wait."""
    return Background(read_history, root, school_folders(schools), overlap)


def _collect(history: History, entries: list[LogEntry], statuses: dict[str, str | None]) -> None:
    # Sorted by (committer time, -log order): on equal instants, the later in the log
    # is the earlier in topological order.
    status = statuses.get

    # how many parents each merge's version of a path differs from
    differing: dict[tuple[str, str], int] = {}
    for entry in entries:
        if entry.commit.is_merge:
            pair = (entry.commit.sha, entry.path)
            differing[pair] = differing.get(pair, 0) + 1

    changes: dict[str, list[tuple[tuple[datetime, int], StatusChange]]] = {}
    edits: dict[str, list[tuple[tuple[datetime, int], ContentChange]]] = {}
    versions: dict[str, dict[str, tuple[Commit, int | None, int]]] = {}
    renames, history.unsure = find_renames(entries)
    carried = {(r.commit.sha, r.new): r.old_blob for r in renames}
    for entry in entries:
        if entry.old_blob is None and (entry.commit.sha, entry.path) in carried:
            # a move: the change is from the old path's last version, not from nothing
            entry = entry._replace(old_blob=carried[entry.commit.sha, entry.path])
        commit, path = entry.commit, entry.path
        old = None if entry.old_blob is None else status(entry.old_blob)
        new = None if entry.new_blob is None else status(entry.new_blob)
        if entry.new_blob is not None:
            index = None if new is None else STATUS_INDEX[new]
            versions.setdefault(path, {})[commit.sha] = (commit, index, entry.order)
        resolved = differing.get((commit.sha, path), 0) >= entry.parents
        if old != new and (not commit.is_merge or resolved):
            change = StatusChange(path, commit, old, new, entry.old_blob, entry.new_blob)
            changes.setdefault(path, []).append(((commit.time, -entry.order), change))
        if (
            not commit.is_merge
            and old == new == "approved"
            and entry.old_blob is not None
            and entry.new_blob is not None
            and entry.old_blob != entry.new_blob
        ):
            edit = ContentChange(path, commit, entry.old_blob, entry.new_blob)
            edits.setdefault(path, []).append(((commit.time, -entry.order), edit))

    for rename in renames:  # oldest first: a path renamed twice carries both
        follow(rename, changes, edits, versions)

    history.changes = {
        p: [c for _k, c in sorted(v, key=lambda i: i[0])] for p, v in changes.items()
    }
    history.approved_edits = {
        p: [c for _k, c in sorted(v, key=lambda i: i[0])] for p, v in edits.items()
    }
    history._versions = {
        p: sorted(v.values(), key=lambda t: (t[0].time, -t[2])) for p, v in versions.items()
    }
