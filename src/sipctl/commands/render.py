from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from sipctl.commands.options import CycleOption, JobsOption, RepoOption, SchoolOption


class RenderFormat(StrEnum):
    html = "html"
    md = "md"


RenderFormatOption = Annotated[
    RenderFormat,
    typer.Option(
        "--format",
        help="html: self-contained pages for a website, with a district index; "
        "md: GitHub-flavoured Markdown with the same content.",
    ),
]
OutOption = Annotated[
    Path,
    typer.Option(
        "--out",
        metavar="DIR",
        help="The folder to write into; pages go to OUT/<cycle>/. Files render did not "
        "write are never replaced or deleted.",
        file_okay=False,
    ),
]
RenderAsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Judge deadlines as of this moment (2022-06-07, 2022-06-07T16:00). "
        "Default: the time of the repository's latest commit, so the same repository "
        "always renders the same bytes (today, without git history).",
        show_default=False,
    ),
]
ForceOption = Annotated[
    bool,
    typer.Option("--force", help="Replace files in OUT that render did not write."),
]


def render(
    output_format: RenderFormatOption,
    out: OutOption,
    repo: RepoOption = None,
    school: SchoolOption = None,
    cycle: CycleOption = None,
    as_of: RenderAsOfOption = None,
    force: ForceOption = False,
    jobs: JobsOption = None,
) -> None:
    """Publish plans as HTML or Markdown, with a district index.

    One page per school for the cycle: a one-screen summary (mission, vision,
    priorities, SMART goals), every document in the framework's order, the
    submission record and the revision history from git. Without --school,
    also the district index: the status of every document and the cycle's
    timeline. Text fields may use Markdown; any HTML in them is shown as text.

    Example: sipctl render --format html --out site --repo examples/sezp-district
    """
    from sipctl.domain.deadlines import now_in, parse_as_of
    from sipctl.domain.district import District
    from sipctl.progress import progress_bar
    from sipctl.reporters.site import report_site, write_site
    from sipctl.services.render import RenderOptions, build_site

    district = District.open(repo)
    tz = district.timezone
    options = RenderOptions(
        format=output_format.value,
        school=school,
        cycle=cycle,
        as_of=parse_as_of(as_of, tz) if as_of else None,
        today=now_in(tz).date(),
    )
    site, notes = build_site(district, options)
    with progress_bar("Rendering", site.page_count, "files") as advance:
        result = write_site(
            site,
            options.format,
            out,
            force=force,
            jobs=jobs or os.cpu_count() or 1,
            progress=advance,
            within=[district.root],
        )
    report_site(result, notes, sys.stdout, sys.stderr)
