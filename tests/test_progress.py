"""Long work shows a progress bar on a terminal, and nowhere else (issue 8, point 4).

The terminal is a real pseudo-terminal (`pty`), the district a small generated one:
30 schools, more than the bar's threshold of 25.
"""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from cli import SIPCTL, sipctl

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
AS_OF = "2022-11-01"


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("progress") / "district"
    args = ["--schools", "30", "--commits", "120", "--seed", "3"]
    subprocess.run(
        [sys.executable, str(BENCHMARKS / "generate.py"), str(root), *args],
        check=True,
        capture_output=True,
    )
    return root


def on_terminal(*args: str | Path, **extra: str) -> tuple[int, str]:
    """Run sipctl with a pseudo-terminal as its stdout and stderr, outside CI unless
    `extra` says: (exit code, what the terminal showed)."""
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "GITHUB_ACTIONS", "NO_COLOR")}
    env.update(TERM="xterm-256color", COLUMNS="120", LINES="40", **extra)
    main, child = pty.openpty()
    proc = subprocess.Popen(
        [str(SIPCTL), *map(str, args)],
        stdin=subprocess.DEVNULL,
        stdout=child,
        stderr=child,
        env=env,
    )
    os.close(child)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    return proc.wait(timeout=120), b"".join(chunks).decode("utf-8", "replace")


def test_render_shows_its_pages_counted_on_a_terminal(district: Path, tmp_path: Path) -> None:
    code, output = on_terminal(
        "render", "--format", "html", "--repo", district, "--out", tmp_path, "--as-of", AS_OF
    )
    assert code == 0, output
    assert "Rendering" in output and "31/31" in output and "pages" in output
    assert f"rendered 31 pages into {tmp_path}" in output


def test_check_shows_its_schools_counted_on_a_terminal(district: Path) -> None:
    code, output = on_terminal("check", "--repo", district, "--as-of", AS_OF, "--jobs", "1")
    assert code == 1, output  # the generated district has findings
    assert "Checking" in output and "30/30" in output and "schools" in output


def test_no_bar_when_output_is_piped_or_in_ci(district: Path, tmp_path: Path) -> None:
    piped = sipctl(
        "render", "--format", "html", "--repo", district, "--out", tmp_path / "a", "--as-of", AS_OF
    )
    assert piped.code == 0 and piped.err == ""
    assert piped.out.splitlines()[0] == f"rendered 31 pages into {tmp_path / 'a'}"
    args = (
        "render",
        "--format",
        "html",
        "--repo",
        district,
        "--out",
        tmp_path / "b",
        "--as-of",
        AS_OF,
    )
    code, output = on_terminal(*args, CI="true")
    assert code == 0, output
    assert "Rendering" not in output
    assert output.splitlines()[0] == f"rendered 31 pages into {tmp_path / 'b'}"
