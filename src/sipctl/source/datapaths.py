"""Data paths: where a value sits in a document (`levers[1].evidence`), as a tuple and in words."""

from __future__ import annotations

import json
from typing import Any

from sipctl.names import visible

Path_ = tuple[str | int, ...]


def format_path(path: Path_, data: Any = None) -> str:
    """A readable data path: `levers[L2].evidence`, or `levers[1].evidence` with no id.

    List items show their `id` when they have one, since ids are what people
    see in the file and they do not change when items are reordered. A key or id
    that is not plain printable text (a quoted key with a line break, a
    non-breaking space) is shown quoted with escapes, so it can neither hide nor
    start a new line of a report: in a GitHub log that line would be a command.
    """
    out = ""
    current = data
    for part in path:
        if isinstance(part, int):
            label = str(part)
            if isinstance(current, list) and 0 <= part < len(current):
                item = current[part]
                if isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"]:
                    label = _shown(item["id"])
                current = item
            else:
                current = None
            out += f"[{label}]"
        else:
            out += f".{_shown(part)}" if out else _shown(part)
            current = current.get(part) if isinstance(current, dict) else None
    return out


def _shown(name: str) -> str:
    plain = name and name.strip() == name and visible(name) == name  # names.visible's test
    return name if plain else json.dumps(name)
