"""`sipctl editor` writes the browser editor's admin/ folder: Decap CMS's config.yml, generated
from the document models, and an index.html loading a pinned Decap. A principal's forms have
the models' labels, hints, options and patterns; the file does not grow with the schools;
and the real Decap, in Debian's Chromium, loads it and lists every school's documents.
"""

from __future__ import annotations

import base64
import difflib
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Annotated, Any

import pytest
import yaml
from pydantic import StringConstraints, TypeAdapter, ValidationError

from cli import sipctl
from sipctl.domain.framework import all_documents, load_framework
from sipctl.models.blocks import PATTERN_WORDS
from sipctl.services.editor import DECAP_CMS, YAML_MODULE
from sipctl.services.editor_fields import HIDDEN_HEADER

SOURCE_ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = SOURCE_ROOT / "examples"
NODE_MODULES = SOURCE_ROOT / "node_modules"


def _district(tmp_path: Path, example: str = "sezp-district") -> Path:
    repo = tmp_path / example
    shutil.copytree(EXAMPLES / example, repo, symlinks=True, ignore=shutil.ignore_patterns("admin"))
    return repo


def _config(admin: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((admin / "config.yml").read_text("utf-8"))
    return loaded


def _collection(config: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in config["collections"] if c["name"] == name)


def _field(fields: list[dict[str, Any]], name: str) -> dict[str, Any]:
    return next(f for f in fields if f["name"] == name)


@pytest.fixture(scope="module")
def sezp_admin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = _district(tmp_path_factory.mktemp("sezp"))
    run = sipctl("editor", "--repo", repo)
    assert run.code == 0, run.err
    assert "wrote " in run.out and "config.yml" in run.out and "index.html" in run.out
    return repo / "admin"


def test_a_priority_levers_form_from_its_model(sezp_admin: Path) -> None:
    from sipctl.models.sezp import PriorityLever

    config = _config(sezp_admin)
    levers_form = _collection(config, "priority-levers")
    assert levers_form["label"] == "Priority Levers Form"
    assert levers_form["folder"] == "schools"
    assert levers_form["filter"] == {"field": "document", "value": "priority-levers"}
    assert levers_form["create"] is False
    assert levers_form["summary"] == "{{school}} · {{cycle}} · {{status}}"
    assert {"label": "School", "field": "school"} in levers_form["view_groups"]
    fields = levers_form["fields"]
    assert [f["name"] for f in fields] == [
        "document",
        "school",
        "cycle",
        "status",
        *["reflection", "levers"],
    ]
    for name in HIDDEN_HEADER:
        assert _field(fields, name)["widget"] == "hidden"
    status = _field(fields, "status")
    assert status["widget"] == "select" and status["required"] is True
    assert status["options"][0] == {"label": "Not started", "value": "not-started"}
    assert [o["value"] for o in status["options"]] == [
        "not-started",
        "in-progress",
        "draft",
        "final",
        "approved",
    ]
    levers = _field(fields, "levers")
    assert levers["widget"] == "list" and levers["required"] is False
    assert levers["summary"] == "{{fields.id}} · {{fields.lever}}"
    lever_id = _field(levers["fields"], "id")
    assert lever_id["required"] is True
    assert lever_id["pattern"][0] == r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
    evidence = _field(levers["fields"], "evidence")
    assert evidence["widget"] == "text" and evidence["required"] is False
    assert evidence["hint"] == PriorityLever.model_fields["evidence"].description
    assert _field(levers["fields"], "lever")["widget"] == "string"
    sources = _field(levers["fields"], "data_sources")
    assert sources["widget"] == "list" and sources["field"]["widget"] == "string"
    assert sources["summary"] == "{{fields.data_sources}}"  # collapsed, a source shows itself


def test_dates_numbers_and_nested_forms(sezp_admin: Path) -> None:
    config = _config(sezp_admin)
    conditions = _collection(config, "working-conditions")["fields"]
    vote = _field(conditions, "tlt_vote")
    assert vote["widget"] == "object" and vote["label"] == "TLT vote"
    assert _field(vote["fields"], "date") | {"hint": ""} == {
        "name": "date",
        "label": "Date",
        "widget": "datetime",
        "hint": "",
        "required": False,
        "format": "YYYY-MM-DD",
        "date_format": "YYYY-MM-DD",
        "time_format": False,
    }
    assert _field(vote["fields"], "in_favor") | {"hint": ""} == {
        "name": "in_favor",
        "label": "In favor",
        "widget": "number",
        "hint": "",
        "required": False,
        "value_type": "int",
        "min": 0,
    }
    assert _field(vote["fields"], "passed")["widget"] == "boolean"
    calendars = _collection(config, "calendars")["fields"]
    early = _field(_field(calendars, "student")["fields"], "early_release")
    dismissal = _field(early["fields"], "dismissal")
    assert dismissal["required"] is True
    assert dismissal["pattern"] == [
        r"^([01]?[0-9]|2[0-3]):[0-5][0-9]$",
        "A 24-hour time as HH:MM (e.g. 08:05 or 14:30)",
    ]
    transition = _collection(config, "tlt-transition")["fields"]
    term = _field(_field(transition, "members")["fields"], "term_year")
    assert term["options"] == [{"label": "1", "value": 1}, {"label": "2", "value": 2}]


def _properties(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """A JSON Schema object's properties, with lists and `$ref`s followed: name -> the
    object's own properties (or None for a plain value)."""
    found: dict[str, Any] = {}
    for name, prop in node["properties"].items():
        kinds = [k for k in prop.get("anyOf", [prop]) if k.get("type") != "null"]
        kind = kinds[0]
        if kind.get("type") == "array":
            kind = kind["items"]
        if "$ref" in kind:
            kind = schema["$defs"][kind["$ref"].rsplit("/", 1)[-1]]
        found[name] = _properties(schema, kind) if kind.get("type") == "object" else None
    return found


def _decap_fields(fields: list[dict[str, Any]]) -> dict[str, Any]:
    return {f["name"]: _decap_fields(f["fields"]) if "fields" in f else None for f in fields}


def _every_field(fields: list[dict[str, Any]]) -> list[tuple[dict[str, Any], bool]]:
    """Every field at every depth, and whether it is the one field of a list's items."""
    out = []
    for f in fields:
        out.append((f, False))
        out.extend(_every_field(f.get("fields", [])))
        if "field" in f:
            out.append((f["field"], True))
    return out


@pytest.fixture(scope="module")
def every_form(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """admin/ of a district whose cycle uses all three frameworks: all three's forms."""
    tmp_path = tmp_path_factory.mktemp("every")
    repo = _district(tmp_path)
    cycle = repo / "cycles" / "2022-23.yaml"
    frameworks = "[sezp, planning-for-success, dese-sip]"
    cycle.write_text(
        cycle.read_text("utf-8").replace("framework: sezp", f"framework: {frameworks}")
    )
    run = sipctl("editor", "--repo", repo, "--out", tmp_path / "admin")
    assert run.code == 0, run.err
    return tmp_path / "admin"


def test_every_model_field_is_in_its_form_with_the_model_description(every_form: Path) -> None:
    config = _config(every_form)
    assert [c["name"] for c in config["collections"]] == [
        doc.id
        for name in ("sezp", "planning-for-success", "dese-sip")
        for doc in load_framework(name).documents
    ]
    for doc_id, entry in all_documents().items():
        schema = entry.model_class.model_json_schema()
        fields = _collection(config, doc_id)["fields"]
        assert _decap_fields(fields) == _properties(schema, schema), doc_id
        for field, item in _every_field(fields):
            assert "label" in field, (doc_id, field["name"])
            if field["widget"] != "hidden" and not item:
                assert "required" in field and field.get("hint"), (doc_id, field["name"])
            if "pattern" in field:  # a message in words, never the bare regex
                words = PATTERN_WORDS[field["pattern"][0]]
                assert field["pattern"][1] == words[:1].upper() + words[1:]


def test_the_backend_is_github_with_the_district_repository(tmp_path: Path) -> None:
    repo = _district(tmp_path)
    assert sipctl("editor", "--repo", repo).code == 0
    text = (repo / "admin" / "config.yml").read_text("utf-8")
    assert "# TODO: name the district's GitHub repository" in text
    config = yaml.safe_load(text)
    assert config["backend"] == {"name": "github", "repo": "OWNER/NAME", "branch": "main"}
    assert config["local_backend"] is True
    assert config["publish_mode"] == "editorial_workflow"

    settings = repo / "sipctl.yaml"
    settings.write_text(settings.read_text("utf-8") + "repository: riverbend-ez/plans\n")
    run = sipctl("editor", "--repo", repo)
    assert run.code == 0, run.err
    text = (repo / "admin" / "config.yml").read_text("utf-8")
    assert "# TODO: name the district's GitHub repository" not in text
    assert yaml.safe_load(text)["backend"]["repo"] == "riverbend-ez/plans"
    run = sipctl("editor", "--repo", repo, "--backend-repo", "someone/fork", "--check")
    assert run.code == 1


def test_check_passes_when_current_and_fails_when_stale(tmp_path: Path) -> None:
    repo = _district(tmp_path)
    admin = repo / "admin"
    run = sipctl("editor", "--repo", repo, "--check")
    assert run.code == 1 and not admin.exists()
    assert "stale or missing: config.yml, index.html" in run.err
    assert sipctl("editor", "--repo", repo).code == 0
    run = sipctl("editor", "--repo", repo, "--check")
    assert run.code == 0, run.err
    assert "current" in run.out
    config = admin / "config.yml"
    config.write_text(config.read_text("utf-8").replace("label: Status", "label: State", 1))
    before = config.read_bytes()
    run = sipctl("editor", "--repo", repo, "--check")
    assert run.code == 1
    assert "stale or missing: config.yml" in run.err and "index.html" not in run.err
    assert "run `sipctl editor --out" in run.err
    assert config.read_bytes() == before  # --check writes nothing
    assert sipctl("editor", "--repo", repo).code == 0
    assert sipctl("editor", "--repo", repo, "--check").code == 0


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.iterdir()))
def test_the_examples_admin_folders_are_current(example: str) -> None:
    run = sipctl("editor", "--repo", EXAMPLES / example, "--check")
    assert run.code == 0, run.err


def test_the_config_does_not_grow_with_the_schools(tmp_path: Path) -> None:
    small, large = _district(tmp_path / "small"), _district(tmp_path / "large")
    # only folders matter: the configuration never reads a school's files
    for number in range(1800):
        (large / "schools" / f"school-{number:04d}" / "2022-23").mkdir(parents=True)
    sizes = []
    for repo in (small, large):
        assert sipctl("editor", "--repo", repo).code == 0
        sizes.append((repo / "admin" / "config.yml").read_bytes())
    assert len(sizes[0]) == len(sizes[1])
    assert sizes[0] == sizes[1]


def test_index_html_loads_the_pinned_decap_with_its_hash(sezp_admin: Path) -> None:
    page = (sezp_admin / "index.html").read_text("utf-8")
    assert (
        '<script src="https://unpkg.com/decap-cms@3.16.3/dist/decap-cms.js"\n'
        f'          integrity="{DECAP_CMS.integrity}"\n'
        '          crossorigin="anonymous"></script>'
    ) in page
    assert '<script src="sipctl-format.js"></script>' in page  # the canonical save format
    assert f'import YAML from "{YAML_MODULE}";' in page
    assert "window.SipctlFormat.register(window.CMS, layouts, YAML);" in page
    assert "<title>Riverbend Empowerment Zone: plans</title>" in page


def test_the_pinned_hash_is_the_hash_of_the_pinned_version() -> None:
    bundle = NODE_MODULES / "decap-cms" / DECAP_CMS.path
    if not bundle.is_file():
        pytest.skip("node_modules is missing: run `npm ci` to check Decap's pinned hash")
    package = json.loads((NODE_MODULES / "decap-cms" / "package.json").read_text("utf-8"))
    assert package["version"] == DECAP_CMS.version, "bump DECAP_CMS with package.json"
    digest = base64.b64encode(hashlib.sha384(bundle.read_bytes()).digest()).decode()
    assert DECAP_CMS.integrity == f"sha384-{digest}"
    pinned = json.loads((SOURCE_ROOT / "package.json").read_text("utf-8"))["devDependencies"]
    assert pinned["decap-cms"] == DECAP_CMS.version


def _repo_files(repo: Path) -> dict[str, Any]:
    """The district's schools/ as Decap's test backend holds a repository in memory."""
    tree: dict[str, Any] = {}
    for path in sorted(repo.glob("schools/**/*.yaml")):
        rel = path.relative_to(repo).as_posix()
        node = tree
        *folders, name = rel.split("/")
        for folder in folders:
            node = node.setdefault(folder, {})
        node[name] = {"path": rel, "content": path.read_text("utf-8")}
    return tree


def _in_decap(admin_source: Path, tmp_path: Path, plan: dict[str, Any]) -> dict[str, Any]:
    """What tests/js/decap_smoke.mjs saw of `admin_source` in the real Decap, with Decap's
    in-memory backend instead of GitHub (for the test only) holding `plan`'s files."""
    node, browser = shutil.which("node"), shutil.which("chromium")
    if node is None or browser is None or not (NODE_MODULES / "playwright-core").is_dir():
        pytest.skip("needs node, Debian's chromium and `npm ci` (playwright-core, decap-cms)")
    admin = tmp_path / "admin"
    shutil.copytree(admin_source, admin)
    config = _config(admin)
    config["backend"] = {"name": "test-repo"}
    del config["local_backend"]
    (admin / "config.yml").write_text(yaml.safe_dump(config, sort_keys=False), "utf-8")
    (tmp_path / "plan.json").write_text(json.dumps({"admin": str(admin), **plan}), "utf-8")
    proc = subprocess.run(
        [node, SOURCE_ROOT / "tests/js/decap_smoke.mjs", tmp_path / "plan.json"],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "CHROMIUM": browser, "HOME": str(tmp_path)},
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    seen: dict[str, Any] = json.loads(proc.stdout)
    assert seen["configError"] is None
    assert seen["pageErrors"] == [] and seen["refused"] == []
    return seen


def test_decap_loads_the_config_and_lists_every_school(every_form: Path, tmp_path: Path) -> None:
    labels = [c["label"] for c in _config(every_form)["collections"]]  # all three's forms
    seen = _in_decap(
        every_form,
        tmp_path,
        {
            "repoFiles": _repo_files(EXAMPLES / "sezp-district"),
            "collections": labels,
            "open": {
                "collection": "Priority Levers Form",
                "entry": "maple · 2022-23",
                "fields": ["Status", "Reflection", "Levers"],
            },
        },
    )
    assert seen["unpkg"][0] == DECAP_CMS.url  # served, and its integrity held
    assert YAML_MODULE in seen["unpkg"]  # the save format's reader, which read every entry
    assert seen["collections"] == dict.fromkeys(labels, True)
    # every school's form, found in schools/<school>/<cycle>/, one line each
    assert [e for e in seen["entries"] if "2022-23" in e] == [
        "birch · 2022-23 · in-progress",
        "maple · 2022-23 · draft",
        "oak-hill · 2022-23 · approved",
    ]
    assert seen["fields"] == {"Status": True, "Reflection": True, "Levers": True}
    hint = all_documents()["priority-levers"].model_class.model_fields["reflection"].description
    assert hint is not None and hint.split("(")[0].strip() in seen["formText"]  # the model's words
    assert "L1 · " in seen["formText"]  # a collapsed lever shows its id and lever


def test_a_save_in_the_browser_writes_the_canonical_form_and_changes_one_line(
    sezp_admin: Path, tmp_path: Path
) -> None:
    """Decap saves through sipctl's format: the file it would commit is what `sipctl fmt`
    writes, and against the canonical file before, only the edited field's line differs."""
    district = tmp_path / "district"
    shutil.copytree(EXAMPLES / "sezp-district", district, symlinks=True)
    assert sipctl("fmt", "--repo", district).code in (0, 1)  # the examples may not be yet
    rel = "schools/maple/2022-23/priority-levers.yaml"
    before = (district / rel).read_text("utf-8")
    text = "The TLT: grade 3 ELA rose from 31% to 38%; attendance is the gap. # not a comment"
    seen = _in_decap(
        sezp_admin,
        tmp_path / "browser",
        {
            "repoFiles": _repo_files(district),
            "collections": ["Priority Levers Form"],
            "open": {
                "collection": "Priority Levers Form",
                "entry": "maple · 2022-23",
                "fields": ["Reflection"],
            },
            "save": {"field": "Reflection", "text": text},
            # SIPCTL_SCREENSHOTS=docs/screenshots: docs/editor.md's pictures, from this run
            **(
                {"screenshots": os.environ["SIPCTL_SCREENSHOTS"]}
                if "SIPCTL_SCREENSHOTS" in os.environ
                else {}
            ),
        },
    )
    [saved] = seen["saved"]
    assert saved["path"] == rel
    (district / rel).write_text(saved["content"], "utf-8")
    assert sipctl("fmt", "--check", "--repo", district, district / rel).code == 0  # canonical
    changed = [
        line
        for line in difflib.unified_diff(before.splitlines(), saved["content"].splitlines(), n=0)
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]
    assert len(changed) == 2 and changed[1] == f'+reflection: "{text}"', changed
    assert changed[0].startswith("-reflection: ")


PROBES = [
    "L1", "G12", "l1", "S1.1", "A_b-c.d", "", " L1", "L1 ", "-L1", "L 1", "Ä1", "L1\n",
    "riverbend-ez/plans", "owner/name/extra", "/plans", "8:30", "08:30", "23:59", "24:00",
    "7:5", "2022-23", "2022-2023", "maple", "oak-hill", "Oak", "oak--hill", "oak-",
    "2022-05-06T16:00", "2022-05-06T16:00:00", "2022-05-06 16:00", "2022-05-06",
]  # fmt: skip


def _patterns(value: Any) -> set[str]:
    if isinstance(value, dict):
        found = {value["pattern"]} if isinstance(value.get("pattern"), str) else set()
        return found.union(*(_patterns(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_patterns(v) for v in value))
    return set()


def test_every_pattern_means_the_same_in_the_form_and_in_check(every_form: Path) -> None:
    """A pattern the browser's form applies (JavaScript's RegExp, as Decap tests a value)
    accepts exactly what check's does (pydantic's, in Rust), on the same probes: the
    patterns keep to the part of regular expressions both read alike. (Python's own `re`
    is a third dialect: its `$` also matches before a final line break, which is why
    "L1\n" is a probe; neither engine that judges a plan accepts it.)"""
    node = shutil.which("node")
    if node is None:
        pytest.skip("needs node")
    form = {p[0] for p in _field_patterns(_config(every_form)["collections"])}
    schemas = set().union(
        *(
            _patterns(json.loads(f.read_text("utf-8")))
            for f in (SOURCE_ROOT / "schemas").glob("*.json")
        )
    )
    assert form and form <= schemas  # the form's patterns are the models'
    patterns = sorted(schemas)
    script = (
        "const {patterns, probes} = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "console.log(JSON.stringify(patterns.map(p => probes.map(s => new RegExp(p).test(s)))));"
    )
    proc = subprocess.run(
        [node, "-e", script],
        input=json.dumps({"patterns": patterns, "probes": PROBES}),
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    javascript = json.loads(proc.stdout)
    for pattern, in_browser in zip(patterns, javascript, strict=True):
        adapter = TypeAdapter(Annotated[str, StringConstraints(pattern=pattern)])
        in_check = [_accepts(adapter, probe) for probe in PROBES]
        assert in_browser == in_check, pattern
        assert any(in_check) and not all(in_check), pattern  # the probes try each one


def _accepts(adapter: TypeAdapter[str], value: str) -> bool:
    try:
        adapter.validate_python(value)
    except ValidationError:
        return False
    return True


def _field_patterns(fields: list[dict[str, Any]]) -> list[list[str]]:
    found = []
    for each in fields:
        if "pattern" in each:
            found.append(each["pattern"])
        found.extend(_field_patterns(each.get("fields", [])))
        if "field" in each:
            found.extend(_field_patterns([each["field"]]))
    return found
