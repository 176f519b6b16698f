"""Odd values: dates at the ends of time, timezones that are folders or paths, numbers
that are not numbers, files and folders that cannot be read, paths too long to exist.

Each case is built for real in a district (a git repository where a command reads
history) and the installed sipctl runs on it: every one ends in a finding or an exit 2
that names the file, never a traceback, and `--format json` is always valid JSON (a
`NaN` or `Infinity` in it would be refused by every strict JSON reader).
docs/security.md lists these cases under "Odd values are findings, not tracebacks".
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cli import SIPCTL
from district import header
from gitrepo import GitRepo
from test_hostile_yaml import CYCLE_FILE, OTHER, OTHER_TEXT, TIMEOUT, check, plant, run

VOTE = "schools/maple/2022-23/working-conditions.yaml"
GOALS = "schools/maple/2022-23/lever-goals.yaml"
ENDS_OF_TIME = ["0001-01-01", "9999-12-31"]
# Offsets up to +/-14:00 exist (Kiribati, Baker Island): at the ends of time the UTC
# instant of such a local time is outside Python's calendar.
AS_OF_ENDS = [
    "0001-01-01",
    "9999-12-31",
    "9999-12-31T23:59:59-14:00",
    "0001-01-01T00:00:00+14:00",
]


def strict_json(text: str) -> Any:
    """JSON as a strict reader takes it: `NaN` and `Infinity` are not JSON."""

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} in JSON output")

    return json.loads(text, parse_constant=refuse)


def committed(root: Path) -> Path:
    """The district as a git repository with one commit, so that every command has
    history to read."""
    GitRepo.init(root).commit("The district's plans", date="2022-05-01T12:00:00-04:00")
    return root


def every_command(
    root: Path, out: Path, *extra: str
) -> dict[str, subprocess.CompletedProcess[str]]:
    """check, status, log, render and diff over the district: none prints a traceback
    (`run` asserts it), and each JSON output is strict JSON."""
    as_of = [*extra] or ["--as-of", "2022-11-01"]
    procs = {
        "check": run("check", "--repo", root, "--format", "json", *as_of),
        "status": run("status", "--repo", root, "--format", "json", *as_of),
        "log": run("log", "maple", "--repo", root, "--format", "json", *as_of),
        "render": run("render", "--repo", root, "--format", "html", "--out", out, *as_of),
        "diff": run("diff", "--from", "HEAD", "--repo", root, "--format", "json"),
    }
    for name, proc in procs.items():
        if proc.returncode in (0, 1) and name != "render":
            strict_json(proc.stdout)
    return procs


# dates at the ends of time ------------------------------------------------------------------
@pytest.mark.parametrize("day", ENDS_OF_TIME)
def test_a_date_at_the_ends_of_time_in_a_document_is_a_finding(tmp_path: Path, day: str) -> None:
    text = header("working-conditions") + f"tlt_vote:\n  date: {day}\n  in_favor: 7\n"
    result = check(plant(tmp_path, {VOTE: text}), "--as-of", "2022-11-01")
    assert result.code == 1
    bad = result.only_error_in(VOTE)
    assert (bad["rule"], bad["line"], bad["column"]) == ("schema", 7, 9)
    assert bad["message"] == (
        f"tlt_vote.date: {day} is not a date a plan can use: dates should fall in the years "
        "1900 to 2199; check the year"
    )
    result.assert_others_checked()


CYCLE_AT_THE_ENDS = """cycle: 2022-23
framework: sezp
timezone: America/New_York
documents:
  priority-levers: {draft_due: "9999-12-31T23:59:59-14:00", final_due: "0001-01-01T00:00:00+14:00"}
  working-conditions: {draft_due: 0001-01-01, final_due: 9999-12-31}
milestones:
  board-approval: {date: 0001-01-01, end: 9999-12-31}
"""


def test_dates_at_the_ends_of_time_in_the_cycle_file_are_findings_for_every_command(
    tmp_path: Path,
) -> None:
    # Before: status, render and log converted these deadlines to UTC or added a day to
    # them, and ended in "OverflowError: date value out of range".
    root = committed(plant(tmp_path / "district", {CYCLE_FILE: CYCLE_AT_THE_ENDS}))
    procs = every_command(root, tmp_path / "site")
    findings = strict_json(procs["check"].stdout)["findings"]
    dates = sorted(
        (f["line"], f["message"].split(":")[0])
        for f in findings
        if f["file"] == CYCLE_FILE and "years 1900 to 2199" in f["message"]
    )
    assert dates == [
        (5, "documents.priority-levers.draft_due"),
        (5, "documents.priority-levers.final_due"),
        (6, "documents.working-conditions.draft_due"),
        (6, "documents.working-conditions.final_due"),
        (8, "milestones.board-approval.date"),
        (8, "milestones.board-approval.end"),
    ]
    assert [p.returncode for p in procs.values()] == [1, 0, 0, 0, 0]


@pytest.mark.parametrize("as_of", AS_OF_ENDS)
@pytest.mark.parametrize("command", ["check", "status", "log", "render"])
def test_as_of_at_the_ends_of_time_is_exit_2(tmp_path: Path, as_of: str, command: str) -> None:
    root = committed(plant(tmp_path / "district", {}))
    args: list[str | Path] = [command, "--repo", root, "--as-of", as_of]
    if command == "log":
        args.insert(1, "maple")
    if command == "render":
        args += ["--format", "html", "--out", tmp_path / "site"]
    proc = run(*args)
    assert proc.returncode == 2
    assert proc.stderr == (
        f"error: --as-of {as_of!r} is not in the years 1900 to 2199 that plans use\n"
        "hint: use a date of the planning cycle, e.g. 2022-05-06\n"
    )
    assert not (tmp_path / "site").exists()


# timezones -------------------------------------------------------------------------------
TIMEZONES = ["US", "America", "../../etc/passwd", "/etc/localtime", '""', "nonsense"]


@pytest.mark.parametrize("zone", TIMEZONES)
def test_a_timezone_that_is_a_folder_a_path_or_nothing_is_exit_2(tmp_path: Path, zone: str) -> None:
    # Before: `US` and `America` are folders of tzdata, and zoneinfo raised
    # IsADirectoryError: a traceback for every command.
    district_file = f"district: Riverbend\ntimezone: {zone}\nframework: sezp\n"
    root = plant(tmp_path, {"sipctl.yaml": district_file})
    shown = "" if zone == '""' else zone
    for command in (["check"], ["status"], ["log", "maple"]):
        proc = run(*command, "--repo", root)
        assert proc.returncode == 2
        assert proc.stderr.splitlines()[0] == (
            f"error: sipctl.yaml:2:11: timezone: {shown!r} is not a timezone name; use an "
            "IANA name such as America/New_York"
        )


@pytest.mark.parametrize("zone", TIMEZONES)
def test_a_timezone_that_is_not_one_in_the_cycle_file_is_a_finding(
    tmp_path: Path, zone: str
) -> None:
    cycle = f"cycle: 2022-23\nframework: sezp\ntimezone: {zone}\n"
    result = check(plant(tmp_path, {CYCLE_FILE: cycle}))
    assert result.code == 1
    bad = result.only_error_in(CYCLE_FILE)
    assert (bad["rule"], bad["line"], bad["column"]) == ("schema", 3, 11)
    assert "is not a timezone name; use an IANA name such as America/New_York" in bad["message"]
    result.assert_others_checked()


# numbers -----------------------------------------------------------------------------------
HUGE = "9" * 5000  # past Python's 4,300-digit limit for turning text into a number
ORDINARY = "should be an ordinary number (not .nan or .inf)"
TOO_LARGE = "is larger than any number a plan needs (at most 1,000,000,000,000)"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (".nan", ORDINARY),
        (".inf", ORDINARY),
        ("-.inf", ORDINARY),
        ("1.0e+400", ORDINARY),  # a float past 1.8e308 is read as infinity
        ("1e400", "should be written in plain digits (YAML reads a number like 1e5 as text)"),
        (HUGE, TOO_LARGE),
        ("-" + "9" * 13, TOO_LARGE),
    ],
    ids=["nan", "inf", "minus-inf", "overflowing-float", "exponent", "5000-digits", "13-digits"],
)
def test_a_number_that_is_not_one_a_plan_can_mean_is_a_finding(
    tmp_path: Path, value: str, message: str
) -> None:
    goals = (
        header("lever-goals")
        + "goals:\n  - id: G1\n    outcome:\n"
        + f"      baseline: {{value: {value}, unit: percent}}\n"
    )
    result = check(plant(tmp_path, {GOALS: goals}))
    strict_json(result.out)
    assert result.code == 1
    bad = result.only_error_in(GOALS)
    assert (bad["rule"], bad["line"]) == ("schema", 9)
    assert bad["message"] == f"goals[G1].outcome.baseline.value: {message}"
    result.assert_others_checked()


def test_a_count_past_any_plan_is_a_finding(tmp_path: Path) -> None:
    vote = header("working-conditions") + f"tlt_vote:\n  in_favor: {HUGE}\n  opposed: 1\n"
    result = check(plant(tmp_path, {VOTE: vote}))
    assert result.code == 1
    bad = result.only_error_in(VOTE)
    assert (bad["rule"], bad["message"]) == ("schema", f"tlt_vote.in_favor: {TOO_LARGE}")


@pytest.mark.parametrize("days", ["367", "999999999999", HUGE])
def test_warning_days_past_a_school_year_is_exit_2(tmp_path: Path, days: str) -> None:
    # Before: 999999999999 days overflowed timedelta ("Python int too large to convert").
    district_file = f"district: Riverbend\ntimezone: America/New_York\nwarning_days: {days}\n"
    root = plant(tmp_path, {"sipctl.yaml": district_file})
    proc = run("check", "--repo", root, "--as-of", "2022-11-01")
    assert proc.returncode == 2
    reason = TOO_LARGE if days == HUGE else "should be at most 366 days, a school year"
    assert proc.stderr.splitlines()[0] == f"error: sipctl.yaml:3:15: warning_days: {reason}"


def test_a_diff_of_nan_and_infinity_is_valid_json(tmp_path: Path) -> None:
    # A document that does not match its model is compared as plain YAML, so its
    # values reach diff's JSON as they are: before, as `NaN` and `Infinity`.
    goals = (
        header("lever-goals") + "goals:\n  - id: G1\n    outcome:\n      baseline: {value: 31}\n"
    )
    root = committed(plant(tmp_path / "district", {GOALS: goals}))
    (root / GOALS).write_text(goals.replace("value: 31", "value: .nan, target: .inf"))
    proc = run("diff", "--from", "HEAD", "--repo", root, "--format", "json")
    assert proc.returncode == 0
    [doc] = [d for d in strict_json(proc.stdout)["documents"] if d["file_to"] == GOALS]
    values = {(c["path"], c["from"], c["to"]) for c in doc["changes"]}
    assert values == {
        ("goals[G1].outcome.baseline.value", 31, ".nan"),
        ("goals[G1].outcome.baseline.target", None, ".inf"),
    }


# files and folders that cannot be read -------------------------------------------------------
NOBODY = 65534
# Root reads a chmod 000 file anyway: as root, sipctl runs as `nobody` (setpriv, from
# util-linux, drops every privilege and group before sipctl starts).
UNPRIVILEGED = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]


@pytest.fixture
def readable_by_all() -> Iterator[Path]:
    """A folder anyone may enter. Root reads a chmod 000 file anyway, so when the tests
    run as root sipctl runs as `nobody` over a district that nobody owns; pytest's own
    temporary folders are closed to other users."""
    folder = Path(tempfile.mkdtemp(prefix="sipctl-unreadable-"))
    folder.chmod(0o755)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        if not path.is_symlink():
            path.chmod(0o755)
    shutil.rmtree(folder)


def run_unprivileged(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """The installed sipctl as a user that the file modes apply to."""
    prefix = UNPRIVILEGED if os.getuid() == 0 else []
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    env.update({"NO_COLOR": "1", "COLUMNS": "200", "TERM": "dumb"})
    proc = subprocess.run(
        [*prefix, str(SIPCTL), *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


@pytest.mark.parametrize(
    ("closed", "rule_file", "message"),
    [
        (GOALS, GOALS, "cannot be read: Permission denied"),
        (
            "schools/maple",
            "schools/maple",
            "cannot be read: Permission denied; nothing in it was read",
        ),
        (
            "schools/maple/2022-23",
            "schools/maple/2022-23",
            "cannot be read: Permission denied; nothing in it was read",
        ),
        ("cycles", CYCLE_FILE, "cannot be read: Permission denied; it was not read"),
    ],
    ids=["document", "school-folder", "cycle-folder", "cycles-folder"],
)
def test_a_file_or_folder_that_cannot_be_read_is_a_finding_at_it(
    readable_by_all: Path, closed: str, rule_file: str, message: str
) -> None:
    # Before: a folder that could not be opened ended every command in a PermissionError.
    birch = OTHER.replace("maple", "birch")
    files = {birch: header("tlt-transition", "birch") + "colour: blue\n"}
    root = committed(plant(readable_by_all / "district", files, schools=("maple", "birch")))
    if os.getuid() == 0:
        for path in [root, *root.rglob("*")]:
            os.lchown(path, NOBODY, NOBODY)
    (root / closed).chmod(0)
    proc = run_unprivileged("check", "--repo", root, "--format", "json")
    assert proc.returncode == 1
    findings = strict_json(proc.stdout)["findings"]
    unreadable = [(f["file"], f["message"]) for f in findings if f["rule"] == "file-unreadable"]
    assert unreadable == [(rule_file, message)]
    # nothing in a closed folder is reported missing (it could not be seen), and the
    # other school is still checked
    assert not [f for f in findings if f["rule"] == "document-missing"]
    assert ("schema", birch) in {(f["rule"], f["file"]) for f in findings}
    for args in (["status"], ["log", "maple"], ["diff", "--from", "HEAD"]):
        assert run_unprivileged(*args, "--repo", root).returncode in (0, 2)


def test_a_schools_folder_that_cannot_be_read_is_exit_2(readable_by_all: Path) -> None:
    root = committed(plant(readable_by_all / "district", {}))
    if os.getuid() == 0:
        for path in [root, *root.rglob("*")]:
            os.lchown(path, NOBODY, NOBODY)
    (root / "schools").chmod(0)
    for args in (["check"], ["status"], ["log", "maple"]):
        proc = run_unprivileged(*args, "--repo", root)
        assert proc.returncode == 2
        assert proc.stderr.splitlines()[0] == "error: schools/ cannot be read: Permission denied"


# paths too long for the file system ------------------------------------------------------
def too_long(base: Path) -> Path:
    """A path of 5,000 bytes under `base`: past PATH_MAX (4,096), made of names that
    each fit (255 bytes), so it is the whole that the system refuses."""
    return base.joinpath(*["d" * 200] * 25)


def test_a_repo_or_out_too_long_for_the_file_system_is_exit_2(tmp_path: Path) -> None:
    root = committed(plant(tmp_path / "district", {}))
    hint = (
        "hint: use shorter folder and file names (at most 255 bytes a name, 4,096 bytes a "
        "whole path)"
    )
    for args in (
        ["check", "--repo", too_long(tmp_path)],
        ["status", "--repo", too_long(tmp_path)],
        ["render", "--repo", root, "--format", "html", "--out", too_long(tmp_path)],
        ["render", "--repo", root, "--format", "md", "--out", tmp_path / ("o" * 300)],
        ["schema", "--out", too_long(tmp_path)],
    ):
        proc = run(*args)
        assert proc.returncode == 2, proc.stderr
        first, second = proc.stderr.splitlines()
        assert first.startswith("error: a path is too long for the file system: ")
        assert "…" in first and len(first) < 200
        assert second == hint


def test_a_school_folder_named_with_255_bytes_is_checked_and_not_published(
    tmp_path: Path,
) -> None:
    slug = "a" * 255  # the longest name a folder may have: its page name is longer
    mistake = {f"schools/{slug}/2022-23/tlt-transition.yaml": OTHER_TEXT.replace("maple", slug)}
    root = committed(plant(tmp_path / "district", mistake, schools=(slug,)))
    result = check(root)
    assert result.code == 1
    assert (slug, "schema") in {(f["school"], f["rule"]) for f in result.findings}
    proc = run("render", "--repo", root, "--format", "html", "--out", tmp_path / "site")
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: a path is too long for the file system: ")
    assert not list((tmp_path / "site").rglob("*.html"))
