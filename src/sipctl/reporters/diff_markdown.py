"""`sipctl diff --format markdown`: a pull-request comment or a job summary.

One collapsible `<details>` section per document, short tables for short values,
long text as a word diff with ~~removed~~ and **added** words and the unchanged
stretches cut to a few words of context.

Everything that comes from a plan (text, ids, names, paths) goes through
`sipctl.reporters.markdown`, escaped for where it stands: a table cell, a list item,
a code span, or the `<summary>` line, which is raw HTML. A `<script>` typed in a plan
shows as text in the comment; it can open no tag, link, table cell or math span, and
plain text reads in the raw Markdown as it was typed.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sipctl.diffing.changes import Change, ChangeKind, DiffReport, DocumentDiff
from sipctl.diffing.words import elide
from sipctl.reporters.diff_common import (
    files_text,
    headline,
    is_long_change,
    label_text,
    reorder_text,
    show,
    side_parts,
    state_text,
)
from sipctl.reporters.markdown import cell, code, heading, html_text, inline, text

# GitHub refuses comments over 65,536 characters: long diffs are cut per document, and
# documents past the budget are only named.
MAX_CHANGES = 60
BUDGET = 60_000
_KIND = {
    ChangeKind.ADDED: "added",
    ChangeKind.REMOVED: "removed",
    ChangeKind.CHANGED: "changed",
    ChangeKind.REORDERED: "reordered",
}


def render(report: DiffReport, tz: ZoneInfo) -> str:
    lines = [f"### {heading(report.title)}", ""]
    lines += ["| | Version | Commit | Time | Author | Subject |", "|---|---|---|---|---|---|"]
    for role, side in (("from", report.old), ("to", report.new)):
        label, commit, time, author, subject = side_parts(side, tz)
        label, time, author, subject = (cell(p) for p in (label, time, author, subject))
        commit = code(commit, table=True)
        lines.append(f"| {role} | {label} | {commit} | {time} | {author} | {subject} |")
    lines.append("")
    lines += [f"> {text(note)}" for note in report.notes]
    if report.notes:
        lines.append("")
    if report.documents:
        count = report.change_count
        lines += [f"{len(report.documents)} document(s), {count} change(s).", ""]
    size = sum(len(line) + 1 for line in lines)
    for index, doc in enumerate(report.documents):
        section = _document(doc, opened=len(report.documents) == 1)
        size += sum(len(line) + 1 for line in section)
        if size > BUDGET:
            rest = report.documents[index:]
            lines += [f"…and {len(rest)} more document(s), too long for one comment:", ""]
            lines += [f"- {text(headline(d))}: {inline(state_text(d))}" for d in rest]
            lines += ["", "Run `sipctl diff` locally to see them all."]
            break
        lines += section
    return "\n".join(lines).rstrip("\n") + "\n"


def _document(doc: DocumentDiff, *, opened: bool) -> list[str]:
    summary = f"<b>{html_text(headline(doc))}</b>: {html_text(state_text(doc))}"
    # The blank line after </summary> ends the HTML block, so Markdown follows.
    lines = ["<details open>" if opened else "<details>", f"<summary>{summary}</summary>", ""]
    lines += [f"File: {code(files_text(doc))}", ""]
    if doc.submission:
        lines += [f"**{inline(doc.submission)}.**", ""]
    lines += [f"> {text(note)}" for note in doc.notes]
    if doc.notes:
        lines.append("")
    shown = doc.changes[:MAX_CHANGES]
    rows = [c for c in shown if not is_long_change(c)]
    if rows:
        lines += ["| Change | Field | Before | After |", "|---|---|---|---|"]
        lines += [_row(c) for c in rows]
        lines.append("")
    texts = [c for c in shown if is_long_change(c)]
    for change in texts:
        lines += [f"- **{inline(label_text(change))}** ({code(change.path)}): {_long(change)}"]
    if texts:
        lines.append("")
    if len(doc.changes) > MAX_CHANGES:
        more = len(doc.changes) - MAX_CHANGES
        lines += [f"…and {more} more change(s): run `sipctl diff` locally to see them all.", ""]
    lines += ["</details>", ""]
    return lines


def _row(change: Change) -> str:
    if change.kind is ChangeKind.REORDERED:
        before, after = reorder_text(change)
    else:
        before = show(change.old) if change.kind is not ChangeKind.ADDED else ""
        after = show(change.new) if change.kind is not ChangeKind.REMOVED else ""
    field = f"{cell(label_text(change))}<br>{code(change.path, table=True)}"
    return f"| {_KIND[change.kind]} | {field} | {cell(before)} | {cell(after)} |"


def _long(change: Change) -> str:
    if change.words is None:
        if change.kind is ChangeKind.ADDED:
            return f"**{inline(show(change.new, None))}**"
        if change.kind is ChangeKind.REMOVED:
            return f"~~{inline(show(change.old))}~~"
        return f"~~{inline(show(change.old))}~~ **{inline(show(change.new, None))}**"
    pieces = []
    for run in elide(change.words):
        if run is None:
            pieces.append("…")
        elif run.op == "delete":
            pieces.append(f"~~{inline(run.text)}~~")
        elif run.op == "insert":
            pieces.append(f"**{inline(run.text)}**")
        else:
            pieces.append(inline(run.text))
    if not any(run.op != "equal" for run in change.words):
        return "only line breaks or spacing changed"
    return " ".join(pieces)
