"""Running and timing processes: the tools measured, the environment every measured
command runs in, and one process run to completion with its wall time and peak RSS."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Tools:
    python: str
    sipctl: str
    check_jsonschema: str | None
    git: str


def find_tools() -> Tools:
    bindir = Path(sys.executable).parent

    def tool(name: str) -> str | None:
        candidate = bindir / name
        return str(candidate) if candidate.exists() else shutil.which(name)

    sipctl = tool("sipctl")
    git = shutil.which("git")
    if sipctl is None or git is None:
        raise SystemExit("run.py: needs sipctl and git; run it with the project's venv python")
    return Tools(sys.executable, sipctl, tool("check-jsonschema"), git)


def clean_env(history_cache: bool = False) -> dict[str, str]:
    """The environment of every measured command: no colour, no CI, and (unless asked)
    no history cache, so that each run walks git's history as a fresh clone does."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("GIT_") and k not in ("GITHUB_ACTIONS", "CI", "FORCE_COLOR")
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("SIPCTL_NO_HISTORY_CACHE", None)
    env.update(NO_COLOR="1", COLUMNS="100", TERM="dumb")
    if not history_cache:
        env["SIPCTL_NO_HISTORY_CACHE"] = "1"
    return env


@dataclass
class Process:
    seconds: float
    code: int
    max_rss_kib: int
    stdout: Path
    stderr: Path


def find_gnu_time() -> str | None:
    """GNU time, if installed: it reports a child's peak RSS from a small process."""
    path = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    if path is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / "rss"
        try:
            done = subprocess.run(
                [path, "-f", "%M", "-o", str(probe), "--", "true"], capture_output=True, check=False
            )
        except OSError:
            return None
        ok = done.returncode == 0 and probe.exists() and probe.read_text().strip().isdigit()
    return path if ok else None


# Peak RSS: the kernel counts the memory a child had before exec, i.e. a copy of the
# forking process. run.py holds the generated district's figures and check's output, so
# children are started through GNU time (a few MiB) when it exists.
GNU_TIME = find_gnu_time()
RSS_METHOD = (
    "GNU time %M (peak RSS of the process and the children it waited for)"
    if GNU_TIME
    else "os.wait4 ru_maxrss (no GNU time: includes run.py's own RSS at fork)"
)


def kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def run_process(
    command: list[str],
    cwd: Path | None,
    scratch: Path,
    timeout: float,
    index: int = 0,
    history_cache: bool = False,
) -> Process:
    """Run one command to completion; wall time from outside, peak RSS from GNU time."""
    stdout, stderr = scratch / f"stdout-{index}", scratch / f"stderr-{index}"
    rss_file = scratch / f"rss-{index}"
    if GNU_TIME:
        command = [GNU_TIME, "-f", "%M", "-o", str(rss_file), "--", *command]
    with stdout.open("wb") as out, stderr.open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            command,
            cwd=cwd,
            env=clean_env(history_cache),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            start_new_session=True,  # a timeout kills the whole process group
        )
        timer = threading.Timer(timeout, kill_group, (proc.pid,))
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    rss = int(usage.ru_maxrss)
    if GNU_TIME and rss_file.exists():
        lines = rss_file.read_text().split()
        if lines and lines[-1].isdigit():
            rss = int(lines[-1])
    return Process(seconds, proc.returncode, rss, stdout, stderr)


def tail(path: Path, limit: int = 400) -> str:
    text = path.read_text(encoding="utf-8", errors="replace").strip()
    return text[-limit:]


def output(command: list[str], cwd: Path | None = None) -> str:
    """The stripped stdout of a command run in the clean environment ("unknown (...)" if
    it cannot start)."""
    try:
        done = subprocess.run(
            command, cwd=cwd, env=clean_env(), capture_output=True, text=True, check=False
        )
    except OSError as exc:
        return f"unknown ({exc})"
    return done.stdout.strip()
