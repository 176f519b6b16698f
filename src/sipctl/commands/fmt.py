from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sipctl.commands.options import RepoOption


def fmt(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="FILE",
            help="Plan documents to format. Default: every document of the district.",
            show_default=False,
        ),
    ] = None,
    repo: RepoOption = None,
    check_only: Annotated[
        bool,
        typer.Option("--check", help="Write nothing; exit 1 if a document is not canonical."),
    ] = False,
) -> None:
    """Write plan documents in the canonical form, the form the browser editor saves.

    Keys in the model's order, one quoting and indentation style, and only the
    schema line as a comment (the guidance is in the schemas), so that the git
    diff of a later save shows only what changed. Values never change; a file
    that does not parse is left as it is and reported. See docs/fmt.md.

    Example: sipctl fmt --check
    """
    from sipctl.domain.district import District
    from sipctl.services.fmt import format_documents

    district = District.open(repo)
    result = format_documents(district, files, check_only=check_only)
    for failed in result.failed:
        problem = failed.problem
        typer.echo(f"{failed.location}: cannot format: it {problem.message}", err=True)
        if problem.hint:
            typer.echo(f"  hint: {problem.hint}", err=True)
    if check_only:
        for rel in result.changed:
            typer.echo(f"{rel}: not in canonical form")
        if result.changed:
            typer.echo("run `sipctl fmt` to rewrite them", err=True)
    else:
        for rel in result.changed:
            typer.echo(f"formatted {rel}")
    counted = len(result.changed) + len(result.unchanged)
    verb = "would be rewritten" if check_only else "rewritten"
    typer.echo(
        f"{counted} document(s): {len(result.changed)} {verb}, "
        f"{len(result.unchanged)} already canonical"
        + (f"; {len(result.failed)} could not be read" if result.failed else "")
    )
    if result.failed or (check_only and result.changed):
        raise typer.Exit(1)
