from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from sipctl.commands.options import AsOfOption, JobsOption, RepoOption, SchoolOption


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    junit = "junit"
    sarif = "sarif"


CheckFormatOption = Annotated[
    CheckFormat | None,
    typer.Option(
        "--format",
        help="text for people, json for tools, github for Actions annotations, junit for "
        "test reports, sarif for GitHub code scanning. Default: github when "
        "GITHUB_ACTIONS=true, else text.",
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
FilesArgument = Annotated[
    list[Path] | None,
    typer.Argument(
        metavar="FILE",
        help="Only the schools these files belong to (every school when one is sipctl.yaml "
        "or a cycle file): what the pre-commit hook passes, the files being committed.",
        show_default=False,
    ),
]
NoDeadlinesOption = Annotated[
    bool,
    typer.Option(
        "--no-deadlines",
        help="Judge no deadline and read no git history: YAML, schema, structure and links "
        "only, in a moment (the pre-commit hook; deadlines are CI's).",
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
    files: FilesArgument = None,
    repo: RepoOption = None,
    school: SchoolOption = None,
    output_format: CheckFormatOption = None,
    strict: StrictOption = False,
    as_of: AsOfOption = None,
    changed_since: ChangedSinceOption = None,
    jobs: JobsOption = None,
    no_deadlines: NoDeadlinesOption = False,
    exit_zero: ExitZeroOption = False,
) -> None:
    """Check every plan document: YAML, schema, structure and deadlines.

    Deadlines are judged from git history: a document reached draft or final
    at the committer time of the first commit that set that status.

    Exit status: 0 no errors, 1 errors found (with --strict: warnings too),
    2 the repository or an option could not be used.

    Example: sipctl check --repo examples/sezp-district --as-of 2022-05-07

    Example: sipctl check --no-deadlines schools/maple/2022-23/priority-levers.yaml
    """
    # Before the heavy imports: a check of a few schools starts reading git now.
    from sipctl.services.check_start import start_check

    if no_deadlines and as_of is not None:
        from sipctl.errors import UsageError

        raise UsageError("--as-of judges deadlines, which --no-deadlines leaves out")
    start = start_check(repo, school, changed_since, files, deadlines=not no_deadlines)

    from sipctl.domain.deadlines import now_in, parse_as_of
    from sipctl.domain.district import District
    from sipctl.progress import progress_bar
    from sipctl.reporters import CHECK_REPORTERS
    from sipctl.services.check import CheckOptions, plan_check, run_check

    district = District.at(start.root)
    tz = district.timezone
    moment = None if no_deadlines else parse_as_of(as_of, tz) if as_of else now_in(tz)
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
