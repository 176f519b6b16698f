"""A school's commits found from its folder's ids (sipctl.git.subtrees) are exactly those
`git log --full-history -- <folder>/` shows, in its order, on random histories with
merges, second roots, reverts, equal and backward dates, and a folder that becomes a
file; so are the changes of a walk of every commit kept to the folders; and the walk
falls back to git's log where git's own filters are faster."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitrepo import GitRepo
from randomhistory import SCHOOLS, random_history
from sipctl.git import process, subtrees
from sipctl.git.log_walk import LogEntry, Walk, walk_log


def walked(
    repo: GitRepo, folders: list[str], range_: str, how: Walk, *, ranked: bool = False
) -> list[tuple[object, ...]]:
    """The walk's entries; with ``ranked``, each commit's order as its rank among the
    entries' commits (a walk of every commit numbers the commits that touch nothing)."""
    entries: list[LogEntry] = walk_log(repo.path, folders, lambda _oid: None, range_, how=how)
    rank = {order: n for n, order in enumerate(sorted({e.order for e in entries}))}
    return [
        (
            e.path,
            e.commit.sha,
            e.old_blob,
            e.new_blob,
            rank[e.order] if ranked else e.order,
            e.parents,
        )
        for e in entries
    ]


FOLDER_SETS = [[f"schools/{s}"] for s in (*SCHOOLS, "c")] + [
    ["schools/a", "schools/ab"],
    ["schools/a-b", "schools/c"],
    [f"schools/{s}" for s in SCHOOLS],
    ["schools/missing"],
]


@pytest.mark.parametrize("seed", range(10))
def test_the_folders_ids_find_the_commits_git_log_shows(
    tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = random_history(tmp_path / "district", seed)
    merges = repo.run("rev-list", "--merges", "--count", "HEAD").strip()
    roots = repo.run("rev-list", "--max-parents=0", "HEAD").split()
    assert int(merges) >= 3 and len(roots) >= 1  # the histories do have merges
    middle = repo.run("rev-list", "--date-order", "HEAD").split()[30]
    if seed % 2:  # the lookups split between two cat-file processes
        monkeypatch.setattr(subtrees, "_SPLIT_LOOKUPS", 1)
    heads = ["HEAD", "side"] if repo.run("branch", "--list", "side") else ["HEAD"]
    compared = 0
    for folders in FOLDER_SETS:
        for range_ in heads:
            expected = walked(repo, folders, range_, "pathspec")
            assert walked(repo, folders, range_, "subtrees") == expected, (folders, range_)
            relative = walked(repo, folders, range_, "relative", ranked=True)
            assert relative == walked(repo, folders, range_, "pathspec", ranked=True)
            compared += len(expected)
        # A range is walked in full (relative): its merges keep their diffs against
        # parents outside the range, which git's pathspec test would leave out.
        since = f"{middle}..HEAD"
        relative = walked(repo, folders, since, "relative")
        assert walked(repo, folders, since, "subtrees") == relative, folders
    assert compared > 100


def test_a_change_that_a_later_commit_reverts_is_found(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "district")
    repo.write("schools/a/plan.yaml", "status: draft\n")
    first = repo.commit("draft", date="2022-04-01T09:00:00-04:00")
    repo.write("schools/a/plan.yaml", "status: final\n")
    final = repo.commit("final", date="2022-04-02T09:00:00-04:00")
    repo.write("schools/a/plan.yaml", "status: draft\n")
    back = repo.commit("back to draft", date="2022-04-03T09:00:00-04:00")
    repo.write("schools/b/plan.yaml", "status: draft\n")
    repo.commit("another school", date="2022-04-04T09:00:00-04:00")

    assert subtrees.touching_commits(repo.path, ["schools/a"], "HEAD") == [back, final, first]


def test_a_commit_graph_with_changed_path_filters_leaves_the_walk_to_git(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "district")
    repo.write("schools/a/plan.yaml", "status: draft\n")
    repo.commit("draft", date="2022-04-01T09:00:00-04:00")
    git_dir = repo.path / ".git"
    assert subtrees.suits(git_dir, ["schools/a"])
    many = [f"schools/{n}" for n in range(subtrees.MAX_FOLDERS + 1)]
    assert subtrees.suits(git_dir, many[:-1])
    assert not subtrees.suits(git_dir, many)
    assert not subtrees.suits(git_dir, ["schools/a\nb"])
    repo.run("commit-graph", "write", "--reachable")  # no filters: git tests every commit
    assert subtrees.suits(git_dir, ["schools/a"])
    repo.run("commit-graph", "write", "--reachable", "--changed-paths")
    assert not subtrees.suits(git_dir, ["schools/a"])
    (git_dir / "objects" / "info" / "commit-graph").unlink()
    repo.run("commit-graph", "write", "--reachable", "--changed-paths", "--split")
    assert list((git_dir / "objects" / "info" / "commit-graphs").glob("*.graph"))
    assert not subtrees.suits(git_dir, ["schools/a"])


def test_no_commits_to_ask_about_start_no_lookup(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "district")
    count = process.git_process_count()
    assert subtrees._folder_ids(repo.path, [], ["schools/a"]) == {}
    assert process.git_process_count() == count
