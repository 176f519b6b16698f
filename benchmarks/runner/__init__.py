"""The measurements of ``benchmarks/run.py``, one job per module.

- ``processes``: the tools, the clean environment, running and timing one process;
- ``measure``: what one measurement runs (``Spec``), what it found (``Result``), and the
  rounds that interleave them;
- ``specs``: every measurement of the benchmark, as specs;
- ``gitops``: git in the measured district (a pull request's commit, the history cache);
- ``machine``: the machine, the sipctl source and the district measured;
- ``ratios``: the ratios of issue 8 and their targets;
- ``report``: the table printed at the end;
- ``session``: one whole run, from the specs to the JSON's data.

``gitops`` writes its commit with ``scripts/backdated.py`` (shared with the tests, the
demo and the generator), which this package puts on ``sys.path``.
"""

import sys
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent.parent.parent / "scripts"
if str(SCRIPTS) not in sys.path:
    sys.path.append(str(SCRIPTS))
