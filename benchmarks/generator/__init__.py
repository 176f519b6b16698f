"""The synthetic district that ``benchmarks/generate.py`` writes, one job per module.

- ``cycle``: the 2022-23 cycle: paths, documents, owners, deadlines, phases;
- ``vocabulary``: the word lists that names and document text are drawn from;
- ``text``: the example plans' own text, varied for another school;
- ``schools``: the schools, their principals and TLTs, and ``school.yaml``;
- ``documents``: the thirteen documents of a school, final versions;
- ``versions``: earlier versions of a document (blank, in progress, draft, revised);
- ``yamltext``: a document as YAML text, laid out like the examples;
- ``history``: when each school changes which document, grouped into commits;
- ``fastimport``: the ``git fast-import`` stream that writes blobs and commits;
- ``build``: ``generate()``, all of it into a new repository, and its figures.

The commits' dates and identities come from ``scripts/backdated.py`` (shared with the
tests and the demo), which this package puts on ``sys.path``.
"""

import sys
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent.parent.parent / "scripts"
if str(SCRIPTS) not in sys.path:
    sys.path.append(str(SCRIPTS))
