"""The first moments of `sipctl check`: find the district and start reading git.

A check of one school, or of the few a pull request changed, spends most of its time
waiting for git; so git starts here, before the command imports the models and reads
the plans, and runs beside them. This module imports nothing heavy (no pydantic, no
rules), so the read starts within milliseconds of the command.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sipctl.domain.root import find_root, schools_of
from sipctl.errors import UsageError

if TYPE_CHECKING:
    from sipctl.concurrency import Background
    from sipctl.git.history import History

# What a check of a few schools learns early: the schools --changed-since or the files
# name (None: all of them), and the history read already started for them (None: started
# later, or never when deadlines are not judged).
Early = tuple[set[str] | None, "Background[History] | None"]


@dataclass
class CheckStart:
    """Where the district is, and what has started to read its history."""

    root: Path
    _early: Background[Early] | None = None
    _history: Background[History] | None = None
    _only: set[str] | None = None  # the schools of the files named

    def finish(self) -> Early:
        """The chosen schools and the history read started for them; waits for
        `git diff` when --changed-since was given."""
        if self._early is not None:
            return self._early.result()
        return self._only, self._history


def start_check(
    repo: Path | None,
    school: str | None,
    changed_since: str | None,
    files: list[Path] | None = None,
    deadlines: bool = True,
) -> CheckStart:
    """Find the district, and start reading git history for a check of a few schools
    (none at all when `deadlines` is false: nothing else needs it)."""
    root = find_root(repo)
    chosen = [
        name
        for name, given in (
            ("--school", school),
            ("--changed-since", changed_since),
            ("files", files),
        )
        if given
    ]
    if len(chosen) > 1:
        raise UsageError(
            f"{' and '.join(chosen)} each choose the schools to check; give one of them"
        )
    if files:
        only = schools_of(_within(root, path) for path in files)
        history = _early_history(root, None, only) if deadlines else None
        return CheckStart(root, _history=history, _only=only)
    if changed_since is not None:
        from sipctl.concurrency import Background

        return CheckStart(
            root, _early=Background(_changed_then_history, root, changed_since, deadlines)
        )
    return CheckStart(root, _history=_early_history(root, school, None) if deadlines else None)


def _within(root: Path, path: Path) -> str:
    """`path` (given on the command line) relative to the district root, with `/`."""
    try:
        return (Path.cwd() / path).resolve().relative_to(root).as_posix()
    except ValueError:
        raise UsageError(
            f"{path} is not inside the district at {root}",
            hint="name files of the district being checked, e.g. schools/maple/2022-23/"
            "priority-levers.yaml",
        ) from None


def _changed_then_history(root: Path, changed_since: str, deadlines: bool) -> Early:
    from sipctl.git.changes import changed_paths

    only = schools_of(changed_paths(root, changed_since))
    return only, _early_history(root, None, only) if deadlines else None


def _early_history(
    root: Path, school: str | None, only: set[str] | None
) -> Background[History] | None:
    """The history read for a check of one school or a few, started at once; None for a
    check large enough for worker processes (they are forked before any thread starts)."""
    from sipctl.concurrency import uses_pool
    from sipctl.git.history import read_history_beside

    if school is not None:  # a name, not a path: `--school ../x` is refused later
        plain = "/" not in school and "\\" not in school and school not in ("", ".", "..")
        schools = [school] if plain and (root / "schools" / school).is_dir() else []
    elif only is not None:
        schools = sorted(slug for slug in only if (root / "schools" / slug).is_dir())
    else:
        return None
    if not schools or uses_pool(len(schools)):
        return None
    return read_history_beside(root, schools, overlap=True)
