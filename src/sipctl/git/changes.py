"""Which files changed since a revision: the fast path of `check --changed-since`.

git runs as every sipctl git process does (`sipctl.git.process`): a GIT_DIR or
GIT_INDEX_FILE set by a git hook or the caller does not send it to another repository,
and comparing with the work tree, which refreshes git's index, runs no `core.fsmonitor`
program and no filter driver (`sipctl.git.process.read_only_env`).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from sipctl.errors import GitError, UsageError
from sipctl.git.process import popen_git

# Names only: no patch, so no textconv or external diff program; and no submodule, in
# which git would run `git status` under that repository's own configuration.
_DIFF = (
    "diff",
    "--name-only",
    "-z",
    "--relative",
    "--no-renames",
    "--no-ext-diff",
    "--no-textconv",
    "--ignore-submodules=all",
)


def changed_paths(root: Path, rev: str) -> list[str]:
    """Paths (relative to `root`) that differ between `rev` and the work tree, untracked
    files included: what a pull request or a principal's unsaved commit would change."""
    if rev.startswith("-"):
        raise UsageError(f"--changed-since {rev!r} is not a revision")
    # Both compare the work tree with what git knows, which costs a pass over the
    # district's files each: they run side by side.
    diff_run = _start(root, *_DIFF, rev, "--")
    untracked_run = _start(root, "ls-files", "-z", "--others", "--exclude-standard")
    try:
        diff, untracked = _finish(diff_run, "diff"), _finish(untracked_run, "ls-files")
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
    return sorted({p for p in (diff + (untracked or "")).split("\0") if p})


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
