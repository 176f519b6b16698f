"""The history cache in .git/sipctl/: whatever it holds, a read gives the history a walk
from scratch gives. Real repositories, changed between reads as people change them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from cli import SIPCTL, Run, sipctl
from district import header, write_district
from gitrepo import GitRepo, plan_doc
from randomhistory import SCHOOLS, random_history
from sipctl.git.history import STATUS_ORDER, History, git_process_count, read_history
from sipctl.git.history_cache import FORMAT

CACHE = Path(".git/sipctl/history")
MAPLE = "schools/maple/2022-23/priority-levers.yaml"
MAPLE_FAMILY = "schools/maple/2022-23/family-engagement.yaml"
OAK = "schools/oak/2022-23/priority-levers.yaml"


def lever(school: str, status: str, body: str = "") -> str:
    return plan_doc("priority-levers", school, "2022-23", status, body)


def family(status: str) -> str:
    return plan_doc("family-engagement", "maple", "2022-23", status)


def summary(history: History) -> dict[str, object]:
    """Everything check, status and log read from a history, without the log order
    numbers (which only break ties between equal instants)."""
    paths = sorted(set(history.changes) | set(history._versions))
    return {
        "changes": {
            path: [
                (c.commit, c.old_status, c.new_status, c.old_blob, c.new_blob)
                for c in history.changes.get(path, [])
            ]
            for path in paths
        },
        "reached": {
            (path, status): history.reached(path, status)
            for path in paths
            for status in STATUS_ORDER
        },
        "edits": history.approved_edits,
        "texts": {
            oid: history.blob_text(oid)
            for edits in history.approved_edits.values()
            for edit in edits
            for oid in (edit.old_blob, edit.new_blob)
        },
    }


def assert_cache_agrees(repo: GitRepo, under: str | list[str] = "schools") -> History:
    fresh = read_history(repo.path, under, cache=False)
    cached = read_history(repo.path, under, cache=True)
    assert summary(cached) == summary(fresh)
    return cached


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo.init(tmp_path / "district")
    repo.write("sipctl.yaml", "district: test\n")
    repo.write(MAPLE, lever("maple", "in-progress"))
    repo.write(OAK, lever("oak", "in-progress"))
    repo.commit("start", date="2022-04-01T09:00:00-04:00")
    return repo


def test_a_read_at_the_cached_head_runs_no_walk(repo: GitRepo) -> None:
    repo.write(MAPLE, lever("maple", "draft"))
    repo.commit("maple draft", date="2022-04-05T09:00:00-04:00")
    assert_cache_agrees(repo)
    header = json.loads((repo.path / CACHE / "whole.jsonl").read_text().splitlines()[0])
    assert header["head"] == repo.head()
    assert header["folders"] == ["schools"]

    before = git_process_count()
    read_history(repo.path, cache=True)
    assert git_process_count() - before == 1  # rev-parse only: no log, no cat-file


def test_new_commits_are_walked_on_top_of_the_cache(repo: GitRepo) -> None:
    assert_cache_agrees(repo)
    for day, status in enumerate(("draft", "final", "in-progress", "final"), start=2):
        repo.write(MAPLE, lever("maple", status, f"note: day {day}\n"))
        repo.commit(status, date=f"2022-04-{day:02d}T09:00:00-04:00")
        before = git_process_count()
        history = assert_cache_agrees(repo)
        # fresh: rev-parse, log, cat-file; cached: rev-parse, merge-base, log, cat-file
        assert git_process_count() - before == 7
    first_final = history.reached(MAPLE, "final")
    assert first_final is not None and first_final.subject == "final"
    assert first_final.time.isoformat() == "2022-04-03T09:00:00-04:00"


def test_merged_branches_reset_and_rewritten_history(repo: GitRepo) -> None:
    assert_cache_agrees(repo)
    side = repo.commit_on_branch(
        "side",
        {OAK: lever("oak", "draft")},
        "oak draft on a branch",
        date="2022-04-03T09:00:00-04:00",
    )
    repo.write(MAPLE, lever("maple", "draft"))
    repo.commit("maple draft", date="2022-04-04T09:00:00-04:00")
    assert_cache_agrees(repo)  # cached at main before the merge
    repo.merge("side", date="2022-04-06T09:00:00-04:00", message="merge side")
    history = assert_cache_agrees(repo)
    oak_draft = history.reached(OAK, "draft")
    assert oak_draft is not None and oak_draft.sha == side

    # A reset: the cached HEAD is no longer in HEAD's history.
    repo.run("reset", "--hard", "HEAD~1")
    history = assert_cache_agrees(repo)
    assert history.reached(OAK, "draft") is None
    # A rewritten commit with the same tree and another date.
    repo.run("commit", "--amend", "--no-edit", "--reset-author", "--date=2022-04-09T09:00")
    assert_cache_agrees(repo)


def test_a_subset_is_served_from_the_whole_districts_cache(repo: GitRepo) -> None:
    repo.write(OAK, lever("oak", "draft"))
    repo.write(MAPLE, lever("maple", "final"))
    repo.commit("both", date="2022-04-05T09:00:00-04:00")
    assert_cache_agrees(repo)  # writes whole.jsonl
    repo.write(OAK, lever("oak", "final"))
    repo.commit("oak final", date="2022-04-06T09:00:00-04:00")

    history = assert_cache_agrees(repo, ["schools/oak"])
    assert sorted(history._versions) == [OAK]
    subsets = sorted(p.name for p in (repo.path / CACHE).iterdir())
    assert len(subsets) == 2 and subsets[0].startswith("subset-")
    assert_cache_agrees(repo, ["schools/maple", "schools/oak"])
    assert_cache_agrees(repo, "schools/maple")


def test_an_approved_edit_reads_its_texts_in_one_batch_from_a_cached_walk(repo: GitRepo) -> None:
    repo.write(MAPLE, lever("maple", "approved", "goal: read more\n"))
    repo.commit("approve", date="2022-06-01T09:00:00-04:00")
    repo.write(MAPLE, lever("maple", "approved", "goal: read much more\n"))
    repo.commit("quiet edit", date="2022-06-02T09:00:00-04:00")
    assert_cache_agrees(repo)

    before = git_process_count()
    history = read_history(repo.path, cache=True)
    assert git_process_count() - before == 2  # rev-parse, and one cat-file for the texts
    (edit,) = history.approved_edits[MAPLE]
    assert history.blob_text(edit.new_blob) == lever("maple", "approved", "goal: read much more\n")
    assert git_process_count() - before == 2


def test_a_damaged_or_foreign_cache_file_is_ignored_and_replaced(repo: GitRepo) -> None:
    repo.write(MAPLE, lever("maple", "draft"))
    repo.commit("maple draft", date="2022-04-05T09:00:00-04:00")
    whole = repo.path / CACHE / "whole.jsonl"
    assert_cache_agrees(repo)
    good = whole.read_text()
    header, *lines = good.splitlines()

    damaged = [
        "",  # empty
        "not json\n",
        header + "\n" + lines[0][: len(lines[0]) // 2] + "\n",  # cut short
        header.replace(f'"format": {FORMAT}', '"format": 99') + "\n" + "\n".join(lines) + "\n",
        header.replace('"sipctl": "', '"sipctl": "0.0.0-') + "\n" + "\n".join(lines) + "\n",
        header + "\n" + "\n".join(line.replace('"draft"', '"banana"') for line in lines) + "\n",
        header + "\nschools/maple\t" + "[" * 100_000 + "\n",  # nested past json's depth
        header + "\n" + "\n".join(line.replace('"draft"', '"final"') for line in lines) + "\n",
    ]
    for text in damaged[:-1]:
        whole.write_text(text)
        assert_cache_agrees(repo)
    # A file that parses but says the wrong thing is trusted, as .git itself is: the
    # cache is only as safe as the folder it is in.
    whole.write_text(damaged[-1])
    assert read_history(repo.path, cache=True).reached(MAPLE, "final") is not None
    # One from a commit git no longer has is ignored.
    whole.write_text(good.replace(repo.head(), "0" * 40))
    assert_cache_agrees(repo)


def test_a_link_or_a_pipe_where_the_cache_file_belongs_is_never_read(repo: GitRepo) -> None:
    folder = repo.path / CACHE
    folder.mkdir(parents=True)
    (folder / "whole.jsonl").symlink_to("/dev/zero")  # read whole, it would never end
    assert_cache_agrees(repo)
    assert (folder / "whole.jsonl").is_file()  # replaced by a real cache file
    (folder / "whole.jsonl").unlink()
    os.mkfifo(folder / "whole.jsonl")  # opened, it would wait for a writer forever
    assert_cache_agrees(repo)
    assert (folder / "whole.jsonl").is_file()


def test_a_cache_folder_that_cannot_be_made_only_costs_the_walk(repo: GitRepo) -> None:
    (repo.path / ".git" / "sipctl").write_text("a file where the folder would go\n")
    assert_cache_agrees(repo)
    before = git_process_count()
    assert_cache_agrees(repo)
    assert git_process_count() - before == 6  # walked from scratch both times


def test_a_worktree_shares_the_main_checkouts_cache(repo: GitRepo, tmp_path: Path) -> None:
    assert_cache_agrees(repo)
    repo.run("worktree", "add", str(tmp_path / "wt"), "-b", "wt")
    worktree = GitRepo(tmp_path / "wt")
    worktree.write(MAPLE, lever("maple", "draft"))
    worktree.commit("draft in a worktree", date="2022-04-05T09:00:00-04:00")
    assert_cache_agrees(worktree)
    assert not (tmp_path / "wt" / ".git" / "sipctl").exists()  # .git is a file there
    header = json.loads((repo.path / CACHE / "whole.jsonl").read_text().splitlines()[0])
    assert header["head"] == worktree.head()


def test_no_history_cache_option_keeps_nothing(tmp_path: Path) -> None:
    def check(*options: str, env: dict[str, str] | None = None) -> Run:
        return sipctl(*options, "check", "--repo", repo.path, "--as-of", "2022-05-01", env=env)

    repo = GitRepo.init(tmp_path / "riverbend")
    write_district(repo.path, schools=("maple", "oak"))
    repo.commit("scaffold", date="2022-04-01T09:00:00-04:00")
    repo.write(MAPLE, header("priority-levers", "maple", status="draft"))
    repo.commit("maple draft", date="2022-04-12T09:00:00-04:00")

    plain = check("--no-history-cache")
    assert not (repo.path / ".git" / "sipctl").exists()
    cold = check()
    assert (repo.path / CACHE / "whole.jsonl").is_file()
    warm = check()
    assert plain.out == cold.out == warm.out
    assert "priority-levers" in plain.out
    assert plain.code == cold.code == warm.code == 1
    (repo.path / CACHE / "whole.jsonl").unlink()
    check(env={"SIPCTL_NO_HISTORY_CACHE": "1"})
    assert not (repo.path / CACHE / "whole.jsonl").exists()


def test_a_file_name_that_is_not_utf8_is_kept_as_git_gave_it(repo: GitRepo) -> None:
    # git names files by bytes; a Latin-1 name reaches sipctl as surrogate escapes
    folder = os.fsencode(repo.path) + b"/schools/caf\xe9/2022-23"
    os.makedirs(folder)
    with open(folder + b"/priority-levers.yaml", "wb") as stream:
        stream.write(lever("cafe", "draft").encode("utf-8"))
    repo.commit("a school folder in Latin-1", date="2022-04-05T09:00:00-04:00")
    history = assert_cache_agrees(repo)
    path = os.fsdecode(b"schools/caf\xe9/2022-23/priority-levers.yaml")
    assert history.reached(path, "draft") is not None
    assert summary(read_history(repo.path, cache=True)) == summary(history)  # from the file


def test_checks_running_at_once_share_the_cache_without_harm(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "riverbend")
    write_district(repo.path, schools=("maple", "oak", "elm"))
    repo.commit("scaffold", date="2022-04-01T09:00:00-04:00")
    for day, school in enumerate(("maple", "oak", "elm"), start=10):
        path = f"schools/{school}/2022-23/priority-levers.yaml"
        repo.write(path, header("priority-levers", school, status="draft"))
        repo.commit(f"{school} draft", date=f"2022-04-{day}T09:00:00-04:00")
    args = ["check", "--repo", str(repo.path), "--as-of", "2022-05-01", "--format", "json"]
    reference = sipctl("--no-history-cache", *args)
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    for _round in ("from an empty cache", "from the cache they wrote"):
        running = [
            subprocess.Popen([SIPCTL, *args], stdout=subprocess.PIPE, env=env, text=True)
            for _ in range(4)
        ]
        outputs = [proc.communicate(timeout=120)[0] for proc in running]
        assert outputs == [reference.out] * 4
        assert [proc.returncode for proc in running] == [reference.code] * 4
    assert sorted(p.name for p in (repo.path / CACHE).iterdir()) == ["whole.jsonl"]


def _by_instant(history: History) -> dict[str, object]:
    """`summary`, with commits of equal instants in commit id order and `reached` as an
    instant: between commits on unrelated branches made in the same second, a walk from
    scratch and one from the cache may list them the other way round."""
    found = summary(history)
    changes = found["changes"]
    assert isinstance(changes, dict)
    found["changes"] = {
        path: sorted(listed, key=lambda change: (change[0].time, change[0].sha))
        for path, listed in changes.items()
    }
    reached = found["reached"]
    assert isinstance(reached, dict)
    found["reached"] = {key: None if c is None else c.time for key, c in reached.items()}
    found["edits"] = {
        path: sorted((e.commit.time, e.commit.sha, e.old_blob, e.new_blob) for e in edits)
        for path, edits in history.approved_edits.items()
    }
    return found


@pytest.mark.parametrize("seed", range(10))
def test_a_cache_made_anywhere_in_a_tangled_history_agrees_with_a_fresh_walk(
    tmp_path: Path, seed: int
) -> None:
    # Random histories (tests/randomhistory.py): merges, second roots, and commit dates
    # that go backwards, where git's OLD..NEW lists some of OLD's own history again.
    repo = random_history(tmp_path / "district", seed)
    if seed % 2 == 0:  # git's changed-path filters: a few schools are walked with a pathspec
        repo.run("commit-graph", "write", "--reachable", "--changed-paths")
    cuts = repo.run("rev-list", "--date-order", "HEAD").split()[5::7]
    schools = [f"schools/{slug}" for slug in SCHOOLS]
    many = [*schools, "schools/c", "schools/x1", "schools/x2", "schools/x3"]  # more than 8
    for under in (["schools/a"], ["schools/a", "schools/ab"], "schools", many):
        fresh = _by_instant(read_history(repo.path, under, cache=False))
        for cut in cuts:
            shutil.rmtree(repo.path / CACHE, ignore_errors=True)
            repo.run("checkout", "-q", cut)
            read_history(repo.path, under, cache=True)
            repo.run("checkout", "-q", "main")
            assert _by_instant(read_history(repo.path, under, cache=True)) == fresh, (under, cut)
