from __future__ import annotations

import os
import sys
from enum import StrEnum
from typing import Annotated

import typer

from sipctl.commands.options import AsOfOption, JobsOption, RepoOption, SchoolOption


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    junit = "junit"


CheckFormatOption = Annotated[
    CheckFormat | None,
    typer.Option(
        "--format",
        help="text for people, json for tools, github for Actions annotations, junit for "
        "test reports. Default: github when GITHUB_ACTIONS=true, else text.",
        show_default=False,
    ),
]
StrictOption = Annotated[bool, typer.Option("--strict", help="Warnings fail the check too.")]
ChangedSinceOption = Annotated[
    str | None,
    typer.Option(
        "--changed-since",
        metavar="REV",
        help="Only the schools whose files changed since this git revision (all of them "
        "when sipctl.yaml or a cycle file changed): the fast path for pull requests.",
    ),
]
ExitZeroOption = Annotated[
    bool,
    typer.Option(
        "--exit-zero",
        help="Exit 0 even when findings are errors (to show them, e.g. in a demo); "
        "problems with the repository or options still exit 2.",
    ),
]


def check(
    repo: RepoOption = None,
    school: SchoolOption = None,
    output_format: CheckFormatOption = None,
    strict: StrictOption = False,
    as_of: AsOfOption = None,
    changed_since: ChangedSinceOption = None,
    jobs: JobsOption = None,
    exit_zero: ExitZeroOption = False,
) -> None:
    """Check every plan document: YAML, schema, structure and deadlines.

    Deadlines are judged from git history: a document reached draft or final
    at the committer time of the first commit that set that status.

    Exit status: 0 no errors, 1 errors found (with --strict: warnings too),
    2 the repository or an option could not be used.

    Example: sipctl check --repo examples/sezp-district --as-of 2022-05-07
    """
    # Before the heavy imports: a check of a few schools starts reading git now.
    from sipctl.services.check_start import start_check

    start = start_check(repo, school, changed_since)

    from sipctl.domain.deadlines import now_in, parse_as_of
    from sipctl.domain.district import District
    from sipctl.progress import progress_bar
    from sipctl.reporters import CHECK_REPORTERS
    from sipctl.services.check import CheckOptions, plan_check, run_check

    district = District.at(start.root)
    tz = district.timezone
    moment = parse_as_of(as_of, tz) if as_of else now_in(tz)
    options = CheckOptions(
        school=school, strict=strict, as_of=moment, jobs=jobs or os.cpu_count() or 1
    )
    plan = plan_check(district, options, start)
    with progress_bar("Checking", plan.schools, "schools") as advance:
        result = run_check(district, plan.options, advance, plan.history)
    if output_format is None:
        in_actions = os.environ.get("GITHUB_ACTIONS") == "true"
        output_format = CheckFormat.github if in_actions else CheckFormat.text
    CHECK_REPORTERS[output_format.value](result, sys.stdout)
    raise typer.Exit(1 if result.failed and not exit_zero else 0)
