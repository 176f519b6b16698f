"""`sipctl init`: a principal starts a cycle with one command, in real folders, as users run it."""

from __future__ import annotations

import datetime as dt
import os
import re
import shlex
import subprocess
import sys
import typing
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from cli import sipctl
from gitrepo import GitRepo
from sipctl.domain.framework import all_documents, available_frameworks, load_framework
from sipctl.models.district import SchoolProfile
from sipctl.services.fmt import canonical_document
from sipctl.services.scaffold import filled, templates_dir, yaml_scalar
from test_frameworks import SEZP_TABLE, _parse

SOURCE_ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
KIT = [
    "sipctl.yaml",
    ".github/workflows/sipctl.yml",
    ".github/sipctl-requirements.txt",
    ".github/pull_request_template.md",
    "CODEOWNERS",
    ".gitignore",
    "README.md",
    ".pre-commit-config.yaml",
    ".vscode/settings.json",
    ".vscode/extensions.json",
    "schemas/district.schema.json",
    "schemas/priority-levers.schema.json",
]
# Before the first deadline of every shipped framework's 2022-23 cycle (SPS services: March 1).
BEFORE_DEADLINES = "2022-01-10"
HEADER_KEYS = ["document", "school", "cycle", "status"]


def snapshot(root: Path) -> dict[str, tuple[bytes | None, int]]:
    """Every file's bytes and every entry's mtime: a run that touches nothing keeps it equal."""
    out: dict[str, tuple[bytes | None, int]] = {".": (None, root.lstat().st_mtime_ns)}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder, name)
            info = path.lstat()
            data = path.read_bytes() if path.is_file() and not path.is_symlink() else None
            out[path.relative_to(root).as_posix()] = (data, info.st_mtime_ns)
    return out


def read(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8"))


def _models_in(annotation: object) -> list[type[BaseModel]]:
    """The models inside an annotation: X, X | None, list[X]."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


def unscaffolded(model: type[BaseModel], data: object, path: str = "") -> list[str]:
    """The fields of `model` and its nested blocks that the scaffold leaves out.

    Every mapping shown (the document, nested blocks, example list items) must
    hold every field of its model, so a principal sees everything there is to write.
    """
    if not isinstance(data, dict):
        return []
    missing = [f"{path}.{name}" for name in model.model_fields if name not in data]
    for name, info in model.model_fields.items():
        for nested in _models_in(info.annotation):
            value = data.get(name)
            items = value if isinstance(value, list) else [value]
            for i, item in enumerate(items):
                missing += unscaffolded(nested, item, f"{path}.{name}[{i}]")
    return missing


def check_json(root: Path, as_of: str = BEFORE_DEADLINES) -> tuple[int, list[dict]]:
    run = sipctl("check", "--repo", root, "--format", "json", "--as-of", as_of)
    assert run.code in (0, 1), run.err
    return run.code, run.json()["findings"]


def init(root: Path, *args: str, cwd: Path | None = None, env: dict[str, str] | None = None):
    return sipctl("init", *args, cwd=cwd or root, env=env)


@pytest.fixture
def district(tmp_path: Path) -> Path:
    root = tmp_path / "district"
    root.mkdir()
    return root


# a new district -----------------------------------------------------------------------------
def test_init_in_an_empty_folder_scaffolds_the_sezp_cycle(district: Path) -> None:
    run = init(district, "maple", "--cycle", "2022-23", "--name", "Maple Elementary")
    assert run.code == 0, run.err
    folder = district / "schools/maple/2022-23"
    assert sorted(p.stem for p in folder.iterdir()) == sorted(row[0] for row in SEZP_TABLE)
    for rel in KIT:
        assert (district / rel).is_file(), rel
    assert read(district / "schools/maple/school.yaml")["name"] == "Maple Elementary"
    assert "wrote    schools/maple/2022-23/priority-levers.yaml" in run.out
    assert 'git init -b main && git add . && git commit -m "Start planning"' in run.out


def test_the_cycle_file_holds_the_seed_dates(district: Path) -> None:
    assert init(district, "maple", "--cycle", "2022-23").code == 0
    cycle = read(district / "cycles/2022-23.yaml")
    assert (cycle["cycle"], cycle["framework"]) == ("2022-23", "sezp")
    assert cycle["timezone"] == "America/New_York"

    def local(value: object) -> dt.date | None:
        # Date-times are quoted local wall-clock strings; bare dates parse as dates.
        return dt.datetime.fromisoformat(value) if isinstance(value, str) else value

    written = {
        doc_id: (local(entry.get("draft_due")), local(entry.get("final_due")))
        for doc_id, entry in cycle["documents"].items()
    }
    assert written == {row[0]: (_parse(row[3]), _parse(row[4])) for row in SEZP_TABLE}
    # SEZP 2022-23: the faculty handbook is due on the first day of August PD, set by the district.
    assert "first day of August" in cycle["documents"]["faculty-handbook"]["note"]
    assert cycle["milestones"]["board-approval"]["date"] == dt.date(2022, 6, 7)


def test_a_document_says_what_to_write_who_owns_it_and_when_it_is_due(district: Path) -> None:
    run = init(district, "maple", "--cycle", "2022-23", "--name", "Maple Elementary")
    assert run.code == 0, run.err
    # Who owns each document and when it is due: in init's report, from the cycle file.
    assert "Who owns each document, and when it is due (cycles/2022-23.yaml):" in run.out
    assert re.search(
        r"\n  priority-levers +TLT +draft due Friday, May 6, 2022, 4:00 pm Eastern; "
        r"final due Friday, May 27, 2022, 4:00 pm Eastern\n",
        run.out,
    )
    assert re.search(
        r"\n  faculty-handbook +Principal +the district sets this: the first day of August "
        r"professional development\n",
        run.out,
    )
    # The file is canonical: the modeline, then data only, as a browser save writes it.
    text = (district / "schools/maple/2022-23/priority-levers.yaml").read_text("utf-8")
    lines = text.splitlines()
    assert (
        lines[0] == "# yaml-language-server: $schema=../../../schemas/priority-levers.schema.json"
    )
    assert [line for line in lines[1:] if line.lstrip().startswith("#")] == []
    assert text == canonical_document(text)
    assert 'lever: "TODO: a lever from SEZP\'s Framework for Equitable Schools"' in text
    data = yaml.safe_load(text)
    assert [data[k] for k in HEADER_KEYS] == ["priority-levers", "maple", "2022-23", "not-started"]
    assert [lever["id"] for lever in data["levers"]] == ["L1", "L2"]
    # What the form is for, its phase and owner: the schema an editor shows on hover.
    schema = yaml.safe_load((district / "schemas/priority-levers.schema.json").read_text("utf-8"))
    assert schema["description"].startswith(
        "Priority Levers Form: SEZP School Improvement Planning. Phase I: reflect on mid-year "
        "data and choose priority levers. Owner: TLT. Beginning in December, the TLT reflects"
    )
    assert "cycles/<cycle>.yaml" in schema["description"]
    assert 'replace every "TODO: ..."' in schema["description"]


@pytest.mark.parametrize("framework", available_frameworks())
def test_every_scaffold_validates_and_holds_every_field_of_its_model(
    district: Path, framework: str
) -> None:
    run = init(district, "oak-hill", "--cycle", "2022-23", "--framework", framework)
    assert run.code == 0, run.err
    code, findings = check_json(district)
    assert code == 0
    assert [f for f in findings if f["severity"] == "error"] == []
    for doc in load_framework(framework).documents:
        data = read(district / f"schools/oak-hill/2022-23/{doc.id}.yaml")
        assert list(data) == list(doc.model_class.model_fields), doc.id
        assert unscaffolded(doc.model_class, data) == [], doc.id
        text = (district / f"schools/oak-hill/2022-23/{doc.id}.yaml").read_text("utf-8")
        assert text == canonical_document(text), doc.id
        assert data["status"] == "not-started"
    profile = read(district / "schools/oak-hill/school.yaml")
    assert list(profile) == list(SchoolProfile.model_fields)
    assert unscaffolded(SchoolProfile, profile) == []
    assert read(district / "sipctl.yaml")["framework"] == framework


def test_a_scaffold_fails_check_once_a_deadline_has_passed(district: Path) -> None:
    assert init(district, "maple", "--cycle", "2022-23").code == 0
    code, findings = check_json(district, as_of="2022-05-07T12:00")
    assert code == 1
    missed = {(f["document"], f["stage"]) for f in findings if f["rule"] == "deadline-missed"}
    assert ("priority-levers", "draft") in missed


def test_placeholders_use_todo_null_and_example_ids(district: Path) -> None:
    assert init(district, "maple", "--cycle", "2022-23").code == 0
    goals = read(district / "schools/maple/2022-23/lever-goals.yaml")["goals"]
    assert [g["id"] for g in goals] == ["G1", "G2"]
    first = goals[0]
    assert first["lever"] is None  # a reference: null until the TLT picks L1 or L2
    assert first["statement"].startswith("TODO: ")
    assert first["outcome"]["baseline"]["value"] is None
    assert first["outcome"]["target"]["by"] is None
    assert read(district / "sipctl.yaml")["district"] == "TODO: district name"


def test_values_with_quotes_and_colons_stay_valid_yaml(district: Path) -> None:
    name = 'O\'Neil: "Academy" # 1'
    run = init(district, "oneil", "--cycle", "2022-23", "--name", name, "--district", "A: B")
    assert run.code == 0, run.err
    assert read(district / "schools/oneil/school.yaml")["name"] == name
    assert read(district / "sipctl.yaml")["district"] == "A: B"
    assert check_json(district)[0] == 0


def test_the_due_dates_name_the_district_timezone(district: Path) -> None:
    (district / "sipctl.yaml").write_text("district: Lakeside\ntimezone: America/Chicago\n")
    run = init(district, "maple", "--cycle", "2022-23")
    assert run.code == 0, run.err
    assert "draft due Friday, May 6, 2022, 4:00 pm Central" in run.out
    assert read(district / "cycles/2022-23.yaml")["timezone"] == "America/Chicago"


def test_inside_a_git_repository_no_advice_to_start_one(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "zone")
    run = init(repo.path, "maple", "--cycle", "2022-23")
    assert run.code == 0, run.err
    assert "git init" not in run.out


def test_a_git_dir_set_by_a_hook_does_not_make_a_new_folder_a_repository(
    tmp_path: Path, district: Path
) -> None:
    other = GitRepo.init(tmp_path / "other")
    run = init(district, "maple", "--cycle", "2022-23", env={"GIT_DIR": str(other.path / ".git")})
    assert run.code == 0, run.err
    assert f"note: {district} is not a git repository yet" in run.out  # was: no note


# never overwrite --------------------------------------------------------------------------------
def test_a_second_init_changes_no_byte_and_lists_what_exists(district: Path) -> None:
    assert init(district, "maple", "--cycle", "2022-23").code == 0
    before = snapshot(district)
    run = init(district, "maple", "--cycle", "2022-23")
    assert run.code == 2
    assert snapshot(district) == before
    assert "Traceback" not in run.err
    assert "schools/maple/2022-23/priority-levers.yaml" in run.err
    assert "schools/maple/2022-23/tlt-selection.yaml" in run.err
    assert "--force" in run.err


def test_force_rewrites_documents_and_profile_but_not_district_files(district: Path) -> None:
    assert init(district, "maple", "--cycle", "2022-23", "--name", "Maple Elementary").code == 0
    levers = district / "schools/maple/2022-23/priority-levers.yaml"
    pristine = levers.read_text("utf-8")
    levers.write_text(pristine.replace("status: not-started", "status: draft"))
    profile = district / "schools/maple/school.yaml"
    profile.write_text(profile.read_text("utf-8") + "# my note\n")
    config = district / "sipctl.yaml"
    config.write_text(config.read_text("utf-8").replace("TODO: district name", "Riverbend"))
    cycle = district / "cycles/2022-23.yaml"
    cycle.write_text(cycle.read_text("utf-8").replace("2022-10-28T16:00", "2022-11-04T16:00"))
    kept = {p: p.read_bytes() for p in (config, cycle, district / "README.md")}

    run = init(district, "maple", "--cycle", "2022-23", "--force")
    assert run.code == 0, run.err
    assert "rewrote  schools/maple/2022-23/priority-levers.yaml" in run.out
    assert "never rewritten" in run.out
    assert {p: p.read_bytes() for p in kept} == kept
    assert "# my note" not in profile.read_text("utf-8")
    assert read(profile)["name"] == "Maple Elementary"  # kept: no --name this time
    # The report shows the district's own date from the cycle file.
    assert "final due Friday, November 4, 2022, 4:00 pm Eastern" in run.out
    assert read(levers)["status"] == "not-started"


def test_a_second_school_reuses_the_district_and_cycle_files(district: Path) -> None:
    assert init(district, "maple", "--cycle", "2022-23", "--district", "Riverbend").code == 0
    shared = [*KIT, "cycles/2022-23.yaml"]
    before = {rel: snapshot(district)[rel] for rel in shared}
    # Run from inside the district, without --repo: init finds sipctl.yaml above.
    run = init(district, "birch", "--cycle", "2022-23", cwd=district / "schools")
    assert run.code == 0, run.err
    assert {rel: snapshot(district)[rel] for rel in shared} == before
    assert (district / "schools/birch/2022-23/priority-levers.yaml").is_file()
    assert not (district / "schools/schools").exists()
    assert "using    cycles/2022-23.yaml" in run.out
    assert check_json(district)[0] == 0


def test_kit_files_that_exist_are_left_alone(district: Path) -> None:
    (district / "README.md").write_text("# Our plans\n")
    run = init(district, "maple", "--cycle", "2022-23")
    assert run.code == 0, run.err
    assert (district / "README.md").read_text() == "# Our plans\n"
    assert "kept     README.md" in run.out


# refusals -------------------------------------------------------------------------------------
@pytest.mark.parametrize("slug", ["../x", "Maple", "/abs", "a/b", "maple_", "-maple", ".."])
def test_a_slug_that_is_not_a_folder_name_is_refused(district: Path, slug: str) -> None:
    run = init(district, "--cycle", "2022-23", "--", slug)  # `--`: even "-maple" is the slug
    assert run.code == 2
    assert run.err.startswith("error: ") and "Traceback" not in run.err
    assert list(district.iterdir()) == []


@pytest.mark.parametrize(
    "args",
    [
        ["--cycle", "2022-24"],
        ["--cycle", "22-23"],
        ["--cycle", "2022/23"],
        ["--cycle", "2022-23", "--from", "2022-23"],
        ["--cycle", "2022-23", "--framework", "nope"],
        ["--cycle", "2022-23", "--grades", "K-99x"],
        ["--cycle", "2022-23", "--name", "two\nlines"],
    ],
)
def test_unusable_options_are_refused(district: Path, args: list[str]) -> None:
    run = init(district, "maple", *args)
    assert run.code == 2
    assert run.err.startswith("error: ") and "Traceback" not in run.err
    assert list(district.iterdir()) == []


def test_a_school_folder_linking_out_of_the_repository_is_refused(tmp_path: Path) -> None:
    district, outside = tmp_path / "district", tmp_path / "outside"
    (district / "schools").mkdir(parents=True)
    outside.mkdir()
    (district / "schools" / "maple").symlink_to(outside, target_is_directory=True)
    before = snapshot(district)
    run = init(district, "maple", "--cycle", "2022-23")
    assert run.code == 2
    assert "outside" in run.err and "Traceback" not in run.err
    assert list(outside.iterdir()) == []
    assert snapshot(district) == before


def test_a_cycle_of_another_framework_is_refused(district: Path) -> None:
    assert init(district, "maple", "--cycle", "2022-23").code == 0
    before = snapshot(district)
    run = init(district, "birch", "--cycle", "2022-23", "--framework", "dese-sip")
    assert run.code == 2
    assert "uses sezp" in run.err
    assert snapshot(district) == before


# carry-over -----------------------------------------------------------------------------------
PREVIOUS_SIP = """\
# yaml-language-server: $schema=../../../schemas/school-improvement-plan.schema.json
document: school-improvement-plan
school: maple
cycle: 2021-22
status: approved
core_values:
  - id: V1
    text: Belonging
    evidence: Every student has an adult who knows them well.
mission: Every Maple student reads, reasons and belongs.
vision: "Maple graduates leave grade 5 as confident readers: 80% meeting expectations."
data_analysis: Grade 3 ELA at 31% meeting expectations; English learners at 12%.
theory_of_action: |
  If teachers plan together every week around student work,
  then every student gets grade-level tasks.
strategic_objectives:
  - {id: O1, title: Literacy for every student, rationale: Grade 3 ELA at 31%.}
  - {id: O2, title: Every English learner progresses, rationale: EL progress at 12%.}
  - {id: O3, title: Families as partners, rationale: Family survey response fell to 22%.}
strategic_initiatives:
  - {id: I1, objective: O1, title: Weekly common planning, description: 90 minutes a week.}
professional_development:
  - {id: PD1, description: Summer institute on the science of reading, serves: [I1]}
induction_and_mentoring:
  - {id: IM1, description: Every new teacher has a mentor in their grade team, serves: [I1]}
english_learner_programs:
  - {id: EL1, description: Sheltered English immersion with daily ELD block, serves: [I1]}
outcomes:
  - id: OC1
    objective: O1
    outcome:
      metric: Grade 3 students meeting expectations on MCAS ELA
      student_group: All students
      baseline: {value: 31, unit: percent, as_of: 2021-09-15}
      target: {value: 45, unit: percent, by: 2024-06-15}
evaluation_process: The ILT reviews the outcomes each January and June.
"""


def test_from_carries_the_multi_year_plan_into_the_next_cycle(district: Path) -> None:
    args = ["--framework", "planning-for-success", "--name", "Maple Elementary"]
    assert init(district, "maple", "--cycle", "2021-22", *args).code == 0
    (district / "schools/maple/2021-22/school-improvement-plan.yaml").write_text(PREVIOUS_SIP)

    run = init(district, "maple", "--cycle", "2022-23", "--from", "2021-22")
    assert run.code == 0, run.err
    assert "carried  school-improvement-plan: core_values, mission, vision" in run.out
    plan = read(district / "schools/maple/2022-23/school-improvement-plan.yaml")
    assert plan["status"] == "in-progress"
    assert plan["cycle"] == "2022-23"
    assert plan["mission"] == "Every Maple student reads, reasons and belongs."
    assert plan["theory_of_action"].startswith("If teachers plan together")
    assert plan["outcomes"][0]["outcome"]["baseline"]["as_of"] == dt.date(2021, 9, 15)
    assert plan["strategic_initiatives"][0]["objective"] == "O1"
    # Data analysis is annual: it is not carried.
    assert plan["data_analysis"].startswith("TODO")
    action = read(district / "schools/maple/2022-23/action-plan.yaml")
    assert action["status"] == "not-started"
    assert check_json(district, as_of="2021-01-10")[0] == 0
    # Carried by key and written canonically: last year's flow lists become block lists.
    text = (district / "schools/maple/2022-23/school-improvement-plan.yaml").read_text("utf-8")
    assert text == canonical_document(text)
    assert "  - id: O1\n    title: Literacy for every student\n" in text
    assert "theory_of_action: |\n  If teachers plan together every week" in text


def test_from_fills_the_dese_renewal_with_what_was_carried(district: Path) -> None:
    assert init(district, "oak", "--cycle", "2022-23", "--framework", "dese-sip").code == 0
    vision = district / "schools/oak/2022-23/envision-the-future.yaml"
    text = vision.read_text("utf-8").replace(
        'vision: "TODO: the school\'s vision: what success looks like"',
        "vision: Every Oak student is known, challenged and ready.",
    )
    vision.write_text(text)

    run = init(district, "oak", "--cycle", "2023-24", "--from", "2022-23")
    assert run.code == 0, run.err
    renewal = read(district / "schools/oak/2023-24/annual-renewal.yaml")
    assert renewal["carried_over"] == ["envision-the-future: vision"]
    assert renewal["status"] == "in-progress"
    carried = read(district / "schools/oak/2023-24/envision-the-future.yaml")
    assert carried["vision"] == "Every Oak student is known, challenged and ready."
    assert carried["status"] == "in-progress"
    # Blank scaffolds carry nothing: the root causes of 2022-23 were never filled in.
    assert read(district / "schools/oak/2023-24/root-cause-analysis.yaml")["status"] == (
        "not-started"
    )
    assert sipctl("fmt", "--check", "--repo", district).code == 0
    assert check_json(district, as_of="2022-01-10")[0] == 0


def test_from_skips_a_previous_document_with_errors(district: Path) -> None:
    args = ["--framework", "planning-for-success"]
    assert init(district, "maple", "--cycle", "2021-22", *args).code == 0
    broken = PREVIOUS_SIP.replace("status: approved", "status: done-ish")
    (district / "schools/maple/2021-22/school-improvement-plan.yaml").write_text(broken)
    run = init(district, "maple", "--cycle", "2022-23", "--from", "2021-22")
    assert run.code == 0, run.err
    assert "has errors, so nothing was carried" in run.out
    plan = read(district / "schools/maple/2022-23/school-improvement-plan.yaml")
    assert plan["status"] == "not-started"
    assert plan["mission"].startswith("TODO")


def test_from_a_cycle_the_school_never_had_is_refused(district: Path) -> None:
    assert init(district, "maple", "--cycle", "2021-22").code == 0
    before = snapshot(district)
    run = init(district, "maple", "--cycle", "2022-23", "--from", "2020-21")
    assert run.code == 2
    assert "schools/maple/2020-21/ does not exist" in run.err
    assert snapshot(district) == before


# the CI kit -----------------------------------------------------------------------------------
def test_the_workflow_is_valid_for_github(district: Path) -> None:
    assert init(district, "maple", "--cycle", "2022-23").code == 0
    workflow = district / ".github/workflows/sipctl.yml"
    proc = subprocess.run(
        [BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", workflow],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = workflow.read_text("utf-8")
    assert "fetch-depth: 0" in text
    assert "sipctl check --format github" in text
    assert 'sipctl diff --from "origin/${{ github.base_ref }}" --format markdown' in text
    assert 'sipctl status --format markdown >> "$GITHUB_STEP_SUMMARY"' in text
    assert "sipctl render --format html --out site" in text
    data = read(workflow)
    triggers = data[True]  # YAML 1.1 reads the key `on` as true
    assert {"pull_request", "push", "schedule"} <= set(triggers)
    for name in ("check", "render"):  # render on main makes the cache pull requests restore
        steps = data["jobs"][name]["steps"]
        caches = [step for step in steps if step.get("uses") == "actions/cache@v4"]
        assert [step["with"]["path"] for step in caches] == [".git/sipctl"], name


def test_the_kit_points_reviewers_and_hooks_at_the_right_places(district: Path) -> None:
    assert init(district, "maple", "--cycle", "2022-23").code == 0
    codeowners = (district / "CODEOWNERS").read_text("utf-8")
    assert "# /schools/ @your-org/school-planning" in codeowners
    hooks = read(district / ".pre-commit-config.yaml")["repos"][0]["hooks"]
    assert hooks == [{"id": "sipctl-check"}]
    template = (district / ".github/pull_request_template.md").read_text("utf-8")
    assert "`status:` is `draft` (or `final`)" in template
    proc = subprocess.run(
        [BIN / "pre-commit", "validate-config", district / ".pre-commit-config.yaml"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_reviewers_given_to_a_new_district_own_the_plans(district: Path) -> None:
    run = init(
        district, "maple", "--cycle", "2022-23",
        "--reviewer", "@riverbend/school-planning", "--reviewer", "@ada-lovelace",
    )  # fmt: skip
    assert run.code == 0, run.err
    assert "CODEOWNERS names no reviewers" not in run.out
    lines = [
        line for line in (district / "CODEOWNERS").read_text("utf-8").splitlines()
        if line and not line.startswith("#")
    ]  # fmt: skip
    assert lines == [
        "/schools/ @riverbend/school-planning @ada-lovelace",
        "/cycles/ @riverbend/school-planning @ada-lovelace",
        "/sipctl.yaml @riverbend/school-planning @ada-lovelace",
    ]
    assert read(district / "sipctl.yaml")["reviewers"] == [
        "@riverbend/school-planning",
        "@ada-lovelace",
    ]
    again = init(district, "oak", "--cycle", "2022-23", "--reviewer", "@someone-else")
    assert again.code == 0
    assert "--reviewer was not applied" in again.out
    assert read(district / "sipctl.yaml")["reviewers"] == [
        "@riverbend/school-planning",
        "@ada-lovelace",
    ]


def test_a_new_district_without_reviewers_is_told_so(district: Path) -> None:
    run = init(district, "maple", "--cycle", "2022-23")
    assert "note: CODEOWNERS names no reviewers yet" in run.out


@pytest.mark.parametrize(
    "bad", ["school-planning", "@bad team", "@org/team\n/x @eve", "@ada\n", "@"]
)
def test_a_reviewer_that_is_no_github_name_is_refused(district: Path, bad: str) -> None:
    run = init(district, "maple", "--cycle", "2022-23", "--reviewer", bad)
    assert run.code == 2
    assert f"--reviewer {bad!r} is not a GitHub user or team" in run.err
    assert list(district.iterdir()) == []


def test_this_repository_ships_a_valid_pre_commit_hook() -> None:
    proc = subprocess.run(
        [BIN / "pre-commit", "validate-manifest", ".pre-commit-hooks.yaml"],
        cwd=SOURCE_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (hook,) = read(SOURCE_ROOT / ".pre-commit-hooks.yaml")
    assert (hook["id"], hook["entry"], hook["pass_filenames"], hook["require_serial"]) == (
        "sipctl-check",
        "sipctl check --no-deadlines",
        True,
        True,
    )


def test_the_docs_quick_start_works_as_written(district: Path) -> None:
    text = (SOURCE_ROOT / "docs/init.md").read_text("utf-8")
    quick_start = text.split("## Quick start", 1)[1]
    block = re.search(r"```sh\n(.*?)\n```", quick_start, flags=re.S)
    assert block is not None
    commands = [shlex.split(line) for line in block.group(1).splitlines()]
    assert [c[:2] for c in commands] == [["sipctl", "init"]] * 2 + [["sipctl", "check"]]
    for command in commands:
        run = sipctl(*command[1:], cwd=district)
        assert run.code == 0, (command, run.out, run.err)
    assert read(district / "sipctl.yaml")["district"] == "Riverbend Empowerment Zone"
    assert read(district / "schools/birch/school.yaml")["grades"] == "6-8"


def test_help_has_an_example() -> None:
    run = sipctl("init", "--help")
    assert run.code == 0
    assert "Example: sipctl init maple --cycle 2022-23" in run.out


# units ------------------------------------------------------------------------------------------
def test_every_document_has_a_template_and_carries_only_its_own_fields() -> None:
    folder = templates_dir()
    for doc_id, doc in all_documents().items():
        assert (folder / "documents" / f"{doc_id}.yaml.j2").is_file(), doc_id
        assert set(doc.carry) <= set(doc.model_class.model_fields) - set(HEADER_KEYS), doc_id


@pytest.mark.parametrize(
    "value",
    ["maple", 'O\'Neil: "Academy"', "no", "16:00", "2022-23", "# not a comment", "a\nb", None],
)
def test_yaml_scalar_round_trips(value: object) -> None:
    assert yaml.safe_load(f"key: {yaml_scalar(value)}\n") == {"key": value}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, False),
        ("", False),
        ("TODO: mission", False),
        ("tbd", False),
        ([{"id": "L1", "lever": "TODO: a lever"}], False),
        ([], False),
        ("Every student reads.", True),
        ([{"id": "L1", "lever": "Data-driven instruction"}], True),
        (0, True),
    ],
)
def test_filled(value: object, expected: bool) -> None:
    assert filled(value) is expected
