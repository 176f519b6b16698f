"""check's output for CI: GitHub annotations, JUnit XML, and --changed-since."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

from cli import sipctl
from district import CYCLE, header, write_district
from gitrepo import GitRepo

LEVERS = "schools/maple/2022-23/priority-levers.yaml"


def bad_levers(n: int) -> str:
    items = "".join(f"  - id: L{i}\n    levr: x\n" for i in range(n))
    return header("priority-levers") + "levers:\n" + items


def test_github_annotations_escaped_and_capped(tmp_path: Path) -> None:
    write_district(tmp_path, {LEVERS: bad_levers(12)})
    run = sipctl("check", "--repo", tmp_path, "--format", "github")
    assert run.code == 1
    lines = run.out.splitlines()
    errors = [line for line in lines if line.startswith("::error ")]
    assert len(errors) == 10
    assert errors[0] == (
        f"::error file={LEVERS},line=8,col=5,title=sipctl schema::"
        "levers[L0].levr: is not a field here%0Ahint: check the spelling; "
        "the schema lists the allowed keys"
    )
    assert "::notice title=sipctl::GitHub shows 10 annotations per severity; 2 more error(s)" in (
        run.out
    )
    assert "::group::sipctl check: full report" in lines
    assert "FAILED: 12 error(s)" in run.out  # the whole text report is in the log


def test_github_is_the_default_in_actions(tmp_path: Path) -> None:
    write_district(tmp_path, {LEVERS: bad_levers(1)})
    run = sipctl("check", "--repo", tmp_path, env={"GITHUB_ACTIONS": "true"})
    assert run.out.startswith("::error file=")


def test_github_property_escaping() -> None:
    from sipctl.reporters.github import escape_data, escape_property

    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    assert escape_data("50% done\r\n:,") == "50%25 done%0D%0A:,"


def test_junit_one_suite_per_school_one_case_per_document(tmp_path: Path) -> None:
    write_district(tmp_path, {LEVERS: bad_levers(2)}, schools=("maple", "oak"))
    run = sipctl("check", "--repo", tmp_path, "--format", "junit")
    root = ET.fromstring(run.out)
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert sorted(suites) == ["maple", "oak"]
    assert suites["maple"].get("tests") == "13"
    assert suites["maple"].get("failures") == "1"
    assert suites["oak"].get("failures") == "0"
    [failed] = [c for c in suites["maple"].iter("testcase") if c.find("failure") is not None]
    assert failed.get("name") == "2022-23/priority-levers"
    assert f"{LEVERS}:8:5: error [schema]" in failed.find("failure").text
    assert root.get("tests") == "26"


def test_junit_reads_back_with_the_time_each_school_and_document_took(tmp_path: Path) -> None:
    # junitparser reads the report as CI's test-report readers do. The times are what
    # this run measured: present, never negative, and a suite's bounds its cases'.
    from junitparser import Failure, JUnitXml

    write_district(
        tmp_path,
        {
            LEVERS: bad_levers(2),
            "cycles/2022-23.yaml": CYCLE + "typo: 1\n",  # a district case: the cycle file
            "schools/oak/2022-23/notes.yaml": "x: 1\n",  # a document the framework lacks
        },
        schools=("maple", "oak"),
    )
    (tmp_path / "schools/oak/2022-23/calendars.yaml").unlink()  # a case with nothing read
    run = sipctl("check", "--repo", tmp_path, "--format", "junit")
    assert run.code == 1
    timed = [e for e in ET.fromstring(run.out).iter() if e.tag.startswith("test")]
    assert len(timed) == 1 + 3 + 28  # the report, its suites, their cases
    for element in timed:
        assert re.fullmatch(r"\d+\.\d{6}", element.get("time", "")), element.attrib

    report = JUnitXml.fromstring(run.out)
    suites = {suite.name: suite for suite in report}
    assert sorted(suites) == ["district", "maple", "oak"]
    assert (report.tests, report.failures) == (28, 4)
    failed = {
        (suite.name, case.name): [r.type for r in case.result if isinstance(r, Failure)]
        for suite in report
        for case in suite
        if not case.is_passed
    }
    assert failed == {
        ("district", "cycles/2022-23.yaml"): ["schema"],
        ("maple", "2022-23/priority-levers"): ["schema"],
        ("oak", "2022-23/calendars"): ["document-missing"],
        ("oak", "2022-23/notes"): ["unknown-document"],
    }
    for suite in report:
        cases = list(suite)
        assert suite.tests == len(cases) and suite.failures == sum(not c.is_passed for c in cases)
        assert all(case.time >= 0 for case in cases), suite.name
        assert suite.time >= sum(case.time for case in cases) - 1e-9, suite.name
    # One process checked every school here, one after the other: the total bounds them all.
    assert report.time >= sum(suite.time for suite in report) - 1e-9
    assert suites["maple"].time > 0 and suites["oak"].time > 0  # each really was timed
    assert {c.name: c.time for c in suites["oak"]}["2022-23/calendars"] == 0  # nothing read


def test_changed_since_checks_only_the_changed_school(tmp_path: Path) -> None:
    root = write_district(tmp_path / "d", schools=("maple", "oak"))
    repo = GitRepo.init(root)
    repo.commit("start", date="2022-03-01T09:00:00-05:00")
    base = repo.head()
    repo.write("schools/oak/2022-23/calendars.yaml", header("calendars", "oak") + "typo: 1\n")
    repo.write(LEVERS, bad_levers(1))
    repo.commit("maple and oak", date="2022-03-02T09:00:00-05:00")
    repo.write("schools/oak/2022-23/summer-plan.yaml", header("summer-plan", "oak") + "x: 1\n")
    repo.commit("oak again", date="2022-03-03T09:00:00-05:00")
    middle = repo.run("rev-parse", "HEAD~1").strip()
    run = sipctl("check", "--repo", root, "--changed-since", middle, "--format", "json")
    assert run.code == 1
    # The whole changed school is checked; maple, unchanged since `middle`, is not.
    assert {f["file"] for f in run.json()["findings"]} == {
        "schools/oak/2022-23/calendars.yaml",
        "schools/oak/2022-23/summer-plan.yaml",
    }
    assert run.json()["summary"]["schools"] == 1
    both = sipctl("check", "--repo", root, "--changed-since", base, "--format", "json")
    assert both.json()["summary"]["schools"] == 2


def test_changed_since_a_cycle_file_checks_everything(tmp_path: Path) -> None:
    root = write_district(tmp_path / "d", schools=("maple", "oak"))
    repo = GitRepo.init(root)
    repo.commit("start", date="2022-03-01T09:00:00-05:00")
    repo.write("cycles/2022-23.yaml", "cycle: 2022-23\nframework: sezp\n")
    run = sipctl("check", "--repo", root, "--changed-since", "HEAD", "--format", "json")
    assert run.json()["summary"]["schools"] == 2


def test_changed_since_nothing_checks_no_school(tmp_path: Path) -> None:
    root = write_district(tmp_path / "d")
    repo = GitRepo.init(root)
    repo.commit("start", date="2022-03-01T09:00:00-05:00")
    run = sipctl("check", "--repo", root, "--changed-since", "HEAD", "--format", "json")
    assert (run.code, run.json()["summary"]["schools"]) == (0, 0)


def test_changed_since_unknown_revision_is_exit_2(tmp_path: Path) -> None:
    root = write_district(tmp_path / "d")
    GitRepo.init(root).commit("start", date="2022-03-01T09:00:00-05:00")
    run = sipctl("check", "--repo", root, "--changed-since", "origin/main")
    assert run.code == 2
    assert "does not know this revision" in run.err


def test_jobs_give_the_same_findings_as_one_process(tmp_path: Path) -> None:
    slugs = tuple(f"school-{i:02d}" for i in range(45))  # above PARALLEL_MIN_SCHOOLS
    files = {f"schools/{s}/2022-23/priority-levers.yaml": bad_levers(1) for s in slugs[::7]}
    root = write_district(tmp_path, files, schools=slugs)
    one = sipctl(
        "check", "--repo", root, "--jobs", "1", "--format", "json", "--as-of", "2022-06-01"
    )
    two = sipctl(
        "check", "--repo", root, "--jobs", "2", "--format", "json", "--as-of", "2022-06-01"
    )
    assert one.code == two.code == 1
    assert one.out == two.out
    assert one.json()["summary"]["schools"] == 45
    assert len([f for f in one.json()["findings"] if f["rule"] == "schema"]) == 7


def test_workers_run_below_the_main_process_so_the_history_read_finishes_first() -> None:
    from sipctl.concurrency import forked_map
    from sipctl.services.check import _yield_to_history

    with forked_map(os.nice, [0], 1, _yield_to_history) as niceness:
        assert list(niceness) == [min(os.nice(0) + 10, 19)]


def test_the_command_line_collects_garbage_less_often_and_its_workers_too() -> None:
    # main() sets the thresholds, and the forked --jobs workers inherit them: checked in
    # a process of its own, so this test run's collector stays as it was.
    script = (
        "import gc, multiprocessing, sys\n"
        "from concurrent.futures import ProcessPoolExecutor\n"
        "from sipctl import cli\n"
        "sys.argv = ['sipctl', '--version']\n"
        "try:\n"
        "    cli.main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "context = multiprocessing.get_context('fork')\n"
        "with ProcessPoolExecutor(1, mp_context=context) as pool:\n"
        "    print(gc.get_threshold(), pool.submit(gc.get_threshold).result())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.splitlines()[-1] == "(100000, 20, 20) (100000, 20, 20)"
