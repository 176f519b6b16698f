import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

GENERATE = Path(__file__).resolve().parent.parent / "benchmarks" / "generate.py"
GENERATED_SCHOOLS = 45  # above PARALLEL_MIN_SCHOOLS (40): --jobs 2 forks workers


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A district from the benchmark's generator, with a git history: 45 schools, 120
    commits. Shared by the whole run: tests read it and never change it."""
    root = tmp_path_factory.mktemp("generated") / "district"
    args = ["--schools", str(GENERATED_SCHOOLS), "--commits", "120", "--seed", "3"]
    subprocess.run(
        [sys.executable, str(GENERATE), str(root), *args], check=True, capture_output=True
    )
    return root
