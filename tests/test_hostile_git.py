"""Repositories in odd states and history written by someone else.

An empty repository, a detached HEAD and a locked index are what CI runners and
principals' laptops really have; commit authors, subjects and dates are whatever
their makers typed (or forged with `git hash-object --literally`); and a git hook or
a caller may set GIT_DIR. check, log and diff must give their findings or a clear
exit 2, and never a traceback, a wrong repository or an escape sequence.
"""

from __future__ import annotations

import json
import os
import subprocess
import tracemalloc
from pathlib import Path

from district import CYCLE, header
from gitrepo import GitRepo
from sipctl.git.history import UNDATED, read_history
from test_hostile_yaml import CALENDARS, LEVERS, OTHER, check, plant, run

START = "2022-04-01T10:00:00-04:00"
ON_TIME = "2022-05-02T10:00:00-04:00"  # the levers draft is due Friday May 6, 4pm
AS_OF = "2022-05-10"
HOSTILE_AUTHOR = "Eve \x1b]0;owned\x07 [/bold][link=https://evil.example]x[/link] <eve@example.org>"
SIGNER = "Zoë Principal <zoe@example.org>"
HOSTILE_SUBJECT = "Draft \x1b[2J\x1b[31mRED ::error file=README.md::forged"
DEADLINES = (
    CYCLE
    + "documents:\n"
    + "".join(
        f'  {doc}: {{draft_due: "2022-05-06T16:00"}}\n'
        for doc in ("priority-levers", "working-conditions", "calendars")
    )
)


def district_repo(
    tmp_path: Path, *, draft_author: str = "Ada Principal <ada@example.org>"
) -> GitRepo:
    """Two commits: every document not started, then the levers draft, on time."""
    repo = GitRepo.init(tmp_path / "district")
    plant(repo.path, {"cycles/2022-23.yaml": DEADLINES})
    repo.remove(OTHER)
    repo.write(OTHER, header("tlt-transition"))
    repo.commit("Start planning", date=START)
    repo.write(LEVERS, header("priority-levers", status="draft"))
    repo.commit(HOSTILE_SUBJECT, date=ON_TIME, author=draft_author)
    repo.write(OTHER, header("tlt-transition") + "colour: blue\n")  # uncommitted mistake
    return repo


def deadline_rules(findings: list[dict], document: str) -> list[tuple[str, str]]:
    return [
        (f["rule"], f["stage"])
        for f in findings
        if f["document"] == document and f["rule"].startswith("deadline")
    ]


def forge_commit(repo: GitRepo, date: str, message: str) -> str:
    """Commit the work tree with a raw committer/author date git itself would not write."""
    repo.run("add", "-A")
    tree = repo.run("write-tree").strip()
    parent = repo.head()
    ident = f"Mallory <mallory@example.org> {date}"
    raw = f"tree {tree}\nparent {parent}\nauthor {ident}\ncommitter {ident}\n\n{message}\n"
    sha = subprocess.run(
        ["git", "hash-object", "-t", "commit", "-w", "--stdin", "--literally"],
        cwd=repo.path,
        input=raw,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    repo.run("update-ref", "HEAD", sha)
    return sha


# an empty repository --------------------------------------------------------------------
def test_an_empty_repository_with_no_commits(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "district")
    plant(repo.path, {"cycles/2022-23.yaml": DEADLINES})
    result = check(repo.path, "--as-of", AS_OF)
    assert result.code == 1
    assert "no commits yet" in json.loads(result.out)["notes"][0]
    assert ("deadline-missed", "draft") in deadline_rules(result.findings, "priority-levers")
    result.assert_others_checked()
    for command, message in (
        (["log", "maple"], "no audit trail: the repository has no commits yet"),
        (["diff", "maple", "priority-levers"], "the repository has no commits yet"),
        (["diff", "--from", "HEAD"], "git does not know the revision 'HEAD'"),
        (["check", "--changed-since", "HEAD"], "git does not know this revision"),
    ):
        proc = run(*command, "--repo", repo.path)
        assert proc.returncode == 2, command
        assert proc.stderr.startswith("error: ") and message in proc.stderr


# a detached HEAD and a locked index -----------------------------------------------------
def test_a_detached_head_is_history_like_any_other(tmp_path: Path) -> None:
    repo = district_repo(tmp_path)
    repo.run("checkout", "-q", "--detach", "HEAD")
    result = check(repo.path, "--as-of", AS_OF)
    assert result.code == 1
    assert deadline_rules(result.findings, "priority-levers") == []  # the draft was on time
    assert ("deadline-missed", "draft") in deadline_rules(result.findings, "working-conditions")
    result.assert_others_checked()
    log = run("log", "maple", "--repo", repo.path, "--format", "json")
    assert log.returncode == 0
    [event] = [e for e in json.loads(log.stdout)["events"] if e["to"] == "draft"]
    assert (event["file"], event["verdict"]) == (LEVERS, "on time")
    assert run("diff", "maple", "priority-levers", "--repo", repo.path).returncode == 0


def test_a_locked_index_neither_blocks_nor_is_touched(tmp_path: Path) -> None:
    repo = district_repo(tmp_path)
    lock = repo.path / ".git" / "index.lock"
    lock.write_text("another git is running\n")
    result = check(repo.path, "--as-of", AS_OF)
    assert result.code == 1
    assert deadline_rules(result.findings, "priority-levers") == []
    result.assert_others_checked()
    changed = check(repo.path, "--changed-since", "HEAD~1")
    assert changed.code == 1
    changed.assert_others_checked()
    for command in (
        ["log", "maple"],
        ["diff", "maple", "priority-levers"],
        ["diff", "--from", "HEAD~1"],
    ):
        proc = run(*command, "--repo", repo.path)
        assert proc.returncode == 0, (command, proc.stderr)
    assert lock.read_text() == "another git is running\n"


# hostile authors, subjects and dates ------------------------------------------------------
def test_control_characters_in_authors_and_subjects_never_reach_the_output(
    tmp_path: Path,
) -> None:
    repo = district_repo(tmp_path, draft_author=HOSTILE_AUTHOR)
    log = run("log", "maple", "--repo", repo.path, "--format", "json")
    assert log.returncode == 0
    [event] = [e for e in json.loads(log.stdout)["events"] if e["to"] == "draft"]
    assert event["author"].startswith("Eve \ufffd]0;owned")
    assert event["subject"] == "Draft \ufffd[2J\ufffd[31mRED ::error file=README.md::forged"
    diff = run("diff", "maple", "priority-levers", "--repo", repo.path)
    assert diff.returncode == 0
    assert "\x1b" not in diff.stdout and "\x07" not in diff.stdout
    assert "Draft \ufffd[2J" in diff.stdout


def test_markup_in_an_author_name_is_printed_as_typed(tmp_path: Path) -> None:
    repo = district_repo(tmp_path, draft_author=HOSTILE_AUTHOR)
    log = run("log", "maple", "--repo", repo.path)
    assert log.returncode == 0
    assert "[/bold][link=https://evil.example]x[/link]" in log.stdout


def test_control_characters_in_a_revision_never_reach_the_terminal(tmp_path: Path) -> None:
    repo = district_repo(tmp_path, draft_author=HOSTILE_AUTHOR)
    proc = run("diff", "--from", "HEAD", "--repo", repo.path)
    assert proc.returncode == 0
    assert "\x1b" not in proc.stdout


def test_a_commit_with_an_impossible_timezone_is_dated_by_its_instant(tmp_path: Path) -> None:
    # "+9999" is not an offset; git prints it as `2022-05-02T...+99:99`, which crashed
    # every command that reads history (ValueError from datetime.fromisoformat).
    repo = district_repo(tmp_path)
    repo.write("schools/maple/2022-23/calendars.yaml", header("calendars", status="draft"))
    forge_commit(repo, "1651500000 +9999", "calendars draft")  # 2022-05-02 14:00 UTC
    result = check(repo.path, "--as-of", AS_OF)
    assert result.code == 1
    assert deadline_rules(result.findings, "calendars") == []  # that instant was on time
    result.assert_others_checked()
    log = run("log", "maple", "--repo", repo.path, "--format", "json")
    assert log.returncode == 0
    events = json.loads(log.stdout)["events"]
    [event] = [e for e in events if e["document"] == "calendars" and e["to"] == "draft"]
    assert (event["time"], event["verdict"]) == ("2022-05-02T10:00:00-04:00", "on time")


def test_a_commit_git_cannot_date_never_counts_as_on_time(tmp_path: Path) -> None:
    repo = district_repo(tmp_path)
    repo.write("schools/maple/2022-23/calendars.yaml", header("calendars", status="draft"))
    forge_commit(repo, "99999999999999 +0000", "calendars draft from the year 3170843")
    result = check(repo.path, "--as-of", AS_OF)
    assert result.code == 1
    assert ("deadline-missed", "draft") in deadline_rules(result.findings, "calendars")
    result.assert_others_checked()
    history = read_history(repo.path)
    reached = history.reached("schools/maple/2022-23/calendars.yaml", "draft")
    assert reached is not None and reached.time == UNDATED
    log = run("log", "maple", "--repo", repo.path)
    assert log.returncode == 0


def test_diff_from_a_commit_with_an_impossible_timezone(tmp_path: Path) -> None:
    repo = district_repo(tmp_path)
    repo.write("schools/maple/2022-23/calendars.yaml", header("calendars", status="draft"))
    forge_commit(repo, "1651500000 +9999", "calendars draft")
    proc = run("diff", "--from", "HEAD", "--repo", repo.path)
    assert proc.returncode == 0


def test_a_huge_blob_in_history_is_never_read_into_memory(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "district")
    plant(repo.path, {})
    repo.commit("Start planning", date=START)
    big = header("priority-levers", status="draft") + "#" * (24 * 1024 * 1024) + "\n"
    repo.write(LEVERS, big)
    repo.commit("a 24 MiB 'plan'", date=ON_TIME)
    repo.write(LEVERS, header("priority-levers"))
    repo.commit("back to normal", date="2022-05-03T10:00:00-04:00")
    tracemalloc.start()
    try:
        history = read_history(repo.path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024
    assert history.reached(LEVERS, "draft") is None  # too large to be a plan: no status


# a hostile environment and configuration --------------------------------------------------
def test_git_variables_from_a_hook_do_not_point_check_at_another_repository(
    tmp_path: Path,
) -> None:
    repo = district_repo(tmp_path)
    other = GitRepo.init(tmp_path / "other")
    env = {"GIT_DIR": str(other.path / ".git"), "GIT_INDEX_FILE": str(tmp_path / "no-index")}
    changed = check(repo.path, "--changed-since", "HEAD~1", env=env)
    assert changed.code == 1, changed.err  # was exit 2: HEAD~1 looked up in `other`
    changed.assert_others_checked()
    judged = check(repo.path, "--as-of", AS_OF, env=env)
    assert judged.code == 1
    assert deadline_rules(judged.findings, "priority-levers") == []


def test_changed_since_runs_no_fsmonitor_from_the_repository_config(tmp_path: Path) -> None:
    repo = district_repo(tmp_path)
    marker = tmp_path / "fsmonitor-ran"
    repo.run("config", "core.fsmonitor", f"touch {marker}; false")
    result = check(repo.path, "--changed-since", "HEAD~1")
    assert result.code == 1
    result.assert_others_checked()
    assert not marker.exists()


def test_diff_runs_no_fsmonitor_from_the_repository_config(tmp_path: Path) -> None:
    repo = district_repo(tmp_path)
    marker = tmp_path / "fsmonitor-ran"
    repo.run("config", "core.fsmonitor", f"touch {marker}; false")
    assert run("diff", "--from", "HEAD~1", "--repo", repo.path).returncode == 0
    assert not marker.exists()


def test_signed_commits_and_a_users_log_settings_change_no_output(tmp_path: Path) -> None:
    """A principal who signs commits may have `log.showSignature` in their own git
    config, so that git prints a signature check before each commit it shows, and a log
    encoding other than UTF-8. diff named a revision it could not find (a traceback)
    and render dated its snapshot today instead of at HEAD."""
    repo = district_repo(tmp_path)
    key = tmp_path / "signing-key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key], check=True)
    public = key.with_name("signing-key.pub")
    for name, value in [
        ("gpg.format", "ssh"),
        ("user.signingkey", str(public)),
        ("commit.gpgsign", "true"),
    ]:
        repo.run("config", name, value)
    repo.write(CALENDARS, header("calendars", status="draft"))
    repo.commit("Calendars draft", date="2022-05-04T09:30:00-04:00", author=SIGNER)
    assert "BEGIN SSH SIGNATURE" in repo.run("cat-file", "commit", "HEAD")
    signers = tmp_path / "signers"
    signers.write_text(f"zoe@example.org {public.read_text()}")
    home = tmp_path / "home"
    home.mkdir()
    (home / ".gitconfig").write_text(
        "[log]\n\tshowSignature = true\n"
        f'[gpg "ssh"]\n\tallowedSignersFile = {signers}\n'
        "[i18n]\n\tlogOutputEncoding = ISO-8859-1\n"
    )
    env = {"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}
    shown = subprocess.run(
        ["git", "-C", repo.path, "show", "-s", "--format=%an", "HEAD"],
        capture_output=True,
        env={**os.environ, **env},
        check=True,
    ).stdout
    assert b"Good" in shown and "Zoë".encode("latin-1") in shown  # what git itself prints

    compared = run("diff", "--from", "HEAD~1", "--to", "HEAD", "--repo", repo.path, env=env)
    assert compared.returncode == 0, compared.stderr
    head = f"  HEAD    {repo.head()[:10]}  2022-05-04 09:30 -04:00  Zoë Principal  Calendars draft"
    assert compared.stdout.splitlines()[2] == head
    assert "Good" not in compared.stdout

    out = tmp_path / "site"
    rendered = run("render", "--repo", repo.path, "--format", "md", "--out", out, env=env)
    assert rendered.returncode == 0, rendered.stderr
    page = (out / "2022-23" / "maple.md").read_text()
    assert "as of May 4, 2022, 9:30 am EDT" in page
