"""A school's commits found from its folder's ids (sipctl.gitsubtrees) are exactly those
`git log --full-history -- <folder>/` shows, in its order, on random histories with
merges, second roots, reverts, equal and backward dates, and a folder that becomes a
file; and the walk falls back to git's log where git's own filters are faster."""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

import pytest

from gitrepo import GitRepo, git_env
from sipctl import gitprocess, gitsubtrees
from sipctl.gitlog import LogEntry, Walk, walk_log

# Names that sort around one another: in a tree, a folder "a" sorts as "a/", between
# "a.b" and "ab".
SCHOOLS = ("a", "a-b", "a.b", "ab", "b")
FILES = ("plan.yaml", "goals.yaml", "notes.md")
# Few contents, so that a later commit often restores an earlier version exactly.
CONTENTS = ("status: draft\n", "status: final\n", "status: in-progress\n")


def random_history(path: Path, seed: int, commits: int = 60) -> GitRepo:
    """A repository of ``commits`` random commits on up to three branches, written with
    one `git fast-import` stream; every branch ends merged into main."""
    rng = random.Random(seed)
    repo = GitRepo.init(path)
    trees: dict[str, dict[str, str]] = {"main": {}}  # branch -> {path: content}
    heads: dict[str, int] = {}  # branch -> mark of its last commit
    stream: list[str] = []
    when = 1_650_000_000

    def commit(branch: str, changes: dict[str, str | None], merge: str | None = None) -> None:
        nonlocal when
        when += rng.choice((0, 60, 3600, -7200))  # equal, later, and earlier dates
        mark = max(heads.values(), default=0) + 1
        stream.append(f"commit refs/heads/{branch}\nmark :{mark}\n")
        message = f"c{mark}"
        stream.append(f"committer T <t@example.org> {when} +0000\n")
        stream.append(f"data {len(message)}\n{message}\n")
        if branch in heads:
            stream.append(f"from :{heads[branch]}\n")
        if merge is not None:
            stream.append(f"merge :{heads[merge]}\n")
        tree = trees[branch]
        for name, content in changes.items():
            # a file where a folder was, or a folder where a file was, replaces it
            for old in [p for p in tree if p == name or p.startswith(f"{name}/")]:
                stream.append(f"D {old}\n")
                del tree[old]
            for old in [p for p in tree if name.startswith(f"{p}/")]:
                stream.append(f"D {old}\n")
                del tree[old]
            if content is not None:
                data = content.encode()
                stream.append(f"M 100644 inline {name}\ndata {len(data)}\n{content}\n")
                tree[name] = content
        heads[branch] = mark

    def edits(tree: dict[str, str]) -> dict[str, str | None]:
        changes: dict[str, str | None] = {}
        for _ in range(rng.randint(1, 3)):
            if rng.random() < 0.1:  # schools/c is a folder, then a file, then a folder
                name = "schools/c" if "schools/c" not in tree else f"schools/c/{FILES[0]}"
            else:
                name = f"schools/{rng.choice(SCHOOLS)}/{rng.choice(FILES)}"
            deleted = name in tree and rng.random() < 0.2
            changes[name] = None if deleted else rng.choice(CONTENTS)
        return changes

    commit("main", {f"schools/a/{FILES[0]}": CONTENTS[0]})
    for _ in range(commits):
        branch = rng.choice(("main", "main", "side", "other"))
        if branch not in trees:
            if rng.random() < 0.3:  # a second root
                trees[branch] = {}
            else:
                trees[branch] = dict(trees["main"])
                stream.append(f"reset refs/heads/{branch}\nfrom :{heads['main']}\n")
                heads[branch] = heads["main"]
        into = rng.choice([b for b in trees if b != branch] or [branch])
        if into != branch and branch in heads and into in heads and rng.random() < 0.25:
            # a merge of `branch` into `into`: each file from either side, some edited
            ours, theirs = trees[into], trees[branch]
            changes: dict[str, str | None] = {
                name: rng.choice((ours, theirs)).get(name) for name in sorted({*ours, *theirs})
            }
            if rng.random() < 0.3:
                changes.update(edits(ours))
            commit(into, changes, merge=branch)
        else:
            commit(branch, edits(trees[branch]))
    for branch in [b for b in trees if b != "main" and b in heads]:
        commit("main", {}, merge=branch)
    stream.append("done\n")
    subprocess.run(
        ["git", "fast-import", "--quiet", "--done"],
        cwd=repo.path,
        input="".join(stream).encode(),
        env=git_env(repo.home),
        check=True,
    )
    repo.run("reset", "-q", "--hard", "main")
    return repo


def walked(repo: GitRepo, folders: list[str], range_: str, how: Walk) -> list[tuple[object, ...]]:
    entries: list[LogEntry] = walk_log(repo.path, folders, lambda _oid: None, range_, how=how)
    return [(e.path, e.commit.sha, e.old_blob, e.new_blob, e.order, e.parents) for e in entries]


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
        monkeypatch.setattr(gitsubtrees, "_SPLIT_LOOKUPS", 1)
    compared = 0
    for folders in FOLDER_SETS:
        # a range is walked with the pathspec, whatever the walk asked for
        for range_ in ("HEAD", "side", f"{middle}..HEAD"):
            if range_ == "side" and "side" not in repo.run("branch", "--list", "side"):
                continue
            expected = walked(repo, folders, range_, "pathspec")
            assert walked(repo, folders, range_, "subtrees") == expected, (folders, range_)
            compared += len(expected)
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

    assert gitsubtrees.touching_commits(repo.path, ["schools/a"], "HEAD") == [back, final, first]


def test_a_commit_graph_with_changed_path_filters_leaves_the_walk_to_git(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "district")
    repo.write("schools/a/plan.yaml", "status: draft\n")
    repo.commit("draft", date="2022-04-01T09:00:00-04:00")
    git_dir = repo.path / ".git"
    assert gitsubtrees.suits(git_dir, ["schools/a"])
    many = [f"schools/{n}" for n in range(gitsubtrees.MAX_FOLDERS + 1)]
    assert gitsubtrees.suits(git_dir, many[:-1])
    assert not gitsubtrees.suits(git_dir, many)
    assert not gitsubtrees.suits(git_dir, ["schools/a\nb"])
    repo.run("commit-graph", "write", "--reachable")  # no filters: git tests every commit
    assert gitsubtrees.suits(git_dir, ["schools/a"])
    repo.run("commit-graph", "write", "--reachable", "--changed-paths")
    assert not gitsubtrees.suits(git_dir, ["schools/a"])
    (git_dir / "objects" / "info" / "commit-graph").unlink()
    repo.run("commit-graph", "write", "--reachable", "--changed-paths", "--split")
    assert list((git_dir / "objects" / "info" / "commit-graphs").glob("*.graph"))
    assert not gitsubtrees.suits(git_dir, ["schools/a"])


def test_no_commits_to_ask_about_start_no_lookup(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "district")
    count = gitprocess.git_process_count()
    assert gitsubtrees._folder_ids(repo.path, [], ["schools/a"]) == {}
    assert gitprocess.git_process_count() == count
