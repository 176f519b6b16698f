from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated

import typer

from sipctl.commands.options import AsOfOption, CycleOption, RepoOption


class LogFormat(StrEnum):
    text = "text"
    json = "json"


def log(
    school: Annotated[
        str, typer.Argument(metavar="SCHOOL", help="The school's slug (its folder under schools/).")
    ],
    document: Annotated[
        str | None, typer.Argument(metavar="DOC", help="Only this document, e.g. priority-levers.")
    ] = None,
    repo: RepoOption = None,
    cycle: CycleOption = None,
    as_of: AsOfOption = None,
    output_format: Annotated[
        LogFormat, typer.Option("--format", help="text for people, json for tools.")
    ] = LogFormat.text,
) -> None:
    """The audit trail: each status change with commit, author, time, on time or late,
    then the deadlines no commit has met yet (missed, or still to come).

    Read from git history: a change counts when it is committed, at the
    committer's time; times are shown in the district's timezone.

    Example: sipctl log maple priority-levers --cycle 2022-23
    """
    from sipctl.domain.deadlines import now_in, parse_as_of
    from sipctl.domain.district import District
    from sipctl.reporters.log import log_json, log_text
    from sipctl.services.log import audit_log

    district = District.open(repo)
    tz = district.timezone
    moment = parse_as_of(as_of, tz) if as_of else now_in(tz).replace(microsecond=0)
    result = audit_log(district, school, document=document, cycle=cycle, as_of=moment)
    if output_format is LogFormat.json:
        json.dump(log_json(result, district.timezone), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        log_text(result, district.timezone, sys.stdout)
