"""Writes are atomic and stay inside their target, whatever happens during them.

`sipctl init` and `sipctl schema --out` write through `sipctl.writing.write_atomic`:
a temporary file in the target's folder, renamed over the target; `sipctl render`
stages its pages in a hidden folder and moves them all into place at the end
(`sipctl.writing.Staging`). These tests plant
links that would redirect a write, make the file system refuse a write half-way
(RLIMIT_FSIZE: a real EFBIG from the kernel, no mock), and press Ctrl-C at random
moments of real runs; every file left behind must be complete, and no temporary
file may remain.
"""

from __future__ import annotations

import json
import os
import random
import re
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from cli import SIPCTL, render_args, run_sipctl
from sipctl.errors import UnsafePath
from sipctl.services.schema import schema_documents
from sipctl.writing import write_atomic
from test_hostile_yaml import run
from test_init import snapshot

INIT = ["init", "maple", "--cycle", "2022-23", "--name", "Maple Elementary"]


def leftovers(folder: Path) -> list[str]:
    """Temporary files write_atomic would leave: `.<name>.<random>.tmp`, and render's
    staging folders."""
    return sorted(
        p.name for p in folder.rglob("*") if p.name.endswith(".tmp") or ".sipctl-staging" in p.name
    )


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def assert_complete(written: dict[str, bytes], reference: dict[str, bytes]) -> None:
    """Every file is whole: it parses, and it is byte for byte what a full run writes."""
    for rel, data in written.items():
        if rel.endswith(".json"):
            json.loads(data)
        elif rel.endswith((".yaml", ".yml")):
            yaml.safe_load(data.decode("utf-8"))
        assert data == reference[rel], rel


@pytest.fixture(scope="module")
def reference(
    tmp_path_factory: pytest.TempPathFactory, generated: Path
) -> dict[str, dict[str, bytes]]:
    """What uninterrupted runs write."""
    base = tmp_path_factory.mktemp("reference")
    assert run("schema", "--out", base / "schemas").returncode == 0
    (base / "district").mkdir()
    assert run(*INIT, cwd=base / "district").returncode == 0
    assert run(*render_args(generated, base / "site", jobs="1")).returncode == 0
    return {
        "schema": files(base / "schemas"),
        "init": files(base / "district"),
        "render": files(base / "site"),
    }


# a link in the target cannot redirect a write --------------------------------------------
def test_schema_out_refuses_a_link_to_outside(tmp_path: Path) -> None:
    out, outside = tmp_path / "schemas", tmp_path / "outside"
    out.mkdir()
    outside.mkdir()
    (outside / "precious.txt").write_text("keep me\n")
    (out / "calendars.schema.json").symlink_to(outside / "precious.txt")
    proc = run("schema", "--out", out)
    assert proc.returncode == 2
    assert "refusing to write" in proc.stderr and "calendars.schema.json" in proc.stderr
    assert "it is a symbolic link" in proc.stderr
    assert (outside / "precious.txt").read_text() == "keep me\n"
    assert leftovers(tmp_path) == []


def test_schema_out_that_is_a_file_is_exit_2(tmp_path: Path) -> None:
    # Was: FileExistsError as a traceback.
    (tmp_path / "schemas").write_text("not a folder\n")
    for out in ("schemas", "schemas/sub"):
        proc = run("schema", "--out", tmp_path / out)
        assert proc.returncode == 2
        assert proc.stderr.startswith(f"error: cannot write {tmp_path / out}: ")
        assert "hint: a file is in the way of a folder" in proc.stderr
    assert (tmp_path / "schemas").read_text() == "not a folder\n"


@pytest.mark.parametrize(
    "link",
    [
        "schools/maple/2022-23/priority-levers.yaml",  # a document, with --force
        ".github",  # the CI kit's folder
        "schemas",  # the editors' schemas of a new district
        "cycles",
    ],
)
def test_init_refuses_a_link_to_outside_and_writes_nothing(tmp_path: Path, link: str) -> None:
    district, outside = tmp_path / "district", tmp_path / "outside"
    (district / link).parent.mkdir(parents=True)
    outside.mkdir()
    (district / link).symlink_to(outside, target_is_directory=not link.endswith(".yaml"))
    before = snapshot(district)
    proc = run(*INIT, "--force", cwd=district)
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: refusing to write ")
    assert snapshot(district) == before
    assert list(outside.iterdir()) == []


def test_a_link_on_the_way_gets_no_folder_made_at_its_far_end(tmp_path: Path) -> None:
    # Was: write_atomic made `outside/2022-23/` before it refused the write.
    root, outside = tmp_path / "site", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / "maple").symlink_to(outside, target_is_directory=True)
    with pytest.raises(UnsafePath):
        write_atomic(root / "maple" / "2022-23" / "index.html", "<p>hi</p>\n", root=root)
    assert list(outside.iterdir()) == []


# the file system refuses a write half-way ------------------------------------------------
def _file_size_limit(limit: int) -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def limited(
    args: list[str | Path], limit: int, cwd: Path | None = None
) -> subprocess.CompletedProcess:
    """sipctl with the kernel refusing to grow any file past `limit` bytes (EFBIG)."""
    return run_sipctl(
        *args,
        cwd=cwd,
        env={"PYTHONDONTWRITEBYTECODE": "1"},
        timeout=60,
        preexec_fn=lambda: _file_size_limit(limit),
    )


def test_schema_out_that_fails_half_way_leaves_whole_files(
    tmp_path: Path, reference: dict[str, dict[str, bytes]]
) -> None:
    out = tmp_path / "schemas"
    # A limit the first two schemas (in name order) fit under and the third, calendars', not.
    size = {name: len(text.encode()) for name, text in schema_documents().items()}
    limit = max(size["action-plan.schema.json"], size["annual-renewal.schema.json"])
    assert size["calendars.schema.json"] > limit
    proc = limited(["schema", "--out", out], limit)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith(f"error: cannot write {out / 'calendars.schema.json'}: File too")
    assert "nothing was half-written" in proc.stderr
    written = files(out)
    assert sorted(written) == ["action-plan.schema.json", "annual-renewal.schema.json"]
    assert_complete(written, reference["schema"])
    assert leftovers(tmp_path) == []


def test_init_that_fails_half_way_leaves_whole_files_and_no_district_file(
    tmp_path: Path, reference: dict[str, dict[str, bytes]]
) -> None:
    made = reference["init"]
    documents = {
        rel: len(data) for rel, data in made.items() if rel.startswith("schools/maple/2022-23/")
    }
    # The CI kit is already there (kept, never rewritten), and so are the schemas and the
    # cycle file (reused): the kit's workflow and the cycle file are larger than any
    # document. The school's profile and the smaller half of the documents fit, so init
    # stops among the documents.
    district_files = ("schools/", "schemas/", "sipctl.yaml")
    kit = {rel: data for rel, data in made.items() if not rel.startswith(district_files)}
    others = [len(data) for rel, data in made.items() if rel == "schools/maple/school.yaml"]
    limit = max(max(others), sorted(documents.values())[len(documents) // 2]) + 1
    too_large = {rel for rel, size in documents.items() if size > limit}
    assert too_large and len(too_large) < len(documents)
    district = tmp_path / "district"
    assert run("schema", "--out", district / "schemas").returncode == 0  # current: not rewritten
    for rel, data in kit.items():
        (district / rel).parent.mkdir(parents=True, exist_ok=True)
        (district / rel).write_bytes(data)
    proc = limited(INIT, limit, cwd=district)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    failed = re.match(rf"error: cannot write {re.escape(str(district))}/(\S+): File too large; "
                      "nothing was half-written", proc.stderr)  # fmt: skip
    assert failed is not None and failed[1] in too_large, proc.stderr
    written = files(district)
    assert failed[1] not in written
    assert "schools/maple/2022-23/priority-levers.yaml" in written
    assert "sipctl.yaml" not in written  # written last: no half-made district
    assert_complete(written, reference["init"])
    assert leftovers(tmp_path) == []


def test_render_that_fails_half_way_writes_no_page(
    tmp_path: Path, generated: Path, reference: dict[str, dict[str, bytes]]
) -> None:
    site = reference["render"]
    big = max(site, key=lambda rel: len(site[rel]))
    out = tmp_path / "site"
    proc = limited(render_args(generated, out), len(site[big]) - 1)  # every other page fits
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith(f"error: cannot write {out / big}: File too large")
    assert not out.exists()  # the pages staged before it never reached their place
    assert leftovers(tmp_path) == []


# Ctrl-C at a random moment ---------------------------------------------------------------
RUNS = 12


def moment(rng: random.Random) -> float:
    """A delay after writing began: mostly a few milliseconds, since the writes are quick,
    sometimes long enough that the run is done and Ctrl-C meets it on its way out."""
    return 0.08 * rng.random() ** 2


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def interrupted(
    args: list[str | Path],
    cwd: Path,
    appears: Path | None,
    delay: float,
    signum: int = signal.SIGINT,
) -> int:
    """Run sipctl, wait until it has started writing (`appears` exists; None: from the
    start), wait `delay` seconds more, press Ctrl-C (or send `signum`); the exit status as
    a shell reports it."""
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    env["NO_COLOR"] = "1"
    proc = subprocess.Popen(
        [str(SIPCTL), *map(str, args)],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        # A test run started in the background of a script inherits SIGINT ignored (POSIX
        # asynchronous lists), and Python then never raises KeyboardInterrupt: Ctrl-C as
        # a terminal sends it needs the default action back.
        preexec_fn=_default_sigint,
    )
    deadline = time.monotonic() + 30
    while (
        appears is not None
        and not appears.exists()
        and proc.poll() is None
        and time.monotonic() < deadline
    ):
        time.sleep(0.0005)
    time.sleep(delay)
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=60)
    assert "Traceback" not in err, err
    # Ctrl-C just after sipctl finished its work, while Python shuts down, ends the
    # process by the signal itself: a shell shows that as 130 too (128 + SIGINT).
    return 128 - proc.returncode if proc.returncode < 0 else proc.returncode


@pytest.mark.parametrize("jobs", ["1", "2"], ids=["one-process", "workers"])
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_signal_during_render_leaves_every_page_or_none(
    tmp_path: Path,
    generated: Path,
    reference: dict[str, dict[str, bytes]],
    signum: int,
    jobs: str,
) -> None:
    # Render makes its pages for a second or two after `--out` appears, then moves them
    # into place at once: a signal in between leaves no page and no staging folder.
    rng = random.Random(20221101 + signum)
    codes: list[int] = []
    for n in range(5):
        out = tmp_path / f"run{n}" / "site"
        out.parent.mkdir()
        delay = 0.3 * rng.random() if n < 4 else 0.0  # the last: as writing begins
        codes.append(interrupted(render_args(generated, out, jobs), out.parent, out, delay, signum))
        assert codes[-1] in (0, 128 + signum)
        written = files(out)
        assert written in ({}, reference["render"]), sorted(written)
        assert written or not out.exists()  # --out is left as it was: not there
        assert leftovers(out.parent) == []
    assert 128 + signum in codes


def test_ctrl_c_while_python_shuts_down_ends_by_the_signal_without_a_traceback() -> None:
    # atexit hooks run as the interpreter shuts down, after main() has returned: the
    # same moment as a Ctrl-C that meets a finished run on its way out.
    script = (
        "import atexit, os, signal, sys, time\n"
        "atexit.register(lambda: (os.kill(os.getpid(), signal.SIGINT), time.sleep(2)))\n"
        "from sipctl.cli import main\n"
        "sys.argv = ['sipctl', '--version']\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_default_sigint,
    )
    assert done.stdout.startswith("sipctl ")
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == -signal.SIGINT


def moments(rng: random.Random) -> Iterator[tuple[bool, float]]:
    """RUNS moments counted from the first write; then, on a machine so busy that the
    writes all finished before the test saw them begin, moments counted from the
    start of the run, until one run really is cut short (or RUNS more have passed)."""
    for _ in range(RUNS):
        yield True, moment(rng)
    for n in range(RUNS):
        yield False, 0.05 * (n + 1) + 0.05 * rng.random()


def test_ctrl_c_during_schema_out_leaves_only_whole_files(
    tmp_path: Path, reference: dict[str, dict[str, bytes]]
) -> None:
    rng = random.Random(20220506)  # the same moments every run; failures reproduce
    codes: list[int] = []
    for n, (after_first_write, delay) in enumerate(moments(rng)):
        if n >= RUNS and 130 in codes:
            break
        out = tmp_path / f"run{n}" / "schemas"
        out.parent.mkdir()
        appears = out if after_first_write else None
        codes.append(interrupted(["schema", "--out", out], out.parent, appears, delay))
        assert codes[-1] in (0, 130)
        assert_complete(files(out), reference["schema"])
        assert leftovers(out.parent) == []
    assert 130 in codes  # at least some runs really were cut short


def test_ctrl_c_during_init_leaves_only_whole_files(
    tmp_path: Path, reference: dict[str, dict[str, bytes]]
) -> None:
    rng = random.Random(20220527)
    codes: list[int] = []
    for n, (after_first_write, delay) in enumerate(moments(rng)):
        if n >= RUNS and 130 in codes:
            break
        district = tmp_path / f"run{n}"
        district.mkdir()
        appears = district / "schemas" if after_first_write else None
        codes.append(interrupted(INIT, district, appears, delay))
        assert codes[-1] in (0, 130)
        written = files(district)
        assert_complete(written, reference["init"])
        assert leftovers(district) == []
        if "sipctl.yaml" in written:  # the district file is the last one written
            assert sorted(written) == sorted(reference["init"])
    assert 130 in codes
