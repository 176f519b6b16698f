"""Deadlines judged from real git history with scripted commit dates, through `sipctl check`."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli import sipctl
from district import DEADLINES, header, write_district
from gitrepo import GitRepo

LEVERS = "schools/maple/2022-23/priority-levers.yaml"


def district_repo(tmp_path: Path) -> GitRepo:
    root = write_district(tmp_path / "district", {"cycles/2022-23.yaml": DEADLINES})
    repo = GitRepo.init(root)
    repo.commit("Start planning", date="2022-03-01T09:00:00-05:00")
    return repo


def set_status(repo: GitRepo, status: str, date: str, extra: str = "") -> str:
    repo.write(LEVERS, header("priority-levers", status=status) + extra)
    return repo.commit(f"priority levers: {status}", date=date)


def draft_on_a_branch(repo: GitRepo, branch: str, date: str) -> str:
    levers = header("priority-levers", status="draft")
    return repo.commit_on_branch(branch, {LEVERS: levers}, "priority levers: draft", date=date)


def deadline_findings(root: Path, as_of: str) -> list[tuple]:
    run = sipctl("check", "--repo", root, "--as-of", as_of, "--format", "json")
    assert run.code in (0, 1), run.err
    return [
        (f["rule"], f["severity"], f["stage"], f["message"])
        for f in run.json()["findings"]
        if f["rule"].startswith("deadline") or f["rule"] == "approved-changed"
    ]


def test_draft_on_time_by_a_minute_final_missed(tmp_path: Path) -> None:
    repo = district_repo(tmp_path)
    set_status(repo, "draft", "2022-05-06T15:59:00-04:00")
    assert deadline_findings(repo.path, "2022-06-01") == [
        (
            "deadline-missed",
            "error",
            "final",
            "the final was due 2022-05-27 16:00 -04:00 and has not been submitted "
            "(overdue by 5 days 7 hours)",
        )
    ]


def test_draft_late_by_a_minute(tmp_path: Path) -> None:
    repo = district_repo(tmp_path)
    set_status(repo, "draft", "2022-05-06T16:01:00-04:00")
    assert deadline_findings(repo.path, "2022-05-10") == [
        (
            "deadline-late",
            "warning",
            "draft",
            "the draft was submitted 2022-05-06 16:01 -04:00, 1 minute after the deadline "
            "2022-05-06 16:00 -04:00",
        )
    ]


def test_commit_in_utc_compared_as_an_instant(tmp_path: Path) -> None:
    # 19:59 UTC on 6 May 2022 is 15:59 in Springfield (EDT): on time.
    repo = district_repo(tmp_path)
    set_status(repo, "draft", "2022-05-06T19:59:00+00:00")
    assert deadline_findings(repo.path, "2022-05-10") == []
    # 20:01 UTC is 16:01 local: a minute late.
    set_status(repo, "in-progress", "2022-05-07T09:00:00-04:00")
    repo2 = district_repo(tmp_path / "second")
    set_status(repo2, "draft", "2022-05-06T20:01:00+00:00")
    [late] = deadline_findings(repo2.path, "2022-05-10")
    assert late[0] == "deadline-late"
    assert "submitted 2022-05-06 16:01 -04:00, 1 minute after" in late[3]


def test_commit_from_another_timezone(tmp_path: Path) -> None:
    # 21:30 in Paris (+02:00) is 15:30 in Springfield: on time.
    repo = district_repo(tmp_path)
    set_status(repo, "draft", "2022-05-06T21:30:00+02:00")
    assert deadline_findings(repo.path, "2022-05-10") == []


def test_merged_branch_that_reached_draft_before_the_deadline(tmp_path: Path) -> None:
    repo = district_repo(tmp_path)
    draft_on_a_branch(repo, "maple-phase-1", "2022-05-05T10:00:00-04:00")
    repo.merge("maple-phase-1", date="2022-05-09T09:00:00-04:00", message="Merge phase 1")
    assert deadline_findings(repo.path, "2022-05-10") == []


def test_unmerged_branch_does_not_count(tmp_path: Path) -> None:
    repo = district_repo(tmp_path)
    draft_on_a_branch(repo, "maple-phase-1", "2022-05-05T10:00:00-04:00")
    assert [f[0] for f in deadline_findings(repo.path, "2022-05-10")] == ["deadline-missed"]


def test_reopen_and_refinal_keeps_the_first_time(tmp_path: Path) -> None:
    repo = district_repo(tmp_path)
    set_status(repo, "draft", "2022-05-05T10:00:00-04:00")
    set_status(repo, "final", "2022-05-26T10:00:00-04:00")
    set_status(repo, "in-progress", "2022-05-31T10:00:00-04:00")
    set_status(repo, "final", "2022-06-02T10:00:00-04:00")
    assert deadline_findings(repo.path, "2022-06-10") == []


def test_uncommitted_draft_is_not_a_submission(tmp_path: Path) -> None:
    repo = district_repo(tmp_path)
    repo.write(LEVERS, header("priority-levers", status="draft"))  # not committed
    found = deadline_findings(repo.path, "2022-05-07")
    assert [(f[0], f[2]) for f in found] == [("deadline-missed", "draft")]


def test_as_of_before_the_submission_ignores_later_commits(tmp_path: Path) -> None:
    repo = district_repo(tmp_path)
    set_status(repo, "draft", "2022-05-06T15:00:00-04:00")
    # On May 2 the draft was not in yet and was due within the 7-day window.
    assert deadline_findings(repo.path, "2022-05-02") == [
        (
            "deadline-soon",
            "warning",
            "draft",
            "the draft is due 2022-05-06 16:00 -04:00, in 3 days 16 hours",
        )
    ]


def test_as_of_with_offset_and_naive_time(tmp_path: Path) -> None:
    repo = district_repo(tmp_path)
    # 16:00 local exactly is not past the deadline; one minute later is.
    assert deadline_findings(repo.path, "2022-05-06T16:00")[0][0] == "deadline-soon"
    assert deadline_findings(repo.path, "2022-05-06T20:01:00Z")[0][0] == "deadline-missed"


def test_shallow_clone_reports_no_deadlines_and_names_the_fix(tmp_path: Path) -> None:
    repo = district_repo(tmp_path)
    set_status(repo, "draft", "2022-05-06T16:30:00-04:00")
    repo.write("README.md", "plans\n")
    repo.commit("readme", date="2022-05-08T10:00:00-04:00")
    shallow = GitRepo.clone(repo, tmp_path / "shallow", "--depth", "1")
    run = sipctl("check", "--repo", shallow.path, "--as-of", "2022-06-01", "--format", "json")
    payload = run.json()
    assert [f for f in payload["findings"] if f["rule"].startswith("deadline")] == []
    assert any("fetch-depth: 0" in note for note in payload["notes"])
    text = sipctl("check", "--repo", shallow.path, "--as-of", "2022-06-01")
    assert "shallow clone" in text.out


def test_no_repository_judges_current_status_and_says_so(tmp_path: Path) -> None:
    root = write_district(
        tmp_path,
        {"cycles/2022-23.yaml": DEADLINES, LEVERS: header("priority-levers", status="draft")},
    )
    run = sipctl("check", "--repo", root, "--as-of", "2022-06-01", "--format", "json")
    payload = run.json()
    found = [
        (f["rule"], f["stage"]) for f in payload["findings"] if f["rule"].startswith("deadline")
    ]
    assert found == [("deadline-missed", "final")]  # the draft counts, its time is unknown
    assert payload["notes"] == [
        f"{root} is not in a git repository: deadlines are judged from each document's "
        "current status only, and submission times are unknown"
    ]


def test_district_inside_another_repository(tmp_path: Path) -> None:
    outer = GitRepo.init(tmp_path)
    write_district(tmp_path / "examples/d", {"cycles/2022-23.yaml": DEADLINES})
    outer.commit("examples", date="2022-03-01T09:00:00-05:00")
    run = sipctl(
        "check", "--repo", tmp_path / "examples/d", "--as-of", "2022-06-01", "--format", "json"
    )
    assert "is not the top of its git work tree" in run.json()["notes"][0]


def test_approved_document_edited_without_reopening(tmp_path: Path) -> None:
    repo = district_repo(tmp_path)
    set_status(repo, "draft", "2022-05-05T10:00:00-04:00", "reflection: first\n")
    set_status(repo, "final", "2022-05-26T10:00:00-04:00", "reflection: first\n")
    set_status(repo, "approved", "2022-06-07T18:00:00-04:00", "reflection: first\n")
    sha = set_status(repo, "approved", "2022-06-20T11:00:00-04:00", "reflection: changed\n")
    found = deadline_findings(repo.path, "2022-06-21")
    assert found == [
        (
            "approved-changed",
            "error",
            None,
            f"commit {sha[:10]} by Ada Principal <ada@example.org> on 2022-06-20 11:00 -04:00 "
            "changed the approved document (reflection) without setting its status back",
        )
    ]


def test_reopened_and_reapproved_is_clean(tmp_path: Path) -> None:
    repo = district_repo(tmp_path)
    set_status(repo, "draft", "2022-05-05T10:00:00-04:00", "reflection: first\n")
    set_status(repo, "final", "2022-05-26T10:00:00-04:00", "reflection: first\n")
    set_status(repo, "approved", "2022-06-07T18:00:00-04:00", "reflection: first\n")
    set_status(repo, "in-progress", "2022-06-20T11:00:00-04:00", "reflection: first\n")
    set_status(repo, "in-progress", "2022-06-20T12:00:00-04:00", "reflection: changed\n")
    set_status(repo, "approved", "2022-06-21T12:00:00-04:00", "reflection: changed\n")
    assert deadline_findings(repo.path, "2022-06-22") == []


@pytest.mark.parametrize("bad", ["tomorrow", "2022-13-01", "2022-05-06T25:00"])
def test_bad_as_of_is_a_usage_error(tmp_path: Path, bad: str) -> None:
    run = sipctl("check", "--repo", write_district(tmp_path), "--as-of", bad)
    assert run.code == 2
    assert "--as-of" in run.err
    assert "Traceback" not in run.err


def test_deadline_and_approval_findings_point_at_the_status_line(tmp_path: Path) -> None:
    # The status line is what a person changes to submit: line 5, after `status: `.
    repo = district_repo(tmp_path)
    set_status(repo, "draft", "2022-05-06T16:01:00-04:00", "reflection: first\n")  # late
    set_status(repo, "final", "2022-05-26T10:00:00-04:00", "reflection: first\n")
    set_status(repo, "approved", "2022-06-07T18:00:00-04:00", "reflection: first\n")
    set_status(repo, "approved", "2022-06-20T11:00:00-04:00", "reflection: changed\n")
    run = sipctl("check", "--repo", repo.path, "--as-of", "2022-06-21", "--format", "json")
    places = [
        (f["rule"], f["severity"], f["file"], f["line"], f["column"], f["stage"])
        for f in run.json()["findings"]
        if f["rule"] in ("deadline-late", "approved-changed")
    ]
    assert places == [
        ("approved-changed", "error", LEVERS, 5, 9, None),
        ("deadline-late", "warning", LEVERS, 5, 9, "draft"),
    ]
    missed = district_repo(tmp_path / "missed")
    run = sipctl("check", "--repo", missed.path, "--as-of", "2022-05-07", "--format", "json")
    [f] = [f for f in run.json()["findings"] if f["rule"] == "deadline-missed"]
    assert (f["severity"], f["file"], f["line"], f["column"], f["stage"], f["due"]) == (
        "error",
        LEVERS,
        5,
        9,
        "draft",
        "2022-05-06 16:00 -04:00",
    )
    soon = sipctl("check", "--repo", missed.path, "--as-of", "2022-05-01", "--format", "json")
    [f] = [f for f in soon.json()["findings"] if f["rule"] == "deadline-soon"]
    assert (f["severity"], f["file"], f["line"], f["column"], f["stage"]) == (
        "warning",
        LEVERS,
        5,
        9,
        "draft",
    )


def test_one_school_and_changed_since_judge_deadlines_as_the_whole_check(
    tmp_path: Path,
) -> None:
    # A check of one school (or of the schools a pull request touched) starts reading
    # their history before anything else; its deadline findings must be the whole check's.
    root = write_district(
        tmp_path / "district", {"cycles/2022-23.yaml": DEADLINES}, schools=("maple", "oak")
    )
    repo = GitRepo.init(root)
    repo.commit("Start planning", date="2022-03-01T09:00:00-05:00")
    set_status(repo, "draft", "2022-05-06T16:45:00-04:00")  # maple: 45 minutes late
    oak = "schools/oak/2022-23/priority-levers.yaml"
    repo.write(oak, header("priority-levers", "oak", status="draft"))
    repo.commit("oak: draft", date="2022-05-06T15:00:00-04:00")  # on time
    base = repo.head()
    repo.write(LEVERS, header("priority-levers", status="draft") + "# reviewed\n")
    repo.commit("maple: a note", date="2022-05-09T09:00:00-04:00")

    def deadlines(*args: str) -> list[tuple[str, str, str, str]]:
        run = sipctl("check", "--repo", root, "--as-of", "2022-05-10", "--format", "json", *args)
        assert run.code in (0, 1), run.err
        return [
            (f["school"], f["rule"], f["stage"], f["message"])
            for f in run.json()["findings"]
            if f["rule"].startswith("deadline")
        ]

    late = (
        "maple",
        "deadline-late",
        "draft",
        "the draft was submitted 2022-05-06 16:45 -04:00, 45 minutes after the deadline "
        "2022-05-06 16:00 -04:00",
    )
    assert deadlines() == [late]
    assert deadlines("--school", "maple") == [late]
    assert deadlines("--school", "oak") == []
    assert deadlines("--changed-since", base) == [late]


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (1, "1 second"),
        (59, "59 seconds"),
        (60, "1 minute"),
        (3599, "59 minutes"),
        (3600, "1 hour 0 minutes"),
        (3660, "1 hour 1 minute"),
        (86399, "23 hours 59 minutes"),
        (86400, "1 day 0 hours"),
        (86400 + 60, "1 day 0 hours"),
        (1568 * 86400 + 37 * 60, "1568 days 0 hours"),
        (2 * 86400 + 3 * 3600 + 59 * 60, "2 days 3 hours"),
    ],
)
def test_a_duration_never_skips_a_unit(seconds: int, words: str) -> None:
    # The largest unit and the one below it, even at 0: "1568 days 37 minutes" read as
    # if nothing else were missing (issue 28).
    import datetime as dt

    from sipctl.domain.deadlines import humanize

    assert humanize(dt.timedelta(seconds=seconds)) == words


def test_a_draft_at_the_deadlines_second_is_on_time_and_a_second_later_is_late(
    tmp_path: Path,
) -> None:
    repo = district_repo(tmp_path)
    set_status(repo, "draft", "2022-05-06T16:00:00-04:00")
    assert deadline_findings(repo.path, "2022-05-10") == []
    # The status matrix and the audit trail say so too (check stays quiet on a zero delay
    # either way, so it alone would not notice).
    run = sipctl("status", "--repo", repo.path, "--as-of", "2022-05-10", "--format", "json")
    [maple] = run.json()["schools"]
    [levers] = [c for c in maple["cells"] if c["document"] == "priority-levers"]
    assert levers["deadlines"]["draft"]["state"] == "on-time"
    run = sipctl("log", "maple", "priority-levers", "--repo", repo.path, "--format", "json")
    [draft] = [e for e in run.json()["events"] if e["to"] == "draft"]
    assert (draft["verdict"], draft["delay_seconds"]) == ("on time", 0)
    later = district_repo(tmp_path / "later")
    set_status(later, "draft", "2022-05-06T16:00:01-04:00")
    assert deadline_findings(later.path, "2022-05-10") == [
        (
            "deadline-late",
            "warning",
            "draft",
            "the draft was submitted 2022-05-06 16:00 -04:00, 1 second after the deadline "
            "2022-05-06 16:00 -04:00",
        )
    ]
