from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

InitRepoOption = Annotated[
    Path | None,
    typer.Option(
        "--repo",
        metavar="DIR",
        help="The district repository. Default: the nearest folder above the current one that "
        "holds sipctl.yaml, else the current folder (a new district starts there).",
        file_okay=False,
        show_default=False,
    ),
]


SchoolArgument = Annotated[
    str,
    typer.Argument(
        metavar="SCHOOL",
        help="The school's folder name: lowercase letters, digits and dashes, e.g. maple.",
        show_default=False,
    ),
]
CycleOption = Annotated[
    str, typer.Option("--cycle", metavar="CYCLE", help="The school year planned, e.g. 2022-23.")
]
FrameworkOption = Annotated[
    str | None,
    typer.Option(
        "--framework",
        metavar="NAME",
        help="sezp, planning-for-success or dese-sip. Default: the cycle's framework, "
        "else the district's (sezp for a new district).",
        show_default=False,
    ),
]
NameOption = Annotated[
    str | None,
    typer.Option(
        "--name", metavar="NAME", help='The school\'s full name, e.g. "Maple Elementary School".'
    ),
]
GradesOption = Annotated[
    str | None,
    typer.Option("--grades", metavar="GRADES", help="The grade span, e.g. K-5, 6-8 or 9-12."),
]
DistrictOption = Annotated[
    str | None,
    typer.Option(
        "--district", metavar="NAME", help="The district's name, for a new district's sipctl.yaml."
    ),
]
ReviewerOption = Annotated[
    list[str] | None,
    typer.Option(
        "--reviewer",
        metavar="@WHO",
        help="A GitHub user or team who reviews plans, e.g. @riverbend/school-planning; "
        "repeat for several. A new district's CODEOWNERS makes them own schools/.",
        show_default=False,
    ),
]
FromCycleOption = Annotated[
    str | None,
    typer.Option(
        "--from",
        metavar="CYCLE",
        help="Carry the multi-year content of this earlier cycle forward, e.g. 2021-22.",
        show_default=False,
    ),
]
ForceOption = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Rewrite this school's documents and school.yaml from the templates. "
        "sipctl.yaml, an existing cycle file and the CI kit are never rewritten.",
    ),
]


def init(
    school: SchoolArgument,
    cycle: CycleOption,
    framework: FrameworkOption = None,
    name: NameOption = None,
    grades: GradesOption = None,
    district: DistrictOption = None,
    reviewer: ReviewerOption = None,
    repo: InitRepoOption = None,
    from_cycle: FromCycleOption = None,
    force: ForceOption = False,
) -> None:
    """Scaffold a school's cycle: every document of the framework, with deadlines.

    Writes schools/SCHOOL/school.yaml and one file per document in
    schools/SCHOOL/CYCLE/, each saying what to write, who owns it and when it is
    due; cycles/CYCLE.yaml when the cycle is new; and, in a new district,
    sipctl.yaml, schemas/ and the CI kit (GitHub workflow and the sipctl version
    it installs, CODEOWNERS, pull request template, pre-commit config, VS Code
    settings, README, .gitignore). If any of the
    school's documents exist, nothing is written and the exit status is 2,
    unless --force.

    Example: sipctl init maple --cycle 2022-23 --name "Maple Elementary" --grades K-5

    Example: sipctl init maple --cycle 2023-24 --from 2022-23
    """
    from sipctl.reporters.init import report_init
    from sipctl.services.init import InitOptions, run_init

    result = run_init(
        InitOptions(
            school=school,
            cycle=cycle,
            cwd=Path.cwd(),
            repo=repo,
            framework=framework,
            name=name,
            grades=grades,
            district=district,
            reviewers=reviewer or [],
            from_cycle=from_cycle,
            force=force,
        )
    )
    report_init(result, sys.stdout)
