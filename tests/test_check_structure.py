"""`sipctl check` reports parse and schema problems at file:line:column, and goes on."""

from __future__ import annotations

from pathlib import Path

from cli import sipctl
from district import header, write_district

LEVERS = "schools/maple/2022-23/priority-levers.yaml"


def findings(root: Path, *extra: str) -> tuple[int, list[dict]]:
    run = sipctl("check", "--repo", root, "--format", "json", *extra)
    assert run.err == "", run.err
    return run.code, run.json()["findings"]


def brief(found: list[dict]) -> list[tuple]:
    return [(f["rule"], f["severity"], f["file"], f["line"], f["column"]) for f in found]


def test_valid_district_passes(tmp_path: Path) -> None:
    code, found = findings(write_district(tmp_path))
    assert code == 0
    assert [f for f in found if f["severity"] == "error"] == []


def test_json_shape(tmp_path: Path) -> None:
    write_district(
        tmp_path, {LEVERS: header("priority-levers") + "levers:\n  - id: L1\n    typo: x\n"}
    )
    run = sipctl("check", "--repo", tmp_path, "--format", "json")
    payload = run.json()
    assert payload["version"] == 1
    assert payload["summary"]["error"] == 1
    [finding] = payload["findings"]
    for key in (
        "rule",
        "severity",
        "school",
        "cycle",
        "document",
        "file",
        "line",
        "column",
        "message",
    ):
        assert key in finding
    assert (finding["school"], finding["cycle"], finding["document"]) == (
        "maple",
        "2022-23",
        "priority-levers",
    )
    assert finding["path"] == "levers[L1].typo"


def test_unknown_key_at_its_line(tmp_path: Path) -> None:
    body = "levers:\n  - id: L1\n    levr: Family engagement\n"
    write_district(tmp_path, {LEVERS: header("priority-levers") + body})
    code, found = findings(tmp_path)
    assert code == 1
    assert brief(found) == [("schema", "error", LEVERS, 8, 5)]
    assert "levers[L1].levr: is not a field here" in found[0]["message"]


def test_wrong_type_at_its_line_with_yaml_11_explained(tmp_path: Path) -> None:
    body = "levers:\n  - id: L1\n    lever: no\n"
    write_district(tmp_path, {LEVERS: header("priority-levers") + body})
    code, found = findings(tmp_path)
    assert code == 1
    assert brief(found) == [("schema", "error", LEVERS, 8, 12)]
    assert found[0]["message"] == "levers[L1].lever: should be text"
    assert "'no' as false" in found[0]["hint"]


def test_missing_required_field_at_its_parent(tmp_path: Path) -> None:
    body = "levers:\n  - id: L1\n  - lever: Family engagement\n"
    write_district(tmp_path, {LEVERS: header("priority-levers") + body})
    _code, found = findings(tmp_path)
    assert brief(found) == [("schema", "error", LEVERS, 8, 5)]
    assert found[0]["message"] == "levers[1].id: is required but missing"


def test_missing_status_is_reported(tmp_path: Path) -> None:
    text = header("priority-levers").replace("status: not-started\n", "")
    write_district(tmp_path, {LEVERS: text})
    code, found = findings(tmp_path)
    assert code == 1
    assert found[0]["message"] == "status: is required but missing"


def test_bad_status_value(tmp_path: Path) -> None:
    write_district(tmp_path, {LEVERS: header("priority-levers", status="done")})
    _, found = findings(tmp_path)
    assert brief(found) == [("schema", "error", LEVERS, 5, 9)]
    assert "should be one of" in found[0]["message"]


def test_duplicate_key(tmp_path: Path) -> None:
    write_district(tmp_path, {LEVERS: header("priority-levers") + "status: draft\n"})
    code, found = findings(tmp_path)
    assert code == 1
    assert brief(found) == [("yaml-duplicate-key", "error", LEVERS, 6, 1)]


def test_alias_bomb_is_a_finding_and_others_still_checked(tmp_path: Path) -> None:
    bomb = 'a: &a ["x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b]\n'
    write_district(
        tmp_path,
        {
            LEVERS: bomb,
            "schools/maple/2022-23/calendars.yaml": header("calendars") + "colour: blue\n",
        },
    )
    code, found = findings(tmp_path)
    assert code == 1
    assert brief(found) == [
        ("schema", "error", "schools/maple/2022-23/calendars.yaml", 6, 1),
        ("yaml-alias", "error", LEVERS, 2, 8),
    ]


def test_non_utf8_file(tmp_path: Path) -> None:
    write_district(
        tmp_path, {LEVERS: header("priority-levers").encode() + b"reflection: caf\xe9\n"}
    )
    _, found = findings(tmp_path)
    assert brief(found) == [("file-encoding", "error", LEVERS, 6, 16)]


def test_bom_and_crlf_are_fine(tmp_path: Path) -> None:
    text = "\ufeff" + header("priority-levers").replace("\n", "\r\n")
    write_district(tmp_path, {LEVERS: text.encode("utf-8")})
    code, found = findings(tmp_path)
    assert code == 0
    assert [f for f in found if f["severity"] == "error"] == []


def test_header_must_match_the_path(tmp_path: Path) -> None:
    write_district(tmp_path, {LEVERS: header("priority-levers", school="oak")})
    _, found = findings(tmp_path)
    assert brief(found) == [("path-mismatch", "error", LEVERS, 3, 9)]


def test_unknown_and_missing_documents(tmp_path: Path) -> None:
    root = write_district(tmp_path, {"schools/maple/2022-23/levers.yaml": header("levers")})
    (root / "schools/maple/2022-23/calendars.yaml").unlink()
    _, found = findings(root)
    assert [(f["rule"], f["file"]) for f in found] == [
        ("document-missing", "schools/maple/2022-23/calendars.yaml"),
        ("unknown-document", "schools/maple/2022-23/levers.yaml"),
    ]


def test_text_report_names_file_line_column(tmp_path: Path) -> None:
    body = "levers:\n  - id: L1\n    levr: Family engagement\n"
    write_district(tmp_path, {LEVERS: header("priority-levers") + body})
    run = sipctl("check", "--repo", tmp_path)
    assert run.code == 1
    assert LEVERS in run.out
    assert "8:5  error    levers[L1].levr: is not a field here  [schema]" in run.out
    assert "FAILED: 1 error(s)" in run.out


def test_not_a_district_is_exit_2_without_traceback(tmp_path: Path) -> None:
    run = sipctl("check", "--repo", tmp_path)
    assert run.code == 2
    assert "has no sipctl.yaml" in run.err
    assert "Traceback" not in run.err


def test_corrupt_district_file_is_exit_2(tmp_path: Path) -> None:
    write_district(tmp_path, {"sipctl.yaml": "district: [unclosed\n"})
    run = sipctl("check", "--repo", tmp_path)
    assert run.code == 2
    assert run.err.startswith("error: sipctl.yaml:2:1:")
    assert "Traceback" not in run.err


def test_unknown_school_option_is_exit_2(tmp_path: Path) -> None:
    run = sipctl("check", "--repo", write_district(tmp_path), "--school", "oak")
    assert run.code == 2
    assert "no school 'oak'" in run.err


def test_exit_zero_shows_errors_but_exits_0(tmp_path: Path) -> None:
    write_district(tmp_path, {LEVERS: header("priority-levers") + "levr: x\n"})
    run = sipctl("check", "--repo", tmp_path, "--exit-zero")
    assert run.code == 0
    assert "FAILED: 1 error(s)" in run.out


def test_a_school_without_its_profile(tmp_path: Path) -> None:
    root = write_district(tmp_path)
    (root / "schools/maple/school.yaml").unlink()
    code, found = findings(root)
    assert code == 1
    assert [(*b, f["message"]) for b, f in zip(brief(found), found, strict=True)] == [
        (
            "school-profile-missing",
            "error",
            "schools/maple/school.yaml",
            None,
            None,
            "the school has no school.yaml profile",
        )
    ]


def test_a_cycle_without_its_cycle_file_warns_and_strict_fails_on_it(tmp_path: Path) -> None:
    root = write_district(tmp_path)
    (root / "cycles/2022-23.yaml").unlink()
    code, found = findings(root)
    assert code == 0  # a warning alone passes
    assert brief(found) == [("cycle-missing", "warning", "cycles/2022-23.yaml", None, None)]
    assert found[0]["message"] == "cycle 2022-23 has no cycle file, so its deadlines are unknown"
    strict, _ = findings(root, "--strict")
    assert strict == 1


def test_strict_passes_a_plan_without_warnings(tmp_path: Path) -> None:
    code, found = findings(write_district(tmp_path), "--strict")
    assert (code, [f for f in found if f["severity"] != "info"]) == (0, [])


def test_unknown_and_missing_documents_severity_and_place(tmp_path: Path) -> None:
    root = write_district(tmp_path, {"schools/maple/2022-23/levers.yaml": header("levers")})
    (root / "schools/maple/2022-23/calendars.yaml").unlink()
    _, found = findings(root)
    assert brief(found) == [
        ("document-missing", "error", "schools/maple/2022-23/calendars.yaml", None, None),
        ("unknown-document", "error", "schools/maple/2022-23/levers.yaml", 1, 1),
    ]


def test_cycle_key_must_match_the_folder(tmp_path: Path) -> None:
    write_district(tmp_path, {LEVERS: header("priority-levers", cycle="2023-24")})
    _, found = findings(tmp_path)
    assert brief(found) == [("path-mismatch", "error", LEVERS, 4, 8)]
    assert found[0]["message"] == (
        "says cycle: 2023-24 but the file is in the place of cycle 2022-23"
    )


def test_document_key_must_name_the_file(tmp_path: Path) -> None:
    text = header("priority-levers").replace("document: priority-levers", "document: calendars")
    write_district(tmp_path, {LEVERS: text})
    _, found = findings(tmp_path)
    assert brief(found) == [("schema", "error", LEVERS, 2, 11)]
    assert found[0]["message"] == "document: should be one of 'priority-levers'"


def test_text_report_has_a_heading_per_school(tmp_path: Path) -> None:
    body = "levers:\n  - id: L1\n    levr: Family engagement\n"
    oak = "schools/oak/2022-23/calendars.yaml"
    write_district(
        tmp_path,
        {LEVERS: header("priority-levers") + body, oak: "student: [\n"},
        schools=("maple", "oak"),
    )
    run = sipctl("check", "--repo", tmp_path)
    headings = [line for line in run.out.splitlines() if line.startswith("school ")]
    assert [h.split(" ─")[0] for h in headings] == [
        "school maple, cycle 2022-23: 1 error(s)",
        "school oak, cycle 2022-23: 1 error(s)",
    ]
    maple, oak_at = run.out.index("school maple"), run.out.index("school oak")
    assert maple < run.out.index(LEVERS) < oak_at < run.out.index(oak)
