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

from sipctl.domain.root import find_root

if TYPE_CHECKING:
    from sipctl.concurrency import Background
    from sipctl.git.history import History

# What a check of a few schools learns early: the schools --changed-since names (None:
# all of them), and the history read already started for them (None: started later).
Early = tuple[set[str] | None, "Background[History] | None"]


@dataclass
class CheckStart:
    """Where the district is, and what has started to read its history."""

    root: Path
    _early: Background[Early] | None = None
    _history: Background[History] | None = None

    def finish(self) -> Early:
        """The changed schools and the history read started for them; waits for
        `git diff` when --changed-since was given."""
        if self._early is not None:
            return self._early.result()
        return None, self._history


def start_check(repo: Path | None, school: str | None, changed_since: str | None) -> CheckStart:
    """Find the district, and start reading git history for a check of a few schools."""
    root = find_root(repo)
    if changed_since is not None:
        from sipctl.concurrency import Background

        return CheckStart(
            root, _early=Background(_changed_then_history, root, school, changed_since)
        )
    return CheckStart(root, _history=_early_history(root, school, None))


def _changed_then_history(root: Path, school: str | None, changed_since: str) -> Early:
    from sipctl.git.changes import changed_schools

    only = changed_schools(root, changed_since)
    return only, _early_history(root, school, only)


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
