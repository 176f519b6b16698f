"""Bounded work on any input: a commit message of 50 MB, days off that span centuries,
fields of 100,000 characters, 10,000 files in one folder.

Each case is built for real and the installed sipctl runs on it with a timeout. The
timeout only keeps a hang from stalling the suite; time is measured (docs/security.md
gives the figures), never asserted. What the tests assert is the shape of the answer
that keeps the work bounded: the subject git cut, the range counted and reported, the
text compared without matching every word against every word, the crowd of findings
counted.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from district import header
from gitrepo import GitRepo, git_env, run_git
from test_hostile_yaml import check, plant, run

CALENDARS = "schools/maple/2022-23/calendars.yaml"
LEVERS = "schools/maple/2022-23/priority-levers.yaml"
# A calendar that meets 603 CMR 27.03 and 27.04 (tests/data/valid/sezp), with a place
# for more days off.
CALENDAR = """student:
  first_day: 2022-08-29
  last_day: 2023-06-16
  days_off:
    - {id: D1, date: 2022-09-05, reason: Labor Day}
DAYS_OFF  schedule:
    start: "08:00"
    end: "15:00"
    lunch_minutes: 30
"""
WORDS = ["the", "students", "grade", "data", "plan", "we", "family", "reading", "of", "a"]


def calendar(days_off: str = "", **dates: str) -> str:
    text = header("calendars") + CALENDAR.replace("DAYS_OFF", days_off)
    for key, value in dates.items():
        old = {"first_day": "2022-08-29", "last_day": "2023-06-16"}[key]
        text = text.replace(f"{key}: {old}", f"{key}: {value}")
    return text


def errors(findings: list[dict[str, Any]], rule: str) -> list[tuple[int, str]]:
    return sorted((f["line"], f["message"]) for f in findings if f["rule"] == rule)


# a commit message of many megabytes ---------------------------------------------------------
def test_a_commit_message_of_fifty_megabytes_is_cut_by_git(tmp_path: Path) -> None:
    # Before: the whole subject was read, cached (a 100 MB history cache file) and printed
    # (`log --format json` wrote 100 MB); the first check took two minutes and 480 MB.
    root = plant(tmp_path / "district", {})
    repo = GitRepo.init(root)
    repo.commit("The district's plans", date="2022-05-01T12:00:00-04:00")
    message = tmp_path / "message.txt"
    message.write_text("Submit " + "x" * 50_000_000 + "\n\n" + "body " * 1_000_000)
    (root / LEVERS).write_text(header("priority-levers", status="in-progress"))
    env = git_env(tmp_path) | {
        "GIT_AUTHOR_NAME": "Ada " + "y" * 100_000,
        "GIT_AUTHOR_EMAIL": "ada@example.org",
        "GIT_AUTHOR_DATE": "2022-05-02T12:00:00-04:00",
        "GIT_COMMITTER_DATE": "2022-05-02T12:00:00-04:00",
    }
    run_git(root, "commit", "-q", "--no-verify", "-a", "-F", str(message), env=env)

    assert check(root, "--as-of", "2022-11-01").code == 1
    cache = list((root / ".git" / "sipctl" / "history").glob("*"))
    assert cache and all(path.stat().st_size < 64 * 1024 for path in cache)
    log = run("log", "maple", "priority-levers", "--repo", root, "--format", "json")
    assert log.returncode == 0 and len(log.stdout) < 64 * 1024
    submitted = json.loads(log.stdout)["events"][-1]
    assert submitted["to"] == "in-progress"
    assert submitted["subject"] == "Submit " + "x" * 191 + ".."
    assert submitted["author"] == "Ada " + "y" * 194 + ".. <ada@example.org>"
    diff = run("diff", "--from", "HEAD~1", "--repo", root, "--format", "json")
    assert diff.returncode == 0
    assert json.loads(diff.stdout)["to"]["subject"] is None
    assert json.loads(diff.stdout)["from"]["subject"] == "The district's plans"
    head = run("diff", "--from", "HEAD", "--repo", root, "--format", "json")
    assert json.loads(head.stdout)["from"]["subject"] == "Submit " + "x" * 191 + ".."
    for args in (["status"], ["log", "maple"]):
        assert run(*args, "--repo", root, "--as-of", "2022-11-01").returncode == 0
    site = tmp_path / "site"
    assert run("render", "--repo", root, "--format", "html", "--out", site).returncode == 0


# a calendar whose days off span centuries ---------------------------------------------------
def test_days_off_that_span_centuries_are_findings_and_never_walked(tmp_path: Path) -> None:
    # Before: each range was walked day by day into a set: 2,000 ranges of 300 years are
    # 220 million days, and the check did not end within the timeout.
    ranges = "".join(
        f"    - {{id: X{n}, date: 1900-01-01, end: 2199-12-31}}\n" for n in range(2000)
    )
    result = check(plant(tmp_path, {CALENDARS: calendar(ranges)}))
    assert result.code == 1
    spans = errors(result.findings, "calendar-days")
    assert len(spans) == 2001
    assert spans[1] == (
        11,
        "day off X0 runs from 1900-01-01 to 2199-12-31, longer than a school year",
    )
    assert spans[0] == (
        8,
        "the student calendar schedules 0 school days; Massachusetts requires at least 185 "
        "(603 CMR 27.03)",
    )


def test_a_school_year_of_centuries_is_a_finding_without_a_day_count(tmp_path: Path) -> None:
    result = check(
        plant(tmp_path, {CALENDARS: calendar(first_day="1900-08-29", last_day="2199-06-16")})
    )
    assert result.code == 1
    assert errors(result.findings, "calendar-days") == [
        (8, "the student year runs from 1900-08-29 to 2199-06-16, longer than a school year")
    ]


def test_days_off_from_the_first_to_the_last_day_of_time_are_never_walked(tmp_path: Path) -> None:
    # Before: a walk over 3.6 million days that ended in "OverflowError: date value out
    # of range" when it stepped past 9999-12-31.
    ranges = "    - {id: X1, date: 0001-01-01, end: 9999-12-31}\n"
    result = check(plant(tmp_path, {CALENDARS: calendar(ranges)}))
    assert result.code == 1
    assert [f["message"].split(":")[0] for f in result.errors_in(CALENDARS)] == [
        "student.days_off[X1].date",
        "student.days_off[X1].end",
    ]


# fields of 100,000 characters ---------------------------------------------------------------
def words(seed: int, count: int) -> str:
    """Plan-like text: few distinct words, each repeated, which is what makes matching
    every word of one text against every word of another slow."""
    chooser = random.Random(seed)
    return " ".join(chooser.choice(WORDS) for _ in range(count))


def levers(reflection: str) -> str:
    return header("priority-levers") + "reflection: " + json.dumps(reflection) + "\n"


def reflection_change(root: Path) -> dict[str, Any]:
    proc = run("diff", "--from", "HEAD", "--repo", root, "--format", "json")
    assert proc.returncode == 0
    [doc] = [d for d in json.loads(proc.stdout)["documents"] if d["file_to"] == LEVERS]
    [change] = doc["changes"]
    assert change["path"] == "reflection"
    return change


def test_two_fields_of_100k_characters_are_compared_without_matching_every_word(
    tmp_path: Path,
) -> None:
    # Before: difflib matched 20,000 words against 20,000: 15 to 20 seconds a field,
    # for each format, 41 seconds for two fields in JSON.
    old, new = words(1, 20_000), words(2, 20_000)
    assert len(old) > 90_000 and len(new) > 90_000
    root = plant(tmp_path / "district", {LEVERS: levers(old)})
    GitRepo.init(root).commit("Long reflection", date="2022-05-01T12:00:00-04:00")
    (root / LEVERS).write_text(levers(new))
    change = reflection_change(root)
    assert change["words"] == [{"op": "delete", "text": old}, {"op": "insert", "text": new}]
    for fmt in ("text", "markdown"):
        proc = run("diff", "--from", "HEAD", "--repo", root, "--format", fmt)
        assert proc.returncode == 0
    assert check(root).code == 1  # the ordinary mistake plant() adds, nothing else
    site = tmp_path / "site"
    assert run("render", "--repo", root, "--format", "md", "--out", site).returncode == 0
    assert new[:200] in "".join(page.read_text() for page in site.rglob("*.md"))


def test_one_word_changed_in_a_field_of_100k_characters_is_shown_as_that_word(
    tmp_path: Path,
) -> None:
    text = words(3, 20_000).split()
    old = " ".join(text)
    new = " ".join([*text[:10_000], "CHANGED", *text[10_001:]])
    root = plant(tmp_path / "district", {LEVERS: levers(old)})
    GitRepo.init(root).commit("Long reflection", date="2022-05-01T12:00:00-04:00")
    (root / LEVERS).write_text(levers(new))
    runs = reflection_change(root)["words"]
    assert [(r["op"], len(r["text"].split())) for r in runs] == [
        ("equal", 10_000),
        ("delete", 1),
        ("insert", 1),
        ("equal", 9_999),
    ]
    assert runs[2]["text"] == "CHANGED"


# 10,000 files in one folder -------------------------------------------------------------------
def listed(findings: list[dict[str, Any]], rule: str) -> tuple[int, dict[str, Any] | None]:
    mine = [f for f in findings if f["rule"] == rule]
    counted = [f for f in mine if "count" in f]
    return len(mine) - len(counted), counted[0] if counted else None


def test_ten_thousand_stray_files_in_a_plan_folder_are_counted_not_listed(
    tmp_path: Path,
) -> None:
    # Before: 10,000 findings, a report of 4.7 MB that took 8 seconds to print as text
    # (11 as github annotations and log).
    root = plant(tmp_path, {})
    folder = root / "schools" / "maple" / "2022-23"
    for n in range(10_000):
        (folder / f"stray-{n}.yaml").write_text("x: 1\n")
    result = check(root)
    assert result.code == 1
    count, summary = listed(result.findings, "unknown-document")
    assert count == 20
    assert summary is not None
    assert (summary["file"], summary["count"], summary["severity"]) == (
        "schools/maple/2022-23",
        10_000,
        "error",
    )
    assert summary["message"] == (
        "and 9,980 more files that are not documents of this school's framework in "
        "schools/maple/2022-23/ (10,000 in all; the first 20 are listed)"
    )
    result.assert_others_checked()
    text = run("check", "--repo", root)
    assert text.returncode == 1 and len(text.stdout) < 64 * 1024
    assert run("status", "--repo", root).returncode == 0


def test_ten_thousand_school_folders_without_a_profile_are_counted_not_listed(
    tmp_path: Path,
) -> None:
    # Before: 10,000 findings, 15 seconds to print as text.
    root = plant(tmp_path, {})
    for n in range(10_000):
        (root / "schools" / f"s{n}").mkdir()
    result = check(root)
    assert result.code == 1
    count, summary = listed(result.findings, "school-profile-missing")
    assert count == 20
    assert summary is not None
    assert (summary["file"], summary["count"], summary["school"]) == ("schools", 10_000, None)
    result.assert_others_checked()
    assert run("status", "--repo", root).returncode == 0
    site = tmp_path / "site"
    assert run("render", "--repo", root, "--format", "html", "--out", site).returncode == 0
