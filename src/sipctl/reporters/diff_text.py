"""`sipctl diff` for people at a terminal: coloured, and readable without colour.

Words are marked the way wdiff does, `[-removed-]{+added+}`, so the diff survives a
pipe, a log file or NO_COLOR; colour only adds to it. Document text goes into rich
`Text` objects, never into markup, so `[bold]` in a plan is printed as typed.
"""

from __future__ import annotations

from typing import TextIO
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.text import Text

from sipctl.diffing.changes import Change, ChangeKind, DiffReport, DocumentDiff
from sipctl.diffing.words import elide
from sipctl.reporters.diff_common import (
    SYMBOL,
    files_text,
    headline,
    label_text,
    reorder_text,
    show,
    side_parts,
    state_text,
)

_STYLE = {
    ChangeKind.ADDED: "green",
    ChangeKind.REMOVED: "red",
    ChangeKind.CHANGED: "yellow",
    ChangeKind.REORDERED: "cyan",
}
_INDENT = "      "


def render(report: DiffReport, out: TextIO, tz: ZoneInfo) -> None:
    console = Console(file=out, highlight=False, soft_wrap=True, emoji=False)
    console.print(Text(report.title, style="bold"))
    width = max(len(report.old.label), len(report.new.label))
    for side in (report.old, report.new):
        parts = side_parts(side, tz)
        line = Text(f"  {parts[0]:<{width}}")
        if side.commit:
            line.append(f"  {parts[1]}", style="magenta")
            line.append(f"  {parts[2]}  {parts[3]}  {parts[4]}")
        console.print(line)
    for note in report.notes:
        console.print(Text.assemble(("note: ", "bold"), note))
    for doc in report.documents:
        console.print()
        _document(console, doc)


def _document(console: Console, doc: DocumentDiff) -> None:
    console.print(Text.assemble((headline(doc), "bold"), f" — {state_text(doc)}"))
    console.print(Text(files_text(doc), style="dim"))
    if doc.submission:
        console.print(Text(f"  {doc.submission}", style="bold blue"))
    for note in doc.notes:
        console.print(Text.assemble(("  note: ", "bold"), note))
    for change in doc.changes:
        _change(console, change)


def _change(console: Console, change: Change) -> None:
    style = _STYLE[change.kind]
    console.print(
        Text.assemble(
            (f"  {SYMBOL[change.kind]} {label_text(change)}", style),
            ("   " + change.path, "dim"),
        )
    )
    if change.kind is ChangeKind.REORDERED:
        before, after = reorder_text(change)
        console.print(Text(f"{_INDENT}new order: {after} (was {before})"))
    elif change.words is not None:
        console.print(_words(change))
    elif change.kind is ChangeKind.ADDED:
        console.print(Text(_INDENT + show(change.new, None), style="green"))
    elif change.kind is ChangeKind.REMOVED:
        console.print(Text(_INDENT + show(change.old, None), style="red"))
    else:
        console.print(
            Text.assemble(
                _INDENT,
                (show(change.old, None), "red"),
                " → ",
                (show(change.new, None), "green"),
            )
        )


def _words(change: Change) -> Text:
    line = Text(_INDENT)
    runs = elide(change.words or ())
    if not any(run is not None and run.op != "equal" for run in runs):
        line.append("(only line breaks or spacing changed)", style="dim")
        return line
    pieces: list[Text] = []
    for run in runs:
        if run is None:
            pieces.append(Text("…", style="dim"))
        elif run.op == "delete":
            pieces.append(Text(f"[-{run.text}-]", style="red strike"))
        elif run.op == "insert":
            pieces.append(Text(f"{{+{run.text}+}}", style="green underline"))
        else:
            pieces.append(Text(run.text))
    line.append_text(Text(" ").join(pieces))
    return line
