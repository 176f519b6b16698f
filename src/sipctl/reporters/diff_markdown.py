"""`sipctl diff --format markdown`: a pull-request comment or a job summary.

One collapsible `<details>` section per document, short tables for short values,
long text as a word diff with ~~removed~~ and **added** words and the unchanged
stretches cut to a few words of context.

Everything that comes from a plan (text, ids, names) is escaped: backslashes before
Markdown's punctuation (CommonMark allows any ASCII punctuation to be escaped), and
HTML escaping inside the `<summary>` line, which is raw HTML. A `<script>` typed in a
plan shows as text in the comment; it can open no tag, link, table cell or math span.
"""

from __future__ import annotations

import html
import re
from zoneinfo import ZoneInfo

from sipctl.diffing.changes import Change, ChangeKind, DiffReport, DocumentDiff
from sipctl.diffing.words import elide
from sipctl.reporters.diff_common import (
    files_text,
    headline,
    is_long_change,
    reorder_text,
    show,
    side_parts,
    state_text,
)

# GitHub refuses comments over 65,536 characters: long diffs are cut per document, and
# documents past the budget are only named.
MAX_CHANGES = 60
BUDGET = 60_000
_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&$^])")
_SAFE_PATH = re.compile(r"^[A-Za-z0-9_./\[\]-]+$")
_KIND = {
    ChangeKind.ADDED: "added",
    ChangeKind.REMOVED: "removed",
    ChangeKind.CHANGED: "changed",
    ChangeKind.REORDERED: "reordered",
}


def escape(text: str) -> str:
    """Plan text as inline Markdown that renders exactly as typed, on one line.

    An `@` gets a zero-width space after it: GitHub turns `@name` (even escaped as
    `\\@name`) into a mention that notifies that person or team, and a plan's text
    must not page anyone from a pull-request comment.
    """
    text = _PUNCTUATION.sub(r"\\\1", " ".join(text.split()))
    return text.replace("@", "@\u200b")


def _html(text: str) -> str:
    """Plan text inside the raw HTML `<summary>` line; no mention either."""
    return html.escape(text).replace("@", "@\u200b")


def code(text: str) -> str:
    """A data path as code when it is plain, else as escaped text."""
    return f"`{text}`" if _SAFE_PATH.match(text) else escape(text)


def render(report: DiffReport, tz: ZoneInfo) -> str:
    lines = [f"### {escape(report.title)}", ""]
    lines += ["| | Version | Commit | Time | Author | Subject |", "|---|---|---|---|---|---|"]
    for role, side in (("from", report.old), ("to", report.new)):
        label, commit, time, author, subject = (escape(p) for p in side_parts(side, tz))
        commit = f"`{commit}`" if commit else ""
        lines.append(f"| {role} | {label} | {commit} | {time} | {author} | {subject} |")
    lines.append("")
    lines += [f"> {escape(note)}" for note in report.notes]
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
            lines += [f"- {escape(headline(d))}: {escape(state_text(d))}" for d in rest]
            lines += ["", "Run `sipctl diff` locally to see them all."]
            break
        lines += section
    return "\n".join(lines).rstrip("\n") + "\n"


def _document(doc: DocumentDiff, *, opened: bool) -> list[str]:
    summary = f"<b>{_html(headline(doc))}</b>: {_html(state_text(doc))}"
    # The blank line after </summary> ends the HTML block, so Markdown follows.
    lines = ["<details open>" if opened else "<details>", f"<summary>{summary}</summary>", ""]
    lines += [f"File: {code(files_text(doc))}", ""]
    if doc.submission:
        lines += [f"**{escape(doc.submission)}.**", ""]
    lines += [f"> {escape(note)}" for note in doc.notes]
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
        lines += [f"- **{escape(change.label)}** ({code(change.path)}): {_long(change)}"]
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
    field = f"{escape(change.label)}<br>{code(change.path)}"
    return f"| {_KIND[change.kind]} | {field} | {escape(before)} | {escape(after)} |"


def _long(change: Change) -> str:
    if change.words is None:
        if change.kind is ChangeKind.ADDED:
            return f"**{escape(show(change.new, None))}**"
        if change.kind is ChangeKind.REMOVED:
            return f"~~{escape(show(change.old))}~~"
        return f"~~{escape(show(change.old))}~~ **{escape(show(change.new, None))}**"
    pieces = []
    for run in elide(change.words):
        if run is None:
            pieces.append("…")
        elif run.op == "delete":
            pieces.append(f"~~{escape(run.text)}~~")
        elif run.op == "insert":
            pieces.append(f"**{escape(run.text)}**")
        else:
            pieces.append(escape(run.text))
    if not any(run.op != "equal" for run in change.words):
        return "only line breaks or spacing changed"
    return " ".join(pieces)
