"""Every measurement of the benchmark, as specs: what each runs, how often, and which
floor run it is paired with; and the labels the table shows for them."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path
from typing import Any

from generator.cycle import DOCUMENTS

from .gitops import git, history_cache
from .measure import Spec
from .processes import Tools, output

BENCHMARKS = Path(__file__).resolve().parent.parent
AS_OF = "2022-11-01"

# Every measurement key the JSON holds, in table order.
MEASUREMENTS: dict[str, str] = {
    "floor": "floor: parse every plan file, libyaml CSafeLoader, one process",
    "check_full": "sipctl check, whole district, one process",
    "check_jobs": "sipctl check --jobs N, whole district",
    "peer_check_jsonschema": "check-jsonschema, same files, 13 invocations",
    "check_changed_since": "sipctl check --changed-since HEAD~1 (one school touched)",
    "git_log_walk": "git log --raw -m --no-renames --relative=schools/ HEAD",
    "audit_trail_district": "audit trail, whole district (sipctl.git.history.read_history)",
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
    from sipctl.git.history import read_history
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


# The checks the ratios compare. Every row that times one of them (fresh clone, history
# cache, commit-graph clone) runs the same command, so that only the setting differs.
def whole_check(tools: Tools, district: Path) -> list[str]:
    return [tools.sipctl, "check", "--repo", str(district), "--as-of", AS_OF, "--format", "json"]


def school_check(tools: Tools, district: Path, school: str) -> list[str]:
    return [tools.sipctl, "check", "--repo", str(district), "--school", school]


def pull_request_check(tools: Tools, district: Path) -> list[str]:
    return [tools.sipctl, "check", "--repo", str(district), "--changed-since", "HEAD~1"]


def has_option(tools: Tools, command: str, option: str) -> bool:
    return option in output([tools.sipctl, command, "--help"])


def build_specs(
    tools: Tools, district: Path, school: str, args: argparse.Namespace
) -> tuple[list[Spec], list[Spec]]:
    """(main specs, specs run after one school's change is committed)."""
    floor = Spec("floor", lambda _: [[tools.python, "-c", FLOOR, str(district)]], args.repeat)
    main = [
        floor,
        *whole_district_specs(tools, district, args, floor),
        *history_specs(tools, district, school, args),
        *startup_specs(tools, district, school, args),
    ]
    after_touch = [
        Spec(
            "check_changed_since",
            lambda _: [pull_request_check(tools, district)],
            args.fast_repeat,
            ok_codes=(0, 1),
            warm_up=True,
            note=f"after committing a one-line change to schools/{school}/",
        ),
    ]
    return main, after_touch


def whole_district_specs(
    tools: Tools, district: Path, args: argparse.Namespace, floor: Spec
) -> list[Spec]:
    """The whole district checked in one process and with --jobs, each right after a
    floor run of its own, and check-jsonschema on the same files."""
    repeat, jobs = args.repeat, args.jobs
    check = whole_check(tools, district)
    # With --jobs, sipctl's default is one worker per core: one process needs --jobs 1.
    has_jobs = has_option(tools, "check", "--jobs")
    single = [*check, "--jobs", "1"] if has_jobs else check
    return [
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
        peer_spec(tools, district, args),
    ]


def peer_spec(tools: Tools, district: Path, args: argparse.Namespace) -> Spec:
    """check-jsonschema, one invocation per document kind over every school's file."""
    docs = list(DOCUMENTS)

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
        unavailable: str | None = "skipped (--skip-peer)"
    elif tools.check_jsonschema is None:
        unavailable = "check-jsonschema is not installed (pip install check-jsonschema)"
    else:
        unavailable = None
    return Spec(
        "peer_check_jsonschema",
        peer,
        1,
        cwd=district,
        ok_codes=(0, 1),
        note="ran once (slow peer); time is the sum of the 13 invocations",
        unavailable=unavailable,
    )


def history_specs(
    tools: Tools, district: Path, school: str, args: argparse.Namespace
) -> list[Spec]:
    """git's own walk, the audit trail, one school's log and the rendered site."""
    sipctl, python, d = tools.sipctl, tools.python, str(district)
    repeat = args.repeat
    return [
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
            args.fast_repeat,
            warm_up=True,
        ),
        Spec(
            "render_html",
            lambda scratch: [
                [sipctl, "render", "--repo", d, "--format", "html", "--out", str(scratch / "site")]
            ],
            repeat,
        ),
    ]


def startup_specs(
    tools: Tools, district: Path, school: str, args: argparse.Namespace
) -> list[Spec]:
    """The sub-second commands and their peers: --help, one school's check, the bare
    imports and a bare typer app."""
    sipctl, python, fast = tools.sipctl, tools.python, args.fast_repeat
    typer_app = str(BENCHMARKS / "bare_typer_app.py")
    return [
        Spec("sipctl_help", lambda _: [[sipctl, "--help"]], fast, warm_up=True),
        Spec(
            "bare_typer_help",
            lambda _: [[python, typer_app, "--help"]],
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
            lambda _: [[python, typer_app, "check", "--school", school]],
            fast,
            warm_up=True,
        ),
    ]


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
