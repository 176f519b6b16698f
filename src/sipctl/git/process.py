"""How sipctl starts git (infrastructure layer): the ``git`` binary, called directly
(GitPython costs ~100 ms to import), in an environment no hook or caller can point at
another repository. Every git process sipctl starts, starts here.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from sipctl.errors import GitError

# Variables that point git at another repository/index (set inside hooks) are dropped.
_KEEP_GIT_ENV = {
    "GIT_EXEC_PATH",
    "GIT_SSL_CAINFO",
    "GIT_SSL_NO_VERIFY",
    "GIT_CONFIG_GLOBAL",
    "GIT_CONFIG_NOSYSTEM",
    "GIT_CONFIG_COUNT",
    "GIT_CEILING_DIRECTORIES",
    "GIT_DISCOVERY_ACROSS_FILESYSTEM",
}

# Settings of the clone or the user that would change what sipctl reads or start a
# program: `core.fsmonitor` runs a command whenever git refreshes the index (a diff
# against the work tree, `diff-tree`), and `log.showSignature` prints a signature check
# (running gpg or ssh-keygen) before each commit that `log` and `show` print.
_OVERRIDES = ("-c", "core.fsmonitor=false", "-c", "log.showSignature=false")

# What a read (check, status, log, diff, render) adds: it runs no program named in any
# configuration, the repository's, an included file's, the user's or the system's, and
# reads the history git has. git's own advice is not to run git in a `.git` folder from
# an untrusted source (https://git-scm.com/docs/git#_security); a read is made safe here
# instead, setting by setting:
# - `--no-pager`, `core.pager`: output goes to sipctl, never to a pager program;
# - `core.hooksPath`: a folder that cannot hold hooks (`post-index-change` runs
#   whenever git writes the index; GIT_OPTIONAL_LOCKS=0 keeps it from doing so too);
# - `--no-replace-objects` and a graft file that cannot exist: `git replace` and
#   `.git/info/grafts` cannot swap a late commit for an on-time one;
# - no transport at all (GIT_ALLOW_PROTOCOL empty, `protocol.allow`), no credential
#   helper and no askpass program: nothing is fetched, so `core.sshCommand`,
#   `credential.helper` and `core.askPass` never run, and a partial clone's lazy fetch
#   (GIT_NO_LAZY_FETCH, git 2.44 and later, stops it sooner) fails without a connection;
# - every filter driver the configuration names (`filter.X.clean`, `.smudge`,
#   `.process`) is emptied (`read_only_env`) for a comparison with the work tree, which
#   then hashes the files as they are. Textconv and `diff.external` run only for a patch,
#   which sipctl never asks git for (and passes `--no-ext-diff --no-textconv` anyway).
_READ_ONLY_OPTIONS = ("--no-pager", "--no-replace-objects")
_READ_ONLY_OVERRIDES = (
    "-c",
    f"core.hooksPath={os.devnull}",
    "-c",
    "core.pager=cat",
    "-c",
    "credential.helper=",
    "-c",
    "core.askPass=",
    "-c",
    "protocol.allow=never",
    "-c",
    "advice.graftFileDeprecated=false",
)
_READ_ONLY_ENV = {
    "GIT_NO_REPLACE_OBJECTS": "1",
    "GIT_GRAFT_FILE": os.path.join(os.devnull, "grafts"),  # never a file: no grafts
    "GIT_ALLOW_PROTOCOL": "",  # an empty list: no transport is allowed
    "GIT_NO_LAZY_FETCH": "1",
    "GIT_PAGER": "cat",
}
_FILTER_KEYS = ("clean", "smudge", "process")
_filters: dict[Path, tuple[str, ...]] = {}

FSCK_HINT = "run `git fsck` in the district repository to check it"

_process_count = 0


def git_process_count() -> int:
    """How many git subprocesses `popen_git` has started so far."""
    return _process_count


def git_env() -> dict[str, str]:
    """The environment sipctl's git processes run in: untranslated messages, no prompt,
    no optional index lock, and none of the variables (set inside git hooks, or by a
    hostile caller) that point git at another repository, index or object store."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("GIT_")
        or k in _KEEP_GIT_ENV
        or k.startswith(("GIT_CONFIG_KEY_", "GIT_CONFIG_VALUE_"))
    }
    env["LC_ALL"] = "C"  # untranslated error messages
    env["GIT_TERMINAL_PROMPT"] = "0"
    env["GIT_OPTIONAL_LOCKS"] = "0"
    return env


def read_only_env(root: Path, *, worktree: bool = False) -> dict[str, str]:
    """`git_env` for a read: replace objects, grafts, transports and lazy fetches off;
    for a comparison with the ``worktree``, each filter driver named in the
    configuration emptied too. (Only such a comparison hashes work-tree files, and so
    runs filters: `cat-file --batch`, `log` and `diff-tree` read objects as stored.)"""
    env = git_env()
    env.update(_READ_ONLY_ENV)
    given = env.get("GIT_CONFIG_COUNT", "")
    count = int(given) if given.isdigit() else 0
    # GIT_CONFIG_KEY_n takes a key exactly as written, where `-c` would split a driver
    # named `a=b` at its `=`; a later entry wins over the caller's.
    for driver in _filter_drivers(root) if worktree else ():
        for key, value in (*((k, "") for k in _FILTER_KEYS), ("required", "false")):
            env[f"GIT_CONFIG_KEY_{count}"] = f"filter.{driver}.{key}"
            env[f"GIT_CONFIG_VALUE_{count}"] = value
            count += 1
    if count:
        env["GIT_CONFIG_COUNT"] = str(count)
    return env


def _filter_drivers(root: Path) -> tuple[str, ...]:
    """The filter drivers the configuration seen from ``root`` names (included files,
    the user's and the system's too): `git config` reads them and runs none. Asked once
    per folder and process."""
    key = root.resolve()
    if key not in _filters:
        global _process_count
        try:
            proc = subprocess.run(
                [
                    "git",
                    "-C",
                    str(root),
                    "config",
                    "-z",
                    "--name-only",
                    "--get-regexp",
                    r"^filter\.",
                ],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                env=git_env(),
                check=False,
            )
        except OSError:
            return ()
        _process_count += 1
        names = proc.stdout.decode("utf-8", "surrogateescape").split("\0")
        _filters[key] = tuple(
            sorted({n[len("filter.") :].rpartition(".")[0] for n in names if n.count(".") >= 2})
        )
    return _filters[key]


def popen_git(
    root: Path,
    args: Sequence[str],
    *,
    stdin: int | IO[bytes],
    stderr: int | IO[bytes] = subprocess.PIPE,
    writes: bool = False,
    worktree: bool = False,
) -> subprocess.Popen[bytes]:
    """git with ``args`` in the repository at ``root``, its output on a pipe. Unless it
    ``writes`` (only `sipctl edit` does), it runs as a read: see _READ_ONLY_OPTIONS;
    one that compares with the ``worktree`` runs no filter driver either."""
    global _process_count
    command = ["git", "--literal-pathspecs", "-C", str(root), *_OVERRIDES]
    if not writes:
        command[1:1] = _READ_ONLY_OPTIONS
        command.extend(_READ_ONLY_OVERRIDES)
    proc = subprocess.Popen(
        [*command, *args],
        stdin=stdin,
        stdout=subprocess.PIPE,
        stderr=stderr,
        env=git_env() if writes else read_only_env(root, worktree=worktree),
    )
    _process_count += 1
    return proc


def run_git(
    root: Path,
    args: Sequence[str],
    *,
    input: bytes | None = None,
    timeout: float | None = None,
    writes: bool = False,
    worktree: bool = False,
) -> tuple[int, bytes, str]:
    """git's exit code, output and error text, once it has finished. Past ``timeout``
    seconds git is killed and `subprocess.TimeoutExpired` raised."""
    proc = popen_git(
        root,
        args,
        stdin=subprocess.DEVNULL if input is None else subprocess.PIPE,
        writes=writes,
        worktree=worktree,
    )
    try:
        out, err = proc.communicate(input, timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise
    return proc.returncode, out, err.decode("utf-8", "replace").strip()


def git_failed(root: Path, command: str, code: int, err: str) -> GitError:
    """The error for a read whose git ``command`` exited with ``code``: git's own
    message, or else the code."""
    return GitError(f"git {command} failed in {root}: {err or f'exit code {code}'}", hint=FSCK_HINT)
