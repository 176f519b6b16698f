#!/usr/bin/env python3
"""Generate a synthetic SEZP district in a new git repository, for benchmarks.

    python benchmarks/generate.py OUT [--schools 1800] [--commits 20000] [--seed 1]

OUT becomes a git repository (branch ``main``) holding what a state office keeping
every school's plan in one repository would have at the end of the 2022-23 cycle:

- ``sipctl.yaml`` and ``cycles/2022-23.yaml`` copied from ``examples/sezp-district``,
  ``schemas/`` copied from the top-level ``schemas/``;
- N schools, each with ``school.yaml`` and the thirteen SEZP documents, filled with
  content built from the example plans of Oak Hill and Maple Street (the same keys,
  list shapes and kinds of text, with other names, numbers, dates and lengths), so
  that documents are 2-20 KB like real plans;
- a history of exactly M commits: the district scaffolds every document as
  ``not-started`` on February 14, 2022, then each school moves its documents through
  ``in-progress``, ``draft`` and ``final`` across the cycle, mostly on time, some
  late, some never (missed), with edits in between. Committer dates carry the
  America/New_York offset of their day (-05:00 in winter, -04:00 in summer).

Everything is derived from the seed: the same arguments give the same commits
(the same HEAD sha). The history is written with one ``git fast-import`` stream
(every version of a document as consecutive blobs, so they delta well, then the
commits in time order with ``M`` commands naming those blobs) and the work tree
comes from one ``git reset --hard``.

The work is done by the package ``benchmarks/generator/`` (one module per job: the cycle,
text, schools, documents, versions, YAML text, history, fast-import); this script is its
command line. Needs PyYAML (to read the examples) and git; run it with the project's venv.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

from generator.build import Stats, generate
from generator.cycle import DEFAULT_COMMITS, DEFAULT_SCHOOLS

__all__ = ["Stats", "generate", "main"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Generate a synthetic SEZP district git repository for benchmarks."
    )
    parser.add_argument("out", type=Path, help="a new (or empty) folder to create")
    parser.add_argument("--schools", type=int, default=DEFAULT_SCHOOLS, metavar="N")
    parser.add_argument("--commits", type=int, default=DEFAULT_COMMITS, metavar="M")
    parser.add_argument("--seed", type=int, default=1, metavar="S")
    args = parser.parse_args(argv)
    if shutil.which("git") is None:
        parser.error("git is not on PATH")
    try:
        stats = generate(args.out, args.schools, args.commits, args.seed)
    except (FileExistsError, ValueError) as exc:
        print(f"generate.py: {exc}", file=sys.stderr)
        return 2
    summary = stats.as_dict()
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
