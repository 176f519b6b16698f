"""History is the history git has: replace refs and grafts never rewrite the record, a
renamed school folder keeps its submissions, and a partial clone's missing objects are a
clear error, never a fetch.

Each test builds the repository for real, with scripted commit dates, and runs the
installed sipctl. docs/security.md lists these cases (family 2).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from district import CYCLE, header
from gitrepo import GitRepo
from test_hostile_yaml import LEVERS, check, run, write_district

START = "2022-04-01T10:00:00-04:00"
FORGED = "2022-05-02T10:00:00-04:00"  # what the rewrite claims: before the deadline
LATE = "2022-05-09T10:00:00-04:00"  # the levers draft was due Friday May 6, 4pm
AS_OF = "2022-05-10"
FRESH = {"SIPCTL_NO_HISTORY_CACHE": "1"}
DEADLINES = CYCLE + 'documents:\n  priority-levers: {draft_due: "2022-05-06T16:00"}\n'


def late_draft(tmp_path: Path) -> tuple[GitRepo, str, str]:
    """Every document not started, then the levers draft, three days late."""
    repo = GitRepo.init(tmp_path / "district")
    write_district(repo.path, {"cycles/2022-23.yaml": DEADLINES})
    start = repo.commit("Start planning", date=START)
    repo.write(LEVERS, header("priority-levers", status="draft"))
    late = repo.commit("Levers draft", date=LATE)
    return repo, start, late


def commit_tree(repo: GitRepo, tree: str, parents: list[str], date: str) -> str:
    """A commit object of `tree` dated `date`, on no branch."""
    env = repo._dated_env(date, "Mallory <mallory@example.org>")
    args = ["git", "commit-tree", tree, *(a for p in parents for a in ("-p", p)), "-m", "Draft"]
    done = subprocess.run(args, cwd=repo.path, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def deadline_findings(
    repo: GitRepo, *args: str, env: dict[str, str] | None = None, as_of: str = AS_OF
) -> list[tuple[str, str | None, str | None]]:
    found = check(repo.path, "--as-of", as_of, *args, env=env)
    assert found.code in (0, 1), found.err
    return sorted(
        (f["rule"], f["severity"], f.get("submitted"))
        for f in found.findings
        if f["rule"].startswith(("deadline", "history"))
    )


LATE_AND_NOTED = [
    ("deadline-late", "warning", "2022-05-09 10:00 -04:00"),
    ("history-replaced", "info", None),
]


def assert_judged_from_the_record(repo: GitRepo, late: str, start: str) -> None:
    """check (the history cache's first fill, its reuse, a walk without it, and one
    school's walk), log, diff --from and render all give the recorded commit's time."""
    for args in ((), (), ("--school", "maple")):
        assert deadline_findings(repo, *args) == LATE_AND_NOTED, args
    assert (repo.path / ".git/sipctl/history").is_dir()  # the cache was used
    fresh = deadline_findings(repo, env={"SIPCTL_NO_HISTORY_CACHE": "1"})
    assert fresh == LATE_AND_NOTED
    log = run("log", "maple", "priority-levers", "--repo", repo.path, "--format", "json")
    assert log.returncode == 0, log.stderr
    drafts = [
        (e["commit"], e["time"], e["verdict"])
        for e in json.loads(log.stdout)["events"]
        if e["to"] == "draft"
    ]
    assert drafts == [(late, "2022-05-09T10:00:00-04:00", "late")], log.stdout
    diff = run("diff", "--from", start, "--to", late, "--repo", repo.path, "--format", "json")
    assert diff.returncode == 0, diff.stderr
    to = json.loads(diff.stdout)["to"]
    assert (to["commit"], to["time"]) == (late, "2022-05-09T10:00:00-04:00"), diff.stdout
    out = repo.home / "site"
    render = run("render", "--repo", repo.path, "--format", "md", "--out", out, "--as-of", AS_OF)
    assert render.returncode == 0, render.stderr
    page = (out / "2022-23/maple.md").read_text()
    assert "| May 9, 2022, 10:00 am EDT | ⚠️ late by 2 days 18 hours |" in page
    assert "May 2, 2022" not in page


def test_a_replaced_late_draft_is_still_late_with_a_note(tmp_path: Path) -> None:
    repo, start, late = late_draft(tmp_path)
    tree = repo.run("rev-parse", f"{late}^{{tree}}").strip()
    forged = commit_tree(repo, tree, [start], FORGED)
    repo.run("replace", late, forged)
    # plain git now shows the forged time for the late commit
    assert repo.run("log", "-1", "--format=%cI", late).strip() == "2022-05-02T10:00:00-04:00"
    assert_judged_from_the_record(repo, late, start)


def test_a_graft_that_adds_an_on_time_parent_changes_nothing(tmp_path: Path) -> None:
    repo, start, late = late_draft(tmp_path)
    tree = repo.run("rev-parse", f"{late}^{{tree}}").strip()
    forged = commit_tree(repo, tree, [start], FORGED)  # the draft, "on time", on no branch
    (repo.path / ".git/info/grafts").write_text(f"{late} {forged}\n")
    assert forged in repo.run("log", "--format=%H")  # plain git walks through the graft
    assert_judged_from_the_record(repo, late, start)


def partial_clone(source: GitRepo, dest: Path, contacted: Path) -> GitRepo:
    """`git clone --filter=blob:none` of `source`: HEAD's files, no older version of
    any. Whoever asks the server for one runs `upload-pack` through a program that
    first writes to `contacted`."""
    source.run("config", "uploadpack.allowFilter", "true")
    clone = GitRepo.clone(source, dest, "--filter=blob:none")
    spy = dest.parent / f"{dest.name}-upload-pack"
    spy.write_text(f'#!/bin/sh\necho "$*" >> "{contacted}"\nexec git-upload-pack "$@"\n')
    spy.chmod(0o755)
    clone.run("config", "remote.origin.uploadpack", str(spy))
    return clone


def test_a_partial_clone_is_a_clear_error_and_never_fetches(tmp_path: Path) -> None:
    source, start, _late = late_draft(tmp_path)
    contacted = tmp_path / "contacted"
    old_levers = source.run("rev-parse", f"{start}:{LEVERS}").strip()
    # plain git in such a clone fetches a missing version from the server
    armed = partial_clone(source, tmp_path / "armed", contacted)
    assert armed.run("cat-file", "-p", old_levers) == header("priority-levers")
    assert contacted.exists()
    contacted.unlink()

    clone = partial_clone(source, tmp_path / "clone", contacted)
    reads = {
        "check": ("check", "--as-of", AS_OF),
        "check one school": ("check", "--as-of", AS_OF, "--school", "maple"),
        "status": ("status", "--as-of", AS_OF),
        "log": ("log", "maple"),
        "diff SCHOOL DOC": ("diff", "maple", "priority-levers"),
        "diff --from": ("diff", "--from", start),
        "render": ("render", "--format", "md", "--out", tmp_path / "site", "--as-of", AS_OF),
    }
    for read, args in reads.items():
        proc = run(*args, "--repo", clone.path)
        assert proc.returncode == 2, (read, proc.stdout, proc.stderr)
        message = " ".join(proc.stderr.split())
        assert "is a partial clone (made with `--filter`)" in message, (read, proc.stderr)
        assert "clone the repository again without --filter" in message, (read, proc.stderr)
        assert "fatal" not in message and "promisor" not in message, (read, proc.stderr)
        assert not contacted.exists(), f"{read} asked the server"
    assert not (tmp_path / "site").exists()
    # and the clone still lacks the version: nothing was fetched behind sipctl's back
    missing = clone.run("rev-list", "--objects", "--missing=print", "HEAD")
    assert f"?{old_levers}" in missing.split()


ON_TIME = "2022-05-02T10:00:00-04:00"
RENAMED = "2022-05-20T10:00:00-04:00"  # two weeks after the deadline
AFTER = "2022-06-01"


def rename_school(repo: GitRepo, old: str, new: str, date: str) -> str:
    """`git mv schools/OLD schools/NEW`, with each document's `school:` line mended."""
    repo.run("mv", f"schools/{old}", f"schools/{new}")
    for plan in sorted((repo.path / "schools" / new).rglob("*.yaml")):
        text = plan.read_text().replace(f"school: {old}\n", f"school: {new}\n")
        plan.write_text(text)
    return repo.commit(f"Rename {old} to {new}", date=date)


def test_a_school_folder_renamed_after_its_draft_keeps_the_submission(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "district")
    mapel = LEVERS.replace("/maple/", "/mapel/")
    write_district(repo.path, {"cycles/2022-23.yaml": DEADLINES}, schools=("mapel",))
    start = repo.commit("Start planning", date=START)
    repo.write(mapel, header("priority-levers", school="mapel", status="draft"))
    on_time = repo.commit("Levers draft", date=ON_TIME)
    rename_school(repo, "mapel", "maple", RENAMED)
    # git itself sees the file appear at the rename
    assert repo.run("log", "--format=%H", "--no-renames", "--diff-filter=A", "--", LEVERS)

    for args, env in (((), None), ((), None), (("--school", "maple"), None), ((), FRESH)):
        assert deadline_findings(repo, *args, env=env, as_of=AFTER) == [], args
    log = run("log", "maple", "priority-levers", "--repo", repo.path, "--format", "json")
    assert log.returncode == 0, log.stderr
    events = [
        (e["commit"], e["from"], e["to"], e["verdict"]) for e in json.loads(log.stdout)["events"]
    ]
    assert events == [
        (start, None, "not-started", None),
        (on_time, "not-started", "draft", "on time"),
    ], log.stdout  # and nothing at the rename: the status did not change
    out = tmp_path / "site"
    render = run("render", "--repo", repo.path, "--format", "md", "--out", out, "--as-of", AFTER)
    assert render.returncode == 0, render.stderr
    page = (out / "2022-23/maple.md").read_text()
    assert "| May 2, 2022, 10:00 am EDT | ✅ on time |" in page
    assert "late" not in page


def test_two_folders_merged_into_one_leave_the_deadline_unjudged_with_a_note(
    tmp_path: Path,
) -> None:
    """mapel and maple-annex both had a levers draft; one commit folds both into maple.
    Which draft the new file continues cannot be told: no deadline-late, a note."""
    repo = GitRepo.init(tmp_path / "district")
    schools = ("mapel", "maple-annex")
    write_district(repo.path, {"cycles/2022-23.yaml": DEADLINES}, schools=schools)
    repo.commit("Start planning", date=START)
    for slug in schools:
        repo.write(
            LEVERS.replace("/maple/", f"/{slug}/"), header("priority-levers", slug, status="draft")
        )
    repo.commit("Levers drafts", date=ON_TIME)
    repo.run("mv", "schools/mapel", "schools/maple")
    for plan in sorted((repo.path / "schools/maple").rglob("*.yaml")):
        plan.write_text(plan.read_text().replace("school: mapel\n", "school: maple\n"))
    repo.run("rm", "-r", "-q", "schools/maple-annex")
    merged = repo.commit("Fold the annex into Maple", date=RENAMED)

    for args, env in (((), None), ((), None), (("--school", "maple"), None), ((), FRESH)):
        found = check(repo.path, "--as-of", AFTER, *args, env=env)
        assert found.code in (0, 1), found.err
        about_levers = [
            (f["rule"], f["severity"], f["stage"], f.get("commit"))
            for f in found.findings
            if f["file"] == LEVERS and f["rule"].startswith(("deadline", "history"))
        ]
        assert about_levers == [("history-renamed", "info", "draft", merged)], args
