"""`sipctl log`: the audit trail of a school's plan from real git history."""

from __future__ import annotations

from pathlib import Path

from cli import sipctl
from test_deadlines import LEVERS, district_repo, set_status


def build(tmp_path: Path):
    repo = district_repo(tmp_path)
    set_status(repo, "in-progress", "2022-04-20T10:00:00-04:00")
    set_status(repo, "draft", "2022-05-06T16:45:00-04:00")  # late by 45 minutes
    set_status(repo, "final", "2022-05-27T19:59:00+00:00")  # 15:59 EDT: on time
    set_status(repo, "in-progress", "2022-05-31T09:00:00-04:00")  # reopened
    set_status(repo, "final", "2022-06-01T09:00:00-04:00")  # resubmitted
    return repo


def test_log_json_lists_each_change_with_its_verdict(tmp_path: Path) -> None:
    repo = build(tmp_path)
    run = sipctl("log", "maple", "priority-levers", "--repo", repo.path, "--format", "json")
    assert run.code == 0, run.err
    payload = run.json()
    assert (payload["version"], payload["school"], payload["cycle"]) == (1, "maple", "2022-23")
    rows = [
        (e["document"], e["from"], e["to"], e["time"], e["stage"], e["verdict"], e["delay_seconds"])
        for e in payload["events"]
    ]
    assert rows == [
        ("priority-levers", None, "not-started", "2022-03-01T09:00:00-05:00", None, None, None),
        (
            "priority-levers",
            "not-started",
            "in-progress",
            "2022-04-20T10:00:00-04:00",
            None,
            None,
            None,
        ),
        (
            "priority-levers",
            "in-progress",
            "draft",
            "2022-05-06T16:45:00-04:00",
            "draft",
            "late",
            2700,
        ),
        ("priority-levers", "draft", "final", "2022-05-27T15:59:00-04:00", "final", "on time", -60),
        (
            "priority-levers",
            "final",
            "in-progress",
            "2022-05-31T09:00:00-04:00",
            None,
            "reopened",
            None,
        ),
        (
            "priority-levers",
            "in-progress",
            "final",
            "2022-06-01T09:00:00-04:00",
            "final",
            "resubmitted",
            406800,
        ),
    ]
    assert all(e["file"] == LEVERS for e in payload["events"])
    assert payload["events"][1]["author"] == "Ada Principal <ada@example.org>"
    assert len(payload["events"][0]["commit"]) == 40


def test_log_text_is_a_table(tmp_path: Path) -> None:
    repo = build(tmp_path)
    run = sipctl("log", "maple", "priority-levers", "--repo", repo.path)
    assert run.code == 0, run.err
    assert "Audit trail: maple, cycle 2022-23" in run.out
    assert "late by 45 minutes" in run.out
    assert "2022-05-27 15:59 -04:00" in run.out
    assert "on time, 1 minute early" in run.out
    assert "reopened" in run.out
    assert "resubmitted" in run.out


def test_log_filters_by_document_and_shows_creation(tmp_path: Path) -> None:
    repo = build(tmp_path)
    run = sipctl("log", "maple", "calendars", "--repo", repo.path, "--format", "json")
    [created] = run.json()["events"]
    assert (created["document"], created["from"], created["to"]) == (
        "calendars",
        None,
        "not-started",
    )
    whole = sipctl("log", "maple", "--repo", repo.path, "--format", "json").json()["events"]
    assert len(whole) == 13 + 5  # every document created, then five changes of one


def test_log_without_history_is_exit_2(tmp_path: Path) -> None:
    from district import write_district

    root = write_district(tmp_path)
    run = sipctl("log", "maple", "--repo", root)
    assert run.code == 2
    assert "no audit trail" in run.err
    assert "Traceback" not in run.err


def test_log_unknown_school_and_document(tmp_path: Path) -> None:
    repo = build(tmp_path)
    assert sipctl("log", "oak", "--repo", repo.path).code == 2
    run = sipctl("log", "maple", "levers", "--repo", repo.path)
    assert run.code == 2
    assert "not a document" in run.err


def test_log_lists_the_deadlines_no_commit_has_met(tmp_path: Path) -> None:
    repo = district_repo(tmp_path)
    set_status(repo, "draft", "2022-05-06T15:59:00-04:00")  # on time; the final never comes
    run = sipctl("log", "maple", "--repo", repo.path, "--as-of", "2022-05-20", "--format", "json")
    assert run.code == 0, run.err
    payload = run.json()
    assert payload["as_of"] == "2022-05-20T23:59:59-04:00"
    assert payload["open_deadlines"] == [
        {
            "document": "priority-levers",
            "title": "Priority Levers Form",
            "stage": "final",
            "due": "2022-05-27T16:00:00-04:00",
            "state": "open",
        }
    ]
    later = sipctl("log", "maple", "--repo", repo.path, "--as-of", "2022-06-01")
    assert "Not submitted as of 2022-06-01 23:59 -04:00" in later.out
    [row] = [
        line for line in later.out.splitlines() if "priority-levers" in line and "final" in line
    ]
    assert row.split() == [
        "2022-05-27", "16:00", "-04:00", "priority-levers", "final",
        "missed,", "overdue", "by", "5", "days", "7", "hours",
    ]  # fmt: skip


def test_log_as_of_leaves_out_later_commits(tmp_path: Path) -> None:
    repo = build(tmp_path)
    run = sipctl(
        "log", "maple", "priority-levers", "--repo", repo.path, "--as-of", "2022-05-10",
        "--format", "json",
    )  # fmt: skip
    assert [(e["from"], e["to"]) for e in run.json()["events"]] == [
        (None, "not-started"),
        ("not-started", "in-progress"),
        ("in-progress", "draft"),
    ]
    assert [(d["stage"], d["state"]) for d in run.json()["open_deadlines"]] == [("final", "open")]
