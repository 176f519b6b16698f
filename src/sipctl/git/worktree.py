"""Where a folder sits in git: the top of its work tree, and the time of HEAD."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

from sipctl.git.log_walk import commit_time
from sipctl.git.process import run_git


def toplevel(root: Path) -> Path | None:
    """The top folder of the git work tree holding `root`, or None when it is in none
    (or git cannot say)."""
    try:
        code, out, _err = run_git(root, ["rev-parse", "--show-toplevel"], timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    if code != 0:
        return None
    return Path(out.decode("utf-8", "surrogateescape").strip()).resolve()


def head_time(root: Path) -> dt.datetime | None:
    """HEAD's committer time, read as the log walk reads every commit's; None when git
    cannot say."""
    code, out, _err = run_git(root, ["log", "-1", "--format=%cI%x00%ct", "HEAD"])
    if code != 0:
        return None
    iso, _, epoch = out.decode("ascii", "replace").strip().partition("\0")
    return commit_time(iso, epoch)


def file_commit_times(
    root: Path, rel: str, *, until: dt.datetime | None = None
) -> list[dt.datetime]:
    """The committer times of the commits on HEAD's history that changed the file `rel`
    (relative to `root`), oldest first; only those at or before `until` when given. Empty
    when git cannot say (no repository, no commits)."""
    try:
        code, out, _err = run_git(root, ["log", "--format=%cI%x00%ct", "HEAD", "--", rel])
    except (OSError, subprocess.SubprocessError):
        return []
    if code != 0:
        return []
    times = []
    for line in out.decode("ascii", "replace").splitlines():
        iso, _, epoch = line.strip().partition("\0")
        when = commit_time(iso, epoch)
        if when is not None and (until is None or when <= until):
            times.append(when)
    return sorted(times)
