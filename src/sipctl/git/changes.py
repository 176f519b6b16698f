"""Which files changed since a revision: the fast path of `check --changed-since`.

git runs as every sipctl git process does (`sipctl.git.process`): a GIT_DIR or
GIT_INDEX_FILE set by a git hook or the caller does not send it to another repository,
and comparing with the work tree runs no `core.fsmonitor` program and no filter driver
(`sipctl.git.process.read_only_env`), and never writes git's index.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from sipctl.errors import GitError, UsageError
from sipctl.git.process import popen_git, run_git

# The plumbing `diff-index`, not `git diff`: the porcelain refreshes the index's stat
# data and writes it back whenever two files or more are stat-dirty, GIT_OPTIONAL_LOCKS
# or not (and writing it would start a `post-index-change` hook). diff-index writes
# nothing; it names a stat-dirty file with a zero id, and `worktree_changes` hashes
# those few itself. Raw output only: no patch, so no textconv or external diff
# program; and no submodule, in which git would run `git status` under that
# repository's own configuration.
_DIFF_INDEX = (
    "diff-index",
    "-z",
    "--raw",
    "--no-abbrev",
    "--relative",
    "--no-renames",
    "--no-ext-diff",
    "--no-textconv",
    "--ignore-submodules=all",
)
_ZERO = re.compile(r"0+")


def diff_index_args(rev: str, *pathspecs: str) -> list[str]:
    """The `git diff-index` that compares ``rev`` with the work tree."""
    return [*_DIFF_INDEX, rev, "--", *pathspecs]


def worktree_changes(root: Path, raw: bytes) -> list[str]:
    """The paths of `diff_index_args`'s output whose work-tree file really differs from
    the revision: a stat-dirty file (zero id) is hashed as it is, with no filter (one
    `git hash-object` for all of them), and dropped when it matches."""
    fields = raw.decode("utf-8", "surrogateescape").split("\0")
    changed, unsure = [], {}
    for header, path in zip(fields[0::2], fields[1::2], strict=False):
        parts = header.lstrip(":").split()
        if len(parts) < 5:
            continue
        old_id, new_id, status = parts[2], parts[3], parts[4]
        if status == "M" and _ZERO.fullmatch(new_id) and not _ZERO.fullmatch(old_id):
            unsure[path] = old_id
        else:
            changed.append(path)
    if unsure:
        paths = list(unsure)
        data = "".join(f"{p}\n" for p in paths).encode("utf-8", "surrogateescape")
        code, out, _err = run_git(
            root, ["hash-object", "--no-filters", "--stdin-paths"], input=data, worktree=True
        )
        ids = out.decode("ascii", "replace").split() if code == 0 else []
        same = {p for p, oid in zip(paths, ids, strict=False) if oid == unsure[p]}
        changed.extend(p for p in paths if p not in same)
    return changed


def changed_paths(root: Path, rev: str) -> list[str]:
    """Paths (relative to `root`) that differ between `rev` and the work tree, untracked
    files included: what a pull request or a principal's unsaved commit would change."""
    if rev.startswith("-"):
        raise UsageError(f"--changed-since {rev!r} is not a revision")
    # Both compare the work tree with what git knows, which costs a pass over the
    # district's files each: they run side by side.
    diff_run = _start(root, *diff_index_args(rev))
    untracked_run = _start(root, "ls-files", "-z", "--others", "--exclude-standard")
    try:
        diff, untracked = _finish(diff_run, "diff-index"), _finish(untracked_run, "ls-files")
    finally:  # one timed out: the other is not left running either
        for proc in (diff_run, untracked_run):
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    if diff is None:
        raise UsageError(
            f"--changed-since {rev!r}: git does not know this revision here",
            hint="fetch it first (in GitHub Actions use fetch-depth: 0), e.g. origin/main",
        )
    changed = worktree_changes(root, diff.encode("utf-8", "surrogateescape"))
    return sorted({p for p in [*changed, *(untracked or "").split("\0")] if p})


def _start(root: Path, *args: str) -> subprocess.Popen[bytes]:
    try:
        return popen_git(
            root, args, stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL, worktree=True
        )
    except FileNotFoundError:
        raise UsageError("--changed-since needs git, which is not installed") from None


def _finish(proc: subprocess.Popen[bytes], name: str) -> str | None:
    """What the git process printed, or None if it failed."""
    try:
        out, _err = proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise GitError(
            f"git {name} took over two minutes; --changed-since gave up",
            hint="run `git status` in the district to see what git is waiting for, or "
            "check without --changed-since",
        ) from None
    if proc.returncode != 0:
        return None
    return out.decode("utf-8", "surrogateescape")
