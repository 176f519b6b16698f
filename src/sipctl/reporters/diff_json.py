"""`sipctl diff --format json`: the whole comparison for tools, versioned."""

from __future__ import annotations

import json
from typing import Any
from zoneinfo import ZoneInfo

from sipctl.diffing.changes import Change, DiffReport, DocumentDiff, Side
from sipctl.names import visible_json

# Bump when a key changes meaning or disappears; adding keys keeps the version.
JSON_VERSION = 1


def render(report: DiffReport, tz: ZoneInfo) -> str:
    payload = {
        "version": JSON_VERSION,
        "mode": report.mode.value,
        "title": report.title,
        "from": _side(report.old, tz),
        "to": _side(report.new, tz),
        "notes": report.notes,
        "summary": {"documents": len(report.documents), "changes": report.change_count},
        "documents": [_document(d) for d in report.documents],
    }
    return visible_json(json.dumps(payload, indent=2, ensure_ascii=False)) + "\n"


def _side(side: Side, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "label": side.label,
        "rev": side.rev,
        "commit": side.commit,
        "time": side.time.astimezone(tz).isoformat() if side.time else None,
        "author": side.author,
        "subject": side.subject,
    }


def _document(doc: DocumentDiff) -> dict[str, Any]:
    return {
        "school": doc.school,
        "school_name": doc.school_name,
        "cycle": doc.cycle,
        "from_cycle": doc.old_cycle,
        "document": doc.document,
        "title": doc.title,
        "state": doc.state.value,
        "file_from": doc.old_file,
        "file_to": doc.new_file,
        "status_from": doc.old_status,
        "status_to": doc.new_status,
        "submission": doc.submission,
        "structural": doc.structural,
        "notes": doc.notes,
        "changes": [_change(c) for c in doc.changes],
    }


def _change(change: Change) -> dict[str, Any]:
    return {
        "kind": change.kind.value,
        "path": change.path,
        "label": change.label,
        "description": change.description,
        "from": change.old,
        "to": change.new,
        "words": (
            [{"op": run.op, "text": run.text} for run in change.words]
            if change.words is not None
            else None
        ),
    }
