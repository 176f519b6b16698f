"""Names are data, never layout (issue 26, family 1; docs/security.md).

A school folder, a file name, an id or a commit author comes from whoever opened the
pull request, and Linux allows any character in a name but `/` and NUL. Each test builds
such names for real (folders and files on disk, commits by such authors in a git
repository), runs the installed sipctl, and asserts the exact lines that show them: every
character that could start a line, forge a workflow command, turn text round or hide is
escaped as `\\uXXXX`, the same way in every format (`sipctl.names.visible`). JSON keeps the
exact string, written with JSON escapes.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from district import header, write_district
from gitrepo import GitRepo
from sipctl.domain.district import District
from sipctl.names import invisible, visible
from sipctl.reporters import CHECK_REPORTERS
from sipctl.services.check import CheckOptions, run_check
from test_hostile_output import forged_commands
from test_hostile_yaml import OTHER, OTHER_TEXT, run
from test_properties import bounded

FORGED = "::error file=README.md::forged"
CMARK = shutil.which("cmark-gfm")
# One character of each of Unicode's 30 general categories (Cs: a byte that is not UTF-8,
# which a file name may hold and Python reads as a lone surrogate).
ONE_OF_EACH = {
    "Lu": "A", "Ll": "a", "Lt": "\u01c5", "Lm": "\u02b0", "Lo": "\u05d0",
    "Mn": "\u0301", "Mc": "\u0903", "Me": "\u20dd",
    "Nd": "7", "Nl": "\u2163", "No": "\u00bd",
    "Pc": "_", "Pd": "-", "Ps": "(", "Pe": ")", "Pi": "\u00ab", "Pf": "\u00bb", "Po": "!",
    "Sm": "+", "Sc": "$", "Sk": "^", "So": "\u00a9",
    "Zs": "\u00a0", "Zl": "\u2028", "Zp": "\u2029",
    "Cc": "\n", "Cf": "\u202e", "Cs": "\udcff", "Co": "\ue000", "Cn": "\u0378",
}  # fmt: skip
CATEGORIES = sorted(ONE_OF_EACH)


def others_checked(findings: list[dict[str, Any]]) -> bool:
    """The ordinary mistake planted beside the hostile names was still reported."""
    brief = [(f["rule"], f["file"], f["line"], f["column"]) for f in findings]
    return ("schema", OTHER, 6, 1) in brief


def shows_nothing_invisible(output: str) -> None:
    """No control, format, separator, surrogate, private or unassigned character is in the
    output but its own spaces and line breaks (sipctl's own emoji may hold a variation
    selector: a mark, which no name can bring in unescaped)."""
    hidden = sorted(
        {f"U+{ord(c):04X}" for c in output if c not in " \n" and unicodedata.category(c)[0] in "CZ"}
    )
    assert hidden == [], hidden


def own_commands(stdout: str) -> list[str]:
    """The lines of a GitHub log that start with `::` and are not sipctl's own."""
    mine = ("::error ", "::warning ", "::notice ", "::group::", "::endgroup::")
    stop = re.search(r"^::stop-commands::(\S+)$", stdout, re.MULTILINE)
    token = f"::{stop.group(1)}::" if stop else None
    return [
        line
        for line in stdout.split("\n")
        if line.startswith("::")
        and not line.startswith(mine)
        and not line.startswith("::stop-commands::")
        and line != token
    ]


class _Text(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.feed(html)
        self.close()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def html_text(html: str) -> str:
    return "".join(_Text(html).text)


def cmark(markdown: str) -> str:
    if CMARK is None:
        pytest.skip("cmark-gfm, GitHub's Markdown renderer, is not installed")
    args = [CMARK, "--unsafe", "-e", "table", "-e", "strikethrough", "-e", "autolink"]
    return subprocess.run(args, input=markdown, capture_output=True, text=True, check=True).stdout


# --- a school folder that is not a slug --------------------------------------------------------
NOT_SLUGS = {
    "Oak Hill": "oak-hill",
    "pine\u202eelif.yaml": "pineelif-yaml",
    f"elm\n{FORGED}": "elm-error-file-readme-md-forged",
    "birch\n": "birch",  # a regular expression's `$` matches before a final line break
}


def _school(slug: str, name: str = "") -> dict[str, str]:
    return {
        f"schools/{name or slug}/school.yaml": f"school: {slug}\nname: {slug} School\n",
        f"schools/{name or slug}/2022-23/priority-levers.yaml": header("priority-levers", slug),
    }


# What render publishes when maple is the only school whose folder sipctl can use.
MAPLE_ONLY = [
    "2022-23/index.html",
    "2022-23/maple.html",
    "calendar/2022-23.ics",
    "calendar/2022-23/maple.ics",
    "index.html",
]


def published(root: Path, out: Path, as_of: str) -> list[str]:
    """Render `root` into `out` as of `as_of`: the files it published."""
    render = run("render", "--repo", root, "--format", "html", "--out", out, "--as-of", as_of)
    assert render.returncode == 0, render.stderr
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())


def test_a_school_folder_that_is_not_a_slug_is_a_finding_and_never_a_page(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "district")
    files = {OTHER: OTHER_TEXT}
    for name, slug in NOT_SLUGS.items():
        files.update(_school(slug, name))
    write_district(repo.path, files)
    repo.commit("Schools", date="2022-04-01T10:00:00-04:00")

    proc = run("check", "--repo", repo.path, "--format", "json", "--as-of", "2022-04-02")
    assert proc.returncode == 1
    findings = json.loads(proc.stdout)["findings"]
    folders = [f for f in findings if f["rule"] == "school-folder-name"]
    assert [(f["file"], f["school"], f["message"], f["hint"]) for f in folders] == [
        (
            f"schools/{name}",
            None,
            f'the school folder "schools/{visible(name)}" is not named with lowercase letters, '
            "digits and hyphens, so its plans are not checked, listed or published",
            f"rename the folder to schools/{slug}",
        )
        for name, slug in sorted(NOT_SLUGS.items())
    ]
    assert {f["school"] for f in findings} == {None, "maple"}  # nothing else was checked
    assert others_checked(findings)

    text = run("check", "--repo", repo.path, "--as-of", "2022-04-02")
    assert text.returncode == 1
    lines = text.stdout.split("\n")
    shown = "schools/elm\\u000a::error file=README.md::forged"
    assert lines[lines.index(shown) + 1] == (
        f'        -  error    the school folder "{shown}" is not named with lowercase letters, '
        "digits and hyphens, so its plans are not checked, listed or published  "
        "[school-folder-name]"
    )
    assert "schools/birch\\u000a" in lines and "schools/pine\\u202eelif.yaml" in lines
    shows_nothing_invisible(text.stdout)
    github = run("check", "--repo", repo.path, "--format", "github", "--as-of", "2022-04-02")
    assert forged_commands(github.stdout) == [] and own_commands(github.stdout) == []
    assert (
        f"::error file={shown.replace(':', '%3A')},title=sipctl school-folder-name::"
        in github.stdout
    )

    status = run("status", "--repo", repo.path, "--format", "json", "--as-of", "2022-04-02")
    assert [s["school"] for s in json.loads(status.stdout)["schools"]] == ["maple"]
    out = tmp_path / "site"
    assert published(repo.path, out, "2022-04-02") == MAPLE_ONLY
    index = (out / "2022-23" / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'href="([^"#]+)"', index).count("maple.html") >= 1
    assert not any(slug in index for slug in ("oak-hill", "pine", "elm", "birch"))
    log = run("log", "Oak Hill", "--repo", repo.path)
    assert log.returncode == 2 and "no school 'Oak Hill'" in log.stderr

    # A pull request that adds one more is told so by the check of what it changed.
    repo.write("schools/Ash Tree/school.yaml", "school: ash-tree\n")
    changed = run("check", "--repo", repo.path, "--format", "json", "--changed-since", "HEAD")
    assert changed.returncode == 1
    assert [(f["rule"], f["file"]) for f in json.loads(changed.stdout)["findings"]] == [
        ("school-folder-name", "schools/Ash Tree")
    ]


def test_two_school_folders_that_look_the_same_are_a_finding_naming_both(tmp_path: Path) -> None:
    look_alikes = ["Maple", "maple\u200b", "\uff4d\uff41\uff50\uff4c\uff45", "ma\u00adple"]
    files = {OTHER: OTHER_TEXT}
    for name in look_alikes:
        files.update(_school("maple", name))
    root = write_district(tmp_path / "district", files, schools=("maple", "oak"))
    proc = run("check", "--repo", root, "--format", "json")
    assert proc.returncode == 1
    findings = json.loads(proc.stdout)["findings"]
    confusable = [
        (f["file"], f["message"]) for f in findings if f["rule"] == "school-folder-confusable"
    ]
    assert confusable == [
        (
            f"schools/{name}",
            f'the school folder "schools/{visible(name)}" looks the same as "schools/maple": '
            "they differ only by capital letters or characters that cannot be seen",
        )
        for name in sorted(look_alikes)
    ]
    assert [f["file"] for f in findings if f["rule"] == "school-folder-name"] == [
        f"schools/{name}" for name in sorted(look_alikes)
    ]
    assert others_checked(findings)
    # A pull request that adds only the look-alike is told so too.
    only = run("check", "--repo", root, "--format", "json", "--school", "oak")
    assert json.loads(only.stdout)["findings"] == []


# --- every name, every format ------------------------------------------------------------------
AUTHOR = "Bo\u00adb\u2060 \u061cTLT\u202e"
SUBJECT = f"Draft \u2066sub\u2069ject\u2028{FORGED}"
FILE = f"ev\u202eil\u2028x\u200b\r{FORGED}"


def _hostile_repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo.init(tmp_path / "district")
    write_district(repo.path, {OTHER: OTHER_TEXT})
    repo.commit("Start", date="2022-04-01T10:00:00-04:00")
    repo.write(
        "schools/maple/2022-23/priority-levers.yaml", header("priority-levers", status="draft")
    )
    repo.write(f"schools/maple/2022-23/{FILE}.yaml", header("priority-levers", status="draft"))
    repo.commit(SUBJECT, date="2022-05-02T10:00:00-04:00", author=f"{AUTHOR} <bob@example.org>")
    return repo


def test_names_are_shown_escaped_in_every_format(tmp_path: Path) -> None:
    repo = _hostile_repo(tmp_path)
    name, author = visible(FILE), visible(AUTHOR)
    assert name == "ev\\u202eil\\u2028x\\u200b\\u000d" + FORGED
    assert author == "Bo\\u00adb\\u2060 \\u061cTLT\\u202e"
    rel = f"schools/maple/2022-23/{FILE}.yaml"
    as_of = ("--as-of", "2022-06-01", "--repo", str(repo.path))
    outputs: dict[str, str] = {}

    def sipctl(*args: str, code: int = 0) -> str:
        dated = as_of if args[0] != "diff" else as_of[2:]  # diff compares commits, undated
        proc = run(*args, *dated)
        assert proc.returncode == code, proc.stderr
        outputs[" ".join(args)] = proc.stdout
        return proc.stdout

    text = sipctl("check", code=1).split("\n")
    assert f"schools/maple/2022-23/{name}.yaml" in text
    assert (
        f"      1:1  error    {name}.yaml is not a document of this school's framework  "
        "[unknown-document]" in text
    )
    finding = next(
        f
        for f in json.loads(sipctl("check", "--format", "json", code=1))["findings"]
        if f["rule"] == "unknown-document"
    )
    assert (finding["file"], finding["document"]) == (rel, FILE)  # JSON: the exact name
    github = sipctl("check", "--format", "github", code=1)
    assert forged_commands(github) == [] and own_commands(github) == []
    assert (
        f"::error file=schools/maple/2022-23/{name.replace(':', '%3A').replace(',', '%2C')}.yaml,"
        f"line=1,col=1,title=sipctl unknown-document::{name}.yaml is not a document"
    ) in github
    junit = ET.fromstring(sipctl("check", "--format", "junit", code=1))
    cases = [c.get("name") for c in junit.iter("testcase")]
    assert f"2022-23/{name}" in cases
    sarif = json.loads(sipctl("check", "--format", "sarif", code=1))
    result = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == "unknown-document")
    assert result["message"]["text"].startswith(f"{name}.yaml is not a document")
    assert result["properties"]["file"] == rel

    log = sipctl("log", "maple").split("\n")
    row = next(line for line in log if "(new) -> draft" in line)
    assert row.startswith(f" 2022-05-02 10:00 -04:00   {name}   (new) -> draft ")
    assert row.rstrip().endswith(f"   {author}")
    events = json.loads(sipctl("log", "maple", "--format", "json"))["events"]
    assert {(e["document"], e["author"]) for e in events if e["subject"] == SUBJECT} == {
        (FILE, f"{AUTHOR} <bob@example.org>"),
        ("priority-levers", f"{AUTHOR} <bob@example.org>"),
    }

    diff = sipctl("diff", "--from", "HEAD~1", "--to", "HEAD").split("\n")
    assert diff[2].endswith(f"  2022-05-02 10:00 -04:00  {author}  {visible(SUBJECT)}")
    assert f"schools/maple/2022-23/{name}.yaml" in diff
    assert f"  Maple School submitted the {name} draft" in diff
    markdown = sipctl("diff", "--from", "HEAD~1", "--to", "HEAD", "--format", "markdown")
    page = html_text(cmark(markdown))
    assert f"File: schools/maple/2022-23/{name}.yaml" in page
    assert f"Maple School submitted the {name} draft." in page
    assert author in page and visible(SUBJECT) in page
    documents = json.loads(sipctl("diff", "--from", "HEAD~1", "--to", "HEAD", "--format", "json"))
    assert {d["document"] for d in documents["documents"]} == {FILE, "priority-levers"}

    sipctl("status")
    sipctl("status", "--format", "json")
    sipctl("status", "--format", "markdown")
    for fmt in ("html", "md"):
        out = tmp_path / fmt
        sipctl("render", "--format", fmt, "--out", str(out))
        page_text = (out / "2022-23" / f"maple.{fmt}").read_text(encoding="utf-8")
        outputs[f"render {fmt}"] = page_text
        seen = html_text(page_text) if fmt == "html" else html_text(cmark(page_text))
        assert author in seen and name.split("\\u000d")[0] in seen
    for output in outputs.values():
        shows_nothing_invisible(output)
        assert forged_commands(output) == []


def test_every_unicode_category_in_every_output_format(tmp_path: Path) -> None:
    """One name holding a character of each general category, as a school folder, a file
    name and a commit author, through every format of every command."""
    name = "x" + "".join(ONE_OF_EACH[c] for c in CATEGORIES) + "y"
    assert {unicodedata.category(c) for c in name} == set(CATEGORIES)
    repo = GitRepo.init(tmp_path / "district")
    write_district(repo.path, {OTHER: OTHER_TEXT})
    disk = os.fsencode(name.replace("/", "-"))
    for folder in (b"schools/" + disk, b"schools/maple/2022-23"):
        os.makedirs(os.fsencode(repo.path) + b"/" + folder, exist_ok=True)
    with open(os.fsencode(repo.path) + b"/schools/maple/2022-23/" + disk + b".yaml", "wb") as f:
        f.write(header("priority-levers", status="draft").encode())
    with open(os.fsencode(repo.path) + b"/schools/" + disk + b"/school.yaml", "wb") as f:
        f.write(b"school: x\n")
    author = name.replace("\n", " ").replace("\udcff", "?").replace("\u0000", "")
    repo.commit("Start", date="2022-04-01T10:00:00-04:00", author=f"{author} <x@example.org>")
    shown = visible(os.fsdecode(disk))
    check = run("check", "--repo", repo.path, "--as-of", "2022-06-01")
    assert (
        f'        -  error    the school folder "schools/{shown}" is not named with lowercase '
        in check.stdout
    )
    assert f"schools/maple/2022-23/{shown}.yaml" in check.stdout.split("\n")
    outputs = [check.stdout]
    for fmt in ("json", "github", "junit", "sarif"):
        proc = run("check", "--repo", repo.path, "--format", fmt, "--as-of", "2022-06-01")
        assert proc.returncode == 1, proc.stderr
        outputs.append(proc.stdout)
        if fmt in ("json", "sarif"):
            json.loads(proc.stdout)
        if fmt == "junit":
            ET.fromstring(proc.stdout)
        if fmt == "github":
            assert own_commands(proc.stdout) == []
    for args in (
        ("log", "maple"),
        ("log", "maple", "--format", "json"),
        ("status",),
        ("status", "--format", "json"),
        ("status", "--format", "markdown"),
        ("diff", "--from", "HEAD"),
        ("diff", "--from", "HEAD", "--format", "markdown"),
        ("diff", "--from", "HEAD", "--format", "json"),
    ):
        dated = ("--as-of", "2022-06-01") if args[0] != "diff" else ()
        proc = run(*args, "--repo", repo.path, *dated)
        assert proc.returncode == 0, (args, proc.stderr)
        outputs.append(proc.stdout)
    for fmt in ("html", "md"):
        out = tmp_path / fmt
        proc = run(
            "render", "--repo", repo.path, "--format", fmt, "--out", out, "--as-of", "2022-06-01"
        )
        assert proc.returncode == 0, proc.stderr
        outputs += [p.read_text(encoding="utf-8") for p in sorted(out.rglob(f"*.{fmt}"))]
    for output in outputs:
        shows_nothing_invisible(output)
        assert forged_commands(output) == []


# --- the property: any name, every check reporter ----------------------------------------------
NAME = st.lists(
    st.sampled_from(CATEGORIES).flatmap(lambda c: st.characters(categories=[c])),  # type: ignore[list-item]
    min_size=1,
    max_size=8,
).map("".join)
_UNESCAPE = re.compile(r"\\(\\|u[0-9a-f]{4}|U[0-9a-f]{8})")


def unescape(shown: str) -> str:
    return _UNESCAPE.sub(
        lambda m: "\\" if m.group(1) == "\\" else chr(int(m.group(1)[1:], 16)), shown
    )


@bounded(60)
@given(name=NAME)
def test_any_name_is_shown_visible_and_can_be_read_back(name: str) -> None:
    shown = visible(name)
    assert shown.isprintable() and not any(invisible(c) for c in shown)
    assert unescape(shown) == name  # two names are never shown alike


@pytest.fixture(scope="module")
def district_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_district(tmp_path_factory.mktemp("names") / "district", {OTHER: OTHER_TEXT})


@bounded(40)
@given(name=NAME)
def test_any_name_as_a_folder_and_a_file_is_escaped_by_every_check_reporter(
    district_root: Path, name: str
) -> None:
    disk = name.encode("utf-8", "surrogatepass").replace(b"/", b"-").replace(b"\0", b"-")
    if disk in (b".", b"..") or len(disk) > 200:
        return
    base = os.fsencode(district_root)
    folder = base + b"/schools/" + disk
    document = base + b"/schools/maple/2022-23/" + disk + b".yaml"
    os.mkdir(folder)
    with open(document, "wb") as f:
        f.write(b"a: 1\n")
    try:
        result = run_check(District.open(district_root), CheckOptions())
    finally:
        os.rmdir(folder)
        os.unlink(document)
    real = os.fsdecode(disk)
    assert f"schools/maple/2022-23/{real}.yaml" in {f.file for f in result.findings}
    for format_name, reporter in CHECK_REPORTERS.items():
        out = _report(reporter, result)
        shows_nothing_invisible(out)
        if format_name == "github":
            assert own_commands(out) == []
        elif format_name in ("json", "sarif"):
            files = (
                {f["file"] for f in json.loads(out)["findings"]} if format_name == "json" else set()
            )
            assert format_name == "sarif" or f"schools/{real}" in files
        elif format_name == "junit":
            ET.fromstring(out)
        else:
            assert f"schools/maple/2022-23/{visible(real)}.yaml" in out.split("\n")


def _report(reporter: Any, result: Any) -> str:
    import io

    buffer = io.StringIO()
    reporter(result, buffer)
    return buffer.getvalue()


def test_a_file_named_with_a_line_break_is_named_by_diff_never_dropped(tmp_path: Path) -> None:
    # Was: git's cat-file --batch reads one name a line, so diff --from read neither
    # version of such a file and left it out of the review without a word.
    repo = GitRepo.init(tmp_path / "district")
    write_district(repo.path, {OTHER: OTHER_TEXT})
    repo.commit("Start", date="2022-04-01T10:00:00-04:00")
    rel = f"schools/maple/2022-23/x\n{FORGED}.yaml"
    repo.write(rel, header("priority-levers", status="draft"))
    repo.commit("Hide", date="2022-05-02T10:00:00-04:00")
    note = (
        f"{visible(rel)} changed but cannot be compared: its name holds a line break; "
        "rename it (`sipctl check` reports it too)"
    )
    proc = run("diff", "--from", "HEAD~1", "--to", "HEAD", "--repo", repo.path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split("\n")[3:] == [f"note: {note}", ""]
    proc = run("diff", "--from", "HEAD~1", "--to", "HEAD", "--repo", repo.path, "--format", "json")
    assert json.loads(proc.stdout)["notes"] == [note]
    assert json.loads(proc.stdout)["documents"] == []


def test_a_cycle_file_not_named_by_a_school_year_is_a_finding_and_never_the_cycle(
    tmp_path: Path,
) -> None:
    # Was: `cycles/zz…yaml` sorted after 2022-23, so status and render took it for the
    # latest cycle, printed its name raw in their headings and published a folder by it.
    stem = f"zz\u202e\n{FORGED}"
    cycle = "cycle: 2022-23\nframework: sezp\ntimezone: America/New_York\n"
    root = write_district(tmp_path / "district", {OTHER: OTHER_TEXT, f"cycles/{stem}.yaml": cycle})
    proc = run("check", "--repo", root, "--format", "json")
    assert proc.returncode == 1
    findings = json.loads(proc.stdout)["findings"]
    named = [(f["rule"], f["file"], f["message"]) for f in findings if f["school"] is None]
    assert named == [
        (
            "cycle-file-name",
            f"cycles/{stem}.yaml",
            f'the cycle file "cycles/{visible(stem)}.yaml" is not named by a school year like '
            "2022-23, so it is not read",
        )
    ]
    assert others_checked(findings)
    status = run("status", "--repo", root, "--as-of", "2022-06-01")
    assert status.stdout.startswith(
        "Plan status: Riverbend Empowerment Zone, cycle 2022-23, as of 2022-06-01 23:59 -04:00\n"
    )
    out = tmp_path / "site"
    assert published(root, out, "2022-06-01") == MAPLE_ONLY


@bounded(40)
@given(name=NAME)
def test_any_name_as_an_author_a_file_and_an_id_is_escaped_by_log_and_diff(name: str) -> None:
    """The log and diff reporters, given what the services hand them: a file, an item id
    and a commit's author and subject, each the drawn name (git itself would have
    replaced control characters in the author; the reporters do not count on it)."""
    import datetime as dt
    import io
    from zoneinfo import ZoneInfo

    from sipctl.diffing.changes import (
        Change,
        ChangeKind,
        DiffMode,
        DiffReport,
        DocumentDiff,
        DocumentState,
        Side,
    )
    from sipctl.reporters import diff_json, diff_markdown, diff_text
    from sipctl.reporters.log import log_text
    from sipctl.services.log import LogEvent, LogResult
    from sipctl.source.datapaths import format_path

    tz = ZoneInfo("America/New_York")
    when = dt.datetime(2022, 5, 2, 10, tzinfo=tz)
    file = f"schools/maple/2022-23/{name}.yaml"
    event = LogEvent(
        name, name, file, None, "draft", "a" * 40, f"{name} <x@example.org>", when, name
    )
    log = io.StringIO()
    log_text(LogResult("maple", "2022-23", when, [event]), tz, log)
    row = next(line for line in log.getvalue().split("\n") if "(new) -> draft" in line)
    assert row.startswith(" 2022-05-02 10:00 -04:00   ") and visible(name).strip() in row
    side = Side("HEAD", "HEAD", "b" * 40, when, f"{name} <x@example.org>", name)
    doc = DocumentDiff("maple", "Maple School", "2022-23", name, visible(name), None, file,
                       DocumentState.ADDED)  # fmt: skip
    label = f"Priority lever {name}"
    doc.changes.append(
        Change(
            ChangeKind.ADDED, format_path(("levers", 0), {"levers": [{"id": name}]}), label, new="x"
        )
    )
    report = DiffReport(DiffMode.REVISIONS, "Plan changes", Side("HEAD~1"), side, [doc])
    text = io.StringIO()
    diff_text.render(report, text, tz)
    markdown = diff_markdown.render(report, tz)
    exact = json.loads(diff_json.render(report, tz))
    assert (exact["to"]["author"], exact["documents"][0]["file_to"]) == (
        f"{name} <x@example.org>",
        file,
    )
    assert f"  + Priority lever {visible(name)}   " in text.getvalue()
    assert f"schools/maple/2022-23/{visible(name)}.yaml" in text.getvalue().split("\n")
    for output in (log.getvalue(), text.getvalue(), markdown):
        shows_nothing_invisible(output)
        assert forged_commands(output) == []
    page = html_text(cmark(markdown))
    assert f"Priority lever {visible(name)}" in " ".join(page.split()) or not visible(name).strip()


def test_console_markup_in_a_file_name_is_printed_as_typed_by_log(tmp_path: Path) -> None:
    # Was: the log table read a file's name as console markup: `[/bold]` a traceback.
    repo = GitRepo.init(tmp_path / "district")
    write_district(repo.path)
    repo.commit("Start", date="2022-04-01T10:00:00-04:00")
    draft = header("priority-levers", status="draft")
    repo.write("schools/maple/2022-23/[/bold][link=mailto:x]x.yaml", draft)
    repo.commit("Draft", date="2022-05-02T10:00:00-04:00")
    proc = run("log", "maple", "--as-of", "2022-06-01", "--repo", repo.path)
    assert proc.returncode == 0, proc.stderr
    row = next(line for line in proc.stdout.split("\n") if "(new) -> draft" in line)
    assert row.split() == [
        "2022-05-02",
        "10:00",
        "-04:00",
        "[/bold][link=mailto:x]x",
        "(new)",
        "->",
        "draft",
        repo.head()[:10],
        "Ada",
        "Principal",
    ]
