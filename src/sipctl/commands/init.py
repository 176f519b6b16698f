from __future__ import annotations

from typing import Annotated

import typer

from sipctl.commands.options import RepoOption
from sipctl.commands.planned import not_built


def init(
    school: Annotated[str, typer.Argument(help="The school's slug, e.g. maple.")],
    cycle: Annotated[str, typer.Option("--cycle", help="The school year, e.g. 2022-23.")],
    repo: RepoOption = None,
) -> None:
    """Scaffold a school's cycle: every document of the framework, with deadlines.

    Example: sipctl init maple --cycle 2022-23 --name "Maple Elementary"
    """
    not_built("init", "create the district files, the cycle file and every document")
