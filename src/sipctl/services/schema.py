"""`sipctl schema`: the JSON Schemas editors use to validate and autocomplete plans.

One schema per document kind (named by document id, as the modeline at the
top of each document expects), plus the district, cycle and school files.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from sipctl.domain.framework import all_documents, describe_document
from sipctl.models.district import CycleConfig, DistrictConfig, SchoolProfile
from sipctl.writing import update_folder

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_documents() -> dict[str, str]:
    """File name -> JSON text of every schema, in a stable order."""
    models: dict[str, tuple[type[BaseModel], str, str | None]] = {
        "district": (DistrictConfig, "sipctl.yaml: the district", None),
        "cycle": (CycleConfig, "cycles/<cycle>.yaml: one planning cycle", None),
        "school": (SchoolProfile, "schools/<slug>/school.yaml: a school profile", None),
    }
    for doc_id, entry in all_documents().items():
        models[doc_id] = (entry.model_class, entry.title, describe_document(doc_id))
    out = {}
    for name in sorted(models):
        model, title, description = models[name]
        schema: dict[str, Any] = {"$schema": DIALECT, **model.model_json_schema()}
        schema["title"] = title
        if description is not None:  # a plan document: its framework says what it is for
            schema["description"] = description
        out[f"{name}.schema.json"] = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    return out


@dataclass
class SchemaResult:
    written: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)  # differ from or missing in the folder
    extra: list[str] = field(default_factory=list)  # schema files no model produces


def write_schemas(out: Path, *, check_only: bool) -> SchemaResult:
    wanted = schema_documents()
    # Run in the district: a link committed there must not lead the schemas out of it.
    update = update_folder(wanted, out, check_only=check_only, within=[Path.cwd()])
    result = SchemaResult(written=update.written, stale=update.stale)
    if out.is_dir():
        result.extra = sorted(p.name for p in out.glob("*.schema.json") if p.name not in wanted)
    return result
