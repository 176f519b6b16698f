"""Output of `sipctl log`: a readable table, or JSON for tools."""

from __future__ import annotations

from typing import Any, TextIO
from zoneinfo import ZoneInfo

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sipctl.domain.deadlines import humanize, show_time
from sipctl.names import visible
from sipctl.services.log import LogEvent, LogResult

JSON_VERSION = 1
_VERDICT_STYLE = {"on time": "green", "late": "bold red", "reopened": "yellow"}


def _timing(event: LogEvent) -> str:
    delay = event.delay
    if delay is None or event.verdict in ("", "reopened"):
        return event.verdict
    amount = humanize(delay)
    if event.verdict == "resubmitted":
        return "resubmitted"
    return f"on time, {amount} early" if event.verdict == "on time" else f"late by {amount}"


def _created(event: LogEvent) -> bool:
    return event.old_status is None and event.new_status == "not-started"


def log_text(result: LogResult, tz: ZoneInfo, out: TextIO) -> None:
    # Rows never wrap or cut: a piped or logged table is read line by line.
    width = out_width() if out.isatty() else 250
    console = Console(file=out, highlight=False, width=width)
    console.print(f"[bold]Audit trail: {result.school}, cycle {result.cycle}[/bold]")
    created = [e for e in result.events if _created(e)]
    if created:
        first = created[0]
        console.print(
            f"{len(created)} document(s) started (not-started) from {show_time(first.time, tz)}, "
            f"first by {_author(first)} in {first.sha[:10]}"
        )
    events = [e for e in result.events if not _created(e)]
    if events:
        console.print(_events_table(events, tz))
    else:
        console.print("No status changes have been committed yet.")
    if result.open_deadlines:
        console.print(_open_table(result, tz))


def _events_table(events: list[LogEvent], tz: ZoneInfo) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for name in ("When", "Document", "Change", "Deadline", "Timing", "Commit", "Author"):
        table.add_column(name, no_wrap=True)
    for e in events:
        style = _VERDICT_STYLE.get(e.verdict, "")
        table.add_row(
            show_time(e.time, tz),
            escape(visible(e.document)),  # a file's name in the cycle folder: never markup
            f"{e.old_status or '(new)'} -> {e.new_status or '(deleted)'}",
            f"{e.stage} {show_time(e.due, tz)}" if e.due else "",
            f"[{style}]{_timing(e)}[/]" if style else _timing(e),
            e.sha[:10],
            _author(e),
        )
    return table


def _author(event: LogEvent) -> str:
    """The author's name: typed by anyone, so never markup, and every character seen."""
    return escape(visible(event.author.split(" <")[0]))


def _open_table(result: LogResult, tz: ZoneInfo) -> Table:
    """The deadlines no commit has met: missed ones in red, the rest still to come."""
    table = Table(
        title=f"Not submitted as of {show_time(result.as_of, tz)}",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    for name in ("Due", "Document", "Stage", "State"):
        table.add_column(name, no_wrap=True)
    for d in result.open_deadlines:
        if d.missed:
            state = f"[bold red]missed, overdue by {humanize(result.as_of - d.due)}[/]"
        else:
            state = f"due in {humanize(d.due - result.as_of)}"
        table.add_row(show_time(d.due, tz), d.document, d.stage, state)
    return table


def out_width() -> int:
    import shutil

    return shutil.get_terminal_size((120, 24)).columns


def log_json(result: LogResult, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "version": JSON_VERSION,
        "school": result.school,
        "cycle": result.cycle,
        "events": [
            {
                "document": e.document,
                "title": e.title,
                "file": e.path,
                "from": e.old_status,
                "to": e.new_status,
                "commit": e.sha,
                "author": e.author,
                "time": e.time.astimezone(tz).isoformat(),
                "subject": e.subject,
                "stage": e.stage,
                "due": e.due.astimezone(tz).isoformat() if e.due else None,
                "verdict": e.verdict or None,
                "delay_seconds": int(e.delay.total_seconds()) if e.delay is not None else None,
            }
            for e in result.events
        ],
        "as_of": result.as_of.astimezone(tz).isoformat(),
        "open_deadlines": [
            {
                "document": d.document,
                "title": d.title,
                "stage": d.stage,
                "due": d.due.astimezone(tz).isoformat(),
                "state": "missed" if d.missed else "open",
            }
            for d in result.open_deadlines
        ],
    }
