#!/usr/bin/env python3
"""Measure sipctl on a generated district, side by side with its floor and its peers.

    .venv/bin/python benchmarks/run.py [--schools 1800] [--commits 20000] [--repeat 3]
                                       [--out results.json] [--district DIR] [--skip-peer]

Generates a district with `benchmarks/generate.py` (or reuses `--district DIR`), then
times each command as a fresh process from the outside (wall clock, median of the
repeats, interleaved round by round so that machine noise hits every command alike)
and reads each process's peak memory from `wait4`. It prints a table of the
measurements and of the ratios issue 8 asks for, and writes all of it, with the
machine's description, to a JSON file. See benchmarks/README.md.

Exit status: 0 when every measurement ran (a ratio that misses its target is a
finding, not a failure), 1 when a measurement failed, 2 on bad options.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import generate

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
AS_OF = "2022-11-01"
CYCLE = generate.CYCLE

# Every measurement key the JSON holds, in table order.
MEASUREMENTS: dict[str, str] = {
    "floor": "floor: parse every plan file, libyaml CSafeLoader, one process",
    "check_full": "sipctl check, whole district, one process",
    "check_jobs": "sipctl check --jobs N, whole district",
    "peer_check_jsonschema": "check-jsonschema, same files, 13 invocations",
    "check_changed_since": "sipctl check --changed-since HEAD~1 (one school touched)",
    "git_log_walk": "git log --raw -m --no-renames --relative=schools/ HEAD",
    "audit_trail_district": "audit trail, whole district (sipctl.history.read_history)",
    "log_one_school": "sipctl log <one school> --format json",
    "render_html": "sipctl render --format html, whole district",
    "sipctl_help": "sipctl --help",
    "bare_typer_help": "bare typer app --help (7 commands)",
    "check_one_school": "sipctl check --school <one>",
    "bare_imports": 'python -c "import typer, yaml, pydantic"',
    "bare_typer_check": "bare typer app check --school <one> (an empty command)",
    "commit_graph_write": "git commit-graph write --reachable --changed-paths (once)",
    "check_changed_since_graph": "  the same --changed-since, with that commit-graph",
    "check_one_school_graph": "  the same --school check, with that commit-graph",
    "history_cache_write": "sipctl check --jobs 1, first run: walks and writes the history cache",
    "check_full_cached": "sipctl check, one process, history cache at HEAD",
    "check_jobs_cached": "sipctl check --jobs N, history cache at HEAD",
    "check_one_school_cached": "sipctl check --school <one>, history cache at HEAD",
    "check_changed_since_cached": "sipctl check --changed-since HEAD~1, cache made at HEAD~1",
}

FLOOR = """\
import glob, sys, yaml
count = 0
for path in sorted(glob.glob(sys.argv[1] + "/schools/*/*/*.yaml")):
    with open(path, "rb") as stream:
        yaml.load(stream, Loader=yaml.CSafeLoader)
    count += 1
print(count, "files")
"""

AUDIT = """\
import sys
from pathlib import Path
try:
    from sipctl.history import read_history
except ImportError as exc:
    print("not available:", exc, file=sys.stderr)
    sys.exit(3)
try:
    history = read_history(Path(sys.argv[1]), cache=False)
except TypeError:  # a sipctl from before the history cache
    history = read_history(Path(sys.argv[1]))
if not getattr(history, "available", True):
    print("history not available:", getattr(history, "reason", "?"), file=sys.stderr)
    sys.exit(4)
print("history read")
"""


# ---------------------------------------------------------------------------------------
# Running and timing processes
# ---------------------------------------------------------------------------------------


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


@dataclass
class Spec:
    key: str
    make: Callable[[Path], list[list[str]]]  # scratch dir -> the processes of one run
    repeats: int
    cwd: Path | None = None
    ok_codes: tuple[int, ...] = (0,)
    warm_up: bool = False
    keep_output: bool = False  # keep the last run's stdout (check's JSON summary)
    note: str = ""
    unavailable: str | None = None  # set before running: not measured, and why
    history_cache: bool = False  # sipctl may use .git/sipctl/ (default: walk from scratch)
    # A run of this spec right before each of this one's runs, timed into pair_runs: the
    # ratio to it is then the median of the pairs, each timed within the same minute.
    pair: Spec | None = None


@dataclass
class Result:
    key: str
    label: str
    command: str = ""
    status: str = "ok"  # ok | not available | skipped | failed
    note: str = ""
    runs: list[float] = field(default_factory=list)
    exit_codes: list[int] = field(default_factory=list)
    max_rss_kib: list[int] = field(default_factory=list)
    processes_per_run: int = 1
    output: str = ""
    pair_key: str | None = None
    pair_runs: list[float] = field(default_factory=list)  # one per run, right before it

    @property
    def median(self) -> float | None:
        return statistics.median(self.runs) if self.runs and self.status == "ok" else None

    def as_dict(self) -> dict[str, Any]:
        median = self.median
        rss = max(self.max_rss_kib) if self.max_rss_kib else None
        return {
            "label": self.label,
            "command": self.command,
            "status": self.status,
            "note": self.note,
            "median_seconds": round(median, 4) if median is not None else None,
            "runs_seconds": [round(r, 4) for r in self.runs],
            "exit_codes": self.exit_codes,
            "max_rss_mib": round(rss / 1024, 1) if rss is not None else None,
            "processes_per_run": self.processes_per_run,
            "paired_with": self.pair_key,
            "paired_runs_seconds": [round(r, 4) for r in self.pair_runs],
        }


def shown(command: list[str], district: Path) -> str:
    parts = []
    for part in command:
        text = part.replace(str(district), "D").replace(str(ROOT) + "/", "")
        if "\n" in text:
            text = "<snippet>"
        parts.append(text if " " not in text else repr(text))
    return " ".join(parts)


def measure(specs: list[Spec], district: Path, timeout: float, log: Callable[[str], None]) -> None:
    """Run the specs round by round (interleaved); fills RESULTS."""
    rounds = max((spec.repeats for spec in specs), default=0)
    with tempfile.TemporaryDirectory(prefix="sipctl-bench-") as tmp:
        base = Path(tmp)
        for spec in specs:
            result = RESULTS[spec.key]
            commands = spec.make(base / "probe")
            result.command = " && ".join(shown(c, district) for c in commands[:1])
            if len(commands) > 1:
                result.command += f" (and {len(commands) - 1} more like it)"
            result.processes_per_run = len(commands)
            result.pair_key = spec.pair.key if spec.pair is not None else None
            if spec.note:
                result.note = spec.note
            if spec.unavailable is not None:
                skipped = spec.unavailable.startswith("skipped")
                result.status = "skipped" if skipped else "not available"
                result.note = spec.unavailable
            elif spec.warm_up:
                one_run(spec, result, base, timeout, record=False)
        for round_index in range(rounds):
            for spec in specs:
                result = RESULTS[spec.key]
                if round_index >= spec.repeats or result.status != "ok":
                    continue
                log(f"  [{round_index + 1}/{spec.repeats}] {spec.key}")
                if spec.pair is None:
                    one_run(spec, result, base, timeout, record=True)
                else:
                    paired_run(spec, spec.pair, result, base, timeout)


def paired_run(spec: Spec, pair: Spec, result: Result, base: Path, timeout: float) -> None:
    """One run of `pair`, then one of `spec`; the pair's time is kept beside the run's."""
    before = Result(pair.key, "")
    one_run(pair, before, base, timeout, record=True)
    runs = len(result.runs)
    one_run(spec, result, base, timeout, record=True)
    if before.status != "ok":  # the ratio falls back to the rows' medians
        result.pair_key, result.pair_runs = None, []
        spec.pair = None
    elif len(result.runs) > runs:
        result.pair_runs.append(before.runs[-1])


def one_run(spec: Spec, result: Result, base: Path, timeout: float, record: bool) -> None:
    scratch = Path(tempfile.mkdtemp(dir=base))
    try:
        total, rss, codes = 0.0, 0, []
        for index, command in enumerate(spec.make(scratch)):
            proc = run_process(command, spec.cwd, scratch, timeout, index, spec.history_cache)
            total += proc.seconds
            rss = max(rss, proc.max_rss_kib)
            codes.append(proc.code)
            if proc.code not in spec.ok_codes:
                message = tail(proc.stderr) or tail(proc.stdout)
                if proc.code in (2, 3) and "not available" in message:
                    result.status, result.note = "not available", message
                else:
                    result.status = "failed"
                    result.note = f"exit {proc.code}: {message}"
                result.exit_codes.append(proc.code)
                return
            if spec.keep_output:
                result.output = proc.stdout.read_text(encoding="utf-8", errors="replace")
        if record:
            # kept as the JSON keeps it, so that every ratio can be recomputed from the
            # JSON's own figures (on a tiny district, a 0.08 s floor rounded to 4
            # decimals moved a ratio of 7 by 0.005)
            result.runs.append(round(total, 4))
            result.max_rss_kib.append(rss)
            result.exit_codes.extend(sorted(set(codes)))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


RESULTS: dict[str, Result] = {}


# ---------------------------------------------------------------------------------------
# The machine and the district
# ---------------------------------------------------------------------------------------


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _output(command: list[str], cwd: Path | None = None) -> str:
    try:
        done = subprocess.run(
            command, cwd=cwd, env=clean_env(), capture_output=True, text=True, check=False
        )
    except OSError as exc:
        return f"unknown ({exc})"
    return done.stdout.strip()


VERSIONS = """\
import importlib.metadata as md, json, platform, yaml
names = ["sipctl", "PyYAML", "pydantic", "pydantic-core", "typer", "click", "rich",
         "check-jsonschema", "ruamel.yaml", "jsonschema"]
out = {}
for name in names:
    try:
        out[name] = md.version(name)
    except md.PackageNotFoundError:
        out[name] = None
out["libyaml"] = yaml._yaml.get_version_string() if yaml.__with_libyaml__ else None
out["python"] = platform.python_version() + " (" + platform.python_implementation() + ")"
print(json.dumps(out))
"""


def describe_machine(tools: Tools) -> dict[str, Any]:
    cpu = "unknown"
    for line in _read("/proc/cpuinfo").splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = None
    for line in _read("/proc/meminfo").splitlines():
        if line.startswith("MemTotal:"):
            memory = round(int(line.split()[1]) / 1024 / 1024, 1)
    distro = ""
    for line in _read("/etc/os-release").splitlines():
        if line.startswith("PRETTY_NAME="):
            distro = line.split("=", 1)[1].strip('"')
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 1
    try:
        versions = json.loads(_output([tools.python, "-c", VERSIONS]))
    except json.JSONDecodeError:
        versions = {}
    return {
        "cpu_model": cpu,
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "memory_gib": memory,
        "python": versions.pop("python", platform.python_version()),
        "git": _output([tools.git, "--version"]).removeprefix("git version "),
        "os": f"{distro} ({platform.platform()})" if distro else platform.platform(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "packages": versions,
    }


def describe_source() -> dict[str, Any]:
    """Which sipctl was measured: the source tree's commit and how far src/ has moved."""
    head = _output(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
    changed = _output(["git", "-C", str(ROOT), "status", "--porcelain", "--", "src"])
    return {
        "commit": head or None,
        "src_files_changed_since_commit": len(changed.splitlines()) if changed else 0,
        "src_fingerprint": source_fingerprint(),
    }


def source_fingerprint() -> str:
    """Changes whenever a file under src/ is edited, added or removed."""
    digest = hashlib.sha1()
    for path in sorted((ROOT / "src").rglob("*.py")):
        stat = path.stat()
        digest.update(f"{path}:{stat.st_mtime_ns}:{stat.st_size}\n".encode())
    return digest.hexdigest()[:12]


def describe_district(district: Path) -> dict[str, Any]:
    files = sorted(district.glob("schools/*/*/*.yaml"))
    commits = _output(["git", "-C", str(district), "rev-list", "--count", "HEAD"])
    schools = sorted(p.name for p in (district / "schools").iterdir() if p.is_dir())
    return {
        "path": str(district),
        "schools": len(schools),
        "commits": int(commits) if commits.isdigit() else None,
        "plan_files": len(files),
        "plan_bytes": sum(p.stat().st_size for p in files),
        "school_profiles": len(list(district.glob("schools/*/school.yaml"))),
    }


# ---------------------------------------------------------------------------------------
# The measurements
# ---------------------------------------------------------------------------------------


def git(district: Path, *args: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        ["git", "-C", str(district), *args],
        env=env or generate.git_env(),
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
    env = generate.git_env()
    env.update(
        GIT_AUTHOR_NAME="Benchmark",
        GIT_AUTHOR_EMAIL="benchmark@example.org",
        GIT_COMMITTER_NAME="Benchmark",
        GIT_COMMITTER_EMAIL="benchmark@example.org",
        GIT_AUTHOR_DATE="2022-10-20T15:00:00-04:00",
        GIT_COMMITTER_DATE="2022-10-20T15:00:00-04:00",
    )
    git(district, "add", "--", str(path.relative_to(district)), env=env)
    git(district, "commit", "-q", "-m", f"{school}: note the district review", env=env)
    return head


def graph_specs(
    tools: Tools, district: Path, school: str, args: argparse.Namespace
) -> tuple[list[Spec], Path]:
    """One school's checks again in a clone that has git's commit-graph with changed-path
    Bloom filters (git 2.27+), which let `git log -- schools/<slug>/` skip the commits
    that did not touch the school. The district itself is left without one."""
    clone = district.parent / (district.name + "-commit-graph")
    if clone.exists():
        shutil.rmtree(clone)
    git(district.parent, "clone", "-q", "--no-local", str(district), str(clone))
    d = str(clone)
    specs = [
        Spec(
            "commit_graph_write",
            lambda _: [
                [tools.git, "-C", d, "commit-graph", "write", "--reachable", "--changed-paths"]
            ],
            1,
            note="once; git keeps using it until the next large fetch",
        ),
        Spec(
            "check_changed_since_graph",
            lambda _: [pull_request_check(tools, clone)],
            args.fast_repeat,
            ok_codes=(0, 1),
            warm_up=True,
        ),
        Spec(
            "check_one_school_graph",
            lambda _: [school_check(tools, clone, school)],
            args.fast_repeat,
            ok_codes=(0, 1),
            warm_up=True,
        ),
    ]
    return specs, clone


# The checks the ratios compare. Every row that times one of them (fresh clone, history
# cache, commit-graph clone) runs the same command, so that only the setting differs.
def whole_check(tools: Tools, district: Path) -> list[str]:
    return [tools.sipctl, "check", "--repo", str(district), "--as-of", AS_OF, "--format", "json"]


def school_check(tools: Tools, district: Path, school: str) -> list[str]:
    return [tools.sipctl, "check", "--repo", str(district), "--school", school]


def pull_request_check(tools: Tools, district: Path) -> list[str]:
    return [tools.sipctl, "check", "--repo", str(district), "--changed-since", "HEAD~1"]


def history_cache(district: Path) -> Path:
    """Where sipctl keeps its history cache in the district's repository."""
    return district / ".git" / "sipctl"


def cached_specs(
    tools: Tools, district: Path, school: str, args: argparse.Namespace, floor: Spec
) -> list[Spec]:
    """The checks again with sipctl's history cache, as a laptop has it after one run and
    a CI job that keeps `.git/sipctl/` between runs: the first run walks git's history and
    writes the cache, the next ones read it. Each whole-district check is paired with a
    run of the `floor` right before it."""
    check = whole_check(tools, district)

    def first_run(_: Path) -> list[list[str]]:
        shutil.rmtree(history_cache(district), ignore_errors=True)
        return [[*check, "--jobs", "1"]]

    common: dict[str, Any] = {"ok_codes": (0, 1), "history_cache": True}
    return [
        Spec("history_cache_write", first_run, 1, note="from an empty .git/sipctl/", **common),
        Spec(
            "check_full_cached",
            lambda _: [[*check, "--jobs", "1"]],
            args.repeat,
            keep_output=True,
            note="--jobs 1",
            pair=floor,
            **common,
        ),
        Spec(
            "check_jobs_cached",
            lambda _: [[*check, "--jobs", str(args.jobs)]],
            args.repeat,
            note=f"--jobs {args.jobs}",
            pair=floor,
            **common,
        ),
        Spec(
            "check_one_school_cached",
            lambda _: [school_check(tools, district, school)],
            args.fast_repeat,
            warm_up=True,
            **common,
        ),
    ]


def changed_since_cached_spec(
    tools: Tools, district: Path, saved: Path | None, args: argparse.Namespace
) -> Spec:
    """`--changed-since` in a pull request whose CI restored the cache main's last run
    made: before each run the cache is put back as it was at HEAD~1, so every run walks
    the one new commit and reads the rest from the cache."""

    def make(_: Path) -> list[list[str]]:
        if saved is not None:
            folder = history_cache(district) / "history"
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            shutil.copyfile(saved, folder / "whole.jsonl")
        return [pull_request_check(tools, district)]

    return Spec(
        "check_changed_since_cached",
        make,
        args.fast_repeat,
        ok_codes=(0, 1),
        warm_up=True,
        history_cache=True,
        unavailable=None if saved is not None else "skipped: no history cache was written",
    )


def has_option(tools: Tools, command: str, option: str) -> bool:
    return option in _output([tools.sipctl, command, "--help"])


def build_specs(
    tools: Tools, district: Path, school: str, args: argparse.Namespace
) -> tuple[list[Spec], list[Spec]]:
    """(main specs, specs run after one school's change is committed)."""
    repeat, fast = args.repeat, args.fast_repeat
    sipctl, python, d = tools.sipctl, tools.python, str(district)
    jobs = args.jobs
    check = whole_check(tools, district)
    docs = list(generate.DOCUMENTS)

    def peer(_: Path) -> list[list[str]]:
        assert tools.check_jsonschema is not None
        commands = []
        for doc in docs:
            files = sorted(
                str(p.relative_to(district)) for p in district.glob(f"schools/*/*/{doc}.yaml")
            )
            commands.append(
                [tools.check_jsonschema, "--schemafile", f"schemas/{doc}.schema.json", *files]
            )
        return commands

    if args.skip_peer:
        peer_unavailable: str | None = "skipped (--skip-peer)"
    elif tools.check_jsonschema is None:
        peer_unavailable = "check-jsonschema is not installed (pip install check-jsonschema)"
    else:
        peer_unavailable = None
    # With --jobs, sipctl's default is one worker per core: one process needs --jobs 1.
    has_jobs = has_option(tools, "check", "--jobs")
    single = [*check, "--jobs", "1"] if has_jobs else check
    floor = Spec("floor", lambda _: [[python, "-c", FLOOR, d]], repeat)
    main = [
        floor,
        Spec(
            "check_full",
            lambda _: [single],
            repeat,
            ok_codes=(0, 1),
            keep_output=True,
            note="--jobs 1" if has_jobs else "",
            pair=floor,
        ),
        Spec(
            "check_jobs",
            lambda _: [[*check, "--jobs", str(jobs)]],
            repeat,
            ok_codes=(0, 1),
            note=f"--jobs {jobs}",
            pair=floor,
            unavailable=None if has_jobs else "not available: `sipctl check --help` has no --jobs",
        ),
        Spec(
            "peer_check_jsonschema",
            peer,
            1,
            cwd=district,
            ok_codes=(0, 1),
            note="ran once (slow peer); time is the sum of the 13 invocations",
            unavailable=peer_unavailable,
        ),
        Spec(
            "git_log_walk",
            # --relative, not `-- schools/`: the same changes in half the time (a pathspec
            # makes git test every commit against it before the diff), as sipctl walks.
            lambda _: [
                [
                    tools.git,
                    "-C",
                    d,
                    "log",
                    "--raw",
                    "-m",
                    "--no-renames",
                    "--relative=schools/",
                    "HEAD",
                ]
            ],
            repeat,
        ),
        Spec("audit_trail_district", lambda _: [[python, "-c", AUDIT, d]], repeat, ok_codes=(0,)),
        Spec(
            "log_one_school",
            lambda _: [[sipctl, "log", school, "--repo", d, "--format", "json"]],
            fast,
            warm_up=True,
        ),
        Spec(
            "render_html",
            lambda scratch: [
                [sipctl, "render", "--repo", d, "--format", "html", "--out", str(scratch / "site")]
            ],
            repeat,
        ),
        Spec("sipctl_help", lambda _: [[sipctl, "--help"]], fast, warm_up=True),
        Spec(
            "bare_typer_help",
            lambda _: [[python, str(HERE / "bare_typer_app.py"), "--help"]],
            fast,
            warm_up=True,
        ),
        Spec(
            "check_one_school",
            lambda _: [school_check(tools, district, school)],
            fast,
            ok_codes=(0, 1),
            warm_up=True,
        ),
        Spec(
            "bare_imports",
            lambda _: [[python, "-c", "import typer, yaml, pydantic"]],
            fast,
            warm_up=True,
        ),
        # What typer alone costs to run a command, before any plan is read: the floor
        # under the one-school check's ratio to the bare imports.
        Spec(
            "bare_typer_check",
            lambda _: [[python, str(HERE / "bare_typer_app.py"), "check", "--school", school]],
            fast,
            warm_up=True,
        ),
    ]
    after_touch = [
        Spec(
            "check_changed_since",
            lambda _: [pull_request_check(tools, district)],
            fast,
            ok_codes=(0, 1),
            warm_up=True,
            note=f"after committing a one-line change to schools/{school}/",
        ),
    ]
    return main, after_touch


# ---------------------------------------------------------------------------------------
# Ratios
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ratio:
    key: str
    name: str
    numerator: str
    denominator: str
    limit: float
    at_least: bool = False  # True: value >= limit passes; else value <= limit
    divide_by_cores: bool = False
    informational: bool = False


RATIOS = (
    Ratio("full_check_vs_floor", "full check / floor", "check_full", "floor", 1.3),
    Ratio(
        "jobs_check_vs_floor_per_core",
        "--jobs check / (floor / cores)",
        "check_jobs",
        "floor",
        1.3,
        divide_by_cores=True,
    ),
    Ratio(
        "peer_vs_check",
        "check-jsonschema / check",
        "peer_check_jsonschema",
        "check_full",
        10.0,
        at_least=True,
    ),
    Ratio(
        "peer_vs_check_jobs",
        "check-jsonschema / check --jobs (the default)",
        "peer_check_jsonschema",
        "check_jobs",
        10.0,
        at_least=True,
        informational=True,
    ),
    Ratio(
        "changed_since_vs_help", "--changed-since / --help", "check_changed_since", "sipctl_help", 3
    ),
    Ratio(
        "changed_since_graph_vs_help",
        "  with git's commit-graph",
        "check_changed_since_graph",
        "sipctl_help",
        3,
        informational=True,
    ),
    Ratio(
        "audit_trail_vs_git_log",
        "audit trail / git log walk",
        "audit_trail_district",
        "git_log_walk",
        3.0,
    ),
    Ratio(
        "log_one_school_vs_git_log",
        "sipctl log (one school) / git log walk",
        "log_one_school",
        "git_log_walk",
        3.0,
        informational=True,
    ),
    Ratio("help_vs_bare_typer", "--help / bare typer", "sipctl_help", "bare_typer_help", 1.3),
    Ratio(
        "one_school_check_vs_bare_imports",
        "one-school check / bare imports",
        "check_one_school",
        "bare_imports",
        1.5,
    ),
    Ratio(
        "one_school_check_graph_vs_bare_imports",
        "  with git's commit-graph",
        "check_one_school_graph",
        "bare_imports",
        1.5,
        informational=True,
    ),
    Ratio(
        "bare_typer_check_vs_bare_imports",
        "  an empty typer command / bare imports",
        "bare_typer_check",
        "bare_imports",
        1.5,
        informational=True,
    ),
    Ratio(
        "full_check_cached_vs_floor",
        "full check, history cache / floor",
        "check_full_cached",
        "floor",
        1.3,
        informational=True,
    ),
    Ratio(
        "jobs_check_cached_vs_floor_per_core",
        "--jobs check, history cache / (floor / cores)",
        "check_jobs_cached",
        "floor",
        1.3,
        divide_by_cores=True,
        informational=True,
    ),
    Ratio(
        "peer_vs_check_cached",
        "check-jsonschema / check, history cache",
        "peer_check_jsonschema",
        "check_full_cached",
        10.0,
        at_least=True,
        informational=True,
    ),
    Ratio(
        "changed_since_cached_vs_help",
        "--changed-since, cache from HEAD~1 / --help",
        "check_changed_since_cached",
        "sipctl_help",
        3,
        informational=True,
    ),
    Ratio(
        "one_school_check_cached_vs_bare_imports",
        "one-school check, history cache / bare imports",
        "check_one_school_cached",
        "bare_imports",
        1.5,
        informational=True,
    ),
)


def seconds(value: float) -> str:
    return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"


def compute_ratios(cores: int) -> list[dict[str, Any]]:
    out = []
    for ratio in RATIOS:
        top, bottom = RESULTS[ratio.numerator], RESULTS[ratio.denominator]
        entry: dict[str, Any] = {
            "key": ratio.key,
            "name": ratio.name,
            "numerator": ratio.numerator,
            "denominator": ratio.denominator,
            "limit": ratio.limit,
            "comparison": ">=" if ratio.at_least else "<=",
            "informational": ratio.informational,
            "value": None,
            "pass": None,
            "figures": "",
            "paired": False,
        }
        a, b = top.median, bottom.median
        per_core = cores if ratio.divide_by_cores else 1
        paired = top.pair_key == ratio.denominator and len(top.pair_runs) == len(top.runs) > 0
        if a is None or b is None or b <= 0:
            missing = top if a is None else bottom
            entry["figures"] = f"{missing.key}: {missing.status}"
            out.append(entry)
            continue
        if paired:  # each run against the floor timed right before it
            each = [
                run / (before / per_core)
                for run, before in zip(top.runs, top.pair_runs, strict=True)
            ]
            value = statistics.median(each)
            entry["figures"] = f"{len(each)} pairs: " + ", ".join(f"{r:.2f}" for r in each)
            entry["value_of_medians"] = round(a / (b / per_core), 3)
        else:
            value = a / (b / per_core)
            entry["figures"] = f"{seconds(a)} / " + (
                f"({seconds(b)} / {cores})" if ratio.divide_by_cores else seconds(b)
            )
        entry["paired"] = paired
        entry["value"] = round(value, 3)
        entry["pass"] = value >= ratio.limit if ratio.at_least else value <= ratio.limit
        out.append(entry)
    return out


# ---------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------


def table(rows: list[list[str]], right: set[int]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def report(data: dict[str, Any]) -> str:
    machine, district, source = data["machine"], data["district"], data["sipctl_source"]
    mib = district["plan_bytes"] / 1024 / 1024
    lines = [
        f"sipctl benchmark: {district['schools']} schools, {district['commits']} commits, "
        f"{district['plan_files']} plan files ({mib:.1f} MiB)",
        f"machine: {machine['cpu_model']}, {machine['cores']} cores, "
        f"{machine['memory_gib']} GiB, Python {machine['python']}, git {machine['git']}, "
        f"{machine['os']}",
        f"sipctl source: {source['commit']} + {source['src_files_changed_since_commit']} "
        "changed files under src/"
        + (" (src/ changed during the run!)" if source["src_changed_during_run"] else ""),
        "",
    ]
    rows = [["measurement", "median s", "runs", "max RSS MiB", "status / note"]]
    for m in data["measurements"].values():
        median = m["median_seconds"]
        note = m["note"]
        if m["status"] != "ok" and not note.startswith(m["status"]):
            note = f"{m['status']}: {note}" if note else m["status"]
        rows.append(
            [
                m["label"],
                f"{median:.3f}" if median is not None else "-",
                str(len(m["runs_seconds"])),
                f"{m['max_rss_mib']:.1f}" if m["max_rss_mib"] is not None else "-",
                " ".join(note.split())[:120],
            ]
        )
    lines.append(table(rows, {1, 2, 3}))
    lines.append("")
    rows = [["ratio (issue 8)", "figures", "value", "target", "result"]]
    for r in data["ratios"]:
        value = f"{r['value']:.2f}" if r["value"] is not None else "-"
        result = "n/a" if r["pass"] is None else "pass" if r["pass"] else "FAIL"
        if r["informational"]:
            result += " (info)"
        rows.append([r["name"], r["figures"], value, f"{r['comparison']} {r['limit']:g}", result])
    lines.append(table(rows, {2}))
    memory = data["memory"]
    lines += [
        "",
        f"peak memory: full check {memory['check_full_max_rss_mib']} MiB, "
        f"one-school check {memory['check_one_school_max_rss_mib']} MiB",
    ]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark sipctl on a generated district (issue 8).",
    )
    parser.add_argument("--schools", type=int, default=generate.DEFAULT_SCHOOLS, metavar="N")
    parser.add_argument("--commits", type=int, default=generate.DEFAULT_COMMITS, metavar="M")
    parser.add_argument("--seed", type=int, default=1, metavar="S")
    parser.add_argument(
        "--repeat", type=int, default=3, metavar="R", help="runs of each slow measurement"
    )
    parser.add_argument(
        "--fast-repeat",
        type=int,
        default=None,
        metavar="F",
        help="runs of each sub-second measurement (--help, one school...); default max(R, 5)",
    )
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="J")
    parser.add_argument("--out", type=Path, default=Path("results.json"), metavar="FILE")
    parser.add_argument(
        "--district", type=Path, default=None, metavar="DIR", help="reuse this generated district"
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=None,
        metavar="DIR",
        help="generate the district here (kept); default: a temporary folder, removed after",
    )
    parser.add_argument("--skip-peer", action="store_true", help="do not run check-jsonschema")
    parser.add_argument(
        "--timeout", type=float, default=3600, metavar="S", help="per process, in seconds"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    args = parser.parse_args(argv)
    if args.fast_repeat is None:
        args.fast_repeat = max(args.repeat, 5)
    if args.repeat < 1 or args.fast_repeat < 1 or args.schools < 1 or args.jobs < 1:
        parser.error("--repeat, --fast-repeat, --schools and --jobs must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    tools = find_tools()

    def log(message: str) -> None:
        if not args.quiet:
            print(message, file=sys.stderr, flush=True)

    RESULTS.clear()
    RESULTS.update({key: Result(key, label) for key, label in MEASUREMENTS.items()})
    created: Path | None = None
    generation: dict[str, Any] | None = None
    if args.district is not None:
        district = args.district.resolve()
        if not (district / "sipctl.yaml").is_file():
            print(f"run.py: {district} has no sipctl.yaml", file=sys.stderr)
            return 2
    else:
        if args.workdir is not None:
            workdir = args.workdir.resolve()
        else:
            workdir = created = Path(tempfile.mkdtemp(prefix="sipctl-bench-district-"))
        district = workdir / "district"
        log(f"generating {args.schools} schools, {args.commits} commits into {district} ...")
        stats = generate.generate(district, args.schools, args.commits, args.seed)
        generation = {**stats.as_dict(), "seed": args.seed}
        log(f"  generated in {stats.seconds:.1f} s")
    try:
        data = run_all(args, tools, district, generation, log)
    finally:
        if created is not None:
            shutil.rmtree(created, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(report(data))
    print(f"\nwritten: {args.out}")
    failed = [k for k, m in data["measurements"].items() if m["status"] == "failed"]
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


def summary_of(key: str) -> dict[str, Any] | None:
    """The summary of a check's JSON report, kept from its last run."""
    try:
        summary = json.loads(RESULTS[key].output)["summary"]
    except (ValueError, KeyError, TypeError):
        return None
    return summary if isinstance(summary, dict) else None


def run_all(
    args: argparse.Namespace,
    tools: Tools,
    district: Path,
    generation: dict[str, Any] | None,
    log: Callable[[str], None],
) -> dict[str, Any]:
    schools = sorted(p.name for p in (district / "schools").iterdir() if p.is_dir())
    school = schools[len(schools) // 2]
    machine = describe_machine(tools)
    source = describe_source()
    started = time.perf_counter()
    main_specs, touch_specs = build_specs(tools, district, school, args)
    floor = next(spec for spec in main_specs if spec.key == "floor")
    main_specs += cached_specs(tools, district, school, args, floor)
    log("measuring ...")
    measure(main_specs, district, args.timeout, log)
    # The cache as main's last CI run left it, for the pull request's check below.
    saved: Path | None = district.parent / f"{district.name}-history-cache.jsonl"
    assert saved is not None
    whole = history_cache(district) / "history" / "whole.jsonl"
    if whole.is_file():
        shutil.copyfile(whole, saved)
    else:
        saved = None
    touch_specs.append(changed_since_cached_spec(tools, district, saved, args))
    # A pull request that touches one school: commit a change, measure, put HEAD back.
    if git(district, "status", "--porcelain"):
        for spec in touch_specs:
            spec.unavailable = "skipped: the district's work tree has uncommitted changes"
        measure(touch_specs, district, args.timeout, log)
    else:
        head = touch_one_school(district, school)
        try:
            measure(touch_specs, district, args.timeout, log)
            specs, clone = graph_specs(tools, district, school, args)
            try:
                measure(specs, district, args.timeout, log)
            finally:
                shutil.rmtree(clone, ignore_errors=True)
        finally:
            git(district, "reset", "-q", "--hard", head)
    shutil.rmtree(history_cache(district), ignore_errors=True)  # leave the district as found
    if saved is not None:
        saved.unlink(missing_ok=True)
    findings, findings_cached = summary_of("check_full"), summary_of("check_full_cached")
    cores = os.cpu_count() or 1
    measurements = {key: RESULTS[key].as_dict() for key in MEASUREMENTS}

    def rss(key: str) -> float | None:
        value = measurements[key]["max_rss_mib"]
        return float(value) if value is not None else None

    machine["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    return {
        "version": 1,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - started, 1),
        "machine": machine,
        "sipctl_source": {
            **source,
            "src_changed_during_run": source_fingerprint() != source["src_fingerprint"],
        },
        "settings": {
            "repeat": args.repeat,
            "fast_repeat": args.fast_repeat,
            "jobs": args.jobs,
            "as_of": AS_OF,
            "max_rss_method": RSS_METHOD,
            "skip_peer": args.skip_peer,
            "one_school": school,
        },
        "district": {**describe_district(district), "generation": generation},
        "check_full_summary": findings,
        # the same check with the history cache must find the same
        "check_full_cached_summary": findings_cached,
        "measurements": measurements,
        "memory": {
            "check_full_max_rss_mib": rss("check_full"),
            "check_one_school_max_rss_mib": rss("check_one_school"),
            "floor_max_rss_mib": rss("floor"),
        },
        "ratios": compute_ratios(cores),
    }


if __name__ == "__main__":
    sys.exit(main())
