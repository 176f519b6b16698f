"""Every schema property tells the person filling in the plan what to write there.

Editors show a property's `description` on hover and completion (VS Code's YAML
extension), and the browser forms use it as the field's hint: a property without one
leaves a principal with nothing but the key's name.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sipctl.services.schema import schema_documents

REPO = Path(__file__).resolve().parents[1]
# The repository's schemas, and the example districts' (links to them, read through
# the link as an editor opening an example does).
FOLDERS = [REPO / "schemas", *sorted(REPO.glob("examples/*/schemas"))]


def undescribed(node: Any, path: str = "") -> Iterator[str]:
    """The path of every property, at any depth, whose description is missing or blank."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from undescribed(item, f"{path}[{index}]")
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key == "properties" and isinstance(value, dict):
            for name, prop in value.items():
                where = f"{path}.{name}" if path else name
                text = prop.get("description") if isinstance(prop, dict) else None
                if not (isinstance(text, str) and text.strip()):
                    yield where
                yield from undescribed(prop, where)
        else:
            yield from undescribed(value, f"{path}.{key}" if path else key)


def test_the_walk_finds_a_missing_description_at_any_depth() -> None:
    schema = {
        "properties": {"school": {"description": "Your school."}, "cycle": {"type": "string"}},
        "$defs": {"Lever": {"properties": {"id": {"description": " "}}}},
    }
    assert list(undescribed(schema)) == ["cycle", "$defs.Lever.id"]


def test_every_property_the_models_produce_has_a_description() -> None:
    missing = [
        f"{name}: {path}"
        for name, text in schema_documents().items()
        for path in undescribed(json.loads(text))
    ]
    assert missing == [], "describe these fields in src/sipctl/models/:\n" + "\n".join(missing)


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_property_of_the_written_schemas_has_a_description(folder: Path) -> None:
    files = sorted(folder.glob("*.schema.json"))
    assert len(files) == len(schema_documents())
    missing = [
        f"{path.name}: {where}"
        for path in files
        for where in undescribed(json.loads(path.read_text(encoding="utf-8")))
    ]
    assert missing == [], "run `sipctl schema --out schemas`:\n" + "\n".join(missing)
