"""The district's status in words and pictures.

`sipctl status` prints a coloured matrix, JSON for tools or Markdown for the
weekly digest; the matrix has one row per document, in the framework's
official order, and one column per school (a district has more documents than
fit side by side in a terminal, and a principal reads down their own school's
column). The rendered district index shares the rest: dates in words, its
phases and key dates, the timeline's scale, and Markdown text as HTML. Plan text in
the digest is escaped by `sipctl.reporters.markdown`, as in every Markdown output.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, TextIO

from markdown_it import MarkdownIt
from markupsafe import Markup
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sipctl.domain.deadlines import END_OF_DAY, Judgement, State, humanize, show_time
from sipctl.names import visible_json
from sipctl.reporters.markdown import cell, heading, inline, safe_link
from sipctl.services.status import STATE_LABEL, URGENCY, Cell, Column, StatusResult

JSON_VERSION = 1
_STATE_STYLE = {
    State.MISSED: "bold red",
    State.LATE: "yellow",
    State.SOON: "magenta",
    State.ON_TIME: "green",
}
_STATUS_STYLE = {"approved": "bold", "final": "bold", "not started": "dim", "n/a": "dim"}
# The digest is read on GitHub: a symbol next to each word, so colour is never the only cue.
_STATE_MARK = {State.MISSED: "❌", State.LATE: "⚠️", State.SOON: "⏰", State.ON_TIME: "✅"}


def totals_line(result: StatusResult) -> str:
    if not result.judged:
        return "Deadlines were not judged (shallow clone)."
    totals = result.totals
    parts = [f"{totals[s.value]} {STATE_LABEL[s]}" for s in URGENCY if totals[s.value]]
    return "Deadlines: " + (", ".join(parts) if parts else "none in this cycle") + "."


def _heading(result: StatusResult) -> str:
    return (
        f"Plan status: {result.district}, cycle {result.cycle}, "
        f"as of {show_time(result.as_of, result.timezone)}"
    )


# --- text -----------------------------------------------------------------------------------
def status_text(result: StatusResult, out: TextIO) -> None:
    console = Console(file=out, highlight=False, width=max(_width(), 100))
    console.print(f"[bold]{escape(_heading(result))}[/bold]")
    for note in result.notes:
        console.print(f"[bold]note:[/bold] {escape(note)}")
    if not result.schools:
        console.print(f"No school has a {result.cycle} plan yet.")
        return
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_footer=True)
    table.add_column("Document", footer="Final submitted", no_wrap=True)
    for row in result.schools:
        table.add_column(escape(row.name), footer=f"{row.submitted}/{row.applicable}")
    table.add_column("Final", justify="right", footer="")
    for index, column in enumerate(result.columns):
        done, of = result.submitted_count(column)
        table.add_row(
            escape(f"{column.phase:>3}  {column.title}"),
            *(_text_cell(row.cells[index]) for row in result.schools),
            f"{done}/{of}",
        )
    console.print(table)
    console.print(totals_line(result))


def _text_cell(cell: Cell) -> str:
    status = escape(cell.status_label)
    style = _STATUS_STYLE.get(cell.status_label)
    text = f"[{style}]{status}[/]" if style else status
    if cell.state_label:
        state_style = _STATE_STYLE.get(cell.state or State.PENDING, "")
        text += f" [{state_style}]{escape(cell.state_label)}[/]"
    return text


def _width() -> int:
    import shutil

    return shutil.get_terminal_size((120, 24)).columns


# --- json -----------------------------------------------------------------------------------
def status_json(result: StatusResult) -> dict[str, Any]:
    tz = result.timezone
    return {
        "version": JSON_VERSION,
        "district": result.district,
        "cycle": result.cycle,
        "as_of": result.as_of.astimezone(tz).isoformat(),
        "deadlines_judged": result.judged,
        "notes": result.notes,
        "documents": [
            {"id": c.id, "title": c.title, "phase": c.phase, "owner": c.owner}
            for c in result.columns
        ],
        "schools": [
            {
                "school": row.slug,
                "name": row.name,
                "submitted": row.submitted,
                "documents": row.applicable,
                "cells": [_json_cell(cell, tz) for cell in row.cells],
            }
            for row in result.schools
        ],
        "totals": result.totals,
    }


def _json_cell(cell: Cell, tz: Any) -> dict[str, Any]:
    return {
        "document": cell.document,
        "applies": cell.applies,
        "status": cell.status,
        "file": cell.file if cell.present else None,
        "state": cell.state.value if cell.state else None,
        "deadlines": {
            j.stage.value: {
                "due": j.due.astimezone(tz).isoformat(),
                "state": j.state.value,
                "submitted": j.reached_at.astimezone(tz).isoformat() if j.reached_at else None,
            }
            for j in cell.judgements
        },
    }


def write_json(result: StatusResult, out: TextIO) -> None:
    out.write(visible_json(json.dumps(status_json(result), indent=2, ensure_ascii=False)) + "\n")


# --- markdown -------------------------------------------------------------------------------
def status_markdown(result: StatusResult, out: TextIO) -> None:
    lines = [f"## {heading(_heading(result))}", ""]
    lines += [f"> **Note:** {inline(note)}" for note in result.notes]
    if result.notes:
        lines.append("")
    lines += [totals_line(result), ""]
    if not result.schools:
        out.write("\n".join([*lines, f"No school has a {inline(result.cycle)} plan yet.", ""]))
        return
    names = [cell(row.name) for row in result.schools]
    lines.append("| Phase | Document | " + " | ".join(names) + " | Final submitted |")
    lines.append("|---|---|" + "---|" * len(names) + "---:|")
    for index, column in enumerate(result.columns):
        done, of = result.submitted_count(column)
        cells = [_md_cell(row.cells[index]) for row in result.schools]
        lines.append(
            f"| {cell(column.phase)} | {cell(column.title)} | "
            + " | ".join(cells)
            + f" | {done}/{of} |"
        )
    lines.append(
        "| | **Final submitted** | "
        + " | ".join(f"**{row.submitted}/{row.applicable}**" for row in result.schools)
        + " | |"
    )
    attention = _attention(result)
    if attention:
        lines += ["", "### Needs attention", "", *attention]
    lines += ["", "✅ on time · ⚠️ late · ❌ missed · ⏰ due soon", ""]
    out.write("\n".join(lines))


def _md_cell(state: Cell) -> str:
    text = cell(state.status_label)
    if state.state_label and state.state in _STATE_MARK:
        text += f" {_STATE_MARK[state.state]} {cell(state.state_label)}"
    return text


def _attention(result: StatusResult) -> list[str]:
    """Every missed deadline, then every one due soon: what the digest asks people to do."""
    lines = []
    titles = {c.id: c.title for c in result.columns}
    for state in (State.MISSED, State.SOON):
        for row in result.schools:
            for entry in row.cells:
                for j in entry.judgements:
                    if j.state is state:
                        lines.append(
                            f"- {_STATE_MARK[state]} **{inline(row.name)}**: "
                            f"{inline(titles[entry.document])}, {j.stage.value} "
                            f"{STATE_LABEL[state]} (due {show_time(j.due, result.timezone)})"
                        )
    return lines


# --- Markdown text as HTML -------------------------------------------------------------------
def _th_scope(self: Any, tokens: Sequence[Any], idx: int, options: Any, env: Any) -> str:
    tokens[idx].attrSet("scope", "col")  # table headers say what they head
    return str(self.renderToken(tokens, idx, options, env))


@cache
def markdown_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    # Headings inside a field would break the page's outline; images would load from outside.
    md.disable(["heading", "lheading", "image", "html_block", "html_inline"])
    md.validateLink = safe_link  # type: ignore[method-assign]
    md.add_render_rule("th_open", _th_scope)
    return md


def markdown_html(text: str, *, block: bool) -> Markup:
    """Text a person wrote, as HTML: raw HTML is shown as text, links go to the web only."""
    md = markdown_parser()
    return Markup((md.render(text) if block else md.renderInline(text)).strip())


# --- the district index: dates in words, phases, key dates, the timeline's scale -------------
# English month names whatever the locale: the same repository renders the same bytes.
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def long_date(day: dt.date) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def long_time(instant: dt.datetime, tz: dt.tzinfo) -> str:
    """'May 6, 2022, 4:00 pm EDT' in the district's timezone; a date-only deadline ends the day."""
    local = instant.astimezone(tz)
    if local.time() == END_OF_DAY:
        return f"{long_date(local.date())}, end of day"
    clock = f"{local.hour % 12 or 12}:{local.minute:02d} {'am' if local.hour < 12 else 'pm'}"
    return f"{long_date(local.date())}, {clock} {local.tzname() or ''}".rstrip()


def verdict(j: Judgement, as_of: dt.datetime) -> str:
    """How a deadline went, in words: 'late by 45 minutes', 'missed, overdue by 3 days'."""
    if j.state is State.LATE and j.delay is not None:
        return f"late by {humanize(j.delay)}"
    if j.state is State.MISSED:
        return f"missed, overdue by {humanize(as_of - j.due)}"
    return "submitted, time unknown" if j.state is State.REACHED else STATE_LABEL[j.state]


@dataclass(frozen=True)
class DeadlineGroup:
    """Documents of one phase due at the same moment: one mark on the timeline."""

    due: dt.datetime
    stage: str
    titles: tuple[str, ...]


@dataclass(frozen=True)
class KeyDate:
    when: str
    what: str
    number: int | None = None  # the milestone's number on the timeline


def by_phase(status: StatusResult) -> list[tuple[str, list[Column], list[DeadlineGroup]]]:
    """Each phase in official order: its documents, and its deadlines grouped by moment."""
    phases: dict[str, tuple[list[Column], dict[tuple[dt.datetime, str], list[str]]]] = {}
    for column in status.columns:
        phases.setdefault(column.phase_title, ([], {}))[0].append(column)
    for d in status.deadlines:
        due = phases[d.column.phase_title][1]
        due.setdefault((d.due, d.stage.value), []).append(d.column.title)
    return [
        (title, columns, [DeadlineGroup(k[0], k[1], tuple(v)) for k, v in due.items()])
        for title, (columns, due) in phases.items()
    ]


def key_dates(status: StatusResult) -> list[KeyDate]:
    """Milestones (numbered as on the timeline) and deadlines, in the order they fall."""
    tz = status.timezone
    rows = []
    for n, m in enumerate(status.milestones, 1):
        when = long_date(m.begin) + (f" to {long_date(m.end)}" if m.end else "")
        rows.append((m.begin, 0, KeyDate(when, m.title, n)))
    for _phase, _columns, groups in by_phase(status):
        for g in groups:
            what = f"{g.stage.capitalize()} due: " + ", ".join(g.titles)
            rows.append((g.due.astimezone(tz).date(), 1, KeyDate(long_time(g.due, tz), what)))
    return [row[2] for row in sorted(rows, key=lambda r: (r[0], r[1]))]


@dataclass(frozen=True)
class Scale:
    """Dates to x positions on the timeline: whole months from the first event to the last."""

    start: dt.date
    end: dt.date
    tz: dt.tzinfo
    left: int = 150
    width: int = 960

    def x(self, when: dt.date) -> float:
        day = when.astimezone(self.tz).date() if isinstance(when, dt.datetime) else when
        span = (self.end - self.start).days
        return round(self.left + (day - self.start).days / span * (self.width - self.left - 16), 1)

    @property
    def months(self) -> list[tuple[float, str]]:
        found, month = [], self.start
        while month < self.end:
            year = f" {month.year}" if month.month == 1 or month == self.start else ""
            found.append((self.x(month), MONTHS[month.month - 1][:3] + year))
            month = _next_month(month)
        return found


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def timeline_scale(status: StatusResult) -> Scale | None:
    """The scale that shows every milestone, deadline and submission; None if there is none."""
    tz = status.timezone
    days = [d.due.astimezone(tz).date() for d in status.deadlines]
    days += [day for m in status.milestones for day in (m.begin, m.end) if day]
    days += [
        (j.reached_at or j.due).astimezone(tz).date()
        for row in status.schools
        for cell in row.cells
        for j in cell.judgements
    ]
    if not days:
        return None
    return Scale(min(days).replace(day=1), _next_month(max(days)), tz)
