"""Option types shared by several commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

RepoOption = Annotated[
    Path | None,
    typer.Option(
        "--repo",
        metavar="DIR",
        help="The district repository (the folder holding sipctl.yaml). "
        "Default: the nearest such folder above the current one.",
        file_okay=False,
        show_default=False,
    ),
]
SchoolOption = Annotated[
    str | None,
    typer.Option("--school", metavar="SCHOOL", help="Only this school (its folder name)."),
]
CycleOption = Annotated[
    str | None,
    typer.Option(
        "--cycle", metavar="CYCLE", help="The planning cycle, e.g. 2022-23. Default: the latest."
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Judge deadlines as of this moment: 2022-05-06, 2022-05-06T16:00 or "
        "2022-05-06T20:00+00:00. A bare date means the end of that day and a time without an "
        "offset is in the district's timezone. Default: now.",
        show_default=False,
    ),
]
JobsOption = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        metavar="N",
        min=1,
        help="Worker processes for a large district (40 schools or more). "
        "Default: one per CPU core.",
        show_default=False,
    ),
]
