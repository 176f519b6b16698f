"""The benchmark runs and reports at a small size, so it never rots (issue 8).

These tests assert that the generator and the runner work and report every
measurement; they never assert how fast anything is (DESIGN.md 7: speed is
measured by the benchmark script, not by timed tests).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from cli import sipctl

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
MEASUREMENTS = {
    "floor",
    "check_full",
    "check_jobs",
    "peer_check_jsonschema",
    "check_changed_since",
    "git_log_walk",
    "audit_trail_district",
    "log_one_school",
    "render_html",
    "sipctl_help",
    "bare_typer_help",
    "check_one_school",
    "bare_imports",
    "bare_typer_check",
    "commit_graph_write",
    "check_changed_since_graph",
    "check_one_school_graph",
    "history_cache_write",
    "check_full_cached",
    "check_jobs_cached",
    "check_one_school_cached",
    "check_changed_since_cached",
}
RATIOS = {
    "full_check_vs_floor",
    "jobs_check_vs_floor_per_core",
    "peer_vs_check",
    "changed_since_vs_help",
    "audit_trail_vs_git_log",
    "log_one_school_vs_git_log",
    "help_vs_bare_typer",
    "one_school_check_vs_bare_imports",
    "peer_vs_check_jobs",
    "changed_since_graph_vs_help",
    "one_school_check_graph_vs_bare_imports",
    "bare_typer_check_vs_bare_imports",
    "full_check_cached_vs_floor",
    "jobs_check_cached_vs_floor_per_core",
    "peer_vs_check_cached",
    "changed_since_cached_vs_help",
    "one_school_check_cached_vs_bare_imports",
}


def run_script(*args: str | Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        [sys.executable, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env=env,
    )


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_generator_is_deterministic_and_writes_valid_plans(tmp_path: Path) -> None:
    heads = []
    for name in ("one", "two"):
        out = tmp_path / name
        done = run_script(
            BENCHMARKS / "generate.py", out, "--schools", "3", "--commits", "40", "--seed", "7"
        )
        assert done.returncode == 0, done.stderr
        heads.append(git(out, "rev-parse", "HEAD"))
    assert heads[0] == heads[1]
    district = tmp_path / "one"
    stats = json.loads(done.stdout)
    assert stats["commits"] == 40 and stats["plan_documents"] == 39
    assert git(district, "rev-list", "--count", "HEAD") == "40"
    assert git(district, "status", "--porcelain") == ""
    offsets = set(git(district, "log", "--format=%cd", "--date=format:%z").split())
    assert offsets == {"-0400", "-0500"}
    assert len(list(district.glob("schools/*/2022-23/*.yaml"))) == 39
    assert len(list(district.glob("schools/*/school.yaml"))) == 3
    assert (district / "schemas" / "priority-levers.schema.json").is_file()

    result = sipctl("check", "--repo", district, "--as-of", "2022-11-01", "--format", "json")
    assert result.code in (0, 1), result.err
    report = result.json()
    assert report["summary"]["files"] == 42
    broken = [
        f"{f['file']}:{f['line']}: {f['rule']}: {f['message']}"
        for f in report["findings"]
        if f["rule"] == "schema" or f["rule"].startswith(("yaml-", "file-", "path-"))
    ]
    assert broken == []
    # A district, not a toy: submissions on time, late and missed.
    rules = {f["rule"] for f in report["findings"]}
    assert {"deadline-late", "deadline-missed"} & rules


def test_generator_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine\n")
    done = run_script(BENCHMARKS / "generate.py", tmp_path, "--schools", "1", "--commits", "5")
    assert done.returncode == 2
    assert "not empty" in done.stderr
    assert (tmp_path / "keep.txt").read_text() == "mine\n"


def test_benchmark_runs_and_reports_every_measurement(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    done = run_script(
        BENCHMARKS / "run.py",
        "--schools",
        "3",
        "--commits",
        "60",
        "--repeat",
        "1",
        "--fast-repeat",
        "1",
        "--skip-peer",
        "--quiet",
        "--workdir",
        tmp_path / "work",
        "--out",
        out,
        timeout=180,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    data: dict[str, Any] = json.loads(out.read_text())

    assert set(data["measurements"]) == MEASUREMENTS
    for key, measurement in data["measurements"].items():
        assert measurement["status"] in ("ok", "not available", "skipped"), (key, measurement)
        if measurement["status"] == "ok":
            assert len(measurement["runs_seconds"]) == 1, key
            assert measurement["median_seconds"] > 0, key
            assert measurement["max_rss_mib"] > 0, key
            assert measurement["command"], key
    assert data["measurements"]["peer_check_jsonschema"]["status"] == "skipped"
    for key in (
        "floor",
        "check_full",
        "git_log_walk",
        "sipctl_help",
        "bare_typer_check",
        "check_changed_since",
        "history_cache_write",
        "check_full_cached",
        "check_changed_since_cached",
    ):
        assert data["measurements"][key]["status"] == "ok", key

    assert {r["key"] for r in data["ratios"]} == RATIOS
    for ratio in data["ratios"]:
        assert {"name", "figures", "value", "limit", "comparison", "pass"} <= set(ratio)
    # Each whole-district check ran right after a floor run of its own, and its ratio to
    # the floor is the median of those pairs.
    paired = {"check_full", "check_jobs", "check_full_cached", "check_jobs_cached"}
    for key, measurement in data["measurements"].items():
        if key in paired and measurement["status"] == "ok":
            assert measurement["paired_with"] == "floor", key
            assert len(measurement["paired_runs_seconds"]) == len(measurement["runs_seconds"])
        else:
            assert measurement["paired_with"] is None, key
    ratios = {r["key"]: r for r in data["ratios"]}
    full = ratios["full_check_vs_floor"]
    assert full["paired"] and full["figures"].startswith("1 pairs: "), full
    pair = data["measurements"]["check_full"]
    expected = pair["runs_seconds"][0] / pair["paired_runs_seconds"][0]
    assert abs(full["value"] - expected) < 0.005, (full, expected)
    assert not ratios["help_vs_bare_typer"]["paired"]
    machine = data["machine"]
    for key in ("cpu_model", "cores", "memory_gib", "python", "git", "os"):
        assert machine[key], key
    assert data["district"]["schools"] == 3
    assert data["district"]["commits"] == 60  # the pull-request commit was taken back
    assert data["memory"]["check_full_max_rss_mib"] > 0
    assert data["check_full_cached_summary"] == data["check_full_summary"]
    assert data["check_full_summary"]["files"] == 42
    assert not list((tmp_path / "work").glob("**/.git/sipctl"))  # the cache was taken away

    # The table on stdout names every measurement and every ratio.
    for measurement in data["measurements"].values():
        assert measurement["label"] in done.stdout
    for ratio in data["ratios"]:
        assert ratio["name"] in done.stdout
    assert "machine:" in done.stdout
