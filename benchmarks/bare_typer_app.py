"""The baseline for `sipctl --help`: a bare typer app with the same seven commands.

It imports typer and nothing else, declares sipctl's commands with similar options,
and leaves typer's help as typer makes it. `benchmarks/run.py` times
`python benchmarks/bare_typer_app.py --help` against `sipctl --help`: the difference
is what sipctl's own imports and setup cost before it can print help.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    name="sipctl",
    help="School improvement plans as YAML in git: scaffold, check, diff, render and audit.",
)

Repo = Annotated[Path | None, typer.Option("--repo", help="The district repository.")]
School = Annotated[str | None, typer.Option("--school", help="Only this school.")]
Cycle = Annotated[str | None, typer.Option("--cycle", help="The planning cycle, e.g. 2022-23.")]
AsOf = Annotated[str | None, typer.Option("--as-of", help="Judge deadlines as of this moment.")]
Format = Annotated[str, typer.Option("--format", help="The output format.")]


@app.command()
def init(
    school: Annotated[str, typer.Argument(help="The school's slug.")],
    cycle: Annotated[str, typer.Option("--cycle", help="The planning cycle.")],
    framework: Annotated[str, typer.Option("--framework", help="The framework.")] = "sezp",
    name: Annotated[str | None, typer.Option("--name", help="The school's name.")] = None,
    repo: Repo = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite documents.")] = False,
) -> None:
    """Scaffold a school's cycle: every document of the framework, with deadlines."""


@app.command()
def check(
    repo: Repo = None,
    school: School = None,
    output_format: Format = "text",
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too.")] = False,
    as_of: AsOf = None,
    changed_since: Annotated[
        str | None, typer.Option("--changed-since", help="Only schools changed since REV.")
    ] = None,
) -> None:
    """Check every plan document: YAML, schema, structure and deadlines."""


@app.command()
def status(repo: Repo = None, as_of: AsOf = None, output_format: Format = "text") -> None:
    """The district matrix: schools by documents, status and deadline state."""


@app.command()
def log(
    school: Annotated[str, typer.Argument(help="The school's slug.")],
    document: Annotated[str | None, typer.Argument(help="Only this document.")] = None,
    repo: Repo = None,
    cycle: Cycle = None,
    output_format: Format = "text",
) -> None:
    """The audit trail: each status change with commit, author, time, on time or late."""


@app.command()
def diff(
    school: Annotated[str | None, typer.Argument(help="The school's slug.")] = None,
    document: Annotated[str | None, typer.Argument(help="The document.")] = None,
    repo: Repo = None,
    cycle: Cycle = None,
    rev_from: Annotated[str | None, typer.Option("--from", help="From this revision.")] = None,
    rev_to: Annotated[str | None, typer.Option("--to", help="To this revision.")] = None,
    output_format: Format = "text",
) -> None:
    """Semantic diff: what changed in the plan, item by item, in plan words."""


@app.command()
def render(
    output_format: Format = "html",
    out: Annotated[Path, typer.Option("--out", help="The folder to write into.")] = Path("site"),
    repo: Repo = None,
    school: School = None,
    cycle: Cycle = None,
) -> None:
    """Publish plans as HTML or Markdown, with a district index."""


@app.command()
def schema(
    out: Annotated[Path, typer.Option("--out", help="The folder to write into.")] = Path("."),
    check: Annotated[bool, typer.Option("--check", help="Fail if stale.")] = False,
) -> None:
    """Write the JSON Schema of every document, the district, cycle and school files."""


if __name__ == "__main__":
    app()
