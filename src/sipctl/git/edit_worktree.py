"""The separate work tree `sipctl edit` gives decap-server, so the user's never changes.

decap-server (Decap CMS's local git backend, `MODE=git`) checks branches out in the
folder it is given and runs `git add .` and `git commit` there for every save. Given the
user's own working copy it would sweep their uncommitted and untracked files into a
commit and switch their branch under them. So it gets a worktree of its own, in
`.git/sipctl/edit/worktree` (beside the history cache, out of the user's sight and never
published), on a branch of its own, `sipctl/edit`: git refuses to check out one branch
in two worktrees, so it cannot be the user's `main`.

What happens to `sipctl/edit` on each start: it is set to the user's HEAD when that loses
no commit, that is when every commit on it is also on another branch, a tag or a remote
branch (the usual case: it is where the last session left it, behind or beside the
user's branch). A commit that only `sipctl/edit` has, an entry "published" in the local
editor (Decap merges it into the base branch), makes `sipctl edit` stop and say how to
keep it or drop it. The user's branches, index and files are never touched: every
command below that changes something runs in the edit worktree or names `sipctl/edit`.

On stop the worktree is left in place (the next start reuses it: no fresh checkout of
every school) and detached, so `sipctl/edit` is free for the user to merge, move or
delete. `git worktree remove .git/sipctl/edit/worktree` removes it for good.
"""

from __future__ import annotations

import contextlib
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sipctl.errors import GitError, UsageError
from sipctl.git.own_folder import own_folder
from sipctl.git.process import git_env, run_git
from sipctl.git.worktree import toplevel

BRANCH = "sipctl/edit"
CMS_BRANCHES = "cms/*"  # where Decap's editorial workflow keeps each entry's edit
_TIMEOUT = 300  # seconds: a first checkout of a large district takes a while


@dataclass(frozen=True)
class EditWorktree:
    """The edit worktree, ready for decap-server."""

    path: Path  # the worktree's top folder
    district: Path  # the district's folder inside it: decap-server's GIT_REPO_DIRECTORY
    branch: str  # the base branch decap-server is told to use
    base: str  # the commit it was set to: the user's HEAD
    user_branch: str | None  # the user's current branch; None when HEAD is detached


@dataclass(frozen=True)
class EditPlace:
    """Where the edit worktree of a district's repository goes, found before anything
    is changed (so the caller can take its lock first)."""

    root: Path  # the district
    top: Path  # the top of the user's work tree
    head: str  # the user's HEAD commit
    user_branch: str | None
    folder: Path  # .git/sipctl/edit: the worktree, decap-server's log, the lock


def find_edit_place(root: Path) -> EditPlace:
    """The repository holding the district `root`; a UsageError when there is none or
    it has no commit."""
    top = toplevel(root)
    if top is None:
        raise UsageError(
            f"{root} is not in a git repository: `sipctl edit` saves each edit on a git branch",
            hint='start one with: git init -b main && git add . && git commit -m "Start planning"',
        )
    head = _git(top, "rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False)
    if not head:
        raise UsageError(
            f"the git repository {top} has no commits yet: the editor edits what is committed",
            hint='commit the district first: git add . && git commit -m "Start planning"',
        )
    user_branch = _git(top, "symbolic-ref", "--quiet", "--short", "HEAD", check=False) or None
    if user_branch == BRANCH:
        raise UsageError(
            f"{BRANCH} is checked out here; it is the branch the editor works on",
            hint="switch to your own branch first, e.g. `git switch main`",
        )
    common = Path(_git(top, "rev-parse", "--path-format=absolute", "--git-common-dir"))
    # A real folder, not a link out of the git folder (nor a FIFO, a file): see own_folder.
    return EditPlace(root.resolve(), top, head, user_branch, own_folder(common, "edit"))


def open_edit_worktree(place: EditPlace) -> EditWorktree:
    """Create or reuse the edit worktree, with `sipctl/edit` checked out at the user's
    HEAD."""
    top, head, path = place.top, place.head, place.folder / "worktree"
    _refuse_to_lose_commits(top)
    _git(top, "worktree", "prune")
    if path.is_symlink():  # to another work tree, say: its files would be cleaned away
        raise UsageError(
            f"{path} is a symbolic link, not the editor's own worktree",
            hint="remove the link; `sipctl edit` makes the worktree again",
        )
    if path.resolve() in _registered(top):
        # Left as the last session left it, maybe mid-save: its files are only ever
        # decap-server's, so a forced checkout and a clean lose nothing of the user's.
        _git(path, "checkout", "--quiet", "--force", "-B", BRANCH, head)
        _git(path, "clean", "--quiet", "-ffd")
    elif path.exists():
        raise UsageError(
            f"{path} exists but is not a git worktree of this repository",
            hint="remove that folder; `sipctl edit` makes it again",
        )
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        _git(top, "worktree", "add", "--quiet", "-B", BRANCH, str(path), head)
    _require_identity(path)
    district = path / place.root.relative_to(top)
    return EditWorktree(path, district, BRANCH, head, place.user_branch)


def close_edit_worktree(worktree: EditWorktree) -> None:
    """Detach the worktree's HEAD so `sipctl/edit` is checked out nowhere; the worktree
    stays for the next start. Failures are ignored: the next start repairs the worktree."""
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        run_git(worktree.path, ["checkout", "--quiet", "--detach"], timeout=60, writes=True)


def tool_environment() -> dict[str, str]:
    """The environment for a program that runs git itself (decap-server): sipctl's git
    environment (no variable pointing git at another repository, untranslated messages,
    no prompt), with `core.fsmonitor` off as every sipctl git process has it."""
    env = git_env()
    count = int(env.get("GIT_CONFIG_COUNT", "0") or "0")
    env[f"GIT_CONFIG_KEY_{count}"] = "core.fsmonitor"
    env[f"GIT_CONFIG_VALUE_{count}"] = "false"
    env["GIT_CONFIG_COUNT"] = str(count + 1)
    return env


def _refuse_to_lose_commits(top: Path) -> None:
    ref = f"refs/heads/{BRANCH}"
    if not _git(top, "rev-parse", "--verify", "--quiet", ref, check=False):
        return
    only_here = _git(
        top, "rev-list", "--max-count=1", ref, "--not",
        f"--exclude={BRANCH}", f"--exclude={CMS_BRANCHES}", "--branches", "--tags", "--remotes",
    )  # fmt: skip
    if only_here:
        raise UsageError(
            f"the branch {BRANCH} has commits no other branch has (entries published in "
            "the local editor?); starting again would drop them",
            hint=f"keep them: `git merge {BRANCH}` on your branch; or drop them: "
            f"`git branch -f {BRANCH} HEAD`; then run `sipctl edit` again",
        )


def _registered(top: Path) -> set[Path]:
    listing = _git(top, "worktree", "list", "--porcelain")
    return {
        Path(line.removeprefix("worktree ")).resolve()
        for line in listing.splitlines()
        if line.startswith("worktree ")
    }


def _require_identity(place: Path) -> None:
    """decap-server commits each save: without a name and e-mail git refuses, and the
    browser only shows "Unknown error"."""
    code, _out, _err = run_git(place, ["var", "GIT_COMMITTER_IDENT"], timeout=60, writes=True)
    if code != 0:
        raise UsageError(
            "git does not know who you are, and the editor commits each save in your name",
            hint='git config --global user.name "Your Name" && '
            "git config --global user.email you@example.org",
        )


def _git(where: Path, *args: str, check: bool = True) -> str:
    """git's output, stripped; with `check`, a GitError when git fails."""
    try:
        code, out, err = run_git(where, args, timeout=_TIMEOUT, writes=True)
    except (OSError, subprocess.SubprocessError) as exc:
        raise GitError(f"git {args[0]} could not run in {where}: {exc}") from None
    if code != 0:
        if not check:
            return ""
        raise GitError(
            f"git {' '.join(args[:2])} failed in {where}: {err or f'exit code {code}'}",
            hint="`sipctl edit` changes only its own worktree and the sipctl/edit branch; "
            "git's message above says what stopped it",
        )
    return out.decode("utf-8", "surrogateescape").strip()
