"""The canonical form: `sipctl fmt` and the browser's save format write the same bytes.

The golden test runs templates/editor/sipctl-format.js in Node on the data sipctl's loader
read from every example document and the demo district's, and on the files' text itself
(read by the format's own `fromFile`, as Decap does when it opens a file), and holds both
to Python's canonical text. The other tests check what a reviewer relies on: values never
change, formatting twice changes nothing, and one edited field is one changed line.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from cli import sipctl
from sipctl.domain.layout import document_layouts
from sipctl.services.fmt import canonical_document
from sipctl.source.canonical import canonical_text, number_text
from sipctl.source.positions import load_yaml

SOURCE_ROOT = Path(__file__).resolve().parents[1]
RUNNER = SOURCE_ROOT / "tests" / "js" / "fmt_golden.js"
NODE = shutil.which("node")
needs_node = pytest.mark.skipif(
    NODE is None or not (SOURCE_ROOT / "node_modules" / "yaml").is_dir(),
    reason="the JavaScript writer needs node and `npm ci` (the yaml package); "
    "install Node 20 and run `npm ci` to test it",
)
EXAMPLES = sorted(SOURCE_ROOT.glob("examples/*/schools/*/*/*.yaml"))
LEVERS = SOURCE_ROOT / "examples/sezp-district/schools/maple/2022-23/priority-levers.yaml"
# Text YAML 1.1 or 1.2 would read as something else unless written with care.
TRICKY = [
    "no", "yes", "on", "off", "y", "n", "No", "OFF", "true", "null", "Null", "~", "",
    "1.0", "45", "0777", "1_000", "1e5", ".inf", "-.inf", ".nan", "0x1F", "0o17", "8:30",
    "12:30", "2022-05-06", "2022-05-06 10:00:00", "2022-5-6", "<<", "=", "# not a comment",
    "a # b", "key: value", "ends with colon:", "- item", "? what", "!tag", "&anchor", "*alias",
    "|", ">", "%", "@x", "`x`", "'single'", '"double"', "[x]", "{x}", ",x",
    " leading space", "trailing space ", "tab\there", "back\\slash", 'say "hi"',
    "café – naïve ✓ 日本語 😀", "line\u2028separator", "nbsp\u00a0inside",
    "two\nlines", "ends with newline\n", "two trailing\n\n", "  indented first\nline",
    "trailing space \nline", "\nleading newline", "blank\n\nline inside",
    "K-2", "2022-23", "http://example.org/a#b", "50%", "-5 points",
]  # fmt: skip


def _json_default(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(value)


def _load(text: str) -> Any:
    loaded = load_yaml(text)
    assert not loaded.problems
    return loaded.data


def _as_json(data: Any) -> Any:
    return json.loads(json.dumps(data, default=_json_default))


def run_js(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Run the browser's format in Node on `cases`, all in one process."""
    assert NODE is not None
    payload = json.dumps({"layouts": document_layouts(), "cases": cases}, default=_json_default)
    proc = subprocess.run(
        [NODE, str(RUNNER)],
        input=payload,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    results: list[dict[str, Any]] = json.loads(proc.stdout)
    return results


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "district"
    subprocess.run(
        [sys.executable, str(SOURCE_ROOT / "scripts" / "build_demo.py"), str(out), "--force"],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return out


@pytest.fixture(scope="session")
def documents(demo: Path) -> dict[str, str]:
    """Every example document and every demo district document: name -> text."""
    found = {str(p.relative_to(SOURCE_ROOT)): p.read_text("utf-8") for p in EXAMPLES}
    for path in sorted(demo.glob("schools/*/*/*.yaml")):
        found["demo/" + str(path.relative_to(demo))] = path.read_text("utf-8")
    assert len(found) > 50
    return found


@cache
def _canonical(text: str) -> str:
    return canonical_document(text)


def test_fmt_keeps_every_value_and_is_idempotent(documents: dict[str, str]) -> None:
    for name, text in documents.items():
        canonical = _canonical(text)
        assert _load(canonical) == _load(text), name
        assert canonical_document(canonical) == canonical, name
        lines = canonical.splitlines()
        doc_id = _load(text)["document"]
        assert lines[0] == f"# yaml-language-server: $schema=../../../schemas/{doc_id}.schema.json"
        assert not any(line.lstrip().startswith("#") for line in lines[1:]), name


def test_keys_follow_the_model_at_every_depth() -> None:
    text = LEVERS.read_text("utf-8")
    data = _load(text)
    shuffled = {key: data[key] for key in reversed(list(data))}
    shuffled["levers"] = [{k: item[k] for k in reversed(list(item))} for item in data["levers"]]
    shuffled["levers"][0]["unknown_b"] = "kept"
    shuffled["levers"][0]["unknown_a"] = "after the known keys, in file order"
    out = canonical_text(shuffled, document_layouts())
    assert out.splitlines()[1:5] == [
        "document: priority-levers",
        "school: maple",
        "cycle: 2022-23",
        "status: draft",
    ]
    first = out.split("  - id: L1\n")[1].split("  - id: L2")[0]
    keys = [line[4:].split(":")[0] for line in first.splitlines() if line[4:5].isalpha()]
    assert keys == ["lever", "evidence", "data_sources", "unknown_b", "unknown_a"]


@needs_node
def test_the_browser_writes_what_fmt_writes(documents: dict[str, str]) -> None:
    names = list(documents)
    cases: list[dict[str, Any]] = []
    for name in names:
        cases.append({"data": _as_json(_load(documents[name]))})  # the data sipctl read
        cases.append({"text": documents[name]})  # the file as Decap opens it
    results = run_js(cases)
    for index, name in enumerate(names):
        expected = _canonical(documents[name])
        from_data, from_text = results[2 * index], results[2 * index + 1]
        assert from_data.get("out") == expected, (name, from_data.get("error"))
        assert from_text.get("out") == expected, (name, from_text.get("error"))


def _changed_lines(before: str, after: str) -> list[str]:
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


@needs_node
@pytest.mark.parametrize(
    "evidence",
    ["Grade 3 ELA at 33%: updated after the April DIBELS window.", "New evidence\nin two lines"],
)
def test_one_changed_field_is_one_changed_line(evidence: str) -> None:
    before = _canonical(LEVERS.read_text("utf-8"))
    data = _load(before)
    old = data["levers"][1]["evidence"]
    data["levers"][1]["evidence"] = evidence
    after = canonical_text(data, document_layouts())
    (js,) = run_js([{"data": _as_json(data)}])
    assert js.get("out") == after, js.get("error")
    changed = _changed_lines(before, after)
    assert changed[0] == f"-    evidence: {old}"
    assert changed[1:] == (
        [f"+    evidence: {_scalar(evidence)}"]
        if "\n" not in evidence
        else ["+    evidence: |-", *(f"+      {line}" for line in evidence.split("\n"))]
    )


def _scalar(text: str) -> str:
    return canonical_text(
        {"document": "priority-levers", "reflection": text}, document_layouts()
    ).splitlines()[2][len("reflection: ") :]


def _tricky_document() -> dict[str, Any]:
    return {
        "document": "priority-levers",
        "school": "maple",
        "cycle": "2022-23",
        "status": "draft",
        "reflection": "\n".join(TRICKY[:10]),
        "levers": [
            {"id": f"L{n}", "lever": text, "evidence": text, "data_sources": [text, "x"]}
            for n, text in enumerate(TRICKY, start=1)
        ],
        "tricky key: no": "yes",
    }


def test_tricky_text_reads_back_as_it_was() -> None:
    data = _tricky_document()
    text = canonical_text(data, document_layouts())
    assert _load(text) == data
    assert canonical_document(text) == text


@needs_node
def test_tricky_text_is_the_same_in_both_writers_and_both_yaml_versions() -> None:
    data = _tricky_document()
    text = canonical_text(data, document_layouts())
    js_write, js_read, yaml12 = run_js(
        [{"data": data}, {"text": text, "read": True}, {"text": text, "yaml12": True}]
    )
    assert js_write.get("out") == text, js_write.get("error")
    assert js_read.get("data") == data, js_read.get("error")  # YAML 1.1, as sipctl reads
    assert yaml12.get("data") == data, yaml12.get("error")  # YAML 1.2 reads it the same


@needs_node
def test_numbers_and_dates_are_written_alike() -> None:
    numbers = [0.5, 1e-7, 1.5e-7, 123.456, -0.001, 45.0, 1e21, 0.1 + 0.2, 31, -4, 2.5e-12]
    data = {
        "document": "lever-goals",
        "goals": [
            {
                "id": f"G{n}",
                "outcome": {"baseline": {"value": value, "as_of": "2022-05-06"}},
            }
            for n, value in enumerate(numbers)
        ],
    }
    text = canonical_text(data, document_layouts())
    (js,) = run_js([{"data": data}])
    assert js.get("out") == text, js.get("error")
    read = _load(text)
    for goal, value in zip(read["goals"], numbers, strict=True):
        assert goal["outcome"]["baseline"]["value"] == value
        # a date field's date is written as a date, quoted or not in the data
        assert goal["outcome"]["baseline"]["as_of"] == dt.date(2022, 5, 6)
    written = [number_text(v) for v in (1e-6, 1e-7, 2.5e-12, 45.0)]
    assert written == ["0.000001", "1.0e-7", "2.5e-12", "45"]


# the command ------------------------------------------------------------------------------------
@pytest.fixture
def district(tmp_path: Path) -> Path:
    repo = tmp_path / "district"
    shutil.copytree(SOURCE_ROOT / "examples" / "sezp-district", repo, symlinks=True)
    return repo


def test_fmt_check_lists_what_is_not_canonical_then_fmt_fixes_it(district: Path) -> None:
    levers = district / "schools/maple/2022-23/priority-levers.yaml"
    canonical = levers.read_text("utf-8")
    assert canonical == canonical_document(canonical)  # the examples are canonical
    before = _hand_edit(levers)
    run = sipctl("fmt", "--check", "--repo", district)
    assert run.code == 1
    assert "schools/maple/2022-23/priority-levers.yaml: not in canonical form" in run.out
    assert levers.read_text("utf-8") == before  # --check writes nothing
    run = sipctl("fmt", "--repo", district)
    assert run.code == 0, run.err
    assert "formatted schools/maple/2022-23/priority-levers.yaml" in run.out
    assert levers.read_text("utf-8") == canonical_document(before) == canonical
    run = sipctl("fmt", "--check", "--repo", district)
    assert run.code == 0, run.out + run.err
    assert "0 would be rewritten" in run.out
    # check finds the same things in the same places (the lines move, the data paths do not)
    assert _findings(district) == _findings(SOURCE_ROOT / "examples" / "sezp-district")


def _hand_edit(levers: Path) -> str:
    """Leave `levers` as a hand edit might: a comment and a quoted id."""
    text = levers.read_text("utf-8")
    assert text.count("\n  - id: L1\n") == 1
    text = text.replace("\n  - id: L1\n", '\n  # the first lever\n  - id: "L1"\n')
    levers.write_text(text, "utf-8")
    return text


def _findings(repo: Path) -> list[tuple[str, str, str | None]]:
    run = sipctl("check", "--repo", repo, "--as-of", "2022-05-07", "--format", "json")
    return sorted((f["rule"], f["file"], f["path"]) for f in run.json()["findings"])


def test_fmt_leaves_a_file_it_cannot_read_untouched(district: Path) -> None:
    broken = district / "schools/maple/2022-23/calendars.yaml"
    broken.write_text("document: calendars\nstudent: [unclosed\n", "utf-8")
    repeated = district / "schools/birch/2022-23/lever-goals.yaml"
    repeated.write_text(repeated.read_text("utf-8") + "status: final\n", "utf-8")
    levers = district / "schools/maple/2022-23/priority-levers.yaml"
    _hand_edit(levers)
    run = sipctl("fmt", broken, repeated, levers, "--repo", district)
    assert run.code == 1
    assert "schools/maple/2022-23/calendars.yaml:3:1: cannot format: it " in run.err
    assert "schools/birch/2022-23/lever-goals.yaml:" in run.err
    assert "repeats the key 'status'" in run.err
    assert broken.read_text("utf-8") == "document: calendars\nstudent: [unclosed\n"
    assert "formatted schools/maple/2022-23/priority-levers.yaml" in run.out


def test_fmt_refuses_files_that_are_not_plan_documents(district: Path) -> None:
    run = sipctl("fmt", district / "sipctl.yaml", "--repo", district)
    assert run.code == 2
    assert "is not a plan document" in run.err
    run = sipctl("fmt", district / "schools/maple/2022-23/nothing.yaml", "--repo", district)
    assert run.code == 2
    assert "no such file" in run.err


def test_the_demo_and_a_new_district_are_canonical(demo: Path, tmp_path: Path) -> None:
    """What sipctl ships and writes needs no formatting: a browser's first save of it
    changes only what the principal changed."""
    run = sipctl("fmt", "--check", "--repo", demo)
    assert run.code == 0, run.out + run.err
    # Every version of every document in the demo's history, not only the last one.
    objects = subprocess.run(
        ["git", "rev-list", "--objects", "--all"],
        cwd=demo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    blobs = [line.split(" ", 1) for line in objects if line.endswith(".yaml")]
    documents = [
        (sha, path) for sha, path in blobs if path.startswith("schools/") and path.count("/") == 3
    ]
    assert len(documents) > 39
    batch = subprocess.run(
        ["git", "cat-file", "--batch"],
        cwd=demo,
        input="".join(f"{sha}\n" for sha, _ in documents).encode(),
        capture_output=True,
        check=True,
    ).stdout
    stale = []
    for _, path in documents:
        header, _, batch = batch.partition(b"\n")
        size = int(header.split()[2])
        text, batch = batch[:size].decode("utf-8"), batch[size + 1 :]
        if text != _canonical(text):
            stale.append(path)
    assert stale == []
    # A new district of every framework, one cycle each, and a cycle started with --from
    # (test_init.py holds carried content to the canonical form).
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    for cycle, framework in (
        ("2022-23", "sezp"),
        ("2023-24", "planning-for-success"),
        ("2024-25", "dese-sip"),
    ):
        run = sipctl("init", "maple", "--cycle", cycle, "--framework", framework, cwd=fresh)
        assert run.code == 0, run.err
    args = ["--framework", "dese-sip", "--from", "2024-25"]
    run = sipctl("init", "maple", "--cycle", "2025-26", *args, cwd=fresh)
    assert run.code == 0, run.err
    run = sipctl("fmt", "--check", "--repo", fresh)
    assert run.code == 0, run.out + run.err
    assert "0 would be rewritten, 33 already canonical" in run.out
