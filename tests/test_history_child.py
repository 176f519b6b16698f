"""History read in a child process (sipctl.git.history_child), against real git repositories."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cli import sipctl
from district import DEADLINES, header, write_district
from gitrepo import GitRepo, plan_doc
from sipctl.errors import GitError
from sipctl.git.history import STATUS_ORDER, History, read_history
from sipctl.git.history_child import ask_child, read_history_apart

DOC = "schools/maple/2022-23/priority-levers.yaml"
OTHER = "schools/maple/2022-23/family-engagement.yaml"


def doc(status: str, body: str = "") -> str:
    return plan_doc("priority-levers", "maple", "2022-23", status, body)


def other(status: str, body: str = "") -> str:
    return plan_doc("family-engagement", "maple", "2022-23", status, body)


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    """A document that goes forward, back and forward again, is approved and then edited
    without being reopened; and another that is reopened after approval."""
    repo = GitRepo.init(tmp_path / "district")
    repo.write("sipctl.yaml", "district: test\n")
    repo.commit("district", date="2022-03-01T09:00:00-05:00")
    steps = [
        (DOC, doc("in-progress"), "2022-04-04T09:00:00-04:00"),
        (DOC, doc("draft", "summary: a\n"), "2022-05-05T09:00:00-04:00"),
        (DOC, doc("in-progress", "summary: b\n"), "2022-05-07T09:00:00-04:00"),
        (DOC, doc("draft", "summary: c\n"), "2022-05-09T09:00:00-04:00"),
        (OTHER, other("draft"), "2022-05-10T09:00:00-04:00"),
        (DOC, doc("final", "summary: c\n"), "2022-05-26T09:00:00-04:00"),
        (OTHER, other("approved"), "2022-06-01T09:00:00-04:00"),
        (DOC, doc("approved", "summary: c\n"), "2022-06-07T09:00:00-04:00"),
        (DOC, doc("approved", "summary: edited\n"), "2022-06-20T09:00:00-04:00"),
        (OTHER, other("in-progress", "reopened: yes\n"), "2022-06-21T09:00:00-04:00"),
    ]
    for path, text, date in steps:
        repo.write(path, text)
        repo.commit(f"{path}: {date}", date=date)
    return repo


def reached(history: History) -> dict[tuple[str, str], str | None]:
    found = {}
    for path in (DOC, OTHER):
        for status in STATUS_ORDER:
            commit = history.reached(path, status)
            found[path, status] = None if commit is None else commit.sha
    return found


def test_for_deadlines_reaches_every_status_at_the_same_commit(repo: GitRepo) -> None:
    full = read_history(repo.path)
    small = full.for_deadlines()
    assert reached(small) == reached(full)
    assert reached(full)[DOC, "draft"] == repo.run("rev-parse", "HEAD~8").strip()
    assert small.approved_edits == full.approved_edits
    assert list(small.approved_edits) == [DOC]
    # the status changes are kept only where an approval drift needs them
    assert small.changes == {DOC: full.changes[DOC]}
    # of 7 versions, the first in-progress, draft, final and approved
    assert (len(full._versions[DOC]), len(small._versions[DOC])) == (7, 4)
    assert (small.available, small.reason) == (full.available, full.reason)


def test_the_child_reads_what_a_thread_reads(repo: GitRepo) -> None:
    apart = ask_child(repo.path, ["schools"])  # the child's own answer, not the fallback's
    assert apart is not None
    here = read_history(repo.path).for_deadlines()
    assert reached(apart) == reached(here)
    assert apart.approved_edits == here.approved_edits
    assert apart.changes == here.changes
    edit = apart.approved_edits[DOC][0]
    assert apart.blob_text(edit.new_blob) == doc("approved", "summary: edited\n")


def test_the_child_says_when_there_is_no_repository(tmp_path: Path) -> None:
    history = read_history_apart(tmp_path, None).result()
    assert (history.available, history.reason) == (False, "no-git")


def fake_python(folder: Path, script: str) -> str:
    """A program to stand in for the Python that would run the child: a shell script."""
    path = folder / "python"
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(0o755)
    return str(path)


def test_a_failing_child_is_read_again_here_and_its_error_raised(tmp_path: Path) -> None:
    missing = tmp_path / "not-there"
    with pytest.raises(GitError, match="git cannot read the repository at"):
        read_history_apart(missing, None).result()


def test_a_child_that_cannot_start_is_replaced_by_a_read_here(
    repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "executable", fake_python(tmp_path, "echo 'no module' >&2; exit 1"))
    assert ask_child(repo.path, ["schools"]) is None
    apart = read_history_apart(repo.path, None).result()
    assert reached(apart) == reached(read_history(repo.path))


@pytest.mark.parametrize("python", ["", "/nowhere/python"])
def test_no_python_to_start_is_a_read_here(
    repo: GitRepo, python: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "executable", python)  # what an embedded interpreter may say
    assert ask_child(repo.path, ["schools"]) is None
    apart = read_history_apart(repo.path, None).result()
    assert reached(apart) == reached(read_history(repo.path))


def test_a_child_stopped_by_a_signal_stops_the_read(
    repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "executable", fake_python(tmp_path, "kill -TERM $$"))
    with pytest.raises(GitError, match="stopped by signal 15"):
        read_history_apart(repo.path, None).result()


def test_a_large_check_in_one_process_judges_deadlines_as_with_workers(tmp_path: Path) -> None:
    # 45 schools is above PARALLEL_MIN_SCHOOLS: --jobs 1 reads history in a child process,
    # --jobs 2 in a thread beside the workers, --school in a thread before the models load.
    slugs = tuple(f"school-{i:02d}" for i in range(45))
    root = write_district(tmp_path / "d", {"cycles/2022-23.yaml": DEADLINES}, schools=slugs)
    repo = GitRepo.init(root)
    repo.commit("Start planning", date="2022-03-01T09:00:00-05:00")

    def levers(slug: str, status: str, date: str, body: str = "") -> None:
        repo.write(
            f"schools/{slug}/2022-23/priority-levers.yaml",
            header("priority-levers", slug, status=status) + body,
        )
        repo.commit(f"{slug}: {status}", date=date)

    levers("school-03", "draft", "2022-05-06T16:30:00-04:00")  # 30 minutes late
    levers("school-07", "draft", "2022-05-06T15:00:00-04:00")
    levers("school-07", "in-progress", "2022-05-08T15:00:00-04:00")  # reopened: still on time
    levers("school-07", "final", "2022-05-27T15:00:00-04:00")
    levers("school-07", "approved", "2022-06-01T15:00:00-04:00")
    levers("school-07", "approved", "2022-06-02T15:00:00-04:00", "reflection: changed\n")
    edit = repo.head()

    def findings(*args: str) -> list[tuple[str, str, str | None, str]]:
        run = sipctl("check", "--repo", root, "--as-of", "2022-06-03", "--format", "json", *args)
        assert run.code == 1, run.err
        return [
            (f["school"], f["rule"], f["stage"], f["message"])
            for f in run.json()["findings"]
            if f["school"] in ("school-03", "school-07")
            and (f["rule"].startswith("deadline") or f["rule"] == "approved-changed")
        ]

    one = findings("--jobs", "1")
    assert one == [
        (
            "school-03",
            "deadline-late",
            "draft",
            "the draft was submitted 2022-05-06 16:30 -04:00, 30 minutes after the deadline "
            "2022-05-06 16:00 -04:00",
        ),
        (
            "school-03",
            "deadline-missed",
            "final",
            "the final was due 2022-05-27 16:00 -04:00 and has not been submitted "
            "(overdue by 7 days 7 hours)",
        ),
        (
            "school-07",
            "approved-changed",
            None,
            f"commit {edit[:10]} by Ada Principal <ada@example.org> on 2022-06-02 15:00 -04:00 "
            "changed the approved document (reflection) without setting its status back",
        ),
    ]
    assert findings("--jobs", "2") == one
    assert findings("--school", "school-07") == one[2:]


def test_a_child_still_reading_when_the_check_ends_is_stopped(tmp_path: Path) -> None:
    # A Ctrl-C sent to sipctl alone (not to its process group) ends it while the child
    # reads: the child must not go on reading for nobody.
    pid_file = tmp_path / "child.pid"
    slow = fake_python(tmp_path, f"echo $$ > {pid_file}; exec sleep 60")
    script = (
        "import sys, time\n"
        f"sys.executable = {str(slow)!r}\n"
        "from pathlib import Path\n"
        "from sipctl.git.history_child import read_history_apart\n"
        f"read_history_apart(Path({str(tmp_path)!r}), None)\n"
        f"while not Path({str(pid_file)!r}).exists(): time.sleep(0.01)\n"
        "raise KeyboardInterrupt\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert "KeyboardInterrupt" in done.stderr
    pid = int(pid_file.read_text())
    for _ in range(500):
        if not Path(f"/proc/{pid}").exists() or "Z" in _state(pid):
            break
        time.sleep(0.01)
    else:
        os.kill(pid, signal.SIGKILL)
        pytest.fail("the child read on after its parent ended")


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"
