"""A stopped sipctl leaves no process behind.

`check` and `render` fork worker processes for a large district (conftest's
`generated`: 45 schools, with `--jobs 2`). Told to stop, by SIGTERM (a CI runner
cancelling a job, `timeout`, `kill`) or by SIGKILL, the main process must not leave
its workers waiting for work that will never come: before the fix, SIGTERM ended the
main process at once and the workers stayed, forever, holding the terminal's pipes.
These tests find the workers through /proc (Linux) and watch them go.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from cli import SIPCTL, render_args

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")


def children(pid: int) -> set[int]:
    """The processes whose parent is `pid` and whose command line is sipctl's: its
    forked workers, and any child forked to run git that has not exec'd git yet."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except (OSError, IndexError):
            continue  # gone meanwhile
        if int(fields[1]) == pid and b"sipctl" in cmdline and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


def settled_children(pid: int) -> set[int]:
    """The children that are sipctl in two scans 0.1 s apart: the forked workers, not
    a child caught between its fork and its exec of git."""
    first = children(pid)
    time.sleep(0.1)
    return first & children(pid)


def alive(pids: set[int]) -> set[int]:
    living = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            living.add(pid)
    return living


def stopped_with_workers(args: list[str | Path], signum: int) -> tuple[int, str, set[int]]:
    """Start sipctl, wait until it has forked two workers, send `signum` to the main
    process only; its exit status, its stderr, and the workers still alive 10 s later."""
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "CI")}
    env["NO_COLOR"] = "1"
    proc = subprocess.Popen(
        [str(SIPCTL), "--no-history-cache", *map(str, args)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,  # its own group: a stray worker cannot hit the test runner
    )
    workers: set[int] = set()
    deadline = time.monotonic() + 60
    while len(workers) < 2 and proc.poll() is None and time.monotonic() < deadline:
        workers = settled_children(proc.pid)
    try:
        assert len(workers) == 2, "the workers never started"
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=60)
        deadline = time.monotonic() + 10
        while alive(workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        return proc.returncode, err.decode("utf-8", "replace"), alive(workers)
    finally:
        for pid in alive(workers):
            os.kill(pid, signal.SIGKILL)
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def check_args(generated: Path) -> list[str | Path]:
    return ["check", "--repo", generated, "--as-of", "2022-11-01", "--jobs", "2"]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["sigterm", "sighup"])
def test_a_check_told_to_stop_shuts_its_workers_down_and_ends_by_the_signal(
    generated: Path, signum: int
) -> None:
    code, err, left = stopped_with_workers(check_args(generated), signum)
    assert code == -signum
    assert "Traceback" not in err, err
    assert left == set()


def test_a_render_told_to_stop_shuts_its_workers_down_and_writes_nothing(
    generated: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    code, err, left = stopped_with_workers(render_args(generated, out), signal.SIGTERM)
    assert code == -signal.SIGTERM
    assert "Traceback" not in err, err
    assert left == set()
    assert not out.exists() or list(out.iterdir()) == []


@pytest.mark.skipif(os.uname().sysname != "Linux", reason="PR_SET_PDEATHSIG is Linux's")
@pytest.mark.parametrize("command", ["check", "render"])
def test_workers_end_when_their_parent_is_killed_outright(
    generated: Path, tmp_path: Path, command: str
) -> None:
    # SIGKILL gives the main process no chance to clean up: the workers must notice.
    args = check_args(generated) if command == "check" else render_args(generated, tmp_path)
    code, _err, left = stopped_with_workers(args, signal.SIGKILL)
    assert code == -signal.SIGKILL
    assert left == set()
