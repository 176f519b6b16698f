"""The pre-commit hook, run by pre-commit itself as a district runs it: `pre-commit try-repo`
installs this repository's `sipctl-check` hook into its own environment (from the source,
with pip) and runs it on the files being committed.

One school of the district has missed every deadline of its cycle; the other is on time.
The hook checks only the schools of the staged files, and judges no deadline, so a commit
to either school goes through; a schema error in the staged school still stops it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from cli import sipctl
from gitrepo import GitRepo, git_env

SOURCE_ROOT = Path(__file__).resolve().parents[1]
PRE_COMMIT = Path(sys.executable).with_name("pre-commit")
ON_TIME = "schools/maple/2030-31/priority-levers.yaml"  # every deadline years ahead
LATE = "schools/oak/2022-23/priority-levers.yaml"  # every deadline long past


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pre-commit's own cache: the hook's environment is built once for the module."""
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def district(tmp_path: Path) -> GitRepo:
    repo = GitRepo.init(tmp_path / "district")
    for school, cycle in (("maple", "2030-31"), ("oak", "2022-23")):
        run = sipctl("init", school, "--cycle", cycle, "--district", "Riverbend", cwd=repo.path)
        assert run.code == 0, run.err
    repo.commit("Scaffold maple and oak", date="2026-01-05T09:00:00-05:00")
    return repo


def try_repo(district: GitRepo, home: Path) -> subprocess.CompletedProcess[str]:
    """`pre-commit try-repo <this repository> sipctl-check` on what is staged."""
    env = git_env(district.home)
    env.update(
        PATH=os.environ["PATH"], PRE_COMMIT_HOME=str(home), PIP_DISABLE_PIP_VERSION_CHECK="1"
    )
    return subprocess.run(
        [PRE_COMMIT, "try-repo", SOURCE_ROOT, "sipctl-check", "--color", "never"],
        cwd=district.path,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def files_with_errors(report: str) -> set[str]:
    """The files under which the text report lists an error."""
    files, current = set(), ""
    for line in report.splitlines():
        if line.startswith(("schools/", "cycles/", "sipctl.yaml")):
            current = line.split()[0]
        elif re.match(r"\s+\d+:\d+\s+error\s", line):
            files.add(current)
    return files


def edit(district: GitRepo, path: str, old: str, new: str) -> None:
    target = district.path / path
    text = target.read_text("utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), "utf-8")
    district.run("add", path)


def test_the_whole_district_check_fails_on_the_late_school(district: GitRepo) -> None:
    """What the hook ran before: every school, deadlines included, so oak blocked maple."""
    run = sipctl("check", cwd=district.path)
    assert run.code == 1
    assert "schools/oak/2022-23/priority-levers.yaml" in files_with_errors(run.out)
    assert not any(path.startswith("schools/maple/") for path in files_with_errors(run.out))
    assert "[deadline-missed]" in run.out


def test_a_commit_to_the_on_time_school_goes_through(
    district: GitRepo, pre_commit_home: Path
) -> None:
    edit(district, ON_TIME, "status: not-started", "status: in-progress")
    proc = try_repo(district, pre_commit_home)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert re.search(r"^sipctl check\.+Passed$", proc.stdout, flags=re.M), proc.stdout
    district.run("commit", "-q", "-m", "maple: the levers are in progress")
    assert district.run("log", "-1", "--format=%s").strip() == "maple: the levers are in progress"


def test_the_late_school_can_commit_too_deadlines_are_ci_s(
    district: GitRepo, pre_commit_home: Path
) -> None:
    edit(district, LATE, "status: not-started", "status: in-progress")
    proc = try_repo(district, pre_commit_home)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "deadline" not in proc.stdout


def test_a_schema_error_in_the_staged_school_stops_the_commit(
    district: GitRepo, pre_commit_home: Path
) -> None:
    edit(district, ON_TIME, "status: not-started", "status: drafted")
    proc = try_repo(district, pre_commit_home)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert re.search(r"^sipctl check\.+Failed$", proc.stdout, flags=re.M), proc.stdout
    # the finding names the staged file, line and column; nothing of the late school
    assert re.search(rf"^{re.escape(ON_TIME)}\n\s+\d+:\d+\s+error\s", proc.stdout, re.M), (
        proc.stdout
    )
    assert "schools/oak" not in proc.stdout
    assert "1 school(s)" in proc.stdout


# the command the hook runs -------------------------------------------------------------------
def test_files_choose_their_schools_and_no_history_is_read(district: GitRepo) -> None:
    run = sipctl("check", "--no-deadlines", ON_TIME, cwd=district.path)
    assert run.code == 0, run.out + run.err
    assert "of 1 school(s)" in run.out and "schools/oak" not in run.out
    assert not (district.path / ".git/sipctl").exists()  # the history cache: never read
    # a district-wide file concerns every school; a file of no school, none
    assert (
        "of 2 school(s)" in sipctl("check", "--no-deadlines", "sipctl.yaml", cwd=district.path).out
    )
    assert (
        "of 2 school(s)"
        in sipctl("check", "--no-deadlines", "cycles/2022-23.yaml", cwd=district.path).out
    )
    assert "of 0 school(s)" in sipctl("check", "--no-deadlines", "README.md", cwd=district.path).out


def test_files_from_a_subfolder_are_found_relative_to_it(district: GitRepo) -> None:
    folder = district.path / "schools/oak"
    run = sipctl("check", "--no-deadlines", "2022-23/priority-levers.yaml", cwd=folder)
    assert run.code == 0, run.out + run.err
    assert "of 1 school(s)" in run.out and "schools/oak/" in run.out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--no-deadlines", "/etc/hostname"], "/etc/hostname is not inside the district at "),
        (["--no-deadlines", "--as-of", "2022-06-01"], "--as-of judges deadlines, which"),
        (["--school", "oak", ON_TIME], "--school and files each choose the schools"),
        (["--changed-since", "HEAD", ON_TIME], "--changed-since and files each choose"),
    ],
)
def test_contradictory_choices_are_refused(
    district: GitRepo, args: list[str], message: str
) -> None:
    run = sipctl("check", *args, cwd=district.path)
    assert run.code == 2
    assert message in run.err
