"""Atomic writes that stay inside their target folder.

A write goes to a temporary file in the same folder and is renamed over the
target, so an interrupted run never leaves half a file; a path that resolves
outside `root` (through `..` or a symbolic link) is refused before any folder is
made. Ctrl-C, SIGTERM and SIGHUP wait while one file is written and renamed, so
the file in hand is either complete or not begun and no temporary file is left;
the signal takes effect right after. A failure (disk full, a file where a folder
belongs, a read-only folder) removes the temporary file and becomes a message
naming the path, never a traceback.

`Staging` writes many files that must land together (render's pages): each goes
to a hidden folder as it is made, so memory holds one at a time, and `commit`
moves them all into place at once.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import Any

from sipctl.concurrency import stop_as_exception
from sipctl.errors import SipctlError, UnsafePath

# Signals that would cut a write short; SIGKILL cannot be deferred (and may leave a
# `.<name>.*.tmp` file, never a half-written target).
_DEFERRED = frozenset(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)
_HINTS = {
    errno.ENOSPC: "free some disk space and run it again",
    errno.EDQUOT: "free some disk space and run it again",
    errno.EFBIG: "the file system refuses a file this large; write somewhere else",
    errno.EACCES: "check that you may write to that folder",
    errno.EPERM: "check that you may write to that folder",
    errno.EROFS: "that folder is read-only; write somewhere else",
    errno.EEXIST: "a file is in the way of a folder: move it, or write somewhere else",
    errno.ENOTDIR: "a file is in the way of a folder: move it, or write somewhere else",
    errno.EISDIR: "a folder is in the way of a file: move it, or write somewhere else",
}


class WriteFailed(SipctlError):
    """The file system refused a write; nothing was half-written."""


def safe_target(path: Path, root: Path) -> Path:
    """`path` if it stays inside `root` once links are followed, else UnsafePath."""
    if path.name in ("", ".", ".."):
        raise UnsafePath(f"refusing to write {path}: it does not name a file")
    try:
        root_real = root.resolve()
        parent = path.parent.resolve()
    except (OSError, RuntimeError):  # Python 3.11 raises RuntimeError on a link loop
        raise UnsafePath(
            f"refusing to write {path}: a symbolic link on the way leads back to itself"
        ) from None
    if not parent.is_relative_to(root_real):
        raise UnsafePath(f"refusing to write {path}: it is outside {root}")
    if path.is_symlink():
        raise UnsafePath(
            f"refusing to write {path}: it is a symbolic link",
            hint="remove the link; sipctl writes only regular files",
        )
    return parent / path.name


def refuse_linked_folder(out: Path, *, within: Iterable[Path] = ()) -> None:
    """Refuse an output folder (`--out`) that is a symbolic link, or that is reached
    through a link lying inside one of the `within` folders (the district): a pull
    request can commit a link named like the folder CI writes into (the kit renders
    into `site`), leading to `/tmp`, a home folder or another checkout. Links outside
    those folders (`/tmp` itself on macOS, say) are the machine's own, and followed."""
    given = Path(out)
    path = given if given.is_absolute() else Path.cwd() / given
    inside = [folder.resolve() for folder in within]
    probe = Path(path.anchor)
    for part in path.parts[1:]:
        probe = probe / part
        if part == ".." or not probe.is_symlink():
            continue
        if probe == path:
            raise UnsafePath(
                f"refusing to write into {given}: it is a symbolic link",
                hint="remove the link, or give the folder it leads to as --out",
            )
        if any(probe.parent.resolve().is_relative_to(folder) for folder in inside):
            raise UnsafePath(
                f"refusing to write into {given}: {probe} on the way is a symbolic link "
                "inside the district",
                hint="remove the link, or give the folder it leads to as --out",
            )


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _failed(path: Path, exc: OSError) -> WriteFailed:
    reason = exc.strerror or str(exc)
    return WriteFailed(
        f"cannot write {path}: {reason}; nothing was half-written",
        hint=_HINTS.get(exc.errno or 0, "fix the cause and run the command again"),
    )


def _nearest_existing(folder: Path) -> Path:
    probe = folder
    while not (probe.exists() or probe.is_symlink()) and probe != probe.parent:
        probe = probe.parent
    return probe


def _make_folders(path: Path, root: Path) -> None:
    """Make the folders `path` needs, once the nearest existing one is known to be inside
    `root`: a link on the way must not get a folder made at its far end."""
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _failed(root, exc) from None
    safe_target(_nearest_existing(path.parent) / path.name, root)  # names the file in hand
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _failed(path, exc) from None


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold Ctrl-C, SIGTERM and SIGHUP until the block is done (POSIX, main thread).

    Blocking them in this thread is not enough: with render's worker pool, the pool's
    own threads can take a signal sent to the process, and Python then runs its handler
    here, in the main thread, at once. So, while the block runs, a signal that arrives
    anyway is only noted, and sent again when the block is done."""
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not (
        threading.main_thread()
    ):
        yield
        return
    noted: list[int] = []
    handlers = {
        signum: signal.signal(signum, lambda n, _f: noted.append(n)) for signum in _DEFERRED
    }
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _DEFERRED)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)  # held ones arrive: noted
        for signum, handler in handlers.items():  # None: set outside Python, by default
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)
        for signum in dict.fromkeys(noted):
            signal.raise_signal(signum)  # to the handler it was meant for


def encoded(path: Path, text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise WriteFailed(f"cannot write {path}: its text is not valid UTF-8") from None


def write_atomic(path: Path, text: str, *, root: Path) -> None:
    data = encoded(path, text)
    _make_folders(path, root)
    target = safe_target(path, root)
    with _signals_deferred():
        tmp: str | None = None
        try:
            tmp = _write_new(target.parent, target.name, data)
            os.replace(tmp, target)
            tmp = None
            _sync_folder(target.parent)
        except OSError as exc:
            raise _failed(path, exc) from None
        finally:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)


@dataclass
class FolderUpdate:
    """What `update_folder` did: the files it wrote, or (checking) would write."""

    written: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)  # differ from or missing in the folder


def update_folder(
    files: dict[str, str], out: Path, *, check_only: bool, within: Iterable[Path] = ()
) -> FolderUpdate:
    """Bring generated `files` (name -> text) into `out`: write those that differ, each
    atomically, or with `check_only` write nothing and list them as stale. `out` must
    be no link, nor be reached through one inside `within` (`refuse_linked_folder`)."""
    result = FolderUpdate()
    if not check_only:
        refuse_linked_folder(out, within=within)
    for name, text in files.items():
        target = out / name
        current = target.read_text("utf-8") if target.is_file() else None
        if current == text:
            continue
        if check_only:
            result.stale.append(name)
        else:
            write_atomic(target, text, root=out)
            result.written.append(name)
    return result


def _write_new(folder: Path, name: str, data: bytes) -> str:
    """A new temporary file in `folder` holding `data`, on disk: its path."""
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            # mkstemp makes the file private (0600); plans and pages get the usual
            # permissions (os.chmod: os.fchmod is POSIX-only before Python 3.13).
            os.chmod(tmp, 0o666 & ~_umask())
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


_STAGING = ".sipctl-staging-"
_JOURNAL = "journal.json"
_MAX_JOURNAL_BYTES = 64 * 1024 * 1024  # the moves and manifest of 100,000 pages
_STAGED_NAME = re.compile(r"\.file\.[A-Za-z0-9_]+\.tmp")  # what `_write_new` names them


class Staging:
    """Files that land together: `stage` writes each into a hidden folder inside `root`
    as it is made, `commit` moves them all to their targets (a rename each, with
    Ctrl-C, SIGTERM and SIGHUP held until the last is in place).

    Leaving the `with` block removes the folder and whatever is still in it (and
    `root`, if staging made it and nothing was committed), so an error or Ctrl-C
    before `commit` leaves every target as it was. SIGTERM and SIGHUP
    while staging end the process by that signal, once the folder is removed.

    SIGKILL (or a power cut) cannot wait. Before the first move, `commit` writes the
    list of moves into the folder as its journal; from then on the new files win. The
    next Staging of the same `root` (`finish_interrupted`, which render runs before
    anything else) finishes a journal's moves, or removes a folder without one: after
    it, `root` holds every old file or every new one. The folder is locked while its run
    lives, so a render running at the same time keeps its folder.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._folder: Path | None = None
        self._lock: int | None = None
        self._staged: list[tuple[Path, str]] = []  # target, staged file
        self._made_root = False
        self._journaled = False
        self._committed = False
        self._stopping = stop_as_exception()

    def __enter__(self) -> Staging:
        self._stopping.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            # A journal whose moves failed half-way stays: the next run finishes them.
            if self._folder is not None and (self._committed or not self._journaled):
                shutil.rmtree(self._folder, ignore_errors=True)
            if self._lock is not None:
                os.close(self._lock)
            if self._made_root and not self._committed:  # made for files that never landed
                with contextlib.suppress(OSError):
                    self.root.rmdir()  # only if empty: nothing else was put there meanwhile
        finally:  # last: a SIGTERM ends the process once the folder is gone
            self._stopping.__exit__(exc_type, exc, traceback)

    def stage(self, target: Path, data: bytes, *, mode: int | None = None) -> None:
        """Write `data` for `target` (a path inside `root`) into the staging folder."""
        try:
            if self._folder is None:
                self._made_root = not self.root.exists()
                _make_folders(self.root / "probe", self.root)
                self._folder = self._new_folder()
            staged = _write_new(self._folder, "file", data)
            if mode is not None:
                os.chmod(staged, mode)
            self._staged.append((target, staged))
        except OSError as exc:
            raise _failed(target, exc) from None

    def _new_folder(self) -> Path:
        """A new, private staging folder, named before it is made: a signal at any moment
        of this leaves either no folder or one that `__exit__` knows to remove."""
        while True:
            self._folder = self.root / f"{_STAGING}{os.urandom(6).hex()}"
            try:
                self._folder.mkdir(mode=0o700)
            except FileExistsError:
                continue
            self._lock = _lock(self._folder)
            if self._lock is not None:
                return self._folder

    def commit(self, record: object = None, then: Callable[[], None] | None = None) -> None:
        """Move every staged file to its target, in the order staged, once the journal
        (the moves, and `record`: what `finish_interrupted` hands back) is on disk.
        `then` runs after the moves, with the signals still held."""
        with _signals_deferred():
            if self._folder is not None:
                root = self.root.resolve()
                moves = [
                    [Path(staged).name, safe_target(target, self.root).relative_to(root).as_posix()]
                    for target, staged in self._staged
                ]
                journal = json.dumps({"version": 1, "moves": moves, "record": record})
                try:
                    os.replace(_write_new(self._folder, "journal", journal.encode()),
                               self._folder / _JOURNAL)  # fmt: skip
                except OSError as exc:
                    raise _failed(self._folder / _JOURNAL, exc) from None
                _sync_folder(self._folder)
                self._journaled = True
            folders = {_move(self.root, target, Path(staged)) for target, staged in self._staged}
            for folder in folders:
                _sync_folder(folder)
            if then is not None:
                then()
            self._committed = True
        self._staged.clear()


def _move(root: Path, target: Path, staged: Path) -> Path:
    """Rename `staged` over `target` (inside `root`); the folder it landed in."""
    _make_folders(target, root)
    final = safe_target(target, root)
    try:
        os.replace(staged, final)
    except OSError as exc:
        raise _failed(target, exc) from None
    return final.parent


def finish_interrupted(root: Path) -> list[object]:
    """Finish what Stagings of `root` killed outright left (SIGKILL, a power cut): the
    moves of each journal (see `Staging`), or nothing without one; then remove their
    folders. The records of the journals finished, in name order. A folder still locked
    belongs to a run still going, and is left alone."""
    try:
        names = sorted(n for n in os.listdir(root) if n.startswith(_STAGING))
    except OSError:
        return []  # no --out yet, or not a folder: nothing was left there
    records = []
    with _signals_deferred():
        for name in names:
            folder = root / name
            if not folder.is_dir() or folder.is_symlink():
                continue  # not a folder Staging made
            lock = _lock(folder)
            if lock is None:
                continue
            try:
                journal = _journal(folder)
                if journal is not None:
                    for staged, rel in journal["moves"]:
                        if (folder / staged).is_file() and not (folder / staged).is_symlink():
                            _move(root, root / rel, folder / staged)
                    records.append(journal["record"])
                shutil.rmtree(folder, ignore_errors=True)
            finally:
                os.close(lock)
    return records


def _journal(folder: Path) -> dict[str, Any] | None:
    """The journal in a staging folder if it is one `commit` wrote: moves of staged
    files to paths inside the folder's root, with no `..` (it lies in --out, which a
    pull request could fill with anything)."""
    path = folder / _JOURNAL
    try:
        if path.is_symlink() or not path.is_file():
            return None
        with path.open("rb") as stream:
            data = json.loads(stream.read(_MAX_JOURNAL_BYTES))
        moves = data["moves"]
        for staged, rel in moves:
            parts = PurePosixPath(rel).parts
            if not _STAGED_NAME.fullmatch(staged) or rel.startswith("/") or ".." in parts:
                return None
    except (OSError, ValueError, LookupError, TypeError, AttributeError):
        return None
    return {"moves": moves, "record": data.get("record")}


def _lock(folder: Path) -> int | None:
    """An exclusive lock on `folder` (POSIX: the kernel drops it when the process ends,
    however it ends), as an open descriptor; None if another process holds it."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        import fcntl
    except ImportError:  # Windows: no locks; a concurrent render's folder is not told apart
        return fd
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (a power cut after it keeps the new file)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
