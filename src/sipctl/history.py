"""Bulk reader of the plan documents' git history (infrastructure layer).

One ``git log`` walk over HEAD lists every change under ``schools/`` and one
``git cat-file --batch`` process reads every blob version that walk named, so the
cost grows with the number of changes, not with files x commits. Only the
``status:`` line of each version is extracted (no YAML parse).

The ``git`` binary is called directly: GitPython costs ~100 ms to import.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, NamedTuple

from sipctl.concurrency import Background
from sipctl.errors import GitError
from sipctl.limits import MAX_FILE_BYTES

STATUS_ORDER = ("not-started", "in-progress", "draft", "final", "approved")
_STATUS_INDEX = {status: index for index, status in enumerate(STATUS_ORDER)}

# A top-level key sits at column 0; block scalar content never does.
_STATUS_KEY = re.compile(rb"^status:(.*?)\r?$", re.MULTILINE)
_STATUS_VALUE = re.compile(rb"""[ \t]*["']?([a-z-]+)["']?[ \t]*(?:#.*)?""")
_BOM = b"\xef\xbb\xbf"
_DOCUMENT_SUFFIXES = (".yaml", ".yml")
_FILE_MODES = ("100644", "100755")
_MARKER = "\x1eC"
# marker, sha, parents, author, committer date (strict ISO 8601 and epoch seconds), subject
_LOG_FORMAT = "%x1eC%x00%H%x00%P%x00%an <%ae>%x00%cI%x00%ct%x00%s"
_HEADER_FIELDS = 6
# A commit whose date git cannot express (a hand-made commit object: "+9999" offset, a
# year past 9999, no number at all) is dated after every deadline: it can never be an
# on-time submission, and a margin of days keeps it printable in any timezone.
UNDATED = datetime(9999, 12, 30, tzinfo=UTC)
# Control characters in a name or subject would reach a terminal or a CI log as escape
# sequences (a commit's author is whatever its maker typed).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_REV_PARSE = "rev-parse --show-toplevel --is-shallow-repository --git-common-dir -q --verify"
# -m: a merge shows its diff against each parent (whatever log.diffMerges says);
# --full-history: keep side branches that the default simplification would prune.
_LOG = (
    "-c log.diffMerges=separate -c log.showSignature=false log -z --raw -m --full-history"
    " --root --date-order --no-renames --no-abbrev --no-color --no-ext-diff --encoding=UTF-8"
)
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

_process_count = 0


@dataclass(frozen=True)
class Commit:
    sha: str
    author: str  # "Name <email>"
    time: datetime  # committer time, aware, with the commit's own UTC offset
    subject: str
    is_merge: bool


@dataclass(frozen=True)
class StatusChange:
    """One status change of one file, for the audit log."""

    path: str  # posix path relative to the district root
    commit: Commit
    old_status: str | None  # None: the file did not exist before / status unreadable
    new_status: str | None  # None: the file was deleted / status unreadable
    old_blob: str | None
    new_blob: str | None


@dataclass(frozen=True)
class ContentChange:
    """A commit that changed a file whose old and new version both have status approved."""

    path: str
    commit: Commit
    old_blob: str
    new_blob: str


class _Entry(NamedTuple):
    """One line of ``git log --raw`` output; merges give one entry per differing parent."""

    path: str
    commit: Commit
    old_blob: str | None
    new_blob: str | None
    order: int  # position of the commit in the log output (newest first, topological)
    parents: int


@dataclass
class History:
    available: bool  # False when there is no usable history (see ``reason``)
    reason: str | None = None  # "no-git", "not-toplevel", "shallow", "no-commits"
    changes: dict[str, list[StatusChange]] = field(default_factory=dict)
    approved_edits: dict[str, list[ContentChange]] = field(default_factory=dict)
    # per path: (commit, status index or None, log order) of every version, oldest first
    _versions: dict[str, list[tuple[Commit, int | None, int]]] = field(
        default_factory=dict, repr=False, compare=False
    )
    _texts: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _root: Path | None = field(default=None, repr=False, compare=False)

    def reached(self, path: str, status: str) -> Commit | None:
        """The earliest commit in HEAD's history whose version of ``path`` has ``status``
        or a later one in STATUS_ORDER; None if there is none.

        - Committer time counts, compared as an instant: it is when the change entered
          the branch history (author time can be set freely, and survives a rebase).
          On equal instants the commit earlier in topological order wins.
        - The first time counts: a status that goes back (final -> in-progress) and
          is reached again keeps the first date.
        - Merges: a document that reached draft on a side branch counts from that
          branch commit once the branch is merged into HEAD's history; a merge
          that itself produces the status (conflict resolution) counts at the merge.
        - Commits not reachable from HEAD never count; uncommitted changes never count.
        """
        wanted = _STATUS_INDEX.get(status)
        if wanted is None:
            raise ValueError(f"unknown status {status!r}; expected one of {STATUS_ORDER}")
        for commit, index, _order in self._versions.get(path, ()):
            if index is not None and index >= wanted:
                return commit  # versions are sorted oldest first
        return None

    def blob_text(self, blob: str) -> str:
        """Text of a blob (BOM removed). Blobs of ``approved_edits`` are kept from the
        bulk read; any other blob is read lazily with one extra ``git cat-file --batch``."""
        text = self._texts.get(blob)
        if text is None:
            if self._root is None:
                raise KeyError(blob)
            reader = _BlobReader(self._root, keep=lambda _status: True)
            reader.request(blob)
            data = reader.finish()[blob][1]
            text = self._texts[blob] = _decode(data or b"")
        return text


def git_process_count() -> int:
    """How many git subprocesses this module has started so far."""
    return _process_count


_cache_enabled = True


def use_cache(enabled: bool) -> None:
    """Whether `read_history` keeps its walk in the repository's git folder (see
    `sipctl.historycache`) unless its caller says otherwise; the CLI's
    `--no-history-cache` turns it off."""
    global _cache_enabled
    _cache_enabled = enabled


def read_history(
    district_root: Path,
    under: str | Sequence[str] = "schools",
    overlap: bool = True,
    *,
    cache: bool | None = None,
) -> History:
    """Read the status history of every document under ``district_root/under``.

    ``under`` may list several folders (``schools/maple``, ``schools/oak``): a check of
    one school then walks only that school's history, whatever the district's size.

    With ``overlap`` the blobs are read while the log is still being walked: git log
    and cat-file run side by side, and the read takes about as long as the longer of
    the two. A caller that reads history beside other work (check reads it while it
    checks the plans) leaves the second core to that work instead.

    With ``cache`` (by default, unless `use_cache(False)`), the walk is kept in the
    repository's git folder and the next read walks only the commits made since.
    """
    root = Path(district_root)
    repo = _check_repository(root)
    if isinstance(repo, str):
        return History(available=False, reason=repo)
    if cache if cache is not None else _cache_enabled:
        walk = _cached_walk(root, repo, under, overlap)
    else:
        walk = _fresh_walk(root, under, overlap, range_=repo.head, known={})
    history = History(available=True, _root=root)
    _collect(history, walk.entries, walk.statuses)
    texts = walk.texts
    wanted = {
        oid
        for edits in history.approved_edits.values()
        for edit in edits
        for oid in (edit.old_blob, edit.new_blob)
    }
    missing = wanted - texts.keys()
    if missing:  # approved versions the cache named but did not keep: one batch read
        reader = _BlobReader(root, keep=lambda _status: True)
        for oid in sorted(missing):
            reader.request(oid)
        texts.update({oid: data for oid, (_s, data) in reader.finish().items() if data})
    history._texts = {oid: _decode(texts[oid]) for oid in wanted if oid in texts}
    return history


class _Repository(NamedTuple):
    head: str  # HEAD's commit id
    git_dir: Path  # the common git folder (shared by every worktree)


@dataclass
class _WalkResult:
    head: str
    entries: list[_Entry]
    statuses: dict[str, str | None]
    texts: dict[str, bytes]  # content of the blobs whose status is approved, where read


def _fresh_walk(
    root: Path,
    under: str | Sequence[str],
    overlap: bool,
    *,
    range_: str,
    known: dict[str, str | None],
) -> _WalkResult:
    """One `git log` walk of ``range_`` and one `cat-file --batch` for the blobs it named
    whose status is not ``known``."""
    reader = _BlobReader(root, keep=lambda status: status == "approved")
    later: list[str] = []

    def on_blob(oid: str) -> None:
        if oid not in known:
            (reader.request if overlap else later.append)(oid)

    try:
        entries = _walk(root, under, on_blob, range_)
        for oid in later:
            reader.request(oid)
    except BaseException:
        reader.abort()
        raise
    blobs = reader.finish()
    head = range_.rpartition("..")[2]
    return _WalkResult(
        head,
        entries,
        {oid: status for oid, (status, _data) in blobs.items()},
        {oid: data for oid, (_status, data) in blobs.items() if data is not None},
    )


def _cached_walk(
    root: Path, repo: _Repository, under: str | Sequence[str], overlap: bool
) -> _WalkResult:
    from sipctl import historycache

    folders = historycache.folder_list(under)
    cached = historycache.load(
        repo.git_dir, folders, repo.head, lambda old: _is_ancestor(root, old, repo.head)
    )
    if cached is not None and cached.head == repo.head:
        return _WalkResult(repo.head, cached.entries, cached.statuses, {})
    known = cached.statuses if cached is not None else {}
    since = f"{cached.head}..{repo.head}" if cached is not None else repo.head
    fresh = _fresh_walk(root, under, overlap, range_=since, known=known)
    walk = historycache.Walk(repo.head, fresh.entries, fresh.statuses)
    if cached is not None:
        walk = historycache.extend(cached, walk)
    historycache.save(repo.git_dir, folders, walk)
    return _WalkResult(repo.head, walk.entries, walk.statuses, fresh.texts)


def _is_ancestor(root: Path, old: str, head: str) -> bool:
    """Whether commit ``old`` is in ``head``'s history (False if git no longer has it)."""
    if not re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", old):
        return False
    code, _out, _err = _run(root, ["merge-base", "--is-ancestor", old, head])
    return code == 0


def school_folders(schools: Sequence[str] | None) -> str | list[str]:
    """What `read_history` walks for these schools (all of them: None)."""
    return "schools" if schools is None else [f"schools/{slug}" for slug in schools]


def read_history_beside(
    root: Path, schools: Sequence[str] | None, *, overlap: bool = False
) -> Background[History]:
    """`read_history` of these schools in a thread, started now, for a caller that checks
    the plans meanwhile. Without ``overlap`` the log is walked before the blobs are read,
    so git takes one core and leaves the other to the caller: right for many schools.
    For a few, the caller is done long before git, which should then not wait."""
    return Background(read_history, root, school_folders(schools), overlap)


def _collect(history: History, entries: list[_Entry], statuses: dict[str, str | None]) -> None:
    # Sorted by (committer time, -log order): on equal instants, the later in the log
    # is the earlier in topological order.
    status = statuses.get

    # how many parents each merge's version of a path differs from
    differing: dict[tuple[str, str], int] = {}
    for entry in entries:
        if entry.commit.is_merge:
            pair = (entry.commit.sha, entry.path)
            differing[pair] = differing.get(pair, 0) + 1

    changes: dict[str, list[tuple[tuple[datetime, int], StatusChange]]] = {}
    edits: dict[str, list[tuple[tuple[datetime, int], ContentChange]]] = {}
    versions: dict[str, dict[str, tuple[Commit, int | None, int]]] = {}
    for entry in entries:
        commit, path = entry.commit, entry.path
        old = None if entry.old_blob is None else status(entry.old_blob)
        new = None if entry.new_blob is None else status(entry.new_blob)
        if entry.new_blob is not None:
            index = None if new is None else _STATUS_INDEX[new]
            versions.setdefault(path, {})[commit.sha] = (commit, index, entry.order)
        resolved = differing.get((commit.sha, path), 0) >= entry.parents
        if old != new and (not commit.is_merge or resolved):
            change = StatusChange(path, commit, old, new, entry.old_blob, entry.new_blob)
            changes.setdefault(path, []).append(((commit.time, -entry.order), change))
        if (
            not commit.is_merge
            and old == new == "approved"
            and entry.old_blob is not None
            and entry.new_blob is not None
            and entry.old_blob != entry.new_blob
        ):
            edit = ContentChange(path, commit, entry.old_blob, entry.new_blob)
            edits.setdefault(path, []).append(((commit.time, -entry.order), edit))

    history.changes = {
        p: [c for _k, c in sorted(v, key=lambda i: i[0])] for p, v in changes.items()
    }
    history.approved_edits = {
        p: [c for _k, c in sorted(v, key=lambda i: i[0])] for p, v in edits.items()
    }
    history._versions = {
        p: sorted(v.values(), key=lambda t: (t[0].time, -t[2])) for p, v in versions.items()
    }


# --- git plumbing -------------------------------------------------------------------------


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


def _popen(
    root: Path, args: Sequence[str], *, stdin: int, stderr: int | IO[bytes] = subprocess.PIPE
) -> subprocess.Popen[bytes]:
    global _process_count
    proc = subprocess.Popen(
        ["git", "--literal-pathspecs", "-C", str(root), *args],
        stdin=stdin,
        stdout=subprocess.PIPE,
        stderr=stderr,
        env=git_env(),
    )
    _process_count += 1
    return proc


def _run(root: Path, args: Sequence[str]) -> tuple[int, bytes, str]:
    proc = _popen(root, args, stdin=subprocess.DEVNULL)
    out, err = proc.communicate()
    return proc.returncode, out, err.decode("utf-8", "replace").strip()


def _check_repository(root: Path) -> str | _Repository:
    """The reason there is no usable history, or the repository whose history it is."""
    try:
        code, out, err = _run(root, [*_REV_PARSE.split(), "HEAD^{commit}"])
    except FileNotFoundError:
        return "no-git"  # git is not installed
    lines = out.decode("utf-8", "surrogateescape").splitlines()
    if code != 0 and len(lines) < 3:
        if "not a git repository" in err:
            return "no-git"
        raise GitError(
            f"git cannot read the repository at {root}: {err or f'exit code {code}'}",
            hint="run `git status` in the district root to see what git reports",
        )
    if Path(lines[0]).resolve() != root.resolve():
        return "not-toplevel"
    if lines[1] == "true":
        return "shallow"
    if code != 0 or len(lines) < 4:
        return "no-commits"
    return _Repository(head=lines[3], git_dir=root / lines[2])  # relative to root, if so


def _walk(
    root: Path, under: str | Sequence[str], on_blob: Callable[[str], None], range_: str
) -> list[_Entry]:
    """Every (commit, path) change under ``under`` of the commits in ``range_`` (a
    commit's history, or `OLD..NEW`); merges once per parent. ``on_blob`` hears of each
    blob id as soon as git names it."""
    folders = [under] if isinstance(under, str) else list(under)
    pathspecs = [f.strip("/") + "/" if f.strip("/") else "." for f in folders] or ["."]
    args = [*_LOG.split(), f"--format={_LOG_FORMAT}", range_, "--", *pathspecs]
    with tempfile.TemporaryFile() as errors:  # a file: stderr can never fill up and block git
        proc = _popen(root, args, stdin=subprocess.DEVNULL, stderr=errors)
        assert proc.stdout is not None
        try:
            entries = _parse_log(_tokens(proc.stdout), on_blob)
        except BaseException:
            proc.kill()
            raise
        finally:
            proc.stdout.close()
            code = proc.wait()
        errors.seek(0)
        err = errors.read().decode("utf-8", "replace").strip()
    if code != 0:
        raise GitError(
            f"git log failed in {root}: {err or f'exit code {code}'}",
            hint="run `git fsck` in the district repository to check it",
        )
    return entries


def _tokens(stream: IO[bytes]) -> Iterator[bytes]:
    """The NUL-separated fields of git's output, as they arrive."""
    rest = b""
    while chunk := stream.read1(1 << 16):  # type: ignore[attr-defined]
        parts = (rest + chunk).split(b"\0")
        rest = parts.pop()
        yield from parts
    yield rest


def _parse_log(tokens: Iterator[bytes], on_blob: Callable[[str], None]) -> list[_Entry]:
    entries: list[_Entry] = []
    commits: dict[str, Commit] = {}
    commit: Commit | None = None
    parents = order = 0
    for raw in tokens:
        token = raw.lstrip(b"\n").decode("utf-8", "replace")
        if token == _MARKER:
            sha, parent_list, author, date, epoch, subject = (
                next(tokens, b"").decode("utf-8", "replace") for _ in range(_HEADER_FIELDS)
            )
            parents = len(parent_list.split())
            if sha not in commits:
                order += 1
                commits[sha] = Commit(
                    sha,
                    printable(author),
                    commit_time(date, epoch),
                    printable(subject),
                    parents > 1,
                )
            commit = commits[sha]
        elif token.startswith(":") and commit is not None:
            fields = token[1:].split()
            path = next(tokens, b"").decode("utf-8", "surrogateescape")
            if len(fields) < 5 or not path.lower().endswith(_DOCUMENT_SUFFIXES):
                continue
            old_mode, new_mode, old_blob, new_blob = fields[:4]
            entry = _Entry(
                path, commit, _blob(old_mode, old_blob), _blob(new_mode, new_blob), order, parents
            )
            for blob in (entry.old_blob, entry.new_blob):
                if blob is not None:
                    on_blob(blob)
            entries.append(entry)
    return entries


def commit_time(iso: str, epoch: str) -> datetime:
    """The committer time from git's `%cI`, else its `%ct` in UTC, else UNDATED."""
    try:
        return datetime.fromisoformat(iso)
    except ValueError:
        pass  # an offset of 24 hours or more, a year past 9999, or no date at all
    try:
        return datetime.fromtimestamp(int(epoch), UTC)
    except (ValueError, OverflowError, OSError):
        return UNDATED


def printable(text: str) -> str:
    """`text` with control characters replaced by U+FFFD."""
    return _CONTROL.sub("\ufffd", text)


def _blob(mode: str, oid: str) -> str | None:
    """The blob id of a regular file; None for an absent file, a submodule or a symlink."""
    if mode not in _FILE_MODES or not oid.strip("0"):
        return None
    return oid


class _BlobReader:
    """One `git cat-file --batch` that takes blob ids while git log is still running and
    reads each answer in a thread: the status of every blob, and the content of those
    that ``keep(status)`` wants."""

    def __init__(self, root: Path, *, keep: Callable[[str | None], bool]) -> None:
        self.root = root
        self.keep = keep
        self.requested: set[str] = set()
        self.result: dict[str, tuple[str | None, bytes | None]] = {}
        self.error: BaseException | None = None
        self.proc: subprocess.Popen[bytes] | None = None
        self.thread: threading.Thread | None = None

    def request(self, oid: str) -> None:
        if oid in self.requested:
            return
        self.requested.add(oid)
        if self.proc is None:  # started on the first blob: a history without any needs none
            self.proc = _popen(
                self.root,
                ["cat-file", "--batch", "--buffer"],
                stdin=subprocess.PIPE,
                stderr=subprocess.DEVNULL,  # never read while the batch runs: no pipe
            )
            self.thread = threading.Thread(target=self._read, daemon=True)
            self.thread.start()
        assert self.proc.stdin is not None
        with contextlib.suppress(OSError):  # git exited early: the reader thread says why
            self.proc.stdin.write(f"{oid}\n".encode("ascii"))

    def _read(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        stream = self.proc.stdout
        try:
            while line := stream.readline():
                header = line.decode("utf-8", "replace").split()
                if len(header) != 3:
                    raise GitError(
                        f"git cannot read object {header[0] if header else '?'}: "
                        f"{' '.join(header) or 'no output'}",
                        hint="run `git fsck` in the district repository to check it",
                    )
                oid, size = header[0], int(header[2])
                if size > MAX_FILE_BYTES:  # too large to be a plan: no status, never in memory
                    discard(stream, size + 1)
                    self.result[oid] = (None, None)
                    continue
                data = stream.read(size + 1)[:size]
                status = _status_of(data)
                self.result[oid] = (status, data if self.keep(status) else None)
        except BaseException as exc:  # handed to the caller by finish()
            self.error = exc
            self.proc.kill()

    def finish(self) -> dict[str, tuple[str | None, bytes | None]]:
        """Every requested blob's status (and kept content), once git has answered all."""
        if self.proc is None or self.thread is None:
            return {}
        assert self.proc.stdin is not None and self.proc.stdout is not None
        with contextlib.suppress(OSError):
            self.proc.stdin.close()  # end of the requests: cat-file answers the rest and exits
        self.thread.join()
        self.proc.stdout.close()
        self.proc.wait()
        if self.error is not None:
            raise self.error
        missing = self.requested - self.result.keys()
        if missing:
            raise GitError(
                f"git cat-file stopped before reading {len(missing)} object(s), e.g. "
                f"{min(missing)}",
                hint="run `git fsck` in the district repository to check it",
            )
        return self.result

    def abort(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            with contextlib.suppress(OSError):
                self.proc.stdin.close()  # type: ignore[union-attr]
            if self.thread is not None:
                self.thread.join()
            self.proc.wait()


def discard(stream: IO[bytes], count: int) -> None:
    """Read and drop `count` bytes a megabyte at a time (a blob too large to keep)."""
    while count > 0:
        chunk = stream.read(min(count, 1 << 20))
        if not chunk:
            return
        count -= len(chunk)


def _status_of(data: bytes) -> str | None:
    """The value of the top-level ``status:`` key, if it is one of STATUS_ORDER."""
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    match = _STATUS_KEY.search(data)
    if match is None:
        return None
    value = _STATUS_VALUE.fullmatch(match.group(1))
    status = value.group(1).decode("ascii") if value else None
    return status if status in _STATUS_INDEX else None


def _decode(data: bytes) -> str:
    return data.decode("utf-8-sig", "replace")
