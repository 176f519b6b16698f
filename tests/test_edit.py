"""`sipctl edit`: the browser editor on the local repository, with a real decap-server.

A principal's day: a district repository with work in progress (a staged change, an
unstaged one, an untracked file), `sipctl edit` started as they would start it, a save
sent to decap-server as Decap CMS sends it (persistEntry with the editorial workflow),
then Ctrl-C. The save must be a `cms/...` branch whose diff is exactly the edit, and the
user's files, index and branches must be as they were.
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from cli import SIPCTL, sipctl
from gitrepo import GitRepo, git_env
from sipctl.services.admin_site import served_config

SOURCE_ROOT = Path(__file__).resolve().parents[1]
DECAP_SERVER = SOURCE_ROOT / "node_modules" / ".bin" / "decap-server"
EXAMPLE_CONFIG = SOURCE_ROOT / "examples" / "sezp-district" / "admin" / "config.yml"
LEVERS = "schools/maple/2022-23/priority-levers.yaml"
BRANCH = "cms/priority-levers/maple-2022-23"
WAIT = 60.0  # seconds: the test machine is shared

needs_node = pytest.mark.skipif(
    shutil.which("node") is None or not DECAP_SERVER.exists(),
    reason="needs Node.js and `npm ci` (.ci/run installs both)",
)
needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")


# the district ---------------------------------------------------------------------------------
def new_district(tmp_path: Path, *, admin: bool = True) -> GitRepo:
    repo = GitRepo.init(tmp_path / "district")
    run = sipctl("init", "maple", "--cycle", "2022-23", cwd=repo.path, env=git_env(tmp_path))
    assert run.code == 0, run.err
    if admin:  # the real one, as a district IT person would write it
        made = sipctl("editor", "--out", "admin", cwd=repo.path, env=git_env(tmp_path))
        assert made.code == 0, made.err
    # canonical from the start (docs/fmt.md), so that a browser save changes only its lines
    assert sipctl("fmt", cwd=repo.path, env=git_env(tmp_path)).code == 0
    repo.commit("Start planning", date="2022-03-01T09:00:00-05:00")
    return repo


def work_in_progress(repo: GitRepo) -> None:
    """What a principal has not committed yet: it must survive `sipctl edit`."""
    repo.write("notes/ideas.txt", "untracked: ask the TLT about Friday\n")
    readme = repo.path / "README.md"
    readme.write_bytes(readme.read_bytes() + b"\nunstaged line\n")
    summer = repo.path / "schools/maple/2022-23/summer-plan.yaml"
    summer.write_bytes(summer.read_bytes() + b"# staged comment\n")
    repo.run("add", str(summer.relative_to(repo.path)))


def snapshot(repo: GitRepo) -> dict[str, Any]:
    """The user's side of the repository: files (bytes), status, index, HEAD, branches."""
    files = {
        p.relative_to(repo.path).as_posix(): p.read_bytes()
        for p in sorted(repo.path.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(repo.path).parts
    }
    branches = repo.run("for-each-ref", "--format=%(refname) %(objectname)", "refs/heads")
    return {
        "files": files,
        "status": repo.run("status", "--porcelain=v1", "--untracked-files=all"),
        "index": repo.run("ls-files", "--stage"),
        "head": repo.run("symbolic-ref", "HEAD") + repo.head(),
        "branches": [b for b in branches.splitlines() if "/cms/" not in b and "sipctl/" not in b],
    }


# sipctl edit as a subprocess ------------------------------------------------------------------
@dataclass
class Editor:
    process: subprocess.Popen[str]
    lines: queue.Queue[str | None] = field(default_factory=queue.Queue)
    out: list[str] = field(default_factory=list)
    address: str = ""
    api: str = ""

    def read_until_ready(self) -> None:
        deadline = time.monotonic() + WAIT
        while not (self.address and self.api) and time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                continue
            if line is None:
                break
            self.out.append(line)
            if found := re.search(r"open (http://127\.0\.0\.1:\d+/)", line):
                self.address = found[1]
            if found := re.search(r"answers on (http://127\.0\.0\.1:\d+/api/v1)", line):
                self.api = found[1]
        assert self.address and self.api, "".join(self.out) + self.stderr_now()

    def stderr_now(self) -> str:
        return "" if self.process.poll() is None else (self.process.stderr or [""]).read()  # type: ignore[union-attr]

    def call(self, action: str, **params: Any) -> Any:
        body = json.dumps({"action": action, "params": params}).encode()
        request = urllib.request.Request(self.api, body, {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=WAIT) as answer:
            return json.load(answer)


@contextmanager
def editing(repo: GitRepo, *args: str) -> Iterator[Editor]:
    env = {k: v for k, v in git_env(repo.home).items() if k != "GITHUB_ACTIONS"}
    env.update(NO_COLOR="1", COLUMNS="200")
    process = subprocess.Popen(
        [str(SIPCTL), "edit", "--no-browser", "--repo", str(repo.path), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,  # a stray child cannot get the test runner's signals
    )
    editor = Editor(process)

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            editor.lines.put(line)
        editor.lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    try:
        yield editor
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


# a save, as Decap sends it ---------------------------------------------------------------------
def save(editor: Editor, path: str, raw: str) -> Any:
    return editor.call(
        "persistEntry",
        branch="sipctl/edit",
        entry={"slug": "maple-2022-23", "path": path, "raw": raw},
        assets=[],
        options={
            "collectionName": "priority-levers",
            "commitMessage": "Update Priority Levers Form maple 2022-23",
            "useWorkflow": True,
            "status": "draft",
        },
    )


@needs_node
@needs_proc
def test_a_save_is_a_branch_and_the_working_copy_is_untouched(tmp_path: Path) -> None:
    repo = new_district(tmp_path)
    work_in_progress(repo)
    before = snapshot(repo)
    committed = repo.run("show", f"HEAD:{LEVERS}")
    edited = committed.replace("status: not-started", "status: in-progress", 1)
    assert edited != committed

    with editing(repo) as editor:
        editor.read_until_ready()
        node = children(editor.process.pid)
        assert len(node) == 1, node
        page = urllib.request.urlopen(editor.address, timeout=WAIT).read()
        assert b"decap-cms@3.16.3" in page and b"sipctl-format.js" in page
        served = yaml.safe_load(urllib.request.urlopen(editor.address + "config.yml").read())
        assert served["local_backend"] == {"url": editor.api}
        assert served["backend"]["branch"] == "sipctl/edit"
        listed = editor.call(
            "entriesByFolder", branch="sipctl/edit", folder="schools", extension="yaml", depth=3
        )
        assert LEVERS in {entry["file"]["path"] for entry in listed}

        assert save(editor, LEVERS, edited) == {"message": "entry persisted"}

        again = sipctl("edit", "--no-browser", "--repo", repo.path, env=git_env(repo.home))
        assert again.code == 2 and "already running" in again.err

        editor.process.send_signal(signal.SIGINT)
        code = editor.process.wait(timeout=WAIT)
        err = editor.stderr_now()
    assert code == 130, err
    assert "stopped" in err and "Traceback" not in err
    time.sleep(0.2)
    assert not any(alive(pid) for pid in node), "decap-server outlived sipctl edit"

    # the save: a branch based on the user's main, whose diff is exactly the edit
    assert repo.run("diff", "--name-only", "main", BRANCH).split() == [LEVERS]
    assert repo.run("show", f"{BRANCH}:{LEVERS}") == edited
    numstat = repo.run("diff", "--numstat", "main", BRANCH).split()
    assert numstat[:2] == ["1", "1"]
    assert repo.run("merge-base", "main", BRANCH).strip() == repo.head()
    # the user's side: as it was, byte for byte
    assert snapshot(repo) == before
    # the worktree stays, detached, so sipctl/edit is free to merge, move or delete
    listing = repo.run("worktree", "list", "--porcelain")
    assert ".git/sipctl/edit/worktree" in listing and "detached" in listing


@needs_node
def test_the_edit_branch_follows_head_but_never_drops_its_own_commits(tmp_path: Path) -> None:
    repo = new_district(tmp_path)
    with editing(repo) as editor:
        editor.read_until_ready()
        editor.process.send_signal(signal.SIGINT)
        assert editor.process.wait(timeout=WAIT) == 130
    repo.write("README.md", "moved on\n")
    head = repo.commit("Move on", date="2022-03-02T09:00:00-05:00")
    with editing(repo) as editor:
        editor.read_until_ready()
        assert repo.run("rev-parse", "sipctl/edit").strip() == head
        editor.process.send_signal(signal.SIGINT)
        assert editor.process.wait(timeout=WAIT) == 130

    # an entry "published" in the local editor: a commit only sipctl/edit has
    worktree = repo.path / ".git/sipctl/edit/worktree"
    GitRepo(worktree).run("checkout", "-q", "sipctl/edit")
    (worktree / "published.txt").write_text("published\n")
    GitRepo(worktree).commit("Published", date="2022-03-03T09:00:00-05:00")
    GitRepo(worktree).run("checkout", "-q", "--detach")
    run = sipctl("edit", "--no-browser", "--repo", repo.path, env=git_env(repo.home))
    assert run.code == 2
    assert "commits no other branch has" in run.err and "git merge sipctl/edit" in run.err
    assert repo.run("rev-parse", "sipctl/edit").strip() != head  # kept


def test_a_folder_outside_git_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "district"
    root.mkdir()
    assert sipctl("init", "maple", "--cycle", "2022-23", cwd=root).code == 0
    assert sipctl("editor", "--out", "admin", cwd=root).code == 0
    run = sipctl("edit", "--no-browser", "--repo", root, env=git_env(tmp_path))
    assert run.code == 2
    assert "is not in a git repository" in run.err and "git init" in run.err
    assert not (root / ".git").exists()


def test_a_repository_without_commits_is_refused(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "district")
    assert sipctl("init", "maple", "--cycle", "2022-23", cwd=repo.path).code == 0
    assert sipctl("editor", "--out", "admin", cwd=repo.path).code == 0
    run = sipctl("edit", "--no-browser", "--repo", repo.path, env=git_env(tmp_path))
    assert run.code == 2 and "has no commits yet" in run.err


def test_without_the_admin_folder_it_says_to_run_sipctl_editor(tmp_path: Path) -> None:
    repo = new_district(tmp_path, admin=False)
    run = sipctl("edit", "--no-browser", "--repo", repo.path, env=git_env(tmp_path))
    assert run.code == 2 and "sipctl editor" in run.err


def test_without_node_it_says_what_to_install(tmp_path: Path) -> None:
    repo = new_district(tmp_path)
    bare = tmp_path / "bin"  # git, and nothing of Node's
    bare.mkdir()
    git = shutil.which("git")
    assert git is not None
    (bare / "git").symlink_to(git)
    env = {**git_env(tmp_path), "PATH": str(bare)}
    run = sipctl("edit", "--no-browser", "--repo", repo.path, env=env)
    assert run.code == 2, run.err
    assert "Node.js is not installed" in run.err
    assert "apt install nodejs npm" in run.err and "nodejs.org" in run.err
    assert "Traceback" not in run.err
    assert not (repo.path / ".git/sipctl/edit").exists()  # nothing was started or changed


# the served config.yml ------------------------------------------------------------------------
API = "http://127.0.0.1:4321/api/v1"


def test_the_served_config_changes_two_values_and_keeps_every_other_byte() -> None:
    text = EXAMPLE_CONFIG.read_text("utf-8")
    served = served_config(text, api=API, branch="sipctl/edit")
    changed = [
        (old, new)
        for old, new in zip(text.splitlines(), served.splitlines(), strict=True)
        if old != new
    ]
    assert changed == [
        ("  branch: main", '  branch: "sipctl/edit"'),
        ("local_backend: true", f'local_backend: {{url: "{API}"}}'),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "backend: {name: github, branch: main}\nmedia_folder: m\n",
        "backend:\n  name: github\nlocal_backend:\n  url: http://x\n  allowed_hosts: [a]\n"
        "options: [on, no]\n",
        "backend:\n  name: github\n  branch: main\nlocal_backend: false",
    ],
)
def test_the_served_config_reads_as_local_mode(text: str) -> None:
    served = yaml.safe_load(served_config(text, api=API, branch="sipctl/edit"))
    original = yaml.safe_load(text)
    assert served["local_backend"] == {"url": API}
    assert served["backend"] == {**original["backend"], "branch": "sipctl/edit"}
    assert {k: v for k, v in served.items() if k not in ("backend", "local_backend")} == {
        k: v for k, v in original.items() if k not in ("backend", "local_backend")
    }


# in the real browser --------------------------------------------------------------------------
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def in_browser(editor: Editor, script: str, plan: dict[str, Any], tmp_path: Path) -> Any:
    """Run tests/js/`script` with `plan` against the running editor, then stop the editor
    with Ctrl-C (exit 130); what the browser saw."""
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    node = shutil.which("node")
    assert node is not None
    browser = subprocess.run(
        [node, SOURCE_ROOT / "tests" / "js" / script, tmp_path / "plan.json"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert browser.returncode == 0, browser.stderr
    editor.process.send_signal(signal.SIGINT)
    assert editor.process.wait(timeout=WAIT) == 130
    return json.loads(browser.stdout)


@needs_node
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Chromium (.ci/run installs it)")
def test_a_save_in_the_browser_becomes_a_branch(tmp_path: Path) -> None:
    repo = new_district(tmp_path)
    work_in_progress(repo)
    before = snapshot(repo)
    text = "The TLT saw attendance rise in grades 3 to 5."
    with editing(repo) as editor:
        editor.read_until_ready()
        plan = {
            "address": editor.address,
            "collection": "Priority Levers Form",
            "entry": "maple",
            "field": "Reflection",
            "text": text,
        }
        seen = in_browser(editor, "decap_local.mjs", plan, tmp_path)
    assert seen["refused"] == [] and seen["pageErrors"] == [], seen
    assert "Priority Levers Form" in seen["collections"], seen
    assert seen["opened"] and seen["saved"], seen
    (branch,) = repo.run("branch", "--list", "cms/*", "--format=%(refname:short)").split()
    assert branch.startswith("cms/priority-levers/"), branch
    assert repo.run("diff", "--name-only", "main", branch).split() == [LEVERS]
    changed = [
        line
        for line in repo.run("diff", "--unified=0", "main", branch).splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert len(changed) == 2 and changed[1] == f"+reflection: {text}", changed
    assert snapshot(repo) == before


# the demo district, as a principal uses it -------------------------------------------------
BIRCH_LEVERS = "schools/birch/2022-23/priority-levers.yaml"
BIRCH_BRANCH = "cms/priority-levers/birch/2022-23/priority-levers"
EVIDENCE = (
    "Office referrals doubled from fall to winter; "
    "38% of students say they feel safe in the hallways."
)
SURVEY = "Student survey (winter 2022)"
TODO = "TODO: choose with the TLT on May 3"
L1, L2 = "L1 · Safe and supportive school culture", "L2 ·"  # the levers' collapsed summaries
BIRCH_EDITS = [
    {"item": L1, "fill": "Evidence", "text": EVIDENCE},
    {"item": L1, "add": "Data sources", "text": SURVEY},
    {"item": L2, "fill": "Lever", "text": TODO},
]
ID_RULE = "a short label: letters and digits, then also - _ or ., no spaces (e.g. L1, G2)"


def demo_district(tmp_path: Path) -> GitRepo:
    """The README's demo district: three schools, a spring of backdated submissions."""
    built = subprocess.run(
        [sys.executable, SOURCE_ROOT / "scripts" / "build_demo.py", tmp_path / "demo"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    return GitRepo(tmp_path / "demo")


def birch_findings(repo: GitRepo, cwd: Path) -> list[dict[str, Any]]:
    """What `sipctl check` says of Birch's Priority Levers Form, in the folder `cwd`."""
    run = sipctl("check", "--no-deadlines", "--format", "json", cwd=cwd, env=git_env(repo.home))
    assert run.code in (0, 1), run.err
    return [
        {key: f[key] for key in ("rule", "severity", "line", "message")}
        for f in run.json()["findings"]
        if f["file"] == BIRCH_LEVERS
    ]


@needs_node
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Chromium (.ci/run installs it)")
def test_a_principal_edits_the_demo_in_the_browser_and_the_branch_is_exactly_the_edit(
    tmp_path: Path,
) -> None:
    repo = demo_district(tmp_path)
    work_in_progress_in_demo = repo.path / "schools/birch/notes.txt"
    work_in_progress_in_demo.write_text("untracked: ask the TLT about Friday\n")
    before = snapshot(repo)
    with editing(repo) as editor:
        editor.read_until_ready()
        plan = {
            "address": editor.address,
            "collection": "Priority Levers Form",
            "entry": "birch",
            "steps": BIRCH_EDITS,
            "refused": {"item": L2, "field": "ID", "text": "L 2"},
            "status": "In review",
        }
        if shots := os.environ.get("SIPCTL_SCREENSHOTS"):
            plan["screenshots"] = shots
        seen = in_browser(editor, "decap_scenario.mjs", plan, tmp_path)

    # what the principal saw: the form refused "L 2" in the model's words, saved, in review
    assert seen["refused"] == [], seen
    assert seen["refusal"] == f"ID didn't match the pattern: A{ID_RULE[1:]}.", seen
    assert seen["saved"] and seen["status"] == "In review", seen
    description = repo.run("config", f"branch.{BIRCH_BRANCH}.description").strip()
    assert description == "decap-cms/pending_review"

    # the branch is one commit on main, and its diff is exactly the three edits
    assert repo.run("rev-list", f"main..{BIRCH_BRANCH}").split().__len__() == 1
    assert repo.run("diff", "--name-only", "main", BIRCH_BRANCH).split() == [BIRCH_LEVERS]
    changed = [
        line
        for line in repo.run("diff", "--unified=0", "main", BIRCH_BRANCH).splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert changed == [
        "-    evidence: null",
        f"+    evidence: {EVIDENCE}",
        f"+      - {SURVEY}",
        "-    lever: null",
        f'+    lever: "{TODO}"',
    ]
    saved = repo.run("show", f"{BIRCH_BRANCH}:{BIRCH_LEVERS}")
    assert saved.splitlines()[0] == (
        "# yaml-language-server: $schema=../../../schemas/priority-levers.schema.json"
    )
    document = yaml.safe_load(saved)
    assert list(document) == ["document", "school", "cycle", "status", "reflection", "levers"]
    assert [list(lever) for lever in document["levers"]] == [
        ["id", "lever", "evidence", "data_sources"]
    ] * 2

    # check and diff on the branch, as CI runs them on the pull request
    branch = tmp_path / "branch"
    repo.run("worktree", "add", "--quiet", str(branch), BIRCH_BRANCH)
    assert sipctl("fmt", "--check", BIRCH_LEVERS, cwd=branch, env=git_env(repo.home)).code == 0
    assert birch_findings(repo, repo.path) == [
        {"rule": "incomplete", "severity": "info", "line": 10, "message":
         "still missing: levers[L1].evidence, levers[L2].lever, levers[L2].evidence"},
    ]  # fmt: skip
    assert birch_findings(repo, branch) == [
        {"rule": "incomplete", "severity": "info", "line": 15, "message":
         "still missing: levers[L2].lever, levers[L2].evidence"},
    ]  # fmt: skip
    diff = sipctl("diff", "--from", "main", cwd=branch, env=git_env(repo.home))
    assert diff.code == 0, diff.err
    assert diff.out.split("\n\n", 1)[1] == (
        "Birch Avenue School · Priority Levers Form (2022-23) — 3 changes\n"
        f"{BIRCH_LEVERS}\n"
        "  + Lever L1 › Evidence   levers[L1].evidence\n"
        f"      {EVIDENCE}\n"
        "  + Lever L1 › Data sources   levers[L1].data_sources\n"
        f"      {SURVEY}\n"
        "  + Lever L2 › Lever   levers[L2].lever\n"
        f"      {TODO}\n"
    )

    # the pattern the form refused is the one check refuses
    refused = branch / BIRCH_LEVERS
    refused.write_text(saved.replace("  - id: L2\n", "  - id: L 2\n"))
    schema = [f for f in birch_findings(repo, branch) if f["rule"] != "incomplete"]
    assert [(f["rule"], f["line"], f["message"]) for f in schema] == [
        ("schema", 14, f"levers[L 2].id: should be {ID_RULE}")
    ]

    # and the principal's own working copy is as it was
    repo.run("worktree", "remove", "--force", str(branch))
    assert snapshot(repo) == before
