from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from sipctl.commands.options import AsOfOption, CycleOption, RepoOption


class StatusFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


def status(
    repo: RepoOption = None,
    cycle: CycleOption = None,
    as_of: AsOfOption = None,
    output_format: Annotated[
        StatusFormat,
        typer.Option(
            "--format",
            help="text for people (coloured in a terminal), json for tools, markdown for "
            "the weekly digest.",
        ),
    ] = StatusFormat.text,
) -> None:
    """The district matrix: schools by documents, status and deadline state.

    Each cell is a document's status as committed at --as-of and the state of
    its deadlines: on time, late, missed or due soon (judged from git history
    like `sipctl check`). Totals count deadlines by state and finals by school.

    Example: sipctl status --as-of 2022-05-07
    """
    from sipctl.domain.deadlines import now_in, parse_as_of
    from sipctl.domain.district import District
    from sipctl.reporters.status import status_markdown, status_text, write_json
    from sipctl.services.status import district_status

    district = District.open(repo)
    tz = district.timezone
    moment = parse_as_of(as_of, tz) if as_of else now_in(tz).replace(microsecond=0)
    result = district_status(district, cycle=cycle, as_of=moment)
    if output_format is StatusFormat.json:
        write_json(result, sys.stdout)
    elif output_format is StatusFormat.markdown:
        status_markdown(result, sys.stdout)
    else:
        status_text(result, sys.stdout)
