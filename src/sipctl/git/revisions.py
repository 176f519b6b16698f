"""Read plan files at git revisions, in bulk (infrastructure layer).

A comparison costs a fixed number of git processes whatever the number of files:
`rev-parse` and `show -s` for the revisions, `diff --name-only -z` (plus `ls-files`
for new files in the working tree) for what changed, and one `cat-file --batch` for
every version of every file. Paths are relative to the district root, which may be
a folder inside a larger repository (`REV:./path` is relative to it).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import subprocess
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from sipctl.errors import GitError, UsageError
from sipctl.git.changes import diff_index_args, worktree_changes
from sipctl.git.log_walk import (
    AUTHOR_FORMAT,
    SUBJECT_FORMAT,
    author_of,
    commit_time,
    discard,
    subject_of,
    unreadable_objects,
)
from sipctl.git.process import popen_git, run_git
from sipctl.limits import MAX_FILE_BYTES

_SHOW_FORMAT = f"%H%x00%cI%x00%ct%x00{AUTHOR_FORMAT}%x00{SUBJECT_FORMAT}%x00"
_SHOW_FIELDS = 5
FETCH_HINT = (
    "fetch it first (in GitHub Actions: `fetch-depth: 0` on actions/checkout, or "
    "`git fetch origin main`), then name it as git does, e.g. origin/main"
)


@dataclass(frozen=True)
class Revision:
    name: str  # as the user gave it
    sha: str
    time: dt.datetime  # committer time, with the commit's own offset
    author: str
    subject: str


def _git(root: Path, *args: str, worktree: bool = False) -> tuple[int, bytes, str]:
    try:
        return run_git(root, args, worktree=worktree)
    except FileNotFoundError:
        raise UsageError(
            "comparing revisions needs git, which is not installed",
            hint="install git, or compare cycles of the working tree with --cycle A..B",
        ) from None


def resolve(root: Path, names: Sequence[str]) -> list[Revision]:
    """Each revision name as a commit; an unknown one is a usage error naming the fix."""
    shas = []
    for name in names:
        if not name or name.startswith("-"):
            raise UsageError(
                f"{name!r} is not a git revision",
                hint="give a branch, tag or commit, e.g. --from origin/main",
            )
        code, out, err = _git(root, "rev-parse", "-q", "--verify", f"{name}^{{commit}}")
        if code != 0:
            if "not a git repository" in err:
                raise UsageError(
                    f"{root} is not in a git repository, so there is no revision {name!r}",
                    hint="run sipctl in a clone of the district repository",
                )
            raise UsageError(f"git does not know the revision {name!r} here", hint=FETCH_HINT)
        shas.append(out.decode().strip())
    if not shas:
        return []
    unique = list(dict.fromkeys(shas))  # git shows a commit named twice only once
    show = ["show", "-s", "--no-walk=unsorted", "--encoding=UTF-8", f"--format={_SHOW_FORMAT}"]
    code, out, err = _git(root, *show, *unique)
    fields = out.decode("utf-8", "replace").split("\0")
    if code != 0 or len(fields) < _SHOW_FIELDS * len(unique):
        raise GitError(f"git cannot describe {', '.join(names)}: {err}")
    by_sha = {}
    for n in range(len(fields) // _SHOW_FIELDS):
        record = fields[_SHOW_FIELDS * n : _SHOW_FIELDS * (n + 1)]
        sha, iso, epoch, author, subject = (f.strip("\n") for f in record)
        by_sha[sha] = (commit_time(iso, epoch), author_of(author), subject_of(subject))
    return [Revision(name, sha, *by_sha[sha]) for name, sha in zip(names, shas, strict=True)]


def changed_files(root: Path, old: Revision, new: Revision | None, under: str) -> list[str]:
    """Files under `under` that differ between `old` and `new` (None: the working tree,
    untracked files included), relative to `root`."""
    if new is None:  # plumbing that never writes the index (`sipctl.git.changes`)
        code, out, err = _git(root, *diff_index_args(old.sha, under), worktree=True)
        if code != 0:
            raise GitError(f"git diff-index failed in {root}: {err}")
        paths = set(worktree_changes(root, out))
    else:
        args = ["diff", "--name-only", "-z", "--relative", "--no-renames", "--no-ext-diff"]
        code, out, err = _git(root, *args, "--no-textconv", old.sha, new.sha, "--", under)
        if code != 0:
            raise GitError(f"git diff failed in {root}: {err}")
        paths = set(out.decode("utf-8", "surrogateescape").split("\0"))
    if new is None:
        code, extra, err = _git(root, "ls-files", "-z", "--others", "--exclude-standard", under)
        if code != 0:
            raise GitError(f"git ls-files failed in {root}: {err}")
        paths |= set(extra.decode("utf-8", "surrogateescape").split("\0"))
    return sorted(p for p in paths if p)


def read_files(
    root: Path, wanted: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], bytes | None]:
    """The content of each (commit, path) with one `git cat-file --batch`; None when the
    file does not exist at that commit or is too large to be a plan."""
    specs = [(sha, path) for sha, path in dict.fromkeys(wanted) if "\n" not in path]
    result: dict[tuple[str, str], bytes | None] = dict.fromkeys(wanted)
    if not specs:
        return result
    proc = popen_git(
        root,
        ["cat-file", "--batch"],
        stdin=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # not read while the batch runs: it must not fill up
    )
    assert proc.stdin is not None and proc.stdout is not None
    request = "".join(f"{sha}:./{path}\n" for sha, path in specs)
    writer = threading.Thread(
        target=_feed, args=(proc.stdin, request.encode("utf-8", "surrogateescape")), daemon=True
    )
    writer.start()
    try:
        for done, spec in enumerate(specs):
            line = proc.stdout.readline()
            if not line:  # git stopped: an object it could not give (a partial clone)
                raise unreadable_objects(root, len(specs) - done, f"{spec[0][:10]}:{spec[1]}")
            header = line.decode("utf-8", "replace").rstrip("\n")
            fields = header.split(" ")
            if header.endswith((" missing", " ambiguous")) or len(fields) != 3:
                continue  # absent at that commit
            size = int(fields[2])
            if fields[1] != "blob" or size > MAX_FILE_BYTES:  # never held in memory
                discard(proc.stdout, size + 1)
                continue
            result[spec] = proc.stdout.read(size + 1)[:size]
    except BaseException:
        proc.kill()
        raise
    finally:
        writer.join()
        proc.stdout.close()
        proc.wait()
    return result


def _feed(stream: IO[bytes], data: bytes) -> None:
    with contextlib.suppress(OSError):  # git exited early: the reader notices
        try:
            stream.write(data)
        finally:
            stream.close()
