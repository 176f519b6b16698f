"""Random git histories for tests that compare two ways of reading them: merges, second
roots, reverts (few distinct contents), equal and backward commit dates, and a folder
that becomes a file; written with one `git fast-import` stream."""

from __future__ import annotations

import random
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from gitrepo import GitRepo, git_env, ident

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
        moment = datetime.fromtimestamp(when, UTC)
        stream.append(f"committer {ident('T', 't@example.org', moment)}\n")
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
