"""docs/diff.md teaches by example: its sample is what sipctl prints on the demo district."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from cli import sipctl

REPO = Path(__file__).resolve().parents[1]


def test_the_text_sample_is_real_output(tmp_path: Path) -> None:
    page = (REPO / "docs" / "diff.md").read_text(encoding="utf-8")
    command = re.search(r"```sh\n(sipctl diff [^\n]+--repo demo)\n```", page)
    sample = re.search(r"```text\n(.*?)\n```", page, flags=re.S)
    assert command is not None and sample is not None
    demo = tmp_path / "demo"
    subprocess.run(
        [sys.executable, str(REPO / "scripts" / "build_demo.py"), str(demo), "--force"],
        check=True,
        capture_output=True,
    )
    args = command.group(1).split()[1:]
    run = sipctl(*args[:-1], demo)
    assert run.code == 0, run.err

    # Commit ids change whenever the example content does; everything else must match.
    def without_shas(text: str) -> str:
        return re.sub(r"\b[0-9a-f]{10}\b", "<sha>", text)

    assert without_shas(run.out.rstrip("\n")) == without_shas(sample.group(1))
