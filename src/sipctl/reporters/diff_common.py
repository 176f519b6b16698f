"""What every diff format shares: how values, versions and documents are described."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from sipctl.diffing.changes import Change, ChangeKind, DocumentDiff, DocumentState, Side
from sipctl.domain.deadlines import show_time
from sipctl.names import visible

SYMBOL = {
    ChangeKind.ADDED: "+",
    ChangeKind.REMOVED: "-",
    ChangeKind.CHANGED: "~",
    ChangeKind.REORDERED: "↕",
}
# A table cell shows at most this much of a value; the json format has all of it.
CELL_CHARS = 160


def show(value: Any, limit: int | None = CELL_CHARS) -> str:
    """A value on one line: text as is, lists joined, an item as `key: value; ...`."""
    if value is None:
        text = "(empty)"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, list):
        text = ", ".join(_nested(v) for v in value) or "(none)"
    elif isinstance(value, dict):
        # An item's id is in its label already; empty fields are left out.
        text = "; ".join(f"{k}: {_nested(v)}" for k, v in value.items() if k != "id" and _filled(v))
        text = text or "(empty)"
    else:
        text = " ".join(str(value).split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def _nested(value: Any) -> str:
    """A value inside a list or an item, in YAML's flow style."""
    if isinstance(value, dict):
        inner = ", ".join(f"{k}: {_nested(v)}" for k, v in value.items() if _filled(v))
        return "{" + inner + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_nested(v) for v in value) + "]"
    return show(value, None)


def _filled(value: Any) -> bool:
    return value not in (None, "", [], {}) and (
        not isinstance(value, dict) or any(_filled(v) for v in value.values())
    )


def label_text(change: Change) -> str:
    """The change's label: field titles and the ids of list items, which a plan names."""
    return visible(change.label)


def reorder_text(change: Change) -> tuple[str, str]:
    return show(change.old), show(change.new)


def headline(doc: DocumentDiff) -> str:
    cycle = f"{doc.old_cycle} → {doc.cycle}" if doc.old_cycle else doc.cycle
    return f"{doc.school_name} · {doc.title} ({cycle})"


def state_text(doc: DocumentDiff) -> str:
    count = len(doc.changes)
    changes = f"{count} change{'s' if count != 1 else ''}"
    return {
        DocumentState.ADDED: f"new document, {changes}" if count else "new document",
        DocumentState.DELETED: "deleted",
        DocumentState.UNCHANGED: "no changes",
        DocumentState.UNREADABLE: "cannot be compared",
        DocumentState.CHANGED: changes,
    }[doc.state]


def files_text(doc: DocumentDiff) -> str:
    if doc.old_file and doc.new_file and doc.old_file != doc.new_file:
        return f"{visible(doc.old_file)} → {visible(doc.new_file)}"
    return visible(doc.new_file or doc.old_file or "")


def side_parts(side: Side, tz: ZoneInfo) -> list[str]:
    """label, commit, time, author, subject: what was compared, for people."""
    if side.commit is None:
        return [side.label, "", "", "", ""]
    return [
        side.label,
        "" if side.label == side.commit[:10] else side.commit[:10],
        show_time(side.time, tz) if side.time else "",
        visible((side.author or "").split(" <")[0]),
        visible(side.subject or ""),
    ]


def is_long_change(change: Change) -> bool:
    """Shown as text below the table rather than in a cell."""
    return change.words is not None or any(
        isinstance(v, str) and len(v) > CELL_CHARS for v in (change.old, change.new)
    )
