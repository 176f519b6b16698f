"""The example districts are valid plans, and the demo district has the history it promises."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from cli import sipctl

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
DISTRICTS = sorted(p.name for p in EXAMPLES.iterdir() if (p / "sipctl.yaml").is_file())
DOCUMENTS = sorted(EXAMPLES.glob("*/schools/*/*/*.yaml"))


def test_three_example_districts() -> None:
    assert DISTRICTS == ["dese-district", "pfs-district", "sezp-district"]
    sezp = EXAMPLES / "sezp-district/schools"
    assert sorted(p.name for p in sezp.iterdir()) == ["birch", "maple", "oak-hill"]


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_example_document_is_valid_against_its_json_schema(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema=../../../schemas/{path.stem}.schema.json"
    schema_path = (path.parent / first.split("=", 1)[1]).resolve()
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    data = json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    assert [e.message for e in validator.iter_errors(data)] == []


@pytest.mark.parametrize("district", DISTRICTS)
def test_example_cycle_file_is_valid_against_its_json_schema(district: str) -> None:
    schema = json.loads((REPO / "schemas/cycle.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    for path in (EXAMPLES / district / "cycles").glob("*.yaml"):
        data = json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))
        assert [e.message for e in validator.iter_errors(data)] == []


@pytest.mark.parametrize("district", DISTRICTS)
def test_example_district_has_no_errors_before_its_deadlines(district: str) -> None:
    run = sipctl(
        "check", "--repo", EXAMPLES / district, "--as-of", "2022-02-01", "--format", "json"
    )
    payload = run.json()
    assert [f for f in payload["findings"] if f["severity"] == "error"] == []
    assert run.code == 0
    # examples/ sits inside this source repository: its history is not the plans'.
    assert "is not the top of its git work tree" in payload["notes"][0]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "district"
    subprocess.run(
        [sys.executable, str(REPO / "scripts/build_demo.py"), str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    return out


def test_demo_check_shows_on_time_late_and_missing(demo: Path) -> None:
    run = sipctl("check", "--repo", demo, "--as-of", "2022-06-01", "--format", "json")
    payload = run.json()
    assert payload["notes"] == []
    deadlines = {
        (f["school"], f["document"], f["stage"], f["rule"])
        for f in payload["findings"]
        if f["rule"].startswith("deadline")
    }
    assert ("maple", "priority-levers", "draft", "deadline-late") in deadlines
    assert ("maple", "lever-goals", "draft", "deadline-missed") in deadlines
    assert ("maple", "lever-goals", "final", "deadline-missed") in deadlines
    assert ("birch", "priority-levers", "draft", "deadline-missed") in deadlines
    assert not [d for d in deadlines if d[0] == "oak-hill"]
    # maple's working-conditions draft was merged after 16:00 from a branch commit before it
    assert ("maple", "working-conditions", "draft", "deadline-late") not in deadlines
    late = next(
        f
        for f in payload["findings"]
        if f["rule"] == "deadline-late" and f["document"] == "priority-levers"
    )
    assert late["message"] == (
        "the draft was submitted 2022-05-06 16:45 -04:00, 45 minutes after the deadline "
        "2022-05-06 16:00 -04:00"
    )


def test_demo_log_shows_on_time_and_late(demo: Path) -> None:
    run = sipctl("log", "maple", "--repo", demo, "--format", "json")
    events = {(e["document"], e["to"]): e for e in run.json()["events"]}
    assert events[("priority-levers", "draft")]["verdict"] == "late"
    assert events[("priority-levers", "draft")]["delay_seconds"] == 45 * 60
    assert events[("working-conditions", "draft")]["verdict"] == "on time"
    oak = sipctl("log", "oak-hill", "priority-levers", "--repo", demo).out
    assert "on time, 1 minute early" in oak
    assert "final -> approved" in oak


def test_demo_log_shows_missing_submissions(demo: Path) -> None:
    run = sipctl("log", "maple", "--repo", demo, "--as-of", "2022-06-01", "--format", "json")
    missed = [
        (d["document"], d["stage"]) for d in run.json()["open_deadlines"] if d["state"] == "missed"
    ]
    assert missed == [
        ("lever-goals", "draft"),
        ("summer-plan", "draft"),
        ("tlt-transition", "draft"),
        ("calendars", "final"),
        ("lever-goals", "final"),
        ("priority-levers", "final"),
        ("summer-plan", "final"),
        ("tlt-transition", "final"),
    ]


def test_demo_is_deterministic(demo: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    subprocess.run(
        [sys.executable, str(REPO / "scripts/build_demo.py"), str(again)],
        check=True,
        capture_output=True,
    )

    def head(path: Path) -> str:
        return subprocess.run(
            ["git", "-C", str(path), "rev-parse", "HEAD"], capture_output=True, text=True
        ).stdout

    assert head(again) == head(demo)
