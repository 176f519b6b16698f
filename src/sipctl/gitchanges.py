"""Which files changed since a revision: the fast path of `check --changed-since`."""

from __future__ import annotations

import subprocess
from pathlib import Path

from sipctl.errors import UsageError

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
    try:
        proc = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, check=False, timeout=120
        )
    except FileNotFoundError:
        raise UsageError("--changed-since needs git, which is not installed") from None
    if proc.returncode != 0:
        return None
    return proc.stdout.decode("utf-8", "surrogateescape")
