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

The work is done by the package ``benchmarks/runner/`` (processes, measure, specs,
ratios, report, ...); this script is its command line.

Exit status: 0 when every measurement ran (a ratio that misses its target is a
finding, not a failure), 1 when a measurement failed, 2 on bad options.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from generator.build import generate
from generator.cycle import DEFAULT_COMMITS, DEFAULT_SCHOOLS
from runner.measure import reset_results
from runner.processes import find_tools
from runner.report import report
from runner.session import Log, run_all
from runner.specs import MEASUREMENTS


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark sipctl on a generated district (issue 8).",
    )
    parser.add_argument("--schools", type=int, default=DEFAULT_SCHOOLS, metavar="N")
    parser.add_argument("--commits", type=int, default=DEFAULT_COMMITS, metavar="M")
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

    reset_results(MEASUREMENTS)
    created: Path | None = None
    generation: dict[str, Any] | None = None
    if args.district is not None:
        district = args.district.resolve()
        if not (district / "sipctl.yaml").is_file():
            print(f"run.py: {district} has no sipctl.yaml", file=sys.stderr)
            return 2
    else:
        district, created, generation = generate_district(args, log)
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


def generate_district(
    args: argparse.Namespace, log: Log
) -> tuple[Path, Path | None, dict[str, Any]]:
    """(the district, the temporary folder to remove afterwards or None, its figures): a
    district generated into `--workdir DIR`/district, or into a new temporary folder."""
    created: Path | None = None
    if args.workdir is not None:
        workdir = args.workdir.resolve()
    else:
        workdir = created = Path(tempfile.mkdtemp(prefix="sipctl-bench-district-"))
    district = workdir / "district"
    log(f"generating {args.schools} schools, {args.commits} commits into {district} ...")
    stats = generate(district, args.schools, args.commits, args.seed)
    log(f"  generated in {stats.seconds:.1f} s")
    return district, created, {**stats.as_dict(), "seed": args.seed}


if __name__ == "__main__":
    sys.exit(main())
