"""Render is all or nothing (issue 26, family 7): a signal at any moment of a real
`render` over an existing site leaves the old site or the new one, never a mix.

The old site is a real render of conftest's generated district (45 schools, so that
`--jobs 2` forks workers) as of an earlier day, with a file render did not write beside
its pages (the kit's workflow adds the editor at `site/admin/`); the new one is what an
uninterrupted render as of a later day makes of it: every page changes. Each run starts
from a fresh copy of the old site and its manifest (kept beside --out:
`--no-history-cache`), is stopped at a moment spread over the run's measured length,
and the folder must then hold exactly the old files or exactly the new ones, byte for
byte, and nothing else (no staging folder). SIGKILL cannot be held: "reading" then
means after the next render's recovery, which finishes the killed run's moves.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from cli import SIPCTL, run_sipctl
from sipctl.writing import finish_interrupted
from test_hostile_writes import _default_sigint, files, interrupted

OLD, NEW = "2022-06-01", "2022-11-01"


def args(repo: Path, out: Path, as_of: str, jobs: str) -> list[str | Path]:
    return [
        *("--no-history-cache", "render", "--format", "html", "--repo", repo, "--out", out),
        *("--as-of", as_of, "--jobs", jobs),
    ]


@dataclass
class Sites:
    old: Path  # the folder holding `site` and its manifest `.site.sipctl-render.json`
    old_files: dict[str, bytes]
    new_files: dict[str, bytes]
    seconds: float  # how long an uninterrupted render over the old site takes

    def fresh(self, run: Path) -> Path:
        """A copy of the old site at `run/site`, with its manifest: render's own pages."""
        shutil.copytree(self.old / "site", run / "site", symlinks=True)
        manifest = json.loads((self.old / ".site.sipctl-render.json").read_text())
        manifest["out"] = str((run / "site").resolve())
        (run / ".site.sipctl-render.json").write_text(json.dumps(manifest))
        return run / "site"


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory, generated: Path) -> Sites:
    base = tmp_path_factory.mktemp("render-signals")
    old = base / "old" / "site"
    done = run_sipctl(*args(generated, old, OLD, "1"), timeout=120)
    assert done.returncode == 0, done.stderr
    (old / "admin").mkdir()
    (old / "admin" / "index.html").write_text("<p>the editor, not render's</p>\n")
    sites = Sites(base / "old", files(old), {}, 0.0)
    new = sites.fresh(base / "new")
    start = time.monotonic()
    done = run_sipctl(*args(generated, new, NEW, "1"), timeout=120)
    sites.seconds = time.monotonic() - start
    assert done.returncode == 0, done.stderr
    sites.new_files = files(new)
    changed = [rel for rel in sites.old_files if sites.old_files[rel] != sites.new_files[rel]]
    # every page of the cycle differs (the home page, the editor's file and the calendars of
    # schools with nothing new between the two moments do not)
    pages = [rel for rel in sites.old_files if rel.startswith("2022-23/")]
    assert sorted(rel for rel in changed if rel.startswith("2022-23/")) == sorted(pages)
    assert len(pages) == 46
    return sites


def assert_old_or_new(out: Path, sites: Sites) -> str:
    """`out` holds exactly the old site or exactly the new one: which."""
    now = files(out)
    if now == sites.old_files:
        return "old"
    mixed = sorted(rel for rel in now if now[rel] != sites.new_files.get(rel))
    assert now == sites.new_files, f"a mix: {len(mixed)} files not new: {mixed[:5]}"
    return "new"


def signalled_while_moving(cmd: list[str | Path], out: Path, signum: int) -> int:
    """Start render, watch its pages, and send `signum` as soon as the first old page has
    been replaced: in the middle of the moves. The exit status as a shell shows it."""
    proc = subprocess.Popen(
        [str(SIPCTL), *map(str, cmd)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_default_sigint,
    )
    folder = out / "2022-23"
    before = {entry.name: entry.inode() for entry in os.scandir(folder)}
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        if {entry.name: entry.inode() for entry in os.scandir(folder)} != before:
            proc.send_signal(signum)
            break
        time.sleep(0.0002)
    _, err = proc.communicate(timeout=60)
    assert "Traceback" not in err, err
    return 128 - proc.returncode if proc.returncode < 0 else proc.returncode


@pytest.mark.parametrize("jobs", ["1", "2"], ids=["one-process", "workers"])
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_signal_at_any_moment_of_render_leaves_the_old_site_or_the_new(
    tmp_path: Path, generated: Path, sites: Sites, signum: int, jobs: str
) -> None:
    # Moments spread over the whole run (starting, reading history, making the pages,
    # in workers with --jobs 2), then one in the middle of the moves into place.
    points = 3
    seen: dict[str, int] = {}
    for n in range(points + 1):
        out = sites.fresh(tmp_path / f"run{n}")
        cmd = args(generated, out, NEW, jobs)
        if n < points:
            delay = sites.seconds * (n + 0.5) / points
            code = interrupted(cmd, out.parent, None, delay, signum)
        else:
            code = signalled_while_moving(cmd, out, signum)
        assert code in (0, 128 + signum)
        which = assert_old_or_new(out, sites)
        assert which == "new" or code == 128 + signum  # the old site only if stopped
        seen[which] = seen.get(which, 0) + 1
    assert seen.get("old")  # some runs really were cut short


@pytest.mark.parametrize("jobs", ["1", "2"], ids=["one-process", "workers"])
def test_a_render_killed_outright_is_old_or_new_once_the_next_run_recovers(
    tmp_path: Path, generated: Path, sites: Sites, jobs: str
) -> None:
    for n, how in enumerate(["while moving", "making pages"]):
        out = sites.fresh(tmp_path / f"run{n}")
        cmd = args(generated, out, NEW, jobs)
        if how == "while moving":
            assert signalled_while_moving(cmd, out, signal.SIGKILL) == 128 + signal.SIGKILL
        else:
            proc = subprocess.Popen([str(SIPCTL), *map(str, cmd)], stdout=subprocess.DEVNULL)
            time.sleep(sites.seconds * 0.6)
            proc.kill()
            proc.wait(timeout=60)
        # What a reader sees once the next sipctl render has recovered: on a copy, since
        # the run below recovers the folder itself.
        copy = tmp_path / f"copy{n}" / "site"
        shutil.copytree(out, copy, symlinks=True)
        finish_interrupted(copy)
        assert_old_or_new(copy, sites)
        # The next run finishes the killed one's moves or drops its folder, then renders.
        done = run_sipctl(*cmd, timeout=120)
        assert done.returncode == 0, done.stderr
        assert assert_old_or_new(out, sites) == "new"
