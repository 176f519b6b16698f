from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from sipctl.commands.options import RepoOption


class DiffFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


SchoolArgument = Annotated[
    str | None,
    typer.Argument(metavar="SCHOOL", help="The school's slug (its folder under schools/)."),
]
DocumentArgument = Annotated[
    str | None,
    typer.Argument(metavar="DOC", help="The document's id, e.g. priority-levers."),
]
CyclesOption = Annotated[
    str | None,
    typer.Option(
        "--cycle",
        metavar="CYCLE",
        help="The planning cycle (default: the school's latest), or two cycles A..B to "
        "compare a school's plan year over year.",
        show_default=False,
    ),
]
FromOption = Annotated[
    str | None,
    typer.Option(
        "--from",
        metavar="REV",
        help="Compare every plan document changed since this git revision "
        "(a pull request's base, e.g. origin/main).",
    ),
]
ToOption = Annotated[
    str | None,
    typer.Option("--to", metavar="REV", help="...up to this revision. Default: the working tree."),
]
DiffFormatOption = Annotated[
    DiffFormat,
    typer.Option(
        "--format",
        help="text for people, markdown for a pull-request comment or job summary, json for tools.",
    ),
]


def diff(
    school: SchoolArgument = None,
    document: DocumentArgument = None,
    cycle: CyclesOption = None,
    from_rev: FromOption = None,
    to_rev: ToOption = None,
    output_format: DiffFormatOption = DiffFormat.text,
    repo: RepoOption = None,
) -> None:
    """Semantic diff: what changed in the plan, item by item, in plan words.

    SCHOOL DOC compares the document as it was when it first reached draft
    with when it first reached final (from git history), or with the working
    tree while there is no final yet. --from REV [--to REV] shows every plan
    document changed between two revisions, grouped by school. SCHOOL --cycle
    2022-23..2023-24 compares a school's plan across two cycles.

    List items are matched by id: a moved item is a new order, not a removal
    and an addition. Exit status: 0 the diff was shown, 2 a usage or
    repository problem.

    Example: sipctl diff maple priority-levers --cycle 2022-23

    Pull request: sipctl diff --from origin/main --format markdown
    """
    from sipctl.domain.district import District
    from sipctl.reporters.diff_formats import DIFF_REPORTERS
    from sipctl.services.diff import DiffRequest, run_diff

    district = District.open(repo)
    report = run_diff(district, DiffRequest(school, document, cycle, from_rev, to_rev))
    DIFF_REPORTERS[output_format.value](report, sys.stdout, district.timezone)
