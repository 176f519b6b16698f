"""sipctl.git.history against real git repositories built in tmp_path (no mocks)."""

from __future__ import annotations

import os
import re
import shutil
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from gitrepo import DEFAULT_AUTHOR, GitRepo, plan_doc
from sipctl.errors import GitError
from sipctl.git.history import (
    STATUS_ORDER,
    Commit,
    ContentChange,
    History,
    git_process_count,
    read_history,
)
from sipctl.git.log_walk import Walk, walk_log

DOC = "schools/maple/2022-23/priority-levers.yaml"
OTHER = "schools/maple/2022-23/family-engagement.yaml"
EDT = timezone(timedelta(hours=-4))
CEST = timezone(timedelta(hours=2))


def doc(status: str, body: str = "") -> str:
    return plan_doc("priority-levers", "maple", "2022-23", status, body)


def other(status: str, body: str = "") -> str:
    return plan_doc("family-engagement", "maple", "2022-23", status, body)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def reached_sha(history: History, path: str, status: str) -> str | None:
    commit = history.reached(path, status)
    return None if commit is None else commit.sha


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo.init(tmp_path / "district")
    repo.write("sipctl.yaml", "district: test\n")
    return repo


def statuses(history: History, path: str) -> list[tuple[str | None, str | None, str]]:
    return [(c.old_status, c.new_status, c.commit.sha) for c in history.changes[path]]


def blob(repo: GitRepo, sha: str, path: str) -> str:
    return repo.run("rev-parse", f"{sha}:{path}").strip()


def _git_calls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A file where a script in front of the real git on PATH writes how it was asked."""
    real_git = shutil.which("git")
    calls = tmp_path / "calls"
    wrapper = tmp_path / "bin" / "git"
    wrapper.parent.mkdir()
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> {calls}\nexec {real_git} "$@"\n')
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{wrapper.parent}{os.pathsep}{os.environ['PATH']}")
    return calls


def test_draft_reached_at_the_commit_instant_with_its_own_offset(repo: GitRepo) -> None:
    start = repo.commit("district", date="2022-03-01T09:00:00-05:00")
    repo.write(DOC, doc("in-progress"))
    c0 = repo.commit("start plan", date="2022-04-04T09:00:00-04:00")
    repo.write(DOC, doc("draft", "summary: first draft\n"))
    c1 = repo.commit("draft", date="2022-05-06T15:59:00-04:00", author="Bo Lead <bo@example.org>")

    history = read_history(repo.path)

    assert history.available and history.reason is None
    hit = history.reached(DOC, "draft")
    assert hit is not None
    assert hit.sha == c1
    assert hit.time == utc(2022, 5, 6, 19, 59)  # 15:59 in New York (EDT)
    assert hit.time.isoformat() == "2022-05-06T15:59:00-04:00"
    assert hit.author == "Bo Lead <bo@example.org>"
    assert hit.subject == "draft"
    assert not hit.is_merge
    assert hit.time <= datetime(2022, 5, 6, 16, 0, tzinfo=EDT)  # before a 4 pm deadline
    assert reached_sha(history, DOC, "in-progress") == c0
    assert history.reached(DOC, "final") is None
    assert history.reached("schools/maple/2022-23/missing.yaml", "draft") is None
    assert statuses(history, DOC) == [(None, "in-progress", c0), ("in-progress", "draft", c1)]
    assert history.changes[DOC][1].old_blob == blob(repo, c0, DOC)
    assert history.changes[DOC][1].new_blob == blob(repo, c1, DOC)
    assert start not in {c.commit.sha for c in history.changes[DOC]}


def test_commits_are_compared_as_instants_across_offsets(repo: GitRepo) -> None:
    repo.write(DOC, doc("in-progress"))
    repo.commit("start", date="2022-04-04T09:00:00-04:00")
    repo.write(DOC, doc("draft"))
    late = repo.commit("draft in New York", date="2022-05-06T15:45:00-04:00")  # 19:45Z
    repo.write(DOC, doc("final"))
    # a later commit whose clock said 21:30 in Paris: 19:30Z, the earlier instant
    early = repo.commit("final in Paris", date="2022-05-06T21:30:00+02:00")

    history = read_history(repo.path)

    hit = history.reached(DOC, "draft")
    assert hit is not None and hit.sha == early
    assert hit.time == utc(2022, 5, 6, 19, 30)
    assert hit.time.utcoffset() == timedelta(hours=2)
    assert hit.time == datetime(2022, 5, 6, 21, 30, tzinfo=CEST)
    assert reached_sha(history, DOC, "final") == early
    # the audit log is ordered by instant too
    assert [c.commit.sha for c in history.changes[DOC]][1:] == [early, late]


def test_equal_instants_are_ordered_topologically(repo: GitRepo) -> None:
    repo.write(DOC, doc("draft"))
    first = repo.commit("draft", date="2022-05-06T15:59:00-04:00")
    repo.write(DOC, doc("final"))
    second = repo.commit("final", date="2022-05-06T21:59:00+02:00")  # same instant

    history = read_history(repo.path)

    assert reached_sha(history, DOC, "draft") == first
    assert reached_sha(history, DOC, "final") == second
    assert statuses(history, DOC) == [(None, "draft", first), ("draft", "final", second)]


def test_first_time_counts_when_a_status_goes_back(repo: GitRepo) -> None:
    repo.write(DOC, doc("in-progress"))
    c0 = repo.commit("start", date="2022-04-01T09:00:00-04:00")
    repo.write(DOC, doc("draft"))
    c1 = repo.commit("draft", date="2022-05-01T10:00:00-04:00")
    repo.write(DOC, doc("in-progress", "note: reopened\n"))
    c2 = repo.commit("reopen", date="2022-05-03T10:00:00-04:00")
    repo.write(DOC, doc("draft", "note: again\n"))
    c3 = repo.commit("draft again", date="2022-05-05T10:00:00-04:00")

    history = read_history(repo.path)

    assert reached_sha(history, DOC, "draft") == c1
    assert statuses(history, DOC) == [
        (None, "in-progress", c0),
        ("in-progress", "draft", c1),
        ("draft", "in-progress", c2),
        ("in-progress", "draft", c3),
    ]


def test_a_later_status_implies_the_earlier_ones(repo: GitRepo) -> None:
    repo.write(DOC, doc("in-progress"))
    c0 = repo.commit("start", date="2022-04-01T09:00:00-04:00")
    repo.write(DOC, doc("final"))
    c1 = repo.commit("straight to final", date="2022-05-02T09:00:00-04:00")

    history = read_history(repo.path)

    assert reached_sha(history, DOC, "not-started") == c0
    assert reached_sha(history, DOC, "in-progress") == c0
    assert reached_sha(history, DOC, "draft") == c1
    assert reached_sha(history, DOC, "final") == c1
    assert history.reached(DOC, "approved") is None
    with pytest.raises(ValueError, match="unknown status"):
        history.reached(DOC, "done")


def test_side_branch_draft_counts_from_the_branch_commit_once(repo: GitRepo) -> None:
    repo.write(DOC, doc("in-progress"))
    repo.write(OTHER, other("in-progress"))
    c0 = repo.commit("start", date="2022-04-01T09:00:00-04:00")
    b1 = repo.commit_on_branch(
        "maple-draft", {DOC: doc("draft")}, "draft on a branch", date="2022-05-06T10:00:00-04:00"
    )
    repo.write(OTHER, other("draft"))
    m1 = repo.commit("other doc on main", date="2022-05-07T10:00:00-04:00")
    merge = repo.merge("maple-draft", date="2022-05-10T09:00:00-04:00", message="merge draft")

    history = read_history(repo.path)

    hit = history.reached(DOC, "draft")
    assert hit is not None and hit.sha == b1
    assert hit.time == utc(2022, 5, 6, 14, 0)
    assert statuses(history, DOC) == [(None, "in-progress", c0), ("in-progress", "draft", b1)]
    assert statuses(history, OTHER) == [(None, "in-progress", c0), ("in-progress", "draft", m1)]
    assert merge not in {c.commit.sha for cs in history.changes.values() for c in cs}


def test_a_merge_that_resolves_a_conflict_into_a_new_status_counts_at_the_merge(
    repo: GitRepo,
) -> None:
    repo.write(DOC, doc("in-progress"))
    c0 = repo.commit("start", date="2022-04-01T09:00:00-04:00")
    s1 = repo.commit_on_branch(
        "side",
        {DOC: doc("in-progress  # side team")},
        "side note",
        date="2022-05-02T09:00:00-04:00",
    )
    repo.write(DOC, doc("in-progress  # main team"))
    m1 = repo.commit("main note", date="2022-05-03T09:00:00-04:00")
    merge = repo.merge(
        "side", date="2022-05-06T15:00:00-04:00", message="resolve", resolve={DOC: doc("draft")}
    )

    history = read_history(repo.path)

    hit = history.reached(DOC, "draft")
    assert hit is not None and hit.sha == merge and hit.is_merge
    assert hit.time == utc(2022, 5, 6, 19, 0)
    assert hit.subject == "resolve"
    merge_changes = [c for c in history.changes[DOC] if c.commit.sha == merge]
    # one raw entry per parent: both differ from the result
    assert [(c.old_status, c.new_status) for c in merge_changes] == [
        ("in-progress", "draft"),
        ("in-progress", "draft"),
    ]
    assert {c.old_blob for c in merge_changes} == {blob(repo, m1, DOC), blob(repo, s1, DOC)}
    assert statuses(history, DOC)[0] == (None, "in-progress", c0)
    assert len(history.changes[DOC]) == 3  # the notes changed no status


def test_commits_on_an_unmerged_branch_never_count(repo: GitRepo) -> None:
    repo.write(DOC, doc("in-progress"))
    c0 = repo.commit("start", date="2022-04-01T09:00:00-04:00")
    repo.commit_on_branch(
        "wip", {DOC: doc("approved")}, "not merged", date="2022-04-02T09:00:00-04:00"
    )

    history = read_history(repo.path)

    assert history.reached(DOC, "draft") is None
    assert statuses(history, DOC) == [(None, "in-progress", c0)]


def test_uncommitted_changes_never_count(repo: GitRepo) -> None:
    repo.write(DOC, doc("in-progress"))
    c0 = repo.commit("start", date="2022-04-01T09:00:00-04:00")
    repo.write(DOC, doc("draft"))  # working tree
    repo.write(OTHER, other("final"))
    repo.run("add", OTHER)  # staged only

    history = read_history(repo.path)

    assert history.reached(DOC, "draft") is None
    assert history.reached(OTHER, "in-progress") is None
    assert statuses(history, DOC) == [(None, "in-progress", c0)]
    assert OTHER not in history.changes


def test_approved_document_edited_without_reopening(repo: GitRepo) -> None:
    repo.write(DOC, doc("final", "goal: read more\n"))
    c0 = repo.commit("final", date="2022-05-01T09:00:00-04:00")
    repo.write(DOC, doc("approved", "goal: read more\n"))
    c1 = repo.commit("approve", date="2022-05-20T09:00:00-04:00")
    repo.write(DOC, doc("approved", "goal: read much more\n"))
    c2 = repo.commit("quiet edit", date="2022-06-01T09:00:00-04:00")
    repo.write(DOC, doc("in-progress", "goal: read much more\n"))
    repo.commit("reopen", date="2022-06-02T09:00:00-04:00")
    repo.write(DOC, doc("approved", "goal: read the most\n"))
    repo.commit("approve again", date="2022-06-03T09:00:00-04:00")

    history = read_history(repo.path)

    old, new = blob(repo, c1, DOC), blob(repo, c2, DOC)
    edit_commit = Commit(
        c2, DEFAULT_AUTHOR, datetime(2022, 6, 1, 9, tzinfo=EDT), "quiet edit", False
    )
    assert history.approved_edits == {DOC: [ContentChange(DOC, edit_commit, old, new)]}
    assert reached_sha(history, DOC, "approved") == c1
    before = git_process_count()
    assert history.blob_text(old) == doc("approved", "goal: read more\n")
    assert history.blob_text(new) == doc("approved", "goal: read much more\n")
    assert git_process_count() == before  # kept from the bulk read
    assert history.blob_text(blob(repo, c0, DOC)) == doc("final", "goal: read more\n")
    assert git_process_count() == before + 1  # read lazily


def test_deleted_document_and_paths_with_spaces(repo: GitRepo) -> None:
    spaced = "schools/st mary's/2022-23/priority levers.yaml"
    repo.write(spaced, doc("draft"))
    repo.write("templates/plan.yaml", doc("approved"))  # outside schools/
    c0 = repo.commit("add", date="2022-04-01T09:00:00+00:00")
    repo.remove(spaced)
    c1 = repo.commit("remove", date="2022-04-02T09:00:00+00:00")

    history = read_history(repo.path)

    assert statuses(history, spaced) == [(None, "draft", c0), ("draft", None, c1)]
    assert history.changes[spaced][1].new_blob is None
    assert reached_sha(history, spaced, "draft") == c0
    assert list(history.changes) == [spaced]


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("\ufeffstatus: draft\n", "draft"),
        ("document: x\r\nstatus: final\r\nschool: y\r\n", "final"),
        ("status: 'approved'  # signed off\n", "approved"),
        ('status: "in-progress"\n', "in-progress"),
        ("status:not-started\n", "not-started"),
        ("meta:\n  status: draft\nbody: |\n  status: final\n", None),
        ("status: Draft\n", None),
        ("status: done\n", None),
        ("status: draft, final\n", None),
        ("document: x\n", None),
    ],
)
def test_status_is_read_from_the_top_level_key(
    repo: GitRepo, text: str, status: str | None
) -> None:
    repo.write(DOC, text)
    repo.commit("add", date="2022-04-01T09:00:00+00:00")

    history = read_history(repo.path)

    expected = [(None, status)] if status else []
    assert [(c.old_status, c.new_status) for c in history.changes.get(DOC, [])] == expected


def test_shallow_clone_has_no_usable_history(repo: GitRepo, tmp_path: Path) -> None:
    repo.write(DOC, doc("in-progress"))
    repo.commit("start", date="2022-04-01T09:00:00-04:00")
    repo.write(DOC, doc("draft"))
    repo.commit("draft", date="2022-05-01T09:00:00-04:00")
    clone = GitRepo.clone(repo, tmp_path / "clone", "--depth", "1")

    history = read_history(clone.path)

    assert (history.available, history.reason) == (False, "shallow")
    assert history.changes == {} and history.reached(DOC, "draft") is None


def test_folder_that_is_not_a_git_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    plain = tmp_path / "plain"
    (plain / "schools").mkdir(parents=True)

    history = read_history(plain)

    assert (history.available, history.reason) == (False, "no-git")


def test_git_not_installed(repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "empty-bin").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))

    history = read_history(repo.path)

    assert (history.available, history.reason) == (False, "no-git")


def test_district_root_inside_another_repository(tmp_path: Path) -> None:
    source = GitRepo.init(tmp_path / "source")
    source.write("examples/district/sipctl.yaml", "district: example\n")
    source.write("examples/district/" + DOC, doc("draft"))
    source.commit("example", date="2022-04-01T09:00:00-04:00")

    history = read_history(source.path / "examples" / "district")

    assert (history.available, history.reason) == (False, "not-toplevel")


def test_repository_without_commits(repo: GitRepo) -> None:
    repo.write(DOC, doc("draft"))

    history = read_history(repo.path)

    assert (history.available, history.reason) == (False, "no-commits")


def test_missing_blob_raises_git_error(repo: GitRepo) -> None:
    repo.write(DOC, doc("draft"))
    c0 = repo.commit("add", date="2022-04-01T09:00:00-04:00")
    oid = blob(repo, c0, DOC)
    (repo.path / ".git" / "objects" / oid[:2] / oid[2:]).unlink()

    with pytest.raises(GitError, match=oid):
        read_history(repo.path)


def _district(root: Path, documents: int) -> GitRepo:
    repo = GitRepo.init(root)
    repo.write("sipctl.yaml", "district: test\n")
    paths = [f"schools/school-{n:02d}/2022-23/priority-levers.yaml" for n in range(documents)]
    for day, status in enumerate(STATUS_ORDER[1:], start=1):
        for path in paths:
            repo.write(path, doc(status))
        repo.commit(status, date=f"2022-05-{day:02d}T09:00:00-04:00")
    return repo


def test_git_processes_do_not_grow_with_the_number_of_documents(tmp_path: Path) -> None:
    counts = []
    for documents in (2, 40):
        repo = _district(tmp_path / f"district-{documents}", documents)
        before = git_process_count()
        history = read_history(repo.path, cache=False)
        counts.append(git_process_count() - before)
        assert len(history.changes) == documents
        assert all(len(changes) == 4 for changes in history.changes.values())
        hit = history.reached("schools/school-01/2022-23/priority-levers.yaml", "draft")
        assert hit is not None and hit.time == utc(2022, 5, 2, 13, 0)
    assert counts[0] == counts[1] == 3


def test_a_status_reverted_on_main_while_a_branch_was_open_still_counts(repo: GitRepo) -> None:
    repo.write(DOC, doc("in-progress"))
    repo.write(OTHER, other("in-progress"))
    repo.commit("start", date="2022-04-01T09:00:00-04:00")
    repo.commit_on_branch(
        "side", {OTHER: other("draft")}, "other draft", date="2022-04-05T09:00:00-04:00"
    )
    repo.write(DOC, doc("draft"))
    c1 = repo.commit("draft", date="2022-04-02T09:00:00-04:00")
    repo.write(DOC, doc("in-progress"))
    c2 = repo.commit("back", date="2022-04-03T09:00:00-04:00")
    # the merge's schools/ tree equals the side branch's: default history
    # simplification would hide c1 and c2
    merge = repo.merge("side", date="2022-04-06T09:00:00-04:00", message="merge side")

    history = read_history(repo.path)

    assert reached_sha(history, DOC, "draft") == c1
    assert [sha for _old, _new, sha in statuses(history, DOC)][1:] == [c1, c2]
    assert merge not in {c.commit.sha for cs in history.changes.values() for c in cs}


def test_history_can_be_limited_to_some_schools(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "d")
    for school in ("maple", "oak"):
        repo.write(
            f"schools/{school}/2022-23/priority-levers.yaml",
            plan_doc("priority-levers", school, "2022-23", "draft"),
        )
    repo.commit("both", date="2022-05-05T10:00:00-04:00")
    history = read_history(repo.path, under=["schools/oak"])
    assert sorted(history.changes) == ["schools/oak/2022-23/priority-levers.yaml"]
    assert history.reached("schools/oak/2022-23/priority-levers.yaml", "draft") is not None
    assert history.reached("schools/maple/2022-23/priority-levers.yaml", "draft") is None


def test_changes_under_a_folder_are_its_paths_and_no_neighbour_s(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "d")
    for school in ("maple", "maple-east", "oak"):
        for document in ("priority-levers", "family-engagement"):
            repo.write(
                f"schools/{school}/2022-23/{document}.yaml",
                plan_doc(document, school, "2022-23", "draft"),
            )
    repo.commit("three schools", date="2022-05-05T10:00:00-04:00")
    history = read_history(repo.path)
    found = history.changes_under("schools/maple/2022-23/")
    assert [path for path, _changes in found] == [
        "schools/maple/2022-23/family-engagement.yaml",
        "schools/maple/2022-23/priority-levers.yaml",
    ]
    assert [[(c.old_status, c.new_status) for c in changes] for _p, changes in found] == [
        [(None, "draft")],
        [(None, "draft")],
    ]
    assert [p for p, _c in history.changes_under("schools/oak/")] == [
        "schools/oak/2022-23/family-engagement.yaml",
        "schools/oak/2022-23/priority-levers.yaml",
    ]
    assert history.changes_under("schools/pine/") == []
    assert len(history.changes_under("schools/")) == 6


def test_reading_blobs_during_the_walk_or_after_it_gives_the_same_history(
    tmp_path: Path,
) -> None:
    # check reads history beside its own work (overlap=False); log and render read the
    # blobs while git log still runs. Both must see the same history, in 3 git processes.
    repo = _district(tmp_path / "district", 12)
    repo.commit_on_branch(
        "side",
        {"schools/school-03/2022-23/priority-levers.yaml": doc("in-progress")},
        "reopen on a branch",
        date="2022-05-10T09:00:00-04:00",
    )
    repo.merge("side", date="2022-05-11T09:00:00-04:00", message="merge")

    def seen(overlap: bool) -> tuple[object, ...]:
        before = git_process_count()
        history = read_history(repo.path, overlap=overlap, cache=False)
        processes = git_process_count() - before
        changes = {
            path: [(c.commit.sha, c.old_status, c.new_status, c.new_blob) for c in cs]
            for path, cs in history.changes.items()
        }
        return processes, changes, history.approved_edits.keys()

    together, apart = seen(True), seen(False)
    assert together == apart
    assert together[0] == 3
    assert len(together[1]) == 12


def test_blobs_are_read_with_room_for_their_delta_bases(
    repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _git_calls(tmp_path, monkeypatch)
    repo.write(DOC, doc("draft"))
    repo.commit("draft", date="2022-04-01T09:00:00-04:00")

    history = read_history(repo.path, cache=False)

    assert history.reached(DOC, "draft") is not None
    cat_files = [line for line in calls.read_text().splitlines() if " cat-file " in line]
    assert len(cat_files) == 1  # after sipctl.git.process's options for every read
    assert cat_files[0].endswith(" -c core.deltaBaseCacheLimit=256m cat-file --batch --buffer")


def test_the_whole_district_is_walked_without_testing_each_commit_against_a_folder(
    repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Neighbours of schools/ that a prefix match without the slash would take, commits
    # wholly outside it, and merges whose diff against one parent lies outside it.
    oak = "schools/oak/2022-23/priority-levers.yaml"
    repo.write(DOC, doc("in-progress"))
    repo.write(oak, plan_doc("priority-levers", "oak", "2022-23", "in-progress"))
    repo.write("schools-archive/maple/2021-22/priority-levers.yaml", doc("final"))
    repo.write("schools.yaml", "schools: [maple, oak]\n")
    repo.commit("start", date="2022-04-01T09:00:00-04:00")
    repo.commit_on_branch(
        "side", {DOC: doc("draft")}, "maple's draft", date="2022-05-02T09:00:00-04:00"
    )
    repo.write("cycles/2022-23.yaml", "cycle: 2022-23\n")
    repo.commit("the cycle", date="2022-05-03T09:00:00-04:00")
    repo.merge("side", date="2022-05-04T09:00:00-04:00", message="merge maple")
    repo.commit_on_branch(
        "side2",
        {"schools.yaml": "schools: [maple, oak, pine]\n"},
        "pine",
        date="2022-05-05T09:00:00-04:00",
    )
    repo.write(oak, plan_doc("priority-levers", "oak", "2022-23", "final"))
    repo.commit("oak final", date="2022-05-06T09:00:00-04:00")
    repo.merge("side2", date="2022-05-07T09:00:00-04:00", message="merge pine")

    def changes(how: Walk) -> list[tuple[str, str, str | None, str | None, int]]:
        entries = walk_log(repo.path, "schools", lambda _oid: None, "HEAD", how=how)
        first: dict[str, int] = {}
        for entry in entries:
            first.setdefault(entry.commit.sha, entry.order)
        rank = {sha: n for n, sha in enumerate(sorted(first, key=first.__getitem__))}
        return [
            (e.path, e.commit.subject, e.old_blob, e.new_blob, rank[e.commit.sha]) for e in entries
        ]

    walked = changes("relative")
    assert walked == changes("pathspec") == changes("subtrees")
    assert [(path, subject) for path, subject, *_rest in walked] == [
        (oak, "merge pine"),  # against side2, which has not seen oak's final
        (oak, "oak final"),
        (DOC, "merge maple"),  # against main, which has not seen maple's draft
        (DOC, "maple's draft"),
        (DOC, "start"),
        (oak, "start"),
    ]

    calls = _git_calls(tmp_path, monkeypatch)
    read_history(repo.path, cache=False)
    read_history(repo.path, under=["schools/oak"], cache=False)
    walks = [
        line
        for line in calls.read_text().splitlines()
        if re.search(" (log|rev-list|cat-file --batch-check=.*|diff-tree) ", line)
    ]
    assert len(walks) == 4
    assert walks[0].endswith(f"--relative=schools/ {repo.head()}")  # no pathspec
    # one school: the commits that change its folder's id, then only those diffed
    assert walks[1].endswith(f"rev-list --date-order --parents {repo.head()} --")
    assert walks[2].endswith("cat-file --batch-check=%(objectname) %(objecttype) --buffer")
    assert " diff-tree --stdin " in walks[3] and walks[3].endswith(" -- schools/oak/")
