from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sipctl.commands.options import RepoOption


def editor(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            metavar="DIR",
            help="Folder to write config.yml and index.html into. Default: admin/ in the district.",
            file_okay=False,
            show_default=False,
        ),
    ] = None,
    check_only: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 if the folder is stale.")
    ] = False,
    backend_repo: Annotated[
        str | None,
        typer.Option(
            "--backend-repo",
            metavar="OWNER/NAME",
            help="The GitHub repository the editor saves to. Default: `repository` in sipctl.yaml.",
            show_default=False,
        ),
    ] = None,
    repo: RepoOption = None,
) -> None:
    """Write the browser editor: Decap CMS's admin/config.yml and index.html.

    Its forms come from the models, as the JSON Schemas do: one collection per
    kind of document, each field with its label, hint, required flag, options
    and pattern. Publish admin/ with the plans (GitHub Pages) and principals
    edit in a browser; each save is a branch and a pull request. The files are
    the same size for 3 schools as for 1,800. See docs/editor.md.

    Example: sipctl editor --repo examples/sezp-district --check
    """
    from sipctl.domain.district import District
    from sipctl.services.editor import editor_files
    from sipctl.writing import update_folder

    district = District.open(repo)
    folder = out if out is not None else _shown(district.root / "admin")
    files = editor_files(district, backend_repo)
    result = update_folder(files, folder, check_only=check_only, within=[district.root])
    if check_only:
        if result.stale:
            typer.echo(f"{folder}: stale or missing: {', '.join(result.stale)}", err=True)
            typer.echo(f"run `sipctl editor --out {folder}` to update them", err=True)
            raise typer.Exit(1)
        typer.echo(f"{folder}: the editor's files are current")
        return
    for name in result.written:
        typer.echo(f"wrote {folder / name}")
    if not result.written:
        typer.echo(f"{folder}: the editor's files were already current")


def _shown(path: Path) -> Path:
    """`path` relative to the current folder when it is below it, as the user would type it."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path
