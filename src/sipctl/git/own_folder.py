"""sipctl's own folder in the repository's git folder, `<git common dir>/sipctl/`.

The history cache (`history/`), render's manifests (`render/`) and `sipctl edit`'s
worktree and lock (`edit/`) live there. Each folder on that path must be a real
folder: a symbolic link there (to a home folder, `/tmp`, another repository) would
send sipctl's writes, its renames and its pruning of old files out of the repository,
and a FIFO or a plain file is no folder at all. CI restores `.git/sipctl` from a cache
(the kit's workflow), so its kind is checked, not assumed. Callers that only save time
with it skip it and say so; the others refuse.
"""

from __future__ import annotations

import stat
from pathlib import Path

from sipctl.errors import SipctlError

_KINDS = {
    stat.S_IFLNK: "a symbolic link",
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFREG: "a file",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
}


class UnusableFolder(SipctlError):
    """A folder of sipctl's in the git folder that is not a real folder."""


def own_folder(git_dir: Path, *parts: str) -> Path:
    """`git_dir/sipctl/<parts>`, made if missing, once each folder on the way is known to
    be a real folder (no link, FIFO or file); else UnusableFolder, with nothing made."""
    folder = git_dir
    for name in ("sipctl", *parts):
        folder = folder / name
        problem = _problem(folder)
        if problem == "missing":
            try:
                folder.mkdir(mode=0o755)
            except FileExistsError:  # made meanwhile (another sipctl): look again
                problem = _problem(folder)
            except OSError as exc:
                raise UnusableFolder(f"cannot make {folder}: {exc.strerror}") from None
        if problem not in (None, "missing"):
            raise UnusableFolder(
                f"{folder} is {problem}, not a folder: sipctl keeps its files there, "
                "and writes nothing through it",
                hint=f"remove it (`rm {folder}`); sipctl makes the folder again",
            )
    return folder


def folder_problem(git_dir: Path, *parts: str) -> str | None:
    """Why `git_dir/sipctl/<parts>` cannot be used (some folder on the way is a link, a
    FIFO or a file), or None: usable, or not made yet. Nothing is made."""
    folder = git_dir
    for name in ("sipctl", *parts):
        folder = folder / name
        problem = _problem(folder)
        if problem == "missing":
            return None
        if problem is not None:
            return f"{folder} is {problem}, not a folder"
    return None


def _problem(folder: Path) -> str | None:
    """None for a real folder, "missing", or what the thing in its place is."""
    try:
        mode = folder.lstat().st_mode
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        return f"unreadable ({exc.strerror})"
    if stat.S_ISDIR(mode):
        return None
    return _KINDS.get(stat.S_IFMT(mode), "something else")
