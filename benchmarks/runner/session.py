"""One whole benchmark run on a district: the main measurements, then a pull request's
commit and the measurements that need it, then everything the JSON holds."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .gitops import git, history_cache, save_history_cache, touch_one_school
from .machine import describe_district, describe_machine, describe_source, source_fingerprint
from .measure import RESULTS, Spec, measure
from .processes import RSS_METHOD, Tools
from .ratios import compute_ratios
from .specs import (
    AS_OF,
    MEASUREMENTS,
    build_specs,
    cached_specs,
    changed_since_cached_spec,
    graph_specs,
)

Log = Callable[[str], None]


def run_all(
    args: argparse.Namespace,
    tools: Tools,
    district: Path,
    generation: dict[str, Any] | None,
    log: Log,
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
    saved = save_history_cache(district)
    touch_specs.append(changed_since_cached_spec(tools, district, saved, args))
    measure_pull_request(args, tools, district, school, touch_specs, log)
    shutil.rmtree(history_cache(district), ignore_errors=True)  # leave the district as found
    if saved is not None:
        saved.unlink(missing_ok=True)
    return collect(args, machine, source, district, generation, school, started)


def measure_pull_request(
    args: argparse.Namespace,
    tools: Tools,
    district: Path,
    school: str,
    touch_specs: list[Spec],
    log: Log,
) -> None:
    """A pull request that touches one school: commit a change, measure, put HEAD back.
    The commit-graph clone is made from that commit too."""
    if git(district, "status", "--porcelain"):
        for spec in touch_specs:
            spec.unavailable = "skipped: the district's work tree has uncommitted changes"
        measure(touch_specs, district, args.timeout, log)
        return
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


def summary_of(key: str) -> dict[str, Any] | None:
    """The summary of a check's JSON report, kept from its last run."""
    try:
        summary = json.loads(RESULTS[key].output)["summary"]
    except (ValueError, KeyError, TypeError):
        return None
    return summary if isinstance(summary, dict) else None


def collect(
    args: argparse.Namespace,
    machine: dict[str, Any],
    source: dict[str, Any],
    district: Path,
    generation: dict[str, Any] | None,
    school: str,
    started: float,
) -> dict[str, Any]:
    """Everything the JSON holds, from the results of the run that started at `started`."""
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
