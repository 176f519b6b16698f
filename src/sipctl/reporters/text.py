"""The human report: findings grouped by file, coloured by severity, one summary line."""

from __future__ import annotations

from itertools import groupby
from typing import TextIO

from rich.console import Console
from rich.markup import escape

from sipctl.findings import Finding
from sipctl.services.check import CheckResult

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def report(result: CheckResult, out: TextIO) -> None:
    console = Console(file=out, highlight=False, soft_wrap=True)
    for note in result.notes:
        console.print(f"[bold]note:[/bold] {escape(note)}")
    for file, group in groupby(result.findings, key=lambda f: f.file or "(district)"):
        console.print(f"\n[bold]{escape(file)}[/bold]")
        for finding in group:
            _print_finding(console, finding)
    counts = result.counts
    verdict = "[bold red]FAILED[/bold red]" if result.failed else "[bold green]OK[/bold green]"
    console.print(
        f"\n{verdict}: {counts['error']} error(s), {counts['warning']} warning(s), "
        f"{counts['info']} info in {result.files} file(s) of {result.schools} school(s)"
    )


def _print_finding(console: Console, finding: Finding) -> None:
    level = finding.severity.value
    where = f"{finding.line}:{finding.column or 1}" if finding.line else "-"
    console.print(
        f"  {where:>7}  [{_STYLE[level]}]{level:<7}[/]  {escape(finding.message)}"
        f"  [dim]\\[{finding.rule}][/dim]"
    )
    if finding.hint:
        console.print(f"           [dim]hint: {escape(finding.hint)}[/dim]")
