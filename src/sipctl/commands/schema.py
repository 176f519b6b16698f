from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def schema(
    out: Annotated[
        Path,
        typer.Option("--out", metavar="DIR", help="Folder to write the *.schema.json files into."),
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
            typer.echo(f"run `sipctl schema --out {out}` to update them", err=True)
        if result.extra:  # a document renamed or removed: editors would use its old schema
            typer.echo(f"{out}: no model produces: {', '.join(result.extra)}", err=True)
            typer.echo("delete them (sipctl schema never deletes a file)", err=True)
        if result.stale or result.extra:
            raise typer.Exit(1)
        typer.echo(f"{out}: all schemas are current")
        return
    for name in result.written:
        typer.echo(f"wrote {out / name}")
    if not result.written:
        typer.echo(f"{out}: all schemas were already current")
    for name in result.extra:
        typer.echo(f"note: {out / name} is not produced by any model", err=True)
