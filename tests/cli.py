"""Run the installed `sipctl` as a subprocess, the way users and CI do."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SIPCTL = Path(sys.executable).with_name("sipctl")


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


def run_sipctl(
    *args: str | Path,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 120,
    preexec_fn: Callable[[], None] | None = None,
) -> subprocess.CompletedProcess[str]:
    """The installed sipctl, uncoloured and wide, outside GitHub Actions unless `env` says;
    `preexec_fn` runs in the child before sipctl starts (a resource limit, say)."""
    full_env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    full_env.update({"NO_COLOR": "1", "COLUMNS": "200", "TERM": "dumb"})
    full_env.update(env or {})
    return subprocess.run(
        [str(SIPCTL), *map(str, args)],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=preexec_fn,
        check=False,
    )


def sipctl(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    proc = run_sipctl(*args, cwd=cwd, env=env)
    return Run(proc.returncode, proc.stdout, proc.stderr)


def render_args(repo: Path, out: Path, jobs: str = "2") -> list[str | Path]:
    """`sipctl render` of conftest's generated district into `out`, as of 2022-11-01; with
    --jobs 2, worker processes make its pages."""
    return [
        *("render", "--format", "html", "--repo", repo, "--out", out),
        *("--as-of", "2022-11-01", "--jobs", jobs),
    ]
