"""Which files changed since a revision: the fast path of `check --changed-since`.

git runs as `sipctl.history` runs it (`git_env`): a GIT_DIR or GIT_INDEX_FILE set by a
git hook or the caller does not send it to another repository. Comparing with the work
tree refreshes git's index, the one step where a repository's own configuration could
start a program: `core.fsmonitor` is turned off for it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from sipctl.errors import GitError, UsageError
from sipctl.history import git_env

DISTRICT_WIDE = ("sipctl.yaml", "cycles/")


def changed_paths(root: Path, rev: str) -> list[str]:
    """Paths (relative to `root`) that differ between `rev` and the work tree, untracked
    files included: what a pull request or a principal's unsaved commit would change."""
    if rev.startswith("-"):
        raise UsageError(f"--changed-since {rev!r} is not a revision")
    diff = _git(root, "diff", "--name-only", "-z", "--relative", "--no-renames", rev, "--")
    if diff is None:
        raise UsageError(
            f"--changed-since {rev!r}: git does not know this revision here",
            hint="fetch it first (in GitHub Actions use fetch-depth: 0), e.g. origin/main",
        )
    untracked = _git(root, "ls-files", "-z", "--others", "--exclude-standard") or ""
    return sorted({p for p in (diff + untracked).split("\0") if p})


def changed_schools(root: Path, rev: str) -> set[str] | None:
    """The schools whose files changed since `rev`; None when a district-wide file changed
    (sipctl.yaml or a cycle file), which means every school must be checked."""
    schools: set[str] = set()
    for path in changed_paths(root, rev):
        if path.startswith(DISTRICT_WIDE):
            return None
        parts = path.split("/")
        if parts[0] == "schools" and len(parts) > 2:
            schools.add(parts[1])
    return schools


def _git(root: Path, *args: str) -> str | None:
    command = ["git", "-c", "core.fsmonitor=false", "-C", str(root), *args]
    try:
        proc = subprocess.run(command, capture_output=True, check=False, timeout=120, env=git_env())
    except FileNotFoundError:
        raise UsageError("--changed-since needs git, which is not installed") from None
    except subprocess.TimeoutExpired:
        raise GitError(
            f"git {args[0]} took over two minutes in {root}; --changed-since gave up",
            hint="run `git status` there to see what git is waiting for, or check without "
            "--changed-since",
        ) from None
    if proc.returncode != 0:
        return None
    return proc.stdout.decode("utf-8", "surrogateescape")
