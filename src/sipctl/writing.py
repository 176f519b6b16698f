"""Atomic writes that stay inside their target folder.

A write goes to a temporary file in the same folder and is renamed over the
target, so an interrupted run never leaves half a file; a path that resolves
outside `root` (through `..` or a symbolic link) is refused.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from sipctl.errors import UnsafePath


def safe_target(path: Path, root: Path) -> Path:
    """`path` if it stays inside `root` once links are followed, else UnsafePath."""
    root_real = root.resolve()
    parent = path.parent.resolve()
    if not parent.is_relative_to(root_real):
        raise UnsafePath(f"refusing to write {path}: it is outside {root}")
    if path.is_symlink():
        raise UnsafePath(
            f"refusing to write {path}: it is a symbolic link",
            hint="remove the link; sipctl writes only regular files",
        )
    return parent / path.name


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, text: str, *, root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    target = safe_target(path, root)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    # mkstemp makes the file private (0600); plans and pages get the usual permissions.
    os.chmod(tmp, 0o666 & ~_umask())
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
