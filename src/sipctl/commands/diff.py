from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from sipctl.commands.options import RepoOption
from sipctl.errors import UsageError

_FORMS = (
    "sipctl diff SCHOOL DOC [--cycle C] | sipctl diff SCHOOL --cycle 2022-23..2023-24 | "
    "sipctl diff --from REV [--to REV]"
)


class DiffFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


def diff(
    school: Annotated[
        str | None,
        typer.Argument(metavar="SCHOOL", help="The school's slug (its folder under schools/)."),
    ] = None,
    document: Annotated[
        str | None,
        typer.Argument(metavar="DOC", help="The document's id, e.g. priority-levers."),
    ] = None,
    cycle: Annotated[
        str | None,
        typer.Option(
            "--cycle",
            help="The planning cycle (default: the school's latest), or two cycles A..B to "
            "compare a school's plan year over year.",
            show_default=False,
        ),
    ] = None,
    from_rev: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="REV",
            help="Compare every plan document changed since this git revision "
            "(a pull request's base, e.g. origin/main).",
        ),
    ] = None,
    to_rev: Annotated[
        str | None,
        typer.Option(
            "--to", metavar="REV", help="...up to this revision. Default: the working tree."
        ),
    ] = None,
    output_format: Annotated[
        DiffFormat,
        typer.Option(
            "--format",
            help="text for people, markdown for a pull-request comment or job summary, "
            "json for tools.",
        ),
    ] = DiffFormat.text,
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
    from sipctl.services.diff import diff_cycles, diff_revisions, diff_submission

    district = District.open(repo)
    years = cycle.split("..") if cycle and ".." in cycle else None
    if from_rev is not None:
        if years is not None:
            raise UsageError("--from compares revisions; give --cycle one cycle, or leave it out")
        report = diff_revisions(
            district, from_rev, to_rev, school=school, document=document, cycle=cycle
        )
    elif to_rev is not None:
        raise UsageError("--to needs --from", hint=f"usage: {_FORMS}")
    elif years is not None:
        if school is None or len(years) != 2:
            raise UsageError(
                "year over year needs a school and two cycles",
                hint="e.g. sipctl diff maple --cycle 2022-23..2023-24",
            )
        report = diff_cycles(district, school, years[0], years[1], document)
    elif school is not None and document is not None:
        report = diff_submission(district, school, document, cycle)
    else:
        raise UsageError(
            "say what to compare: a school's document, two cycles, or two revisions",
            hint=f"usage: {_FORMS}",
        )
    DIFF_REPORTERS[output_format.value](report, sys.stdout, district.timezone)
