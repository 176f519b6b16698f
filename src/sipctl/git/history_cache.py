"""What the last history walk found, kept in the repository's git folder (infrastructure).

A walk of HEAD's history takes about 1 s for one school and 9 s for 1,800 schools over
20,000 commits, whatever changed since the last run. This cache keeps the walk's
entries and the status of every blob it named in `<git common dir>/sipctl/history/`,
with the commit it was made at. The next read of the same folders:

- at the same HEAD: walks nothing;
- at a HEAD that descends from the cached one: walks only the new commits
  (`git log OLD..HEAD`), because an entry belongs to one commit and its parents, and
  the commits reachable from OLD are the ones the cache already holds;
- anywhere else (a reset, a rebase, another branch): walks from scratch, as without it.

Blob statuses are keyed by blob id, which is the content's hash: they never go stale.
A whole-district cache also serves any set of schools, read one school's line at a
time. A file that cannot be read or was written by another version of sipctl is
ignored, and a file that cannot be written is not: the cache only ever saves time.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sipctl import __version__
from sipctl.git.log_walk import STATUS_ORDER, Commit, LogEntry, printable
from sipctl.git.own_folder import UnusableFolder, folder_problem, own_folder

# Raise it whenever what a walk records changes (git log's options, an entry's fields):
# a file of another format is ignored. Files are also tied to sipctl's version.
# 2: walks run with replace refs and grafts off; a file of format 1 may hold a
# replacement's commits.
FORMAT = 2
# What reading a damaged or hand-edited file can raise: the file is then ignored.
_DAMAGED = (ValueError, LookupError, TypeError, AttributeError, RecursionError)
ALL_SCHOOLS = "schools"  # the folder a read of the whole district covers
_WHOLE_NAME = "whole.jsonl"
# A subset (one school, a pull request's schools) gets its own file; the oldest beyond
# this many are removed.
_KEEP_SUBSETS = 16
_MAX_HEADER_BYTES = 64 * 1024


@dataclass
class Walk:
    """The entries of HEAD's history under some folders, and the status of their blobs."""

    head: str
    entries: list[LogEntry]
    statuses: dict[str, str | None]


def load(
    git_dir: Path, folders: list[str], head: str, is_ancestor: Callable[[str], bool]
) -> Walk | None:
    """The cached walk of `folders` at `head` or at an ancestor of it, else None.

    The file for exactly these folders comes first, then the whole district's; one
    whose commit is HEAD wins over one that needs a walk of the commits since."""
    if folder_problem(git_dir, "history") is not None:
        return None  # a link (or a FIFO, a file) where the cache folder belongs: unread
    candidates = [_file(git_dir, folders)]
    if folders != [ALL_SCHOOLS]:
        candidates.append(_file(git_dir, [ALL_SCHOOLS]))
    usable = []
    for path in candidates:
        header = _header(path)
        if header is not None and _covers(header[1], folders):
            usable.append((path, header[0]))
    usable.sort(key=lambda item: item[1] != head)  # at HEAD first; stable
    for path, made_at in usable:
        if made_at == head or is_ancestor(made_at):
            with contextlib.suppress(OSError, *_DAMAGED):
                return _read(path, folders, made_at)
    return None


def save(git_dir: Path, folders: list[str], walk: Walk) -> None:
    """Write `walk` as the cache of `folders`; quietly nothing if the folder is read-only."""
    target = _file(git_dir, folders)
    with contextlib.suppress(OSError, UnusableFolder):
        own_folder(git_dir, "history")  # no link, FIFO or file on the way: see own_folder
        header = {"format": FORMAT, "sipctl": __version__, "head": walk.head, "folders": folders}
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".jsonl")
        try:
            # git names files by bytes: a name that is not UTF-8 came as surrogate
            # escapes, and goes back to the same bytes (read with the same handler)
            with os.fdopen(fd, "w", encoding="utf-8", errors="surrogateescape") as out:
                out.write(json.dumps(header) + "\n")
                for group, line in _group_lines(walk):
                    out.write(f"{group}\t{line}\n")
            os.replace(tmp, target)  # a reader sees the old file or the new, never half
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        _prune(target.parent)


def extend(cached: Walk, newer: Walk) -> Walk:
    """`cached` (made at an ancestor of `newer.head`) with the entries of the commits
    since: those come first in log order, as a fresh walk would list them.

    The commits the cache holds are left out of `newer`: where commit dates go
    backwards (a wrong clock), git's `OLD..NEW` can list some of OLD's own history
    too, since git stops marking OLD's ancestors once the dates say it may. Counted
    twice, a merge's one change would look like a change from every parent."""
    known = {entry.commit.sha for entry in cached.entries}
    since = [entry for entry in newer.entries if entry.commit.sha not in known]
    shift = max((entry.order for entry in newer.entries), default=0)
    older = [entry._replace(order=entry.order + shift) for entry in cached.entries]
    return Walk(newer.head, since + older, {**cached.statuses, **newer.statuses})


# --- the file -----------------------------------------------------------------------------


def _file(git_dir: Path, folders: list[str]) -> Path:
    folder = git_dir / "sipctl" / "history"
    if folders == [ALL_SCHOOLS]:
        return folder / _WHOLE_NAME
    digest = hashlib.sha256("\0".join(folders).encode("utf-8", "surrogateescape")).hexdigest()
    return folder / f"subset-{digest[:20]}.jsonl"


def _header(path: Path) -> tuple[str, list[str]] | None:
    """The commit a cache file was made at and the folders it holds, if this version of
    sipctl wrote it."""
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return None  # a link, a pipe or a device where a cache file belongs: unread
        with path.open("rb") as stream:
            header = json.loads(stream.readline(_MAX_HEADER_BYTES))
    except (OSError, ValueError):
        return None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        return None
    head, folders = header.get("head"), header.get("folders")
    if header.get("sipctl") != __version__ or not isinstance(head, str):
        return None
    if not isinstance(folders, list) or not all(isinstance(f, str) for f in folders):
        return None
    return head, folders


def _covers(held: list[str], folders: list[str]) -> bool:
    return all(any(_inside(f, h) for h in held) for f in folders)


def _inside(path: str, folder: str) -> bool:
    return not folder or path == folder or path.startswith(folder + "/")


def _group(path: str) -> str:
    return "/".join(path.split("/", 2)[:2])


def _group_lines(walk: Walk) -> Iterable[tuple[str, str]]:
    groups: dict[str, list[LogEntry]] = {}
    for entry in walk.entries:
        groups.setdefault(_group(entry.path), []).append(entry)
    for group, entries in sorted(groups.items()):
        index: dict[str, int] = {}  # each commit once per line; entries name its position
        listed: list[Commit] = []
        rows = []
        for entry in entries:
            if entry.commit.sha not in index:
                index[entry.commit.sha] = len(listed)
                listed.append(entry.commit)
            rows.append(
                [
                    entry.path,
                    index[entry.commit.sha],
                    entry.old_blob,
                    entry.new_blob,
                    entry.order,
                    entry.parents,
                ]
            )
        line = {
            "commits": [
                [c.sha, c.author, c.time.isoformat(), c.subject, c.is_merge] for c in listed
            ],
            "entries": rows,
            "statuses": {
                blob: walk.statuses.get(blob)
                for e in entries
                for blob in (e.old_blob, e.new_blob)
                if blob is not None
            },
        }
        yield group, json.dumps(line, ensure_ascii=False, separators=(",", ":"))


def _read(path: Path, folders: list[str], head: str) -> Walk:
    """The entries under `folders` only: a line whose group none of them can hold is
    skipped without being parsed."""
    entries: list[LogEntry] = []
    statuses: dict[str, str | None] = {}
    commits: dict[str, Commit] = {}
    with path.open("r", encoding="utf-8", errors="surrogateescape") as stream:
        stream.readline()
        for line in stream:
            group, _tab, payload = line.rstrip("\n").partition("\t")
            whole_group = any(_inside(group, f) for f in folders)
            if not whole_group and not any(_inside(f, group) for f in folders):
                continue
            data = json.loads(payload)
            known = []
            for sha, author, time, subject, is_merge in data["commits"]:
                commit = commits.get(sha)
                if commit is None:
                    commit = commits[sha] = Commit(
                        sha,
                        printable(author),
                        datetime.fromisoformat(time),
                        printable(subject),
                        bool(is_merge),
                    )
                known.append(commit)
            for file, index, old, new, order, parents in data["entries"]:
                if not all(isinstance(v, str | None) for v in (old, new)):
                    raise TypeError("a blob id that is not text")
                if whole_group or any(_inside(file, f) for f in folders):
                    entries.append(LogEntry(file, known[index], old, new, int(order), int(parents)))
            for blob, status in data["statuses"].items():
                if status is not None and status not in STATUS_ORDER:
                    raise ValueError(f"not a status: {status!r}")
                statuses[blob] = status
    entries.sort(key=lambda entry: entry.order)  # log order, as the walk gave them
    return Walk(head, entries, statuses)


def _prune(folder: Path) -> None:
    with contextlib.suppress(OSError):
        subsets = sorted(folder.glob("subset-*.jsonl"), key=lambda p: p.stat().st_mtime)
        for stale in subsets[:-_KEEP_SUBSETS]:
            stale.unlink()
