"""`sipctl edit`: the browser editor on this computer, saving to the local repository.

Decap CMS (the district's `admin/`, from `sipctl editor`) runs in the browser and talks to
decap-server, its local git backend, which works in a git worktree of its own (see
`git/edit_worktree.py`): each save becomes a `cms/<collection>/<slug>` branch of the
user's repository, to push and open a pull request from, and the user's working copy,
index and branches stay as they were. One session per repository at a time: a second
would share the worktree.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sipctl.domain.root import find_root
from sipctl.errors import UsageError
from sipctl.git.edit_worktree import (
    EditWorktree,
    close_edit_worktree,
    find_edit_place,
    open_edit_worktree,
    tool_environment,
)
from sipctl.services.admin_site import admin_folder, served_config, serving_admin
from sipctl.services.decap_server import DecapServer, decap_command, running_decap_server


@dataclass
class EditSession:
    address: str  # the page to open
    api: str  # decap-server's address
    worktree: EditWorktree
    origin: str  # where decap-server came from
    log: Path  # decap-server's log
    decap: DecapServer

    def wait(self) -> None:
        """Until the session is stopped (Ctrl-C, SIGTERM); a DecapServerFailed if
        decap-server ends first."""
        self.decap.wait()


@contextlib.contextmanager
def editing(repo: Path | None, *, port: int | None = None) -> Iterator[EditSession]:
    """A running editor for the district at `repo` (default: found from the current
    folder); everything it started is stopped when the block ends."""
    root = find_root(repo)
    admin = admin_folder(root)
    config_text = (admin / "config.yml").read_text("utf-8")
    command = decap_command(root)  # before anything changes: Node.js may be missing
    place = find_edit_place(root)
    with _only_session(place.folder):
        worktree = open_edit_worktree(place)
        try:
            log = place.folder / "decap-server.log"
            env = tool_environment()
            with running_decap_server(command, worktree.district, env=env, log=log) as decap:
                config = served_config(
                    config_text,
                    api=decap.api,
                    branch=worktree.branch,
                    file=str(admin / "config.yml"),
                )
                with serving_admin(admin, config, port=port) as site:
                    yield EditSession(site.address, decap.api, worktree, command.origin, log, decap)
        finally:
            close_edit_worktree(worktree)


@contextlib.contextmanager
def _only_session(folder: Path) -> Iterator[None]:
    """A lock on `folder` for the session (POSIX; Windows goes without): the kernel
    drops it when the process ends, however it ends."""
    folder.mkdir(parents=True, exist_ok=True)
    if sys.platform == "win32":
        yield
        return
    import fcntl

    # Never through a link planted where the lock belongs: it would make a file elsewhere.
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(folder / "lock", flags, 0o644)
    except OSError as exc:
        raise UsageError(
            f"cannot lock {folder / 'lock'}: {exc.strerror}",
            hint="remove that file; `sipctl edit` makes it again",
        ) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise UsageError(
                "`sipctl edit` is already running on this repository",
                hint="use the editor it opened, or stop it (Ctrl-C in its terminal) first",
            ) from None
        yield
    finally:
        os.close(fd)
