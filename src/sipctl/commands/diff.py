from __future__ import annotations

from sipctl.commands.options import RepoOption
from sipctl.commands.planned import not_built


def diff(repo: RepoOption = None) -> None:
    """Semantic diff: a draft as submitted against its final, or two revisions.

    Example: sipctl diff maple priority-levers
    """
    not_built("diff", "compare plan documents item by item, matched by id")
