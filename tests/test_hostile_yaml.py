"""Hostile and broken YAML: each file becomes a finding at its place, and the rest is checked.

Every test plants one bad file among the valid documents of a district, plus a second,
ordinary mistake in another document (`colour: blue` in the TLT Transition Form), and
asserts the exit code, the rule and message of the bad file, and that the ordinary
mistake was still found: one bad file never hides the others. docs/security.md lists
these cases with the defence each one tests.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from cli import run_sipctl
from district import CYCLE, DISTRICT, header, write_district

LEVERS = "schools/maple/2022-23/priority-levers.yaml"
CALENDARS = "schools/maple/2022-23/calendars.yaml"
OTHER = "schools/maple/2022-23/tlt-transition.yaml"
OTHER_TEXT = header("tlt-transition") + "colour: blue\n"  # a schema error at 6:1
CYCLE_FILE = "cycles/2022-23.yaml"
# Well over anything sipctl needs, well under "it hangs": a FIFO read would block forever.
TIMEOUT = 60


@dataclass
class Checked:
    code: int
    findings: list[dict[str, Any]]
    out: str
    err: str

    def errors_in(self, rel: str) -> list[dict[str, Any]]:
        return [f for f in self.findings if f["file"] == rel and f["severity"] == "error"]

    def only_error_in(self, rel: str) -> dict[str, Any]:
        found = self.errors_in(rel)
        assert len(found) == 1, found
        return found[0]

    def assert_others_checked(self) -> None:
        """The ordinary mistake planted next to the hostile file was still reported."""
        brief = [(f["rule"], f["file"], f["line"], f["column"]) for f in self.findings]
        assert ("schema", OTHER, 6, 1) in brief, brief


def run(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None):
    """The installed sipctl with a timeout: nothing here may block or print a traceback."""
    proc = run_sipctl(*args, cwd=cwd, env=env, timeout=TIMEOUT)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def plant(root: Path, files: dict[str, str | bytes], **kwargs: Any) -> Path:
    """A valid district with `files` planted in it, next to the ordinary mistake in OTHER."""
    return write_district(root, {OTHER: OTHER_TEXT, **files}, **kwargs)  # type: ignore[dict-item]


def check(root: Path, *args: str, env: dict[str, str] | None = None) -> Checked:
    proc = run("check", "--repo", root, "--format", "json", *args, env=env)
    payload = json.loads(proc.stdout) if proc.returncode in (0, 1) else {}
    return Checked(proc.returncode, payload.get("findings", []), proc.stdout, proc.stderr)


# aliases and merge keys: a YAML bomb never expands ------------------------------------------
def billion_laughs(levels: int = 9) -> str:
    """The classic bomb: nine levels of nine aliases would expand to 387 million strings."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in range(1, levels + 1):
        refs = ", ".join([f"*a{n - 1}"] * 9)
        lines.append(f"a{n}: &a{n} [{refs}]")
    return "\n".join(lines) + "\n"


def test_a_billion_laughs_bomb_is_refused_at_its_first_alias(tmp_path: Path) -> None:
    result = check(plant(tmp_path, {LEVERS: header("priority-levers") + billion_laughs()}))
    assert result.code == 1
    bomb = result.only_error_in(LEVERS)
    assert (bomb["rule"], bomb["line"], bomb["column"]) == ("yaml-alias", 7, 10)
    assert "alias" in bomb["message"] and "&anchor" in bomb["hint"]
    result.assert_others_checked()


def test_a_merge_key_is_refused(tmp_path: Path) -> None:
    text = header("priority-levers") + "levers:\n  - id: L1\n    <<: {lever: x}\n"
    result = check(plant(tmp_path, {LEVERS: text}))
    assert result.code == 1
    merge = result.only_error_in(LEVERS)
    assert (merge["rule"], merge["line"], merge["column"]) == ("yaml-alias", 8, 5)
    assert "merge key" in merge["message"]
    result.assert_others_checked()


# language tags never construct anything ------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "tag"),
    [
        ("!!python/object/apply:os.system ['touch {marker}']", "python/object/apply:os.system"),
        ("!!python/name:os.system", "python/name:os.system"),
        ("!!python/object/new:subprocess.Popen [['touch', '{marker}']]", "python/object/new"),
        ("!!binary aGVsbG8=", "binary"),
        ("!!set {a, b}", "set"),
        ("!!omap [a: 1]", "omap"),
        ("!custom text", "!custom"),
    ],
)
def test_a_language_tag_is_refused_and_never_run(tmp_path: Path, value: str, tag: str) -> None:
    marker = tmp_path / "executed"
    text = header("priority-levers") + f"reflection: {value.replace('{marker}', str(marker))}\n"
    result = check(plant(tmp_path / "district", {LEVERS: text}))
    assert result.code == 1
    refused = result.only_error_in(LEVERS)
    assert (refused["rule"], refused["line"], refused["column"]) == ("yaml-tag", 6, 13)
    assert tag in refused["message"]
    assert not marker.exists()
    result.assert_others_checked()


# duplicate keys ------------------------------------------------------------------------------
def test_a_duplicate_key_deep_in_a_list_names_both_lines(tmp_path: Path) -> None:
    body = "levers:\n  - id: L1\n    lever: Family engagement\n    lever: Curriculum\n"
    result = check(plant(tmp_path, {LEVERS: header("priority-levers") + body}))
    assert result.code == 1
    dup = result.only_error_in(LEVERS)
    assert (dup["rule"], dup["line"], dup["column"]) == ("yaml-duplicate-key", 9, 5)
    assert "'lever' (first at line 8)" in dup["message"]
    result.assert_others_checked()


# sizes and depths ----------------------------------------------------------------------------
def test_a_file_over_one_mebibyte_is_refused_unread(tmp_path: Path) -> None:
    text = header("priority-levers") + "reflection: " + "x" * (1024 * 1024) + "\n"
    result = check(plant(tmp_path, {LEVERS: text}))
    assert result.code == 1
    big = result.only_error_in(LEVERS)
    assert big["rule"] == "file-too-large"
    assert "at most 1,048,576" in big["message"]
    result.assert_others_checked()


@pytest.mark.parametrize(
    ("nested", "line"),
    [
        ("reflection: " + "[" * 100_000 + "]" * 100_000 + "\n", 6),
        ("reflection:\n" + "".join("  " * n + "-\n" for n in range(1, 60)) + "  - x\n", 46),
        ("reflection: " + "{a: " * 50_000 + "1" + "}" * 50_000 + "\n", 6),
    ],
    ids=["flow-lists", "block-lists", "flow-mappings"],
)
def test_nesting_deeper_than_any_plan_is_refused(tmp_path: Path, nested: str, line: int) -> None:
    result = check(plant(tmp_path, {LEVERS: header("priority-levers") + nested}))
    assert result.code == 1
    deep = result.only_error_in(LEVERS)
    assert (deep["rule"], deep["line"]) == ("yaml-too-deep", line)
    assert "deeper than 40 levels" in deep["message"]
    result.assert_others_checked()


# encodings -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "where", "message"),
    [
        (b"reflection: Caf\xe9 au lait\n", (6, 16), "is not UTF-8 text (byte 0xe9"),
        (b"reflection: a\x00b\n", (6, 14), "contains a NUL byte"),
        (b'reflection: "\\e[2J\\e[31mred"\n', (6, 13), "control character U+001B"),
        (b'reflection: "\\x9b31m"\n', (6, 13), "control character U+009B"),
        (b'reflection: "\\0"\n', (6, 13), "control character U+0000"),
        (b'reflection: "fine\\r::error::x"\n', (6, 13), "control character U+000D"),
        (b"reflection: bell\x07\n", (6, 17), "control character U+0007"),
    ],
    ids=["latin-1", "nul", "escape-sequence", "c1-control", "escaped-nul", "cr", "typed-bel"],
)
def test_text_that_is_not_text_is_refused_at_its_place(
    tmp_path: Path, raw: bytes, where: tuple[int, int], message: str
) -> None:
    result = check(plant(tmp_path, {LEVERS: header("priority-levers").encode() + raw}))
    assert result.code == 1
    bad = result.only_error_in(LEVERS)
    assert (bad["rule"], bad["line"], bad["column"]) == ("file-encoding", *where)
    assert message in bad["message"]
    assert "\x1b" not in result.out and "\x9b" not in result.out
    result.assert_others_checked()


def test_a_utf16_file_is_refused_with_a_hint(tmp_path: Path) -> None:
    result = check(plant(tmp_path, {LEVERS: header("priority-levers").encode("utf-16")}))
    assert result.code == 1
    bad = result.only_error_in(LEVERS)
    assert bad["rule"] == "file-encoding"
    assert bad["hint"] == "save the file as UTF-8 in your editor"
    result.assert_others_checked()


def test_tabs_are_explained(tmp_path: Path) -> None:
    text = header("priority-levers") + "levers:\n\t- id: L1\n"
    result = check(plant(tmp_path, {LEVERS: text}))
    assert result.code == 1
    tab = result.only_error_in(LEVERS)
    assert (tab["rule"], tab["line"], tab["column"]) == ("yaml-syntax", 7, 1)
    assert "tab character" in tab["message"] and "spaces" in tab["hint"]
    result.assert_others_checked()


# empty files and the wrong shape ---------------------------------------------------------------
@pytest.mark.parametrize("text", ["", "# nothing yet\n", "\ufeff", "\n\n   \n"])
def test_an_empty_file_is_a_finding(tmp_path: Path, text: str) -> None:
    result = check(plant(tmp_path, {LEVERS: text.encode("utf-8")}))
    assert result.code == 1
    empty = result.only_error_in(LEVERS)
    assert (empty["rule"], empty["line"], empty["message"]) == ("yaml-empty", 1, "is empty")
    result.assert_others_checked()


@pytest.mark.parametrize("text", ["- document: priority-levers\n- status: draft\n", "draft\n"])
def test_a_list_or_text_where_the_document_belongs(tmp_path: Path, text: str) -> None:
    result = check(plant(tmp_path, {LEVERS: text}))
    assert result.code == 1
    shape = result.only_error_in(LEVERS)
    assert (shape["rule"], shape["line"], shape["column"]) == ("schema", 1, 1)
    assert shape["message"] == "the file: should be a set of 'key: value' lines"
    assert "not a list or text" in shape["hint"]
    result.assert_others_checked()


@pytest.mark.parametrize(
    ("body", "where", "message"),
    [
        ("levers: Family engagement\n", (6, 9), "levers: should be a list"),
        ("levers:\n  - Family engagement\n", (7, 5), "levers[0]: should be a set of 'key: value'"),
        ("reflection:\n  - a\n  - b\n", (7, 3), "reflection: should be text"),
    ],
)
def test_a_value_of_the_wrong_shape(
    tmp_path: Path, body: str, where: tuple[int, int], message: str
) -> None:
    result = check(plant(tmp_path, {LEVERS: header("priority-levers") + body}))
    assert result.code == 1
    wrong = result.only_error_in(LEVERS)
    assert (wrong["rule"], wrong["line"], wrong["column"]) == ("schema", *where)
    assert wrong["message"].startswith(message)
    result.assert_others_checked()


def test_several_documents_in_one_file(tmp_path: Path) -> None:
    text = header("priority-levers") + "---\n" + header("priority-levers", status="final")
    result = check(plant(tmp_path, {LEVERS: text}))
    assert result.code == 1
    multi = result.only_error_in(LEVERS)
    assert (multi["rule"], multi["line"]) == ("yaml-syntax", 6)
    assert "more than one YAML document" in multi["message"]
    assert "remove the extra '---'" in multi["hint"]
    result.assert_others_checked()


# YAML 1.1 surprises are explained ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "explained"),
    [
        ("yes", "reads the unquoted word 'yes' as true"),
        ("no", "reads the unquoted word 'no' as false"),
        ("on", "reads the unquoted word 'on' as true"),
        ("Off", "reads the unquoted word 'Off' as false"),
        ("1:30", "reads the unquoted '1:30' as the number 90"),
        ("2022-05-06", "reads the unquoted '2022-05-06' as a date"),
    ],
)
def test_yaml_11_surprises_are_explained_in_the_hint(
    tmp_path: Path, value: str, explained: str
) -> None:
    body = f"levers:\n  - id: L1\n    lever: {value}\n"
    result = check(plant(tmp_path, {LEVERS: header("priority-levers") + body}))
    assert result.code == 1
    surprise = result.only_error_in(LEVERS)
    assert (surprise["rule"], surprise["line"], surprise["column"]) == ("schema", 8, 12)
    assert surprise["message"] == "levers[L1].lever: should be text"
    assert explained in surprise["hint"] and f'"{value}"' in surprise["hint"]
    result.assert_others_checked()


def test_an_unquoted_clock_time_is_explained(tmp_path: Path) -> None:
    body = "student:\n  schedule:\n    start: 8:30\n"
    result = check(plant(tmp_path, {CALENDARS: header("calendars") + body}))
    assert result.code == 1
    clock = result.only_error_in(CALENDARS)
    assert (clock["line"], clock["column"]) == (8, 12)
    assert clock["message"] == "student.schedule.start: should be text"
    assert "'8:30' as the number 510" in clock["hint"]
    result.assert_others_checked()


# the cycle file ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("due", "rule", "message"),
    [
        ("2022-02-30", "yaml-date", "'2022-02-30' looks like a date but is not a real one"),
        ('"2022-02-30T16:00"', "schema", "is not a real date or time (day value is outside"),
        ('"2022-13-01T16:00"', "schema", "is not a real date or time (month value is outside"),
        ('"2022-05-06T25:00"', "schema", "is not a real date or time (hour value is outside"),
    ],
)
def test_an_impossible_date_in_the_cycle_file(
    tmp_path: Path, due: str, rule: str, message: str
) -> None:
    cycle = CYCLE + f"documents:\n  priority-levers:\n    draft_due: {due}\n"
    result = check(plant(tmp_path, {CYCLE_FILE: cycle}), "--as-of", "2022-05-01")
    assert result.code == 1
    bad = result.only_error_in(CYCLE_FILE)
    assert (bad["rule"], bad["line"], bad["column"]) == (rule, 6, 16)
    assert message in bad["message"]
    assert "day" in bad["hint"] and "month" in bad["hint"]
    result.assert_others_checked()


def test_an_unknown_framework_in_the_cycle_file_is_a_finding_at_its_line(tmp_path: Path) -> None:
    # Was: exit 2 with "unknown framework 'sezq'" and no file, line or column.
    result = check(plant(tmp_path, {CYCLE_FILE: CYCLE.replace("sezp", "sezq")}))
    assert result.code == 1
    bad = result.only_error_in(CYCLE_FILE)
    assert (bad["rule"], bad["line"], bad["column"]) == ("schema", 2, 12)
    assert bad["message"] == "framework: 'sezq' is not a framework sipctl knows"
    assert "sezp" in bad["hint"]
    result.assert_others_checked()


def test_an_unknown_framework_in_a_school_profile_is_a_finding(tmp_path: Path) -> None:
    profile = "school: maple\nname: Maple School\nframeworks: [sezp, dese]\n"
    result = check(plant(tmp_path, {"schools/maple/school.yaml": profile}))
    assert result.code == 1
    bad = result.only_error_in("schools/maple/school.yaml")
    assert (bad["line"], bad["column"]) == (3, 20)
    assert bad["message"] == "frameworks[1]: 'dese' is not a framework sipctl knows"
    result.assert_others_checked()


# a corrupt sipctl.yaml: exit 2, file:line:col, no traceback --------------------------------------
@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        (DISTRICT + "district: Again\n", "sipctl.yaml:4:1:", "repeats the key 'district'"),
        ("district: &d Riverbend\nreviewers: [*d]\n", "sipctl.yaml:2:13:", "alias"),
        ("district: !!python/object/apply:os.getcwd []\n", "sipctl.yaml:1:11:", "YAML tag"),
        ("district: Riverbend\n\ttimezone: UTC\n", "sipctl.yaml:2:1:", "tab character"),
        (DISTRICT.replace("sezp", "sezq"), "sipctl.yaml:3:12:", "'sezq' is not a framework"),
        (b"district: Caf\xe9\n", "sipctl.yaml:1:14:", "is not UTF-8 text"),
        ("- district: Riverbend\n", "sipctl.yaml:1:1:", "should be a set of 'key: value'"),
        ("", "sipctl.yaml:1:1:", "is empty"),
    ],
    ids=["duplicate", "alias", "tag", "tab", "framework", "encoding", "list", "empty"],
)
def test_a_corrupt_district_file_is_exit_2_with_its_place(
    tmp_path: Path, text: str | bytes, where: str, message: str
) -> None:
    root = plant(tmp_path, {"sipctl.yaml": text})
    for command in (["check"], ["log", "maple"]):  # every command opens the district alike
        proc = run(*command, "--repo", root)
        assert proc.returncode == 2, command
        assert proc.stderr.startswith(f"error: {where} "), proc.stderr
        assert message in proc.stderr
        assert "hint: " in proc.stderr
