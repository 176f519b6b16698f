from __future__ import annotations

from sipctl.commands.options import RepoOption
from sipctl.commands.planned import not_built


def status(repo: RepoOption = None) -> None:
    """The district matrix: schools by documents, status and deadline state.

    Example: sipctl status --as-of 2022-05-07
    """
    not_built("status", "show each school's documents with their status and deadlines")
