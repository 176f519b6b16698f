"""git in the measured district: a one-file commit as a pull request would make (taken
back after its measurements), and where sipctl keeps its history cache."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import backdated
from generator.cycle import CYCLE

# The pull request's commit: author and committer, and their date.
TOUCH_AUTHOR = ("Benchmark", "benchmark@example.org")
TOUCH_DATE = "2022-10-20T15:00:00-04:00"


def git(district: Path, *args: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        ["git", "-C", str(district), *args],
        env=env or backdated.git_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def touch_one_school(district: Path, school: str) -> str:
    """Commit a one-file change to one school, as a pull request would; returns the old HEAD."""
    head = git(district, "rev-parse", "HEAD")
    path = district / "schools" / school / CYCLE / "summer-plan.yaml"
    with path.open("a", encoding="utf-8") as stream:
        stream.write("# Reviewed with the district planning team on October 20, 2022.\n")
    env = backdated.identity_env(backdated.git_env(), *TOUCH_AUTHOR, TOUCH_DATE)
    git(district, "add", "--", str(path.relative_to(district)), env=env)
    git(district, "commit", "-q", "-m", f"{school}: note the district review", env=env)
    return head


def history_cache(district: Path) -> Path:
    """Where sipctl keeps its history cache in the district's repository."""
    return district / ".git" / "sipctl"


def save_history_cache(district: Path) -> Path | None:
    """A copy of the whole district's history cache beside the district, as main's last
    CI run left it (None if sipctl wrote none)."""
    saved = district.parent / f"{district.name}-history-cache.jsonl"
    whole = history_cache(district) / "history" / "whole.jsonl"
    if not whole.is_file():
        return None
    shutil.copyfile(whole, saved)
    return saved
