"""Long work shows a progress bar on a terminal, and nowhere else (issue 8, point 4).

The terminal is a real pseudo-terminal (`pty`), the district a small generated one
(conftest's `generated`): 45 schools, more than the bar's threshold of 25.
"""

from __future__ import annotations

import os
import pty
import subprocess
from pathlib import Path

import pytest

from cli import SIPCTL, render_args, sipctl

AS_OF = "2022-11-01"


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


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_render_shows_its_pages_counted_on_a_terminal(
    generated: Path, tmp_path: Path, jobs: str
) -> None:
    code, output = on_terminal(*render_args(generated, tmp_path, jobs))
    assert code == 0, output
    assert "Rendering" in output and "93/93" in output and "files" in output
    assert f"rendered 47 pages and 46 calendars into {tmp_path}" in output


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_check_shows_its_schools_counted_on_a_terminal(generated: Path, jobs: str) -> None:
    code, output = on_terminal("check", "--repo", generated, "--as-of", AS_OF, "--jobs", jobs)
    assert code == 1, output  # the generated district has findings
    assert "Checking" in output and "45/45" in output and "schools" in output


def test_no_bar_when_output_is_piped_or_in_ci(generated: Path, tmp_path: Path) -> None:
    piped = sipctl(*render_args(generated, tmp_path / "a"))
    assert piped.code == 0 and piped.err == ""
    assert piped.out.splitlines()[0] == f"rendered 47 pages and 46 calendars into {tmp_path / 'a'}"
    code, output = on_terminal(*render_args(generated, tmp_path / "b"), CI="true")
    assert code == 0, output
    assert "Rendering" not in output
    assert output.splitlines()[0] == f"rendered 47 pages and 46 calendars into {tmp_path / 'b'}"
