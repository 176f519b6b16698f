"""A read-only command runs no program from configuration, and never rewrites .git/index.

git runs programs named in configuration: hooks, filter drivers, textconv, external
diffs, the pager, ssh, fsmonitor, credential helpers, askpass, gpg; and the
configuration may come from the repository, a file it includes, or the user. For each
such setting the test below arms a trap (a program that writes a marker file), shows
with plain git that the trap fires, then runs every read-only sipctl command (check,
with and without --changed-since, status, log, both forms of diff, render) as a
subprocess, and asserts that the marker was never written and that .git/index has the
same bytes and the same modification time. The work tree is left stat-dirty, so every
comparison with it has to look at the files (where git would run a filter), and HEAD
is a signed commit (where `log.showSignature` would run gpg). docs/security.md lists
these cases (family 3).
"""

from __future__ import annotations

import json
import os
import pty
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from district import CYCLE, header
from gitrepo import GitRepo, git_env
from test_hostile_yaml import LEVERS, run, write_district

START = "2022-04-01T10:00:00-04:00"
ON_TIME = "2022-05-02T10:00:00-04:00"  # the levers draft was due Friday May 6, 4pm
AS_OF = "2022-05-10"
DEADLINES = CYCLE + 'documents:\n  priority-levers: {draft_due: "2022-05-06T16:00"}\n'
HOOKS = (
    "post-index-change",
    "reference-transaction",
    "post-checkout",
    "pre-auto-gc",
    "fsmonitor-watchman",
    "pre-commit",
    "post-commit",
)
SIGNATURE = (
    "gpgsig -----BEGIN PGP SIGNATURE-----\n"
    " \n"
    " iQEzBAABCAAdFiEEAAAAAAAAAAAAAAAAAAAAAAAAAAAFAmKIAAAACgkQAAAAAAAA\n"
    " -----END PGP SIGNATURE-----\n"
)


@dataclass
class Trap:
    """A district whose git configuration names `program`, which appends to `marker`."""

    repo: GitRepo
    program: Path
    marker: Path
    env: dict[str, str]  # the environment sipctl and the plain git runs get

    def git(self, *args: str, stdin: str = "") -> None:
        """Plain git, as a user would run it, with the trap's configuration."""
        env = git_env(self.repo.home) | self.env
        subprocess.run(
            ["git", *args],
            cwd=self.repo.path,
            env=env,
            input=stdin,
            text=True,
            capture_output=True,
            timeout=60,
            check=False,
        )

    def git_on_a_terminal(self, *args: str) -> None:
        """Plain git with its output on a terminal, where it starts the pager."""
        env = git_env(self.repo.home) | self.env
        leader, follower = pty.openpty()
        try:
            subprocess.run(
                ["git", *args],
                cwd=self.repo.path,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=follower,
                stderr=follower,
                timeout=60,
                check=False,
            )
        finally:
            os.close(follower)
            os.close(leader)


def build(tmp_path: Path) -> Trap:
    """The levers draft committed on time, then signed; every plan file rewritten since
    (same text, new modification time), and the index refreshed once before the trap
    is set, as a principal's laptop has it."""
    repo = GitRepo.init(tmp_path / "district")
    write_district(repo.path, {"cycles/2022-23.yaml": DEADLINES})
    repo.write(".gitattributes", "*.yaml filter=evil diff=evil\n")
    repo.commit("Start planning", date=START)
    repo.write(LEVERS, header("priority-levers", status="draft"))
    repo.commit("Levers draft", date=ON_TIME)
    raw = repo.run("cat-file", "commit", "HEAD")
    head, _, message = raw.partition("\n\n")
    signed = subprocess.run(
        ["git", "hash-object", "-t", "commit", "-w", "--stdin"],
        cwd=repo.path,
        env=git_env(repo.home),
        input=f"{head}\n{SIGNATURE}\n{message}",
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    repo.run("update-ref", "HEAD", signed)
    stat_dirty(repo)
    marker = tmp_path / "marker"
    program = tmp_path / "evil"
    program.write_text(f'#!/bin/sh\necho "$0 $*" >> "{marker}"\nexit 1\n')
    program.chmod(0o755)
    return Trap(repo, program, marker, {})


def stat_dirty(repo: GitRepo) -> None:
    """Every plan file rewritten with the same text and dated 2001: its stat data no
    longer matches the index, so git must read it to compare (and, being older than
    the index, it is not "racily clean" either)."""
    for plan in sorted((repo.path / "schools").rglob("*.yaml")):
        plan.write_bytes(plan.read_bytes())
        os.utime(plan, (1_000_000_000, 1_000_000_000))


def hooks_folder(trap: Trap, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in HOOKS:
        (folder / name).write_text(f'#!/bin/sh\necho "{name}" >> "{trap.marker}"\n')
        (folder / name).chmod(0o755)


def configure(trap: Trap, *pairs: tuple[str, str]) -> None:
    for key, value in pairs:
        trap.repo.run("config", key, value)


def included(trap: Trap, directive: str, section: str, key: str) -> None:
    """`key = program` in a file of its own, pulled into the repository's configuration."""
    extra = trap.repo.home / "extra.gitconfig"
    extra.write_text(f"[{section}]\n\t{key} = {trap.program}\n")
    configure(trap, (directive, str(extra)))


def set_up_hooks_path(trap: Trap) -> None:
    folder = trap.repo.home / "hooks"
    hooks_folder(trap, folder)
    configure(trap, ("core.hooksPath", str(folder)))


def set_up_own_hooks(trap: Trap) -> None:
    hooks_folder(trap, trap.repo.path / ".git" / "hooks")


def set_up_global(trap: Trap) -> None:
    config = trap.repo.home / "global.gitconfig"
    config.write_text(
        f'[filter "evil"]\n\tclean = {trap.program}\n[core]\n\tfsmonitor = {trap.program}\n'
    )
    trap.env["GIT_CONFIG_GLOBAL"] = str(config)


def setting(key: str, value: str = "") -> Callable[[Trap], None]:
    def set_up(trap: Trap) -> None:
        configure(trap, (key, value or str(trap.program)))

    return set_up


CLEAN = ("hash-object", LEVERS)  # git hashes a file as it would store it: the clean filter
PATCH = ("diff", "HEAD~1", "HEAD")

# name: how the trap is set, how plain git springs it
SETTINGS: dict[str, tuple[Callable[[Trap], None], Callable[[Trap], None]]] = {
    "core.hooksPath": (set_up_hooks_path, lambda t: t.git("update-index", "--really-refresh")),
    "post-index-change": (set_up_own_hooks, lambda t: t.git("update-index", "--really-refresh")),
    "filter clean": (setting("filter.evil.clean"), lambda t: t.git(*CLEAN)),
    "filter smudge": (
        setting("filter.evil.smudge"),
        lambda t: t.git("cat-file", "--filters", f"HEAD:{LEVERS}"),
    ),
    "filter process": (setting("filter.evil.process"), lambda t: t.git(*CLEAN)),
    "textconv": (
        setting("diff.evil.textconv"),
        lambda t: t.git("cat-file", "--textconv", f"HEAD:{LEVERS}"),
    ),
    "diff.external": (setting("diff.external"), lambda t: t.git(*PATCH)),
    "diff driver command": (setting("diff.evil.command"), lambda t: t.git(*PATCH)),
    "core.pager": (setting("core.pager"), lambda t: t.git_on_a_terminal("log")),
    "core.sshCommand": (
        setting("core.sshCommand"),
        lambda t: t.git("ls-remote", "ssh://example.invalid/district"),
    ),
    "core.fsmonitor": (setting("core.fsmonitor"), lambda t: t.git("diff", "HEAD")),
    "credential.helper": (
        setting("credential.helper"),
        lambda t: t.git("credential", "fill", stdin="protocol=https\nhost=example.org\n\n"),
    ),
    "core.askPass": (
        setting("core.askPass"),
        lambda t: t.git("credential", "fill", stdin="protocol=https\nhost=example.org\n\n"),
    ),
    "gpg.program": (
        lambda t: configure(t, ("gpg.program", str(t.program)), ("log.showSignature", "true")),
        lambda t: t.git("log", "-1"),
    ),
    "include.path": (
        lambda t: included(t, "include.path", 'filter "evil"', "clean"),
        lambda t: t.git(*CLEAN),
    ),
    "includeIf": (
        lambda t: included(t, "includeIf.gitdir:/.path", "core", "fsmonitor"),
        lambda t: t.git("diff", "HEAD"),
    ),
    "user's global config": (set_up_global, lambda t: t.git(*CLEAN)),
}

READS = {
    "check": ("check", "--as-of", AS_OF),
    "check --changed-since": ("check", "--as-of", AS_OF, "--changed-since", "HEAD~1"),
    "status": ("status", "--as-of", AS_OF),
    "log": ("log", "maple", "--as-of", AS_OF),
    "diff SCHOOL DOC": ("diff", "maple", "priority-levers"),
    "diff --from": ("diff", "--from", "HEAD~1"),
    "render": ("render", "--format", "md", "--as-of", AS_OF),
}


@pytest.mark.parametrize("name", SETTINGS)
def test_a_read_runs_no_program_from_configuration(tmp_path: Path, name: str) -> None:
    trap = build(tmp_path)
    set_up, spring = SETTINGS[name]
    set_up(trap)
    spring(trap)
    assert trap.marker.exists(), f"plain git did not run the {name} program: the trap is not set"
    trap.marker.unlink()
    index = trap.repo.path / ".git" / "index"
    before = (index.read_bytes(), index.stat().st_mtime_ns)
    codes = {}
    for read, args in READS.items():
        extra = ("--out", tmp_path / "site") if read == "render" else ()
        proc = run(*args, "--repo", trap.repo.path, *extra, env=trap.env)
        codes[read] = proc.returncode
        assert not trap.marker.exists(), f"{read} ran {trap.marker.read_text()}"
        assert (index.read_bytes(), index.stat().st_mtime_ns) == before, read
    # check finds the empty draft incomplete, as it would without the trap
    assert codes == {read: 1 if read.startswith("check") else 0 for read in READS}
    assert (index.read_bytes(), index.stat().st_mtime_ns) == before


def test_comparing_with_the_work_tree_never_rewrites_the_index(tmp_path: Path) -> None:
    """`git diff` refreshes the index's stat data and writes it back when two files or
    more are stat-dirty, whatever GIT_OPTIONAL_LOCKS says; `check --changed-since` and
    `diff --from` to the work tree used it. They find what changed with `diff-index`
    and hash the stat-dirty files themselves: the same answer, and no write."""
    trap = build(tmp_path)
    changed = LEVERS.replace("priority-levers", "calendars")
    trap.repo.write(changed, header("calendars", status="in-progress"))
    index = trap.repo.path / ".git" / "index"
    before = (index.read_bytes(), index.stat().st_mtime_ns)
    check = run("check", "--repo", trap.repo.path, "--format", "json", "--changed-since", "HEAD")
    assert check.returncode == 1, check.stderr  # the empty levers draft, as ever
    diff = run("diff", "--repo", trap.repo.path, "--from", "HEAD", "--format", "json")
    assert diff.returncode == 0, diff.stderr
    assert [d["file_to"] for d in json.loads(diff.stdout)["documents"]] == [changed]
    assert (index.read_bytes(), index.stat().st_mtime_ns) == before
