"""`sipctl diff --format json`: the whole comparison for tools, versioned."""

from __future__ import annotations

import json
import math
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
    # allow_nan=False: a JSON reader refuses `NaN`; _plain has spelled every such value.
    return visible_json(json.dumps(payload, indent=2, ensure_ascii=False, allow_nan=False)) + "\n"


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
        "from": _plain(change.old),
        "to": _plain(change.new),
        "words": (
            [{"op": run.op, "text": run.text} for run in change.words]
            if change.words is not None
            else None
        ),
    }


def _plain(value: Any) -> Any:
    """A value from a plan as JSON can hold it. A diff compares documents as plain YAML
    when they do not match their model, so `.nan` or `.inf` can reach here: they are
    written as YAML spells them, since JSON has no such numbers."""
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if math.isnan(value) else (".inf" if value > 0 else "-.inf")
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value
