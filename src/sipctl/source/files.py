"""Reading a plan file safely: a small regular file of UTF-8 text, or a clear problem.

Opened non-blocking and checked with fstat, so a FIFO or a device where a plan belongs
is refused instead of hanging the run; at most `MAX_FILE_BYTES` are read; a file that
is not UTF-8 or holds a NUL byte is not text. Every problem is a `YamlProblem` with a
position, raised as `YamlLoadError`, which the caller turns into a finding.
"""

from __future__ import annotations

import codecs
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from sipctl.limits import MAX_FILE_BYTES

__all__ = ["MAX_FILE_BYTES", "YamlLoadError", "YamlProblem", "decode", "read_text"]


@dataclass(frozen=True)
class YamlProblem:
    """Why a file could not be read, and where."""

    rule: str  # yaml-syntax, yaml-duplicate-key, yaml-alias, yaml-tag, file-too-large, ...
    message: str
    line: int | None = None
    column: int | None = None
    hint: str | None = None


class YamlLoadError(Exception):
    def __init__(self, problem: YamlProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def read_text(path: Path) -> str:
    """Read a file as UTF-8 text, refusing what is not a small regular file.

    Opened non-blocking and checked with fstat, so a FIFO or a device where a
    plan belongs is refused instead of hanging the run.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except IsADirectoryError:
        raise YamlLoadError(
            YamlProblem("file-unreadable", "this is a folder where a YAML file belongs")
        ) from None
    except OSError as exc:
        raise YamlLoadError(
            YamlProblem("file-unreadable", f"cannot be read: {exc.strerror}")
        ) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise YamlLoadError(
                YamlProblem("file-unreadable", "is not a regular file (a folder, pipe or device)")
            )
        if info.st_size > MAX_FILE_BYTES:
            raise YamlLoadError(
                YamlProblem(
                    "file-too-large",
                    f"is {info.st_size:,} bytes; plan files may be at most {MAX_FILE_BYTES:,}",
                    hint="split long narrative into shorter answers or link to a document",
                )
            )
        raw = _read_at_most(fd, MAX_FILE_BYTES + 1, info.st_size + 1)
    finally:
        os.close(fd)
    if len(raw) > MAX_FILE_BYTES:  # it grew after fstat, or reports no size (procfs)
        raise YamlLoadError(
            YamlProblem(
                "file-too-large",
                f"is over {MAX_FILE_BYTES:,} bytes, the most a plan file may hold",
                hint="split long narrative into shorter answers or link to a document",
            )
        )
    return decode(raw)


def _read_at_most(fd: int, limit: int, first: int) -> bytes:
    """Up to `limit` bytes of `fd`, asking for `first` (the size fstat gave, plus one)
    first: a file that does not change is read in one call, then one that finds its end.
    Plain `os.read`, without a file object: a check reads every file of the district."""
    chunks = []
    total = 0
    want = min(first, limit)
    while total < limit:
        chunk = os.read(fd, want)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        want = min(1 << 16, limit - total)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def decode(raw: bytes) -> str:
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlLoadError(
            YamlProblem(
                "file-encoding",
                f"is not UTF-8 text (byte 0x{raw[exc.start]:02x} cannot be read)",
                line,
                column,
                hint="save the file as UTF-8 in your editor",
            )
        ) from None
    nul = text.find("\0")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise YamlLoadError(
            YamlProblem(
                "file-encoding",
                "contains a NUL byte, so it is not a text file",
                line,
                nul - (text.rfind("\n", 0, nul) + 1) + 1,
            )
        )
    return text
