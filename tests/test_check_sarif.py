"""`sipctl check --format sarif`: the findings as GitHub code scanning alerts.

The installed sipctl checks a real district (a git repository with dated commits, judged
`--as-of` a fixed day); check-jsonschema validates what it printed against the OASIS
schema of SARIF 2.1.0 kept in tests/data (where it came from: the README beside it).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from cli import sipctl
from district import DEADLINES, header, write_district
from gitrepo import GitRepo
from sipctl.domain.findings import Finding, Severity
from sipctl.reporters.sarif import dumps, sarif_log
from sipctl.rules.catalogue import CATALOGUE
from sipctl.services.check import CheckResult

REPO = Path(__file__).resolve().parents[1]
SCHEMA = REPO / "tests" / "data" / "sarif-schema-2.1.0.json"
CHECK_JSONSCHEMA = Path(sys.executable).with_name("check-jsonschema")
MAPLE = "schools/maple/2022-23"
LEVERS = f"{MAPLE}/priority-levers.yaml"


def validate(
    tmp_path: Path, text: str, schema: Path | str = SCHEMA, name: str = "check.sarif"
) -> subprocess.CompletedProcess[str]:
    """check-jsonschema over `text`, as a file (as upload-sarif reads it); `schema` is a
    schema file or the name of one of check-jsonschema's own."""
    target = tmp_path / name
    target.write_text(text, encoding="utf-8")
    option = (
        ["--schemafile", str(schema)] if isinstance(schema, Path) else ["--builtin-schema", schema]
    )
    return subprocess.run(
        [str(CHECK_JSONSCHEMA), *option, str(target)], capture_output=True, text=True, timeout=120
    )


def district(root: Path) -> GitRepo:
    """maple: a draft with a typo, a document in progress, a file the framework does not
    know, calendars.yaml missing; oak: no school.yaml and no calendars.yaml. The priority
    levers' draft was due 2022-05-06 and the final is due 2022-05-27."""
    write_district(
        root,
        {
            "cycles/2022-23.yaml": DEADLINES,
            LEVERS: header("priority-levers", status="draft")
            + "levers:\n  - id: L1\n    levr: x\n",
            f"{MAPLE}/summer-plan.yaml": header("summer-plan", status="in-progress"),
            f"{MAPLE}/notes draft.yaml": "x: 1\n",
        },
        schools=("maple", "oak"),
    )
    (root / MAPLE / "calendars.yaml").unlink()
    (root / "schools/oak/school.yaml").unlink()
    (root / "schools/oak/2022-23/calendars.yaml").unlink()
    repo = GitRepo.init(root)
    repo.commit("the plans so far", date="2022-05-02T09:00:00-04:00")
    return repo


def check_sarif(root: Path, *args: str) -> tuple[int, str]:
    run = sipctl("check", "--repo", root, "--as-of", "2022-05-25", "--format", "sarif", *args)
    assert run.err == ""
    return run.code, run.out


def located(log: dict[str, Any]) -> list[tuple[str, str, str, int, int]]:
    rows = []
    for result in log["runs"][0]["results"]:
        where = result["locations"][0]["physicalLocation"]
        region = where["region"]
        assert where["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        rows.append(
            (
                result["ruleId"],
                result["level"],
                where["artifactLocation"]["uri"],
                region["startLine"],
                region["startColumn"],
            )
        )
    return rows


def test_a_district_as_sarif_is_valid_and_places_every_finding(tmp_path: Path) -> None:
    root = tmp_path / "d"
    district(root)
    code, out = check_sarif(root)
    assert code == 1  # errors, as with every other format
    valid = validate(tmp_path, out)
    assert valid.returncode == 0, valid.stdout + valid.stderr
    log = json.loads(out)
    assert (log["version"], len(log["runs"])) == ("2.1.0", 1)
    assert located(log) == [
        # a missing document: on its school's school.yaml
        ("document-missing", "error", "schools/maple/school.yaml", 1, 1),
        # a whole-file finding: line 1; the space percent-encoded
        ("unknown-document", "error", f"{MAPLE}/notes%20draft.yaml", 1, 1),
        ("deadline-soon", "warning", LEVERS, 5, 9),  # the `status:` value
        ("schema", "error", LEVERS, 8, 5),  # the `levr` key
        ("incomplete", "note", f"{MAPLE}/summer-plan.yaml", 5, 9),  # info is a note
        # oak has no school.yaml: its missing files go on sipctl.yaml
        ("school-profile-missing", "error", "sipctl.yaml", 1, 1),
        ("document-missing", "error", "sipctl.yaml", 1, 1),
        ("deadline-missed", "error", "schools/oak/2022-23/priority-levers.yaml", 5, 9),
        ("deadline-soon", "warning", "schools/oak/2022-23/priority-levers.yaml", 5, 9),
    ]
    results = log["runs"][0]["results"]
    # the path that is not there stays in the result, and its message names it
    assert results[0]["properties"]["file"] == f"{MAPLE}/calendars.yaml"
    assert (
        "(calendars.yaml) is missing from schools/maple/2022-23/" in results[0]["message"]["text"]
    )
    assert results[3]["message"]["text"] == (
        "levers[L1].levr: is not a field here\n"
        "hint: check the spelling; the schema lists the allowed keys"
    )
    assert results[3]["properties"]["path"] == "levers[L1].levr"


def test_the_rules_are_the_catalogue_and_every_result_names_its_own(tmp_path: Path) -> None:
    root = tmp_path / "d"
    district(root)
    log = json.loads(check_sarif(root)[1])
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "sipctl"
    assert driver["version"] == sipctl("--version").out.split()[-1]
    assert driver["informationUri"] == "https://github.com/sipctl/sipctl"
    rules = driver["rules"]
    assert [rule["id"] for rule in rules] == [info.id for info in CATALOGUE]
    for result in log["runs"][0]["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    by_id = {rule["id"]: rule for rule in rules}
    assert by_id["link-unused"]["defaultConfiguration"]["level"] == "warning"
    assert by_id["tlt-vote"]["shortDescription"]["text"] == (
        "working conditions record a passing TLT vote dated before the final deadline"
    )
    assert by_id["tlt-vote"]["fullDescription"]["text"].endswith(
        "Source: seed 000: SEZP 2022-23; SEA-SEZP agreement Art. 23."
    )
    # every helpUri is a heading of docs/rules.md
    headings = re.findall(r"^### `([a-z-]+)`$", (REPO / "docs/rules.md").read_text(), flags=re.M)
    for rule in rules:
        anchor = rule["helpUri"].removeprefix(
            "https://github.com/sipctl/sipctl/blob/main/docs/rules.md#"
        )
        assert anchor in headings, rule["helpUri"]


def test_exit_status_and_a_clean_district(tmp_path: Path) -> None:
    root = tmp_path / "d"
    district(root)
    assert check_sarif(root, "--exit-zero")[0] == 0
    clean = write_district(tmp_path / "clean")
    GitRepo.init(clean).commit("start", date="2022-03-01T09:00:00-05:00")
    run = sipctl("check", "--repo", clean, "--as-of", "2022-03-02", "--format", "sarif")
    assert run.code == 0
    assert json.loads(run.out)["runs"][0]["results"] == []
    assert validate(tmp_path, run.out).returncode == 0


def test_the_same_district_gives_the_same_bytes_and_fingerprints_survive_moved_lines(
    tmp_path: Path,
) -> None:
    root = tmp_path / "d"
    repo = district(root)
    first = check_sarif(root)[1]
    assert check_sarif(root)[1] == first
    assert "Time" not in first  # no start or end times in invocations
    before = json.loads(first)["runs"][0]["results"]
    # Lines added above the typo move it from line 8 to line 10: the same alert.
    text = (root / LEVERS).read_text(encoding="utf-8")
    repo.write(LEVERS, text.replace("levers:\n", "# notes\n# more\nlevers:\n"))
    after = json.loads(check_sarif(root)[1])["runs"][0]["results"]
    [schema_before] = [r for r in before if r["ruleId"] == "schema"]
    [schema_after] = [r for r in after if r["ruleId"] == "schema"]
    assert schema_after["locations"][0]["physicalLocation"]["region"]["startLine"] == 10
    assert schema_after["partialFingerprints"] == schema_before["partialFingerprints"]
    prints = [r["partialFingerprints"]["primaryLocationLineHash"] for r in after]
    assert len(set(prints)) == len(prints)
    assert all(re.fullmatch(r"[0-9a-f]{16}:1", p) for p in prints)


def test_the_schema_check_has_teeth(tmp_path: Path) -> None:
    """A broken region or a result without a message fails the validation the tests rely
    on (0-based lines were the mistake to catch)."""
    root = tmp_path / "d"
    district(root)
    log = json.loads(check_sarif(root)[1])
    result = log["runs"][0]["results"][3]
    result["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    assert validate(tmp_path, json.dumps(log)).returncode == 1
    result["locations"][0]["physicalLocation"]["region"]["startLine"] = 8
    del result["message"]
    assert validate(tmp_path, json.dumps(log)).returncode == 1


def finding(rule: str, file: str | None, **fields: Any) -> Finding:
    return Finding(rule=rule, severity=Severity.ERROR, message=f"{rule} here", file=file, **fields)


@pytest.mark.parametrize(
    ("found", "place"),
    [
        # a cycle folder without its cycle file: the district's own file
        (finding("cycle-missing", "cycles/2023-24.yaml", cycle="2023-24"), ("sipctl.yaml", 1, 1)),
        (finding("schema", None), ("sipctl.yaml", 1, 1)),
        # a file that is not UTF-8 has no line: its line 1
        (finding("file-encoding", f"{MAPLE}/calendars.yaml"), (f"{MAPLE}/calendars.yaml", 1, 1)),
        (finding("schema", f"{MAPLE}/x.yaml", line=3), (f"{MAPLE}/x.yaml", 3, 1)),
        # non-ASCII as UTF-8, a name that is not UTF-8 as its own bytes, `#` and `%`
        (
            finding("unknown-document", f"{MAPLE}/é#%.yaml", line=1),
            (f"{MAPLE}/%C3%A9%23%25.yaml", 1, 1),
        ),
        (finding("unknown-document", f"{MAPLE}/\udcff.yaml", line=1), (f"{MAPLE}/%FF.yaml", 1, 1)),
    ],
)
def test_where_findings_without_a_place_of_their_own_go(
    tmp_path: Path, found: Finding, place: tuple[str, int, int]
) -> None:
    text = dumps(sarif_log(CheckResult(findings=[found], notes=["a shallow clone"])))
    text.encode("utf-8")  # no lone surrogate reaches the output
    assert validate(tmp_path, text).returncode == 0
    run = json.loads(text)["runs"][0]
    [result] = run["results"]
    where = result["locations"][0]["physicalLocation"]
    assert (where["artifactLocation"]["uri"], *where["region"].values()) == place
    assert run["invocations"] == [
        {
            "executionSuccessful": True,
            "toolExecutionNotifications": [
                {"level": "note", "message": {"text": "a shallow clone"}}
            ],
        }
    ]


def test_the_documented_job_is_the_kits_and_runs(tmp_path: Path) -> None:
    doc = (REPO / "docs" / "sarif.md").read_text(encoding="utf-8")
    [workflow] = re.findall(r"```yaml\n(.*?)```", doc, flags=re.S)
    kit = tmp_path / "kit"
    kit.mkdir()
    assert sipctl("init", "maple", "--cycle", "2022-23", cwd=kit).code == 0
    written = yaml.safe_load((kit / ".github/workflows/sipctl.yml").read_text("utf-8"))
    assert yaml.safe_load(workflow) == {"code-scanning": written["jobs"]["code-scanning"]}
    [command] = [line.strip() for line in workflow.splitlines() if "--format sarif" in line]
    assert command.startswith("run: ")
    root = tmp_path / "d"
    district(root)
    done = subprocess.run(
        command.removeprefix("run: "),
        shell=True,
        cwd=root,
        env={"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0  # --exit-zero: the findings go to code scanning
    assert validate(tmp_path, (root / "sipctl.sarif").read_text(encoding="utf-8")).returncode == 0
