"""JSON Schema export: one per document kind plus district, cycle and school; staleness."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from cli import sipctl

REPO = Path(__file__).resolve().parents[1]


def test_schema_writes_every_kind(tmp_path: Path) -> None:
    run = sipctl("schema", "--out", tmp_path / "s")
    assert run.code == 0
    names = sorted(p.name for p in (tmp_path / "s").iterdir())
    assert len(names) == 27
    assert {"district.schema.json", "cycle.schema.json", "school.schema.json"} <= set(names)
    assert "priority-levers.schema.json" in names
    levers = json.loads((tmp_path / "s/priority-levers.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(levers)
    assert levers["title"] == "Priority Levers Form"
    assert levers["additionalProperties"] is False


def test_schema_check_reports_stale_and_current(tmp_path: Path) -> None:
    out = tmp_path / "s"
    assert sipctl("schema", "--out", out).code == 0
    assert sipctl("schema", "--out", out, "--check").code == 0
    (out / "calendars.schema.json").write_text("{}\n")
    (out / "cycle.schema.json").unlink()
    run = sipctl("schema", "--out", out, "--check")
    assert run.code == 1
    assert "calendars.schema.json, cycle.schema.json" in run.err
    assert (out / "calendars.schema.json").read_text() == "{}\n"  # --check writes nothing


def test_schema_check_fails_on_a_schema_no_model_produces(tmp_path: Path) -> None:
    out = tmp_path / "s"
    assert sipctl("schema", "--out", out).code == 0
    (out / "levers.schema.json").write_text("{}\n")  # an old name of priority-levers
    run = sipctl("schema", "--out", out, "--check")
    assert run.code == 1
    assert f"{out}: no model produces: levers.schema.json" in run.err
    assert (out / "levers.schema.json").exists()  # never deleted
    write = sipctl("schema", "--out", out)
    assert write.code == 0
    assert f"note: {out / 'levers.schema.json'} is not produced by any model" in write.err


def test_repository_schemas_are_current() -> None:
    assert sipctl("schema", "--out", REPO / "schemas", "--check").code == 0


def test_schema_rejects_unknown_key_like_the_model() -> None:
    schema = json.loads((REPO / "schemas/priority-levers.schema.json").read_text())
    doc = {
        "document": "priority-levers",
        "school": "maple",
        "cycle": "2022-23",
        "status": "draft",
        "levers": [{"id": "L1", "lever": "Family engagement", "evidnce": "typo"}],
    }
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(doc))
    assert len(errors) == 1
    assert "evidnce" in errors[0].message


def test_written_files_get_the_usual_permissions(tmp_path: Path) -> None:
    import os
    import stat

    umask = os.umask(0o022)
    os.umask(umask)
    assert sipctl("schema", "--out", tmp_path / "s").code == 0
    mode = stat.S_IMODE((tmp_path / "s/cycle.schema.json").stat().st_mode)
    assert mode == 0o666 & ~umask  # not the 0600 of a temporary file
