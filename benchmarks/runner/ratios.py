"""The ratios issue 8 asks for, with their targets, computed from the results: a
paired check's ratio is the median of its pairs, each timed within the same minute."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any

from .measure import RESULTS


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
