"""The command line: options in, one service call, a reporter out. No logic lives here.

Services are imported inside each command so `sipctl --help` and a one-school
check pay only for what they use.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from sipctl import __version__
from sipctl.errors import SipctlError, UsageError

app = typer.Typer(
    name="sipctl",
    help="School improvement plans as YAML in git: scaffold, check, diff, render and audit.\n\n"
    "Start with `sipctl init maple --cycle 2022-23`, fill in the documents, then run "
    "`sipctl check`.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

RepoOption = Annotated[
    Path | None,
    typer.Option(
        "--repo",
        help="The district repository (the folder holding sipctl.yaml). "
        "Default: the nearest such folder above the current one.",
        file_okay=False,
        show_default=False,
    ),
]
SchoolOption = Annotated[
    str | None, typer.Option("--school", help="Only this school (its folder name).")
]


class CheckFormat(StrEnum):
    text = "text"
    json = "json"


def _not_built(command: str, what: str) -> NoReturn:
    raise UsageError(
        f"`sipctl {command}` is not available in this version yet: it will {what}.",
        hint="see the README's command reference for what works today",
    )


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sipctl {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    pass


@app.command()
def check(
    repo: RepoOption = None,
    school: SchoolOption = None,
    output_format: Annotated[
        CheckFormat, typer.Option("--format", help="text for people, json for tools.")
    ] = CheckFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail the check too.")] = False,
) -> None:
    """Check every plan document: YAML, schema and structure.

    Exit status: 0 no errors, 1 errors found (with --strict: warnings too),
    2 the repository or an option could not be used.

    Example: sipctl check --repo examples/sezp-district --format json
    """
    from sipctl.reporters import CHECK_REPORTERS
    from sipctl.repository import District
    from sipctl.services.check import CheckOptions, run_check

    district = District.open(repo)
    if school is not None and school not in district.schools():
        raise UsageError(
            f"no school {school!r} in {district.root}",
            hint="schools: " + (", ".join(district.schools()) or "(none yet)"),
        )
    result = run_check(district, CheckOptions(school=school, strict=strict))
    CHECK_REPORTERS[output_format.value](result, sys.stdout)
    raise typer.Exit(1 if result.failed else 0)


@app.command()
def schema(
    out: Annotated[
        Path, typer.Option("--out", help="Folder to write the *.schema.json files into.")
    ] = Path("schemas"),
    check_only: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 if the folder is stale.")
    ] = False,
) -> None:
    """Write the JSON Schema of every document, the district, cycle and school files.

    Editors read them through the `# yaml-language-server: $schema=...` line at
    the top of each document to validate and autocomplete as you type.

    Example: sipctl schema --out schemas --check
    """
    from sipctl.services.schema import write_schemas

    result = write_schemas(out, check_only=check_only)
    if check_only:
        if result.stale:
            typer.echo(f"{out}: stale or missing: {', '.join(result.stale)}", err=True)
            typer.echo("run `sipctl schema --out " + str(out) + "` to update them", err=True)
            raise typer.Exit(1)
        typer.echo(f"{out}: all schemas are current")
        return
    for name in result.written:
        typer.echo(f"wrote {out / name}")
    if not result.written:
        typer.echo(f"{out}: all schemas were already current")
    for name in result.extra:
        typer.echo(f"note: {out / name} is not produced by any model", err=True)


@app.command()
def init(
    school: Annotated[str, typer.Argument(help="The school's slug, e.g. maple.")],
    cycle: Annotated[str, typer.Option("--cycle", help="The school year, e.g. 2022-23.")],
    repo: RepoOption = None,
) -> None:
    """Scaffold a school's cycle: every document of the framework, with deadlines.

    Example: sipctl init maple --cycle 2022-23 --name "Maple Elementary"
    """
    _not_built("init", "create the district files, the cycle file and every document")


@app.command()
def status(repo: RepoOption = None) -> None:
    """The district matrix: schools by documents, status and deadline state.

    Example: sipctl status --as-of 2022-05-07
    """
    _not_built("status", "show each school's documents with their status and deadlines")


@app.command()
def log(
    school: Annotated[str, typer.Argument(help="The school's slug.")],
    document: Annotated[str | None, typer.Argument(help="One document id.")] = None,
    repo: RepoOption = None,
) -> None:
    """The audit trail: each status change with commit, author, time, on time or late.

    Example: sipctl log maple priority-levers
    """
    _not_built("log", "list every status change from git history with its deadline")


@app.command()
def diff(repo: RepoOption = None) -> None:
    """Semantic diff: a draft as submitted against its final, or two revisions.

    Example: sipctl diff maple priority-levers
    """
    _not_built("diff", "compare plan documents item by item, matched by id")


@app.command()
def render(repo: RepoOption = None) -> None:
    """Publish plans as HTML or Markdown, with a district index.

    Example: sipctl render --format html --out site
    """
    _not_built("render", "write readable HTML and Markdown plans")


def main() -> None:
    """Entry point: the one place that turns errors into exit codes."""
    try:
        app()
    except SipctlError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        if exc.hint:
            typer.echo(f"hint: {exc.hint}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
