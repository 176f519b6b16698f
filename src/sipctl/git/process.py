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
    "GIT_SSH",
    "GIT_SSH_COMMAND",
    "GIT_SSL_CAINFO",
    "GIT_SSL_NO_VERIFY",
    "GIT_ASKPASS",
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


def popen_git(
    root: Path,
    args: Sequence[str],
    *,
    stdin: int | IO[bytes],
    stderr: int | IO[bytes] = subprocess.PIPE,
) -> subprocess.Popen[bytes]:
    """git with ``args`` in the repository at ``root``, its output on a pipe."""
    global _process_count
    proc = subprocess.Popen(
        ["git", "--literal-pathspecs", "-C", str(root), *_OVERRIDES, *args],
        stdin=stdin,
        stdout=subprocess.PIPE,
        stderr=stderr,
        env=git_env(),
    )
    _process_count += 1
    return proc


def run_git(
    root: Path, args: Sequence[str], *, input: bytes | None = None, timeout: float | None = None
) -> tuple[int, bytes, str]:
    """git's exit code, output and error text, once it has finished. Past ``timeout``
    seconds git is killed and `subprocess.TimeoutExpired` raised."""
    proc = popen_git(root, args, stdin=subprocess.DEVNULL if input is None else subprocess.PIPE)
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
