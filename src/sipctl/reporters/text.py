"""The human report: findings grouped by school and file, coloured by severity, one summary
line."""

from __future__ import annotations

from itertools import groupby
from typing import TextIO

from rich.console import Console
from rich.markup import escape

from sipctl.domain.findings import Finding, count_by_severity
from sipctl.names import visible
from sipctl.services.check import CheckResult

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def report(result: CheckResult, out: TextIO) -> None:
    console = Console(file=out, highlight=False, soft_wrap=True)
    for note in result.notes:
        console.print(f"[bold]note:[/bold] {escape(note)}")
    # Findings are sorted by school, cycle and file: a heading per school and cycle,
    # then each file's findings, so a principal finds their school at a glance.
    for (school, cycle), in_school in groupby(
        result.findings, key=lambda f: (f.school or "", f.cycle or "")
    ):
        findings = list(in_school)
        console.rule(_heading(school, cycle, findings), align="left", style="dim")
        for file, group in groupby(findings, key=lambda f: f.file or "(district)"):
            console.print(f"[bold]{escape(visible(file))}[/bold]")
            for finding in group:
                _print_finding(console, finding)
            console.print()
    counts = result.counts
    verdict = "[bold red]FAILED[/bold red]" if result.failed else "[bold green]OK[/bold green]"
    console.print(
        f"{verdict}: {counts['error']} error(s), {counts['warning']} warning(s), "
        f"{counts['info']} info in {result.files} file(s) of {result.schools} school(s)"
    )


def _heading(school: str, cycle: str, findings: list[Finding]) -> str:
    school, cycle = visible(school), visible(cycle)
    if school:
        where = f"school {school}" + (f", cycle {cycle}" if cycle else "")
    else:
        where = f"cycle {cycle}" if cycle else "the district's files"
    counts = count_by_severity(findings)
    words = {"error": "error(s)", "warning": "warning(s)", "info": "info"}  # as the summary
    tally = ", ".join(f"{n} {words[level]}" for level, n in counts.items() if n)
    return f"[bold]{escape(where)}[/bold]: {tally}"


def _print_finding(console: Console, finding: Finding) -> None:
    level = finding.severity.value
    where = f"{finding.line}:{finding.column or 1}" if finding.line else "-"
    console.print(
        f"  {where:>7}  [{_STYLE[level]}]{level:<7}[/]  {escape(finding.message)}"
        f"  [dim]\\[{finding.rule}][/dim]"
    )
    if finding.hint:
        console.print(f"           [dim]hint: {escape(finding.hint)}[/dim]")
