"""Why sipctl reads git through its plumbing rather than GitPython: the measurement.

The product card names GitPython. sipctl instead starts `git` itself (`sipctl.git`): one
`git log --raw` walk and one `git cat-file --batch` for the blobs it needs. This script
times both ways of reading the same audit trail (every status change of every plan file
in HEAD's history) on a generated district, and the cost of importing each.

    python3 -m venv /tmp/gp && /tmp/gp/bin/pip install gitpython -e .
    /tmp/gp/bin/python benchmarks/generate.py /tmp/gpd --schools 30 --commits 3000
    /tmp/gp/bin/python benchmarks/gitpython_compare.py /tmp/gpd

GitPython is not a dependency of sipctl; install it only to run this comparison.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

STATUS = re.compile(rb"^status:\s*([a-z-]+)", re.M)


def import_seconds(module: str, runs: int = 7) -> float:
    """The median wall time of a Python that imports `module`, less one that imports nothing."""

    def median(code: str) -> float:
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True)
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    return median(f"import {module}") - median("pass")


def with_sipctl(root: Path) -> tuple[float, int]:
    """sipctl's own read: the whole district's status changes, no history cache."""
    from sipctl.git.history import read_history, use_cache

    use_cache(False)
    start = time.perf_counter()
    history = read_history(root)
    seconds = time.perf_counter() - start
    changes = sum(len(c) for _path, c in history.changes_under("schools/"))
    return seconds, changes


def with_gitpython(root: Path) -> tuple[float, int]:
    """The same with GitPython, as its documentation suggests: iterate the commits that
    touch schools/, diff each with its parents, read each new blob and its status."""
    import git

    start = time.perf_counter()
    repo = git.Repo(root)
    last: dict[str, bytes | None] = {}  # path -> its last status (None: deleted, unset)
    changes = 0
    for commit in reversed(list(repo.iter_commits("HEAD", paths="schools"))):
        parent = commit.parents[0] if commit.parents else git.NULL_TREE
        for change in commit.diff(parent, paths="schools", R=True):
            path = change.b_path or change.a_path
            if not path.endswith(".yaml"):
                continue
            status = None  # deleted
            if change.b_blob is not None:
                found = STATUS.search(change.b_blob.data_stream.read())
                status = found.group(1) if found else None
            if last.get(path, b"") != status:
                last[path] = status
                changes += 1
    return time.perf_counter() - start, changes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("district", type=Path, help="a district git repository (generate.py)")
    args = parser.parse_args()
    commits = subprocess.run(
        ["git", "-C", str(args.district), "rev-list", "--count", "HEAD"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    print(f"district: {args.district} ({commits} commits)")
    print(f"import sipctl.git.history: {import_seconds('sipctl.git.history'):.3f} s")
    print(f"import git (GitPython):    {import_seconds('git'):.3f} s")
    ours, ours_changes = with_sipctl(args.district)
    print(f"sipctl.git read_history:   {ours:.2f} s ({ours_changes} status changes)")
    theirs, their_changes = with_gitpython(args.district)
    print(f"GitPython commit walk:     {theirs:.2f} s ({their_changes} status changes)")
    print(f"GitPython / sipctl:        {theirs / ours:.1f}x")
    # The counts differ a little: sipctl also follows merges' second parents (a branch's
    # draft counts from its own commit) and files whose YAML does not parse.
    return 0


if __name__ == "__main__":
    sys.exit(main())
