"""Links out of the repository, link loops, FIFOs and folders where a file belongs.

A pull request can replace any file with a symbolic link (git stores links), and a
laptop can hold a FIFO or a folder named like a plan. None of them may be read
through, block the run, or hide the other documents: each is a finding at its file.
Every run has a timeout, so a blocking read fails the test instead of hanging it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from cli import SIPCTL
from district import header
from test_hostile_yaml import CYCLE_FILE, LEVERS, OTHER, check, plant, run

PROFILE = "schools/maple/school.yaml"
# What a link out of the repository could reach: a credentials file in YAML.
SECRET = "github.com:\n  user: ada\n  oauth_token: gho_SECRET_TOKEN\n"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "hosts.yml").write_text(SECRET)
    return folder


def district(tmp_path: Path, **kwargs: object) -> Path:
    return plant(tmp_path / "district", {}, **kwargs)


def relink(path: Path, target: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
    path.symlink_to(target)


def assert_secret_kept(*outputs: str) -> None:
    for text in outputs:
        assert "gho_SECRET_TOKEN" not in text and "github.com" not in text and "oauth" not in text


# links that lead out of the repository ----------------------------------------------------
@pytest.mark.parametrize("rel", [LEVERS, PROFILE, CYCLE_FILE])
def test_a_file_linking_out_of_the_repository_is_not_read(
    tmp_path: Path, outside: Path, rel: str
) -> None:
    # school.yaml and the cycle file were read through the link before: the keys of the
    # file outside showed in the findings ("github.com: is not a field here").
    root = district(tmp_path)
    relink(root / rel, outside / "hosts.yml")
    result = check(root, "--as-of", "2022-05-01")
    assert result.code == 1
    link = result.only_error_in(rel)
    assert link["rule"] == "path-outside"
    assert link["message"] == "is a link to a file outside the district repository; it was not read"
    assert link["hint"] == "replace the link with the file itself"
    assert_secret_kept(result.out, result.err)
    result.assert_others_checked()


def test_a_school_folder_linking_out_of_the_repository_is_reported(
    tmp_path: Path, outside: Path
) -> None:
    # Was: the school silently vanished from the check, which then passed without it.
    root = district(tmp_path, schools=("maple", "oak"))
    elsewhere = plant(outside / "other-district", {}, schools=("oak",)) / "schools" / "oak"
    relink(root / "schools" / "oak", elsewhere)
    result = check(root)
    assert result.code == 1
    link = result.only_error_in("schools/oak")
    assert (link["rule"], link["school"]) == ("path-outside", "oak")
    assert link["message"] == (
        "is a link to a folder outside the district repository; nothing in it was read"
    )
    assert [f for f in result.findings if f["file"].startswith("schools/oak/")] == []
    result.assert_others_checked()
    alone = check(root, "--school", "oak")
    assert alone.code == 1
    assert [(f["rule"], f["file"]) for f in alone.findings] == [("path-outside", "schools/oak")]


def test_a_cycle_folder_linking_out_reads_none_of_its_documents(
    tmp_path: Path, outside: Path
) -> None:
    root = district(tmp_path, schools=("maple", "oak"))
    elsewhere = plant(outside / "other-district", {}, schools=("oak",))
    relink(root / "schools/oak/2022-23", elsewhere / "schools/oak/2022-23")
    result = check(root)
    assert result.code == 1
    oak = [f for f in result.findings if f["school"] == "oak" and f["severity"] == "error"]
    assert {f["rule"] for f in oak} == {"path-outside"}
    assert len(oak) == 13  # every SEZP document, each named
    result.assert_others_checked()


def test_the_district_file_linking_out_is_exit_2(tmp_path: Path, outside: Path) -> None:
    root = district(tmp_path)
    (outside / "sipctl.yaml").write_text("district: Elsewhere\ntimezone: Mars/Olympus\n")
    relink(root / "sipctl.yaml", outside / "sipctl.yaml")
    proc = run("check", "--repo", root)
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: sipctl.yaml: is a link to a file outside the district")
    assert "Mars" not in proc.stderr and "Elsewhere" not in proc.stderr


def test_a_link_that_loops_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    # Was: RuntimeError "Symlink loop" from Path.resolve, as a traceback.
    root = district(tmp_path)
    relink(root / LEVERS, root / LEVERS)
    result = check(root)
    assert result.code == 1
    loop = result.only_error_in(LEVERS)
    assert loop["rule"] == "file-unreadable"
    assert "leads back to itself" in loop["message"]
    result.assert_others_checked()


def test_a_dangling_link_is_a_finding(tmp_path: Path) -> None:
    root = district(tmp_path)
    relink(root / LEVERS, root / "schools/maple/2022-23/gone.yaml")
    result = check(root)
    assert result.code == 1
    dangling = result.only_error_in(LEVERS)
    assert (dangling["rule"], dangling["message"]) == (
        "file-unreadable",
        "cannot be read: No such file or directory",
    )
    result.assert_others_checked()


def test_a_link_inside_the_repository_is_read(tmp_path: Path) -> None:
    root = district(tmp_path)
    shared = root / "shared-levers.yaml"
    shared.write_text(header("priority-levers") + "levr: typo\n")
    relink(root / LEVERS, shared)
    result = check(root)
    assert result.code == 1
    assert result.only_error_in(LEVERS)["message"] == "levr: is not a field here"
    result.assert_others_checked()


def test_an_unknown_document_linking_out_is_not_read(tmp_path: Path, outside: Path) -> None:
    root = district(tmp_path)
    (root / "schools/maple/2022-23/notes.yaml").symlink_to(outside / "hosts.yml")
    result = check(root)
    assert result.only_error_in("schools/maple/2022-23/notes.yaml")["rule"] == "path-outside"


def test_status_reads_no_status_through_a_link_out(tmp_path: Path, outside: Path) -> None:
    root = district(tmp_path)
    (outside / "approved.yaml").write_text(header("priority-levers", status="approved"))
    relink(root / LEVERS, outside / "approved.yaml")
    proc = run("status", "--repo", root, "--format", "json", "--as-of", "2022-05-01")
    assert proc.returncode == 0
    cells = json.loads(proc.stdout)["schools"][0]["cells"]
    [levers] = [c for c in cells if c["document"] == "priority-levers"]
    assert levers["status"] != "approved"


def test_render_is_not_blocked_by_a_fifo_manifest(tmp_path: Path) -> None:
    root, out = district(tmp_path), tmp_path / "site"
    out.mkdir()
    os.mkfifo(out / ".sipctl-render.json")
    args = ["render", "--format", "html", "--out", out, "--repo", root, "--as-of", "2022-05-01"]
    try:
        proc = subprocess.run(
            [str(SIPCTL), *map(str, args)], capture_output=True, text=True, timeout=6
        )
    except subprocess.TimeoutExpired:
        pytest.fail("render blocked on the FIFO for 6 seconds")
    assert proc.returncode in (0, 2), proc.stderr


# FIFOs, devices and folders where a file belongs: never block ----------------------------
@pytest.mark.parametrize("rel", [LEVERS, PROFILE, CYCLE_FILE, "schools/maple/2022-23/notes.yaml"])
@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_fifo_or_folder_where_a_file_belongs(tmp_path: Path, rel: str, kind: str) -> None:
    root = district(tmp_path)
    path = root / rel
    path.unlink(missing_ok=True)
    if kind == "fifo":
        os.mkfifo(path)  # nobody ever writes to it: a plain open() would wait forever
    else:
        path.mkdir()
        (path / "inside.yaml").write_text("a: 1\n")
    result = check(root, "--as-of", "2022-05-01")
    assert result.code == 1
    special = result.only_error_in(rel)
    assert special["rule"] == "file-unreadable"
    assert special["message"] == "is not a regular file (a folder, pipe or device)"
    result.assert_others_checked()


def test_a_fifo_plan_blocks_no_other_command(tmp_path: Path) -> None:
    root = district(tmp_path, schools=("maple",))
    (root / LEVERS).unlink()
    os.mkfifo(root / LEVERS)
    (root / "schools/maple/2023-24").mkdir()
    os.mkfifo(root / "schools/maple/2023-24/priority-levers.yaml")
    status = run("status", "--repo", root, "--cycle", "2022-23", "--as-of", "2022-05-01")
    assert status.returncode == 0, status.stderr
    diff = run("diff", "maple", "priority-levers", "--cycle", "2022-23..2023-24", "--repo", root)
    assert diff.returncode == 0, diff.stderr
    assert "cannot be compared" in diff.stdout
    assert "is not a regular file" in diff.stdout


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_district_file_that_is_not_a_file_is_exit_2(tmp_path: Path, kind: str) -> None:
    root = district(tmp_path)
    (root / "sipctl.yaml").unlink()
    if kind == "fifo":
        os.mkfifo(root / "sipctl.yaml")
    else:
        (root / "sipctl.yaml").mkdir()
    proc = run("check", "--repo", root)
    assert proc.returncode == 2
    assert "sipctl.yaml: is not a regular file (a folder, pipe, device or broken link)" in (
        proc.stderr
    )


def test_many_broken_files_at_once_are_each_reported(tmp_path: Path, outside: Path) -> None:
    root = district(tmp_path)
    folder = root / "schools/maple/2022-23"
    relink(folder / "calendars.yaml", outside / "hosts.yml")
    (folder / "summer-plan.yaml").unlink()
    os.mkfifo(folder / "summer-plan.yaml")
    (folder / "lever-goals.yaml").write_bytes(b"\xff\xfe")
    (folder / "faculty-handbook.yaml").write_text("a: &x 1\nb: *x\n")
    result = check(root)
    assert result.code == 1
    rules = {f["document"]: f["rule"] for f in result.findings if f["severity"] == "error"}
    assert rules == {
        "calendars": "path-outside",
        "summer-plan": "file-unreadable",
        "lever-goals": "file-encoding",
        "faculty-handbook": "yaml-alias",
        "tlt-transition": "schema",  # the ordinary mistake, still found
    }
    assert [f["file"] for f in result.findings if f["document"] == "tlt-transition"] == [OTHER]


# names on the command line that would walk out of the repository -------------------------
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "--school", "../outside"], "no school '../outside'"),
        (["log", "../outside"], "no school '../outside'"),
        (["log", "maple", "--cycle", "../../.."], "school 'maple' has no cycle '../../..'"),
        (["status", "--cycle", "../../outside"], "no cycle '../../outside'"),
        (["diff", "maple", "../../../outside/hosts"], "is not a document of maple's 2022-23 plan"),
        (["diff", "maple", "--cycle", "2022-23..../outside"], "needs a school and two cycles"),
        (["check", "--changed-since", "--output={out}"], "is not a revision"),
        (["diff", "--from", "--output={out}"], "is not a git revision"),
    ],
)
def test_a_name_that_walks_out_of_the_repository_is_exit_2(
    tmp_path: Path, outside: Path, args: list[str], message: str
) -> None:
    root = district(tmp_path)
    written = tmp_path / "written"  # where `git diff --output=...` would write
    proc = run(*(a.replace("{out}", str(written)) for a in args), "--repo", root)
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: ") and message in proc.stderr
    assert_secret_kept(proc.stdout, proc.stderr)
    assert not written.exists()
