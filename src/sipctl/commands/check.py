from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sipctl.commands.options import AsOfOption, JobsOption, RepoOption, SchoolOption
from sipctl.errors import UsageError

if TYPE_CHECKING:
    from sipctl.concurrency import Background
    from sipctl.git.history import History


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    junit = "junit"


def check(
    repo: RepoOption = None,
    school: SchoolOption = None,
    output_format: Annotated[
        CheckFormat | None,
        typer.Option(
            "--format",
            help="text for people, json for tools, github for Actions annotations, junit for "
            "test reports. Default: github when GITHUB_ACTIONS=true, else text.",
            show_default=False,
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail the check too.")] = False,
    as_of: AsOfOption = None,
    changed_since: Annotated[
        str | None,
        typer.Option(
            "--changed-since",
            metavar="REV",
            help="Only the schools whose files changed since this git revision (all of them "
            "when sipctl.yaml or a cycle file changed): the fast path for pull requests.",
        ),
    ] = None,
    jobs: JobsOption = None,
    exit_zero: Annotated[
        bool,
        typer.Option(
            "--exit-zero",
            help="Exit 0 even when findings are errors (to show them, e.g. in a demo); "
            "problems with the repository or options still exit 2.",
        ),
    ] = False,
) -> None:
    """Check every plan document: YAML, schema, structure and deadlines.

    Deadlines are judged from git history: a document reached draft or final
    at the committer time of the first commit that set that status.

    Exit status: 0 no errors, 1 errors found (with --strict: warnings too),
    2 the repository or an option could not be used.

    Example: sipctl check --repo examples/sezp-district --as-of 2022-05-07
    """
    from sipctl.domain.root import find_root

    root = find_root(repo)
    # A check of a few schools starts git now: asking which schools changed, then
    # walking their history, while the models are imported and the plans read. On a
    # long history that walk is most of the time.
    early: Background[tuple[set[str] | None, Background[History] | None]] | None = None
    if changed_since is not None:
        from sipctl.concurrency import Background

        early = Background(_changed_then_history, root, school, changed_since)
    else:
        history = _early_history(root, school, None)

    from sipctl.domain.deadlines import now_in, parse_as_of
    from sipctl.domain.district import District
    from sipctl.progress import progress_bar
    from sipctl.reporters import CHECK_REPORTERS
    from sipctl.services.check import CheckOptions, run_check

    only = None
    if early is not None:
        only, history = early.result()
    district = District.open(repo)
    if school is not None and school not in district.schools():
        raise UsageError(
            f"no school {school!r} in {district.root}",
            hint="schools: " + (", ".join(district.schools()) or "(none yet)"),
        )
    tz = district.timezone
    moment = parse_as_of(as_of, tz) if as_of else now_in(tz)
    options = CheckOptions(
        school=school,
        only=only,
        strict=strict,
        as_of=moment,
        jobs=jobs or os.cpu_count() or 1,
    )
    total = 1 if school else len(only if only is not None else district.schools())
    with progress_bar("Checking", total, "schools") as advance:
        result = run_check(district, options, advance, history)
    if output_format is None:
        in_actions = os.environ.get("GITHUB_ACTIONS") == "true"
        output_format = CheckFormat.github if in_actions else CheckFormat.text
    CHECK_REPORTERS[output_format.value](result, sys.stdout)
    raise typer.Exit(1 if result.failed and not exit_zero else 0)


def _changed_then_history(
    root: Path, school: str | None, changed_since: str
) -> tuple[set[str] | None, Background[History] | None]:
    from sipctl.git.changes import changed_schools

    only = changed_schools(root, changed_since)
    return only, _early_history(root, school, only)


def _early_history(
    root: Path, school: str | None, only: set[str] | None
) -> Background[History] | None:
    """The history read for a check of one school or a few, started at once; None for a
    check large enough for worker processes (they are forked before any thread starts)."""
    from sipctl.concurrency import uses_pool
    from sipctl.git.history import read_history_beside

    if school is not None:  # a name, not a path: `--school ../x` is refused later
        plain = "/" not in school and "\\" not in school and school not in ("", ".", "..")
        schools = [school] if plain and (root / "schools" / school).is_dir() else []
    elif only is not None:
        schools = sorted(slug for slug in only if (root / "schools" / slug).is_dir())
    else:
        return None
    if not schools or uses_pool(len(schools)):
        return None
    return read_history_beside(root, schools, overlap=True)
