from __future__ import annotations

from typing import Annotated

import typer

from sipctl.commands.options import RepoOption
from sipctl.commands.planned import not_built


def log(
    school: Annotated[str, typer.Argument(help="The school's slug.")],
    document: Annotated[str | None, typer.Argument(help="One document id.")] = None,
    repo: RepoOption = None,
) -> None:
    """The audit trail: each status change with commit, author, time, on time or late.

    Example: sipctl log maple priority-levers
    """
    not_built("log", "list every status change from git history with its deadline")
