"""Build real git repositories in tests, with scripted dates and identities.

git runs with a clean environment (no user or system config, no GIT_* variables from a
calling hook), so the developer's git configuration never leaks into a test. The
environment, the dates and the identities come from ``scripts/backdated.py``, which the
demo and the benchmark's generator use too.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"
if str(SCRIPTS) not in sys.path:
    sys.path.append(str(SCRIPTS))

import backdated  # noqa: E402
from backdated import git_date, ident, split_author  # noqa: E402

__all__ = [
    "DEFAULT_AUTHOR",
    "GitRepo",
    "git_date",
    "git_env",
    "ident",
    "plan_doc",
    "run_git",
    "split_author",
]

DEFAULT_AUTHOR = "Ada Principal <ada@example.org>"


def git_env(home: Path) -> dict[str, str]:
    """An environment for git that ignores the user's and the system's configuration."""
    return backdated.git_env(home)


def run_git(cwd: Path, *args: str, env: Mapping[str, str] | None = None, check: bool = True) -> str:
    """Run git in ``cwd`` and return its stdout; raise with stderr shown when it fails."""
    proc = subprocess.run(
        ["git", *args],
        cwd=cwd,
        env=dict(env) if env is not None else git_env(cwd.parent),
        capture_output=True,
        text=True,
    )
    if check and proc.returncode != 0:
        raise AssertionError(
            f"git {' '.join(args)} failed ({proc.returncode}) in {cwd}:\n{proc.stdout}{proc.stderr}"
        )
    return proc.stdout


class GitRepo:
    """A git working tree in a folder (usually below pytest's ``tmp_path``)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.home = self.path.parent

    @classmethod
    def init(cls, path: Path) -> GitRepo:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        repo = cls(path)
        repo.run("init", "-q", "-b", "main")
        repo.run("config", "user.name", "Test Default")
        repo.run("config", "user.email", "default@example.org")
        repo.run("config", "commit.gpgsign", "false")
        repo.run("config", "core.autocrlf", "false")
        return repo

    @classmethod
    def clone(cls, source: GitRepo, dest: Path, *args: str) -> GitRepo:
        """``git clone [args] file://<source> <dest>``, e.g. ``args=("--depth", "1")``."""
        dest = Path(dest)
        run_git(dest.parent, "clone", "-q", *args, source.path.as_uri(), str(dest))
        return cls(dest)

    def run(self, *args: str, check: bool = True) -> str:
        """Run git in the repository and return its stdout."""
        return run_git(self.path, *args, env=git_env(self.home), check=check)

    def write(self, relpath: str, text: str) -> Path:
        target = self.path / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))  # no newline translation
        return target

    def remove(self, relpath: str) -> None:
        (self.path / relpath).unlink()

    def _dated_env(self, date: str, author: str) -> dict[str, str]:
        name, email = split_author(author)
        return backdated.identity_env(git_env(self.home), name, email, date)

    def commit(self, message: str, *, date: str, author: str = DEFAULT_AUTHOR) -> str:
        """Stage everything and commit; ``date`` is both author and committer date."""
        env = self._dated_env(date, author)
        run_git(self.path, "add", "-A", env=env)
        run_git(self.path, "commit", "-q", "--no-verify", "-m", message, env=env)
        return self.head()

    def head(self) -> str:
        return self.run("rev-parse", "HEAD").strip()

    def branch(self, name: str) -> None:
        """Create a branch at HEAD (without switching to it)."""
        self.run("branch", name)

    def checkout(self, name: str) -> None:
        self.run("checkout", "-q", name)

    def commit_on_branch(
        self,
        name: str,
        files: Mapping[str, str],
        message: str,
        *,
        date: str,
        author: str = DEFAULT_AUTHOR,
    ) -> str:
        """Create branch ``name`` at HEAD, write ``files`` ({relpath: text}) and commit them
        there, then switch back to the branch that was checked out; return the commit."""
        back = self.run("symbolic-ref", "--short", "HEAD").strip()
        self.branch(name)
        self.checkout(name)
        for relpath, text in files.items():
            self.write(relpath, text)
        sha = self.commit(message, date=date, author=author)
        self.checkout(back)
        return sha

    def merge(
        self,
        name: str,
        *,
        date: str,
        message: str,
        author: str = DEFAULT_AUTHOR,
        resolve: Mapping[str, str] | None = None,
    ) -> str:
        """``git merge --no-ff name``. With ``resolve`` ({relpath: text}) the merge stops
        before committing (conflicts allowed), those files are written, and the result is
        committed: that is how a conflict resolution or an "evil merge" is made."""
        env = self._dated_env(date, author)
        if resolve is None:
            run_git(self.path, "merge", "-q", "--no-ff", "--no-edit", "-m", message, name, env=env)
            return self.head()
        run_git(self.path, "merge", "-q", "--no-ff", "--no-commit", name, env=env, check=False)
        if not (self.path / ".git" / "MERGE_HEAD").exists():
            raise AssertionError(f"merging {name} did not start a merge")
        for relpath, text in resolve.items():
            self.write(relpath, text)
        run_git(self.path, "add", "-A", env=env)
        run_git(self.path, "commit", "-q", "--no-verify", "-m", message, env=env)
        return self.head()


def plan_doc(doc_id: str, school: str, cycle: str, status: str, body: str = "") -> str:
    """YAML text of a minimal plan document."""
    return f"document: {doc_id}\nschool: {school}\ncycle: {cycle}\nstatus: {status}\n{body}"
