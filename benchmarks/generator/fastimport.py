"""The ``git fast-import`` stream: blobs with marks, then commits on ``main`` whose ``M``
lines name those blobs, with the author and committer dates of ``scripts/backdated.py``."""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import backdated


class Stream:
    """Writes a fast-import stream; blobs get marks."""

    def __init__(self, sink: IO[bytes]) -> None:
        self.sink = sink
        self.marks = 0

    def blob(self, text: str) -> int:
        data = text.encode("utf-8")
        self.marks += 1
        self.sink.write(b"blob\nmark :%d\ndata %d\n%s\n" % (self.marks, len(data), data))
        return self.marks

    def commit(
        self,
        author: tuple[str, str],
        moment: dt.datetime,
        message: str,
        files: list[tuple[str, int]],
    ) -> None:
        """A commit on main by `author` (name, email) at `moment` (aware), author and
        committer alike, that sets each (path, blob mark) of `files`."""
        who = backdated.ident(author[0], author[1], moment).encode()
        body = message.encode("utf-8")
        head = b"commit refs/heads/main\nauthor %s\ncommitter %s\ndata %d\n%s\n" % (
            who,
            who,
            len(body),
            body,
        )
        lines = [head]
        lines.extend(b"M 100644 :%d %s\n" % (mark, path.encode()) for path, mark in files)
        lines.append(b"\n")
        self.sink.write(b"".join(lines))


def git(out: Path, *args: str) -> None:
    """Run git in `out`, without the user's or the system's configuration."""
    subprocess.run(["git", "-C", str(out), *args], check=True, env=backdated.git_env())


@contextmanager
def fast_import(out: Path) -> Iterator[Stream]:
    """A stream into ``git fast-import`` in `out`, ended with ``done`` when the block
    ends; the process is killed if the block raises."""
    proc = subprocess.Popen(
        ["git", "-C", str(out), "fast-import", "--quiet", "--done"],
        stdin=subprocess.PIPE,
        env=backdated.git_env(),
    )
    assert proc.stdin is not None
    sink = proc.stdin
    try:
        yield Stream(sink)
        sink.write(b"done\n")
        sink.close()
    except BaseException:
        proc.kill()
        raise
    if proc.wait() != 0:
        raise RuntimeError("git fast-import failed")
