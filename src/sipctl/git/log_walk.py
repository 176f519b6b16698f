"""git's log and blobs, read in bulk (infrastructure layer).

One ``git log`` walk lists every change under some folders (for a few schools,
`sipctl.git.subtrees` picks the commits and ``git diff-tree`` lists their changes), and
one ``git cat-file --batch`` process reads every blob version that walk named, so the
cost grows with the number of changes, not with files x commits. Only the ``status:``
line of each version is extracted (no YAML parse). `sipctl.git.history` builds the audit
trail from what these return.
"""

from __future__ import annotations

import contextlib
import posixpath
import re
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Literal, NamedTuple

from sipctl.errors import GitError
from sipctl.git.process import FSCK_HINT, git_failed, popen_git, run_git
from sipctl.git.subtrees import touching_commits
from sipctl.limits import MAX_FILE_BYTES

STATUS_ORDER = ("not-started", "in-progress", "draft", "final", "approved")
STATUS_INDEX = {status: index for index, status in enumerate(STATUS_ORDER)}

# A top-level key sits at column 0; block scalar content never does.
_STATUS_KEY = re.compile(rb"^status:(.*?)\r?$", re.MULTILINE)
_STATUS_VALUE = re.compile(rb"""[ \t]*["']?([a-z-]+)["']?[ \t]*(?:#.*)?""")
_BOM = b"\xef\xbb\xbf"
_DOCUMENT_SUFFIXES = (".yaml", ".yml")
_FILE_MODES = ("100644", "100755")
_MARKER = "\x1eC"
# A commit message, an author's name or email can be many megabytes: whatever its maker
# typed. git itself cuts each to 200 columns (ending a cut one with ".."), so no more is
# ever read, held, cached or printed; it pads shorter ones with spaces, taken off again
# by `author_of` and `subject_of`.
_CUT = "%<(200,trunc)"
AUTHOR_FORMAT = f"{_CUT}%an <{_CUT}%ae>"
SUBJECT_FORMAT = f"{_CUT}%s"
# marker, sha, parents, author, committer date (strict ISO 8601 and epoch seconds), subject
_LOG_FORMAT = f"%x1eC%x00%H%x00%P%x00{AUTHOR_FORMAT}%x00%cI%x00%ct%x00{SUBJECT_FORMAT}"
_HEADER_FIELDS = 6
# A commit whose date git cannot express (a hand-made commit object: "+9999" offset, a
# year past 9999, no number at all) is dated after every deadline: it can never be an
# on-time submission, and a margin of days keeps it printable in any timezone.
UNDATED = datetime(9999, 12, 30, tzinfo=UTC)
# Control characters in a name or subject would reach a terminal or a CI log as escape
# sequences (a commit's author is whatever its maker typed).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_REV_PARSE = "rev-parse --show-toplevel --is-shallow-repository --git-common-dir -q --verify"
# -m: a merge shows its diff against each parent (whatever log.diffMerges says).
_DIFF = "-z --raw -m --root --no-renames --no-abbrev --no-color --no-ext-diff --encoding=UTF-8"
# --full-history: keep side branches that the default simplification would prune.
_LOG = "-c log.diffMerges=separate log --full-history --date-order " + _DIFF
# The same output for the commits given on stdin. (diff-tree reads the index: popen_git
# turns core.fsmonitor off.)
_DIFF_TREE = "diff-tree --stdin -r " + _DIFF
# A plan's versions are stored as deltas against one another, and the history asks for
# them in log order, newest first, across every school at once. git keeps the bases it
# has unpacked in a cache of 96 MiB by default. In the benchmark's pack of 1,800 schools
# (written by fast-import, as a migrated history is) they did not fit, and cat-file
# unpacked each base again and again: 75,406 versions took 6.3 s, and 2.5 s with room
# for them (git's peak grew from 162 to 236 MiB). A pack whose deltas git chose itself
# took 1.7 s either way. The cache is git's own, bounded by this figure, and freed when
# cat-file exits.
_DELTA_BASE_CACHE = "256m"

Walk = Literal["pathspec", "subtrees", "relative"]


@dataclass(frozen=True)
class Commit:
    sha: str
    author: str  # "Name <email>"
    time: datetime  # committer time, aware, with the commit's own UTC offset
    subject: str
    is_merge: bool


class LogEntry(NamedTuple):
    """One line of ``git log --raw`` output; merges give one entry per differing parent."""

    path: str
    commit: Commit
    old_blob: str | None
    new_blob: str | None
    order: int  # position of the commit in the log output (newest first, topological)
    parents: int


class Repository(NamedTuple):
    head: str  # HEAD's commit id
    git_dir: Path  # the common git folder (shared by every worktree)


def is_ancestor(root: Path, old: str, head: str) -> bool:
    """Whether commit ``old`` is in ``head``'s history (False if git no longer has it)."""
    if not re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", old):
        return False
    code, _out, _err = run_git(root, ["merge-base", "--is-ancestor", old, head])
    return code == 0


def partial_clone(root: Path) -> bool:
    """Whether the repository is a partial clone (`git clone --filter`): one that left
    objects on the server, for git to fetch when something asks for them."""
    code, out, _err = run_git(
        root, ["config", "--get-regexp", r"^(extensions\.partialclone|remote\..*\.promisor)$"]
    )
    return code == 0 and bool(out.strip())


def unreadable_objects(root: Path, count: int, example: str) -> GitError:
    """The error for objects git could not give: in a partial clone, the versions its
    clone left out (never fetched: sipctl's git has no transport), with the fix."""
    if partial_clone(root):
        return GitError(
            f"this clone of the district is a partial clone (made with `--filter`), and "
            f"{count} version(s) of the plans in its history are not in it, e.g. {example}; "
            "sipctl reads history offline and fetches nothing",
            hint="clone the repository again without --filter (in GitHub Actions: remove "
            "`filter:` from actions/checkout and set `fetch-depth: 0`)",
        )
    return GitError(
        f"git cannot read {count} object(s) of the history, e.g. {example}", hint=FSCK_HINT
    )


def rewritten_history(root: Path, git_dir: Path) -> bool:
    """Whether the repository holds replace refs (`git replace`) or a grafts file
    (`.git/info/grafts`): ways to show other commits than those recorded. sipctl's git
    runs with both off (`sipctl.git.process`), so they change nothing it reads; a
    reader of the repository with plain git may see another history, and is told."""
    if (git_dir / "info" / "grafts").exists():
        return True
    if not (git_dir / "reftable").exists():  # refs are files: no git process to ask
        loose = git_dir / "refs" / "replace"
        if loose.is_dir() and any(p.is_file() for p in loose.rglob("*")):
            return True
        try:
            with (git_dir / "packed-refs").open("rb") as packed:
                return any(b" refs/replace/" in line for line in packed)
        except OSError:
            return False
    code, out, _err = run_git(root, ["for-each-ref", "--count=1", "--format=x", "refs/replace/"])
    return code == 0 and bool(out.strip())


def check_repository(root: Path) -> str | Repository:
    """The reason there is no usable history, or the repository whose history it is."""
    try:
        code, out, err = run_git(root, [*_REV_PARSE.split(), "HEAD^{commit}"])
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
    return Repository(head=lines[3], git_dir=root / lines[2])  # relative to root, if so


def folder_list(under: str | Sequence[str]) -> list[str]:
    """The folders a read covers, without slashes at either end ('' is the whole tree)."""
    return sorted({f.strip("/") for f in ([under] if isinstance(under, str) else under)})


def walk_log(
    root: Path,
    under: str | Sequence[str],
    on_blob: Callable[[str], None],
    range_: str,
    *,
    how: Walk = "pathspec",
) -> list[LogEntry]:
    """Every (commit, path) change under ``under`` of the commits in ``range_`` (a
    commit's history, or `OLD..NEW`); merges once per parent. ``on_blob`` hears of each
    blob id as soon as git names it.

    ``how`` says how git finds the commits; the result is the same:

    - ``pathspec``: git tests each commit against the folders and diffs only those that
      touch them. Right for a few schools, since most of a district's commits touch
      others. In a range, git's test of a merge leaves out its parents outside the
      range, and so its diff against them.
    - ``subtrees``: `sipctl.git.subtrees` finds the commits that touch a few folders
      from the folders' ids, then git diffs only those (about half the time of the
      pathspec's test for a school of 1,800, a third for several). A range is walked
      as ``relative``.
    - ``relative``: git diffs every commit once and keeps what lies under the folders'
      common folder; sipctl keeps what lies under the folders. For a folder that nearly
      every commit touches, the pathspec's test costs as much as the diff it saves:
      1,800 schools' 20,000 commits took 4.1-4.6 s against 7.3-9.5 s with
      ``-- schools/``, for the same changes. And git tests each entry against every
      folder of a pathspec: 40 schools took 42.8 s, against 4.7 s for the whole
      district's walk.
    """
    folders = folder_list(under) or [""]
    if how == "subtrees" and ".." in range_:
        how = "relative"
    within: tuple[str, ...] | None = None
    if how == "relative":
        base = folders[0] if len(folders) == 1 else posixpath.commonpath(folders)
        prefix = f"{base}/" if base else ""  # git prints paths without it
        relative, pathspecs = [f"--relative={prefix}"] if prefix else [], []
        if len(folders) > 1:
            within = tuple(f"{f}/" for f in folders)
    else:
        prefix, relative = "", []
        pathspecs = ["--", *(f"{f}/" if f else "." for f in folders)]
    with contextlib.ExitStack() as stack:
        stdin: int | IO[bytes] = subprocess.DEVNULL
        if how == "subtrees":
            commits = touching_commits(root, folders, range_)
            if not commits:
                return []
            stdin = stack.enter_context(tempfile.TemporaryFile())
            stdin.write("".join(f"{sha}\n" for sha in commits).encode("ascii"))
            stdin.seek(0)
            command = "diff-tree"
            args = [*_DIFF_TREE.split(), f"--format={_LOG_FORMAT}", *pathspecs]
        else:
            command = "log"
            args = [*_LOG.split(), f"--format={_LOG_FORMAT}", *relative, range_, *pathspecs]
        # stderr goes to a file: it can never fill up and block git
        errors = stack.enter_context(tempfile.TemporaryFile())
        proc = popen_git(root, args, stdin=stdin, stderr=errors)
        assert proc.stdout is not None
        try:
            entries = _parse_log(_tokens(proc.stdout), on_blob, prefix, within)
        except BaseException:
            proc.kill()
            raise
        finally:
            proc.stdout.close()
            code = proc.wait()
        errors.seek(0)
        err = errors.read().decode("utf-8", "replace").strip()
    if code != 0:
        raise git_failed(root, command, code, err)
    return entries


def deleted_in(root: Path, commits: Sequence[str], folder: str) -> list[LogEntry]:
    """The files these commits deleted under ``folder``: one `git diff-tree --stdin`."""
    if not commits:
        return []
    args = [*_DIFF_TREE.split(), "--diff-filter=D", f"--format={_LOG_FORMAT}", "--", f"{folder}/"]
    data = "".join(f"{sha}\n" for sha in commits).encode("ascii")
    code, out, err = run_git(root, args, input=data)
    if code != 0:
        raise git_failed(root, "diff-tree", code, err)
    return _parse_log(iter(out.split(b"\0")), lambda _oid: None, "")


def _tokens(stream: IO[bytes]) -> Iterator[bytes]:
    """The NUL-separated fields of git's output, as they arrive."""
    rest = b""
    while chunk := stream.read1(1 << 16):  # type: ignore[attr-defined]
        parts = (rest + chunk).split(b"\0")
        rest = parts.pop()
        yield from parts
    yield rest


def _parse_log(
    tokens: Iterator[bytes],
    on_blob: Callable[[str], None],
    prefix: str,
    within: tuple[str, ...] | None = None,
) -> list[LogEntry]:
    """The entries of git's output, of paths under ``within`` (if given)."""
    entries: list[LogEntry] = []
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
                    author_of(author),
                    commit_time(date, epoch),
                    subject_of(subject),
                    parents > 1,
                )
            commit = commits[sha]
        elif token.startswith(":") and commit is not None:
            fields = token[1:].split()
            path = prefix + next(tokens, b"").decode("utf-8", "surrogateescape")
            if len(fields) < 5 or not path.lower().endswith(_DOCUMENT_SUFFIXES):
                continue
            if within is not None and not path.startswith(within):
                continue
            old_mode, new_mode, old_blob, new_blob = fields[:4]
            entry = LogEntry(
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


def author_of(field: str) -> str:
    """`Name <email>` from AUTHOR_FORMAT's padded field, printable. git keeps `<` and
    `>` out of names and emails, so the first `<` starts the email."""
    name, _, email = field.partition("<")
    return printable(f"{name.rstrip(' ')} <{email.removesuffix('>').rstrip(' ')}>")


def subject_of(field: str) -> str:
    """The subject from SUBJECT_FORMAT's padded field, printable."""
    return printable(field.rstrip(" "))


def printable(text: str) -> str:
    """`text` with control characters replaced by U+FFFD."""
    return _CONTROL.sub("\ufffd", text)


def _blob(mode: str, oid: str) -> str | None:
    """The blob id of a regular file; None for an absent file, a submodule or a symlink."""
    if mode not in _FILE_MODES or not oid.strip("0"):
        return None
    return oid


class BlobReader:
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
            self.proc = popen_git(
                self.root,
                [
                    "-c",
                    f"core.deltaBaseCacheLimit={_DELTA_BASE_CACHE}",
                    "cat-file",
                    "--batch",
                    "--buffer",
                ],
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
                    raise unreadable_objects(self.root, 1, header[0] if header else "?")
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
        if missing:  # git stopped early: a missing object it could not fetch, or worse
            raise unreadable_objects(self.root, len(missing), min(missing))
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
    return status if status in STATUS_INDEX else None


def decode_blob(data: bytes) -> str:
    return data.decode("utf-8-sig", "replace")
