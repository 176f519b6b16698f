"""`sipctl diff` on real git repositories with scripted dates, run as users run it."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli import sipctl
from district import header, write_district
from gitrepo import GitRepo
from sipctl.models.sezp import PriorityLevers

LEVERS = "schools/maple/2022-23/priority-levers.yaml"
GOALS = "schools/maple/2022-23/lever-goals.yaml"
ACTIONS = "schools/maple/2022-23/strategic-action-plan.yaml"
OAK_GOALS = "schools/oak-hill/2022-23/lever-goals.yaml"
START = "2022-03-01T09:00:00-05:00"
DRAFT = "2022-05-06T15:30:00-04:00"
FINAL = "2022-05-27T15:00:00-04:00"

REFLECTION = (
    "The TLT reviewed the mid-year Roadmap in January and again in March with the Zone "
    "empowerment coach. Early literacy is the clearest gap: fewer than a third of our 3rd "
    "graders met expectations in ELA."
)
LEVER_ITEMS = {
    "L1": "  - id: L1\n    lever: Data-driven instruction\n",
    "L2": "  - id: L2\n    lever: Family engagement\n",
}


def levers(status: str, order: str = "L1 L2", reflection: str = REFLECTION) -> str:
    items = "".join(LEVER_ITEMS[i] for i in order.split())
    return header("priority-levers", status=status) + (
        f"reflection: >-\n  {reflection}\nlevers:\n{items}"
    )


def goals(status: str, target: int, school: str = "maple") -> str:
    return header("lever-goals", school, status=status) + (
        "goals:\n"
        "  - id: G1\n"
        "    lever: L1\n"
        "    outcome:\n"
        "      metric: Grade 3 students meeting expectations on MCAS ELA\n"
        "      baseline: {value: 31, unit: percent, as_of: 2022-01-15}\n"
        f"      target: {{value: {target}, unit: percent, by: 2023-06-15}}\n"
    )


def strategies(status: str, ids: str) -> str:
    titles = {"S1": "Weekly data meetings", "S2": "Literacy coach", "S3": "Family reading nights"}
    items = "".join(f"  - id: {i}\n    title: {titles[i]}\n    goals: [G1]\n" for i in ids.split())
    return header("strategic-action-plan", status=status) + f"strategies:\n{items}"


def district(tmp_path: Path) -> GitRepo:
    root = write_district(
        tmp_path / "district",
        {
            "schools/maple/school.yaml": "school: maple\nname: Maple Elementary\ngrades: K-5\n",
            "schools/oak-hill/school.yaml": (
                "school: oak-hill\nname: Oak Hill Middle\ngrades: 6-8\n"
            ),
        },
        schools=("maple", "oak-hill"),
    )
    repo = GitRepo.init(root)
    repo.commit("Start planning", date=START)
    return repo


def submit(repo: GitRepo, rel: str, text: str, date: str) -> str:
    repo.write(rel, text)
    return repo.commit(f"{rel}: submit", date=date)


def diff_json(repo: GitRepo, *args: str) -> dict:
    run = sipctl("diff", *args, "--repo", repo.path, "--format", "json")
    assert run.code == 0, run.err
    return run.json()


def changes(payload: dict, index: int = 0) -> list[tuple]:
    return [
        (c["kind"], c["path"], c["label"], c["from"], c["to"])
        for c in payload["documents"][index]["changes"]
    ]


# --- SCHOOL DOC: the draft as submitted against the final ---------------------------------


def test_changed_target_value(tmp_path: Path) -> None:
    repo = district(tmp_path)
    draft = submit(repo, GOALS, goals("draft", 45), DRAFT)
    final = submit(repo, GOALS, goals("final", 50), FINAL)
    payload = diff_json(repo, "maple", "lever-goals")
    assert payload["version"] == 1
    assert payload["mode"] == "submission"
    assert (payload["from"]["label"], payload["from"]["commit"], payload["from"]["time"]) == (
        "draft",
        draft,
        "2022-05-06T15:30:00-04:00",
    )
    assert (payload["to"]["label"], payload["to"]["commit"], payload["to"]["time"]) == (
        "final",
        final,
        "2022-05-27T15:00:00-04:00",
    )
    [doc] = payload["documents"]
    assert doc["submission"] == "Maple Elementary submitted the final Priority Lever Goals Form"
    assert (doc["state"], doc["status_from"], doc["status_to"]) == ("changed", "draft", "final")
    assert changes(payload) == [
        (
            "changed",
            "goals[G1].outcome.target.value",
            "Goal G1 › Outcome › Target › Value",
            45,
            50,
        )
    ]


def test_text_output_names_the_commits_and_the_change(tmp_path: Path) -> None:
    repo = district(tmp_path)
    draft = submit(repo, GOALS, goals("draft", 45), DRAFT)
    final = submit(repo, GOALS, goals("final", 50), FINAL)
    run = sipctl("diff", "maple", "lever-goals", "--repo", repo.path)
    assert run.code == 0, run.err
    subject = f"{GOALS}: submit"
    assert run.out.splitlines() == [
        "Maple Elementary · Priority Lever Goals Form (2022-23): the draft as submitted "
        "against the final",
        f"  draft  {draft[:10]}  2022-05-06 15:30 -04:00  Ada Principal  {subject}",
        f"  final  {final[:10]}  2022-05-27 15:00 -04:00  Ada Principal  {subject}",
        "",
        "Maple Elementary · Priority Lever Goals Form (2022-23) — 1 change",
        GOALS,
        "  Maple Elementary submitted the final Priority Lever Goals Form",
        "  ~ Goal G1 › Outcome › Target › Value   goals[G1].outcome.target.value",
        "      45 → 50",
    ]


def test_added_and_removed_strategy(tmp_path: Path) -> None:
    repo = district(tmp_path)
    submit(repo, ACTIONS, strategies("draft", "S1 S2"), DRAFT)
    submit(repo, ACTIONS, strategies("final", "S2 S3"), FINAL)
    payload = diff_json(repo, "maple", "strategic-action-plan")
    s1 = {
        "id": "S1",
        "title": "Weekly data meetings",
        "description": None,
        "goals": ["G1"],
        "owner": None,
        "start": None,
        "end": None,
        "action_steps": [],
    }
    s3 = {**s1, "id": "S3", "title": "Family reading nights"}
    assert changes(payload) == [
        ("added", "strategies[S3]", "Strategy S3", None, s3),
        ("removed", "strategies[S1]", "Strategy S1", s1, None),
    ]
    text = sipctl("diff", "maple", "strategic-action-plan", "--repo", repo.path).out
    assert (
        "  + Strategy S3   strategies[S3]\n      title: Family reading nights; goals: [G1]\n"
        in text
    )
    assert (
        "  - Strategy S1   strategies[S1]\n      title: Weekly data meetings; goals: [G1]\n" in text
    )


def test_reordered_list_is_a_reorder_only(tmp_path: Path) -> None:
    repo = district(tmp_path)
    submit(repo, LEVERS, levers("draft", "L1 L2"), DRAFT)
    submit(repo, LEVERS, levers("final", "L2 L1"), FINAL)
    payload = diff_json(repo, "maple", "priority-levers")
    assert changes(payload) == [("reordered", "levers", "Levers", ["L1", "L2"], ["L2", "L1"])]
    text = sipctl("diff", "maple", "priority-levers", "--repo", repo.path).out
    assert "  ↕ Levers   levers\n      new order: L2, L1 (was L1, L2)\n" in text


def test_rewritten_paragraph_is_a_word_diff(tmp_path: Path) -> None:
    repo = district(tmp_path)
    rewritten = REFLECTION.replace("reviewed", "studied").replace("fewer than a third", "only 31%")
    submit(repo, LEVERS, levers("draft"), DRAFT)
    submit(repo, LEVERS, levers("final", reflection=rewritten), FINAL)
    payload = diff_json(repo, "maple", "priority-levers")
    [change] = payload["documents"][0]["changes"]
    assert (change["kind"], change["path"], change["label"]) == (
        "changed",
        "reflection",
        "Reflection",
    )
    # The field's description, the hint an editor and the browser form show for it.
    assert change["description"] == PriorityLevers.model_fields["reflection"].description
    assert change["description"].startswith("What the TLT saw in the mid-year Roadmap")
    assert change["words"] == [
        {"op": "equal", "text": "The TLT"},
        {"op": "delete", "text": "reviewed"},
        {"op": "insert", "text": "studied"},
        {
            "op": "equal",
            "text": "the mid-year Roadmap in January and again in March with the Zone "
            "empowerment coach. Early literacy is the clearest gap:",
        },
        {"op": "delete", "text": "fewer than a third"},
        {"op": "insert", "text": "only 31%"},
        {"op": "equal", "text": "of our 3rd graders met expectations in ELA."},
    ]
    text = sipctl("diff", "maple", "priority-levers", "--repo", repo.path).out
    assert (
        "      The TLT [-reviewed-] {+studied+} the mid-year Roadmap in … is the clearest gap: "
        "[-fewer than a third-] {+only 31%+} of our 3rd graders …\n"
    ) in text


def test_invalid_document_falls_back_to_raw_yaml_with_a_note(tmp_path: Path) -> None:
    repo = district(tmp_path)
    evidence = "\n    evidence: Grade 3 ELA at 31%\n"
    typo = "\n    evidance: Grade 3 ELA at 31%\n"
    draft = levers("draft").replace(
        "Data-driven instruction\n", "Data-driven instruction" + evidence
    )
    final = levers("final").replace("Data-driven instruction\n", "Data-driven instruction" + typo)
    submit(repo, LEVERS, draft, DRAFT)
    submit(repo, LEVERS, final, FINAL)
    payload = diff_json(repo, "maple", "priority-levers")
    [doc] = payload["documents"]
    assert doc["structural"] is True
    assert doc["notes"] == [
        "Compared as plain YAML because the final version does not match its model "
        "(levers[L1].evidance: is not a field here). Run `sipctl check` to see every problem."
    ]
    assert changes(payload) == [
        ("added", "levers[L1].evidance", "Lever L1 › Evidance", None, "Grade 3 ELA at 31%"),
        ("removed", "levers[L1].evidence", "Lever L1 › Evidence", "Grade 3 ELA at 31%", None),
    ]


def test_no_changes(tmp_path: Path) -> None:
    repo = district(tmp_path)
    submit(repo, GOALS, goals("draft", 45), DRAFT)
    # Only the status, a comment and the layout change: no plan content does.
    final = goals("final", 45).replace("goals:\n", "# checked with the coach\ngoals:\n")
    submit(repo, GOALS, final.replace("{value: 45, ", "{ value: 45,  "), FINAL)
    payload = diff_json(repo, "maple", "lever-goals")
    [doc] = payload["documents"]
    assert (doc["state"], doc["changes"], doc["notes"]) == ("unchanged", [], [])
    assert doc["submission"] == "Maple Elementary submitted the final Priority Lever Goals Form"
    run = sipctl("diff", "maple", "lever-goals", "--repo", repo.path)
    assert "Maple Elementary · Priority Lever Goals Form (2022-23) — no changes" in run.out


def test_draft_without_final_is_compared_with_the_working_tree(tmp_path: Path) -> None:
    repo = district(tmp_path)
    draft = submit(repo, GOALS, goals("draft", 45), DRAFT)
    repo.write(GOALS, goals("in-progress", 48))  # reopened, not committed
    payload = diff_json(repo, "maple", "lever-goals")
    assert payload["from"]["commit"] == draft
    assert payload["to"] == {
        "label": "working tree",
        "rev": None,
        "commit": None,
        "time": None,
        "author": None,
        "subject": None,
    }
    assert payload["notes"] == [
        "There is no final yet: the draft as submitted is compared with the working tree, "
        "uncommitted changes included."
    ]
    [doc] = payload["documents"]
    assert doc["submission"] == (
        "Maple Elementary reopened the Priority Lever Goals Form (status draft → in-progress)"
    )
    assert changes(payload) == [
        ("changed", "goals[G1].outcome.target.value", "Goal G1 › Outcome › Target › Value", 45, 48)
    ]
    assert payload["title"].endswith("against the working tree")


def test_not_submitted_yet_is_a_usage_error(tmp_path: Path) -> None:
    repo = district(tmp_path)
    run = sipctl("diff", "maple", "lever-goals", "--repo", repo.path)
    assert run.code == 2
    assert run.err.splitlines() == [
        "error: Maple Elementary has not submitted the Priority Lever Goals Form draft yet: "
        f"no commit sets `status: draft` (or later) in {GOALS}",
        "hint: to review uncommitted changes, run `sipctl diff --from HEAD`",
    ]


# --- usage errors: exit 2, a message and the fix, never a traceback -----------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("oak", "priority-levers"), "error: no school 'oak' in "),
        (("maple", "levers"), "error: 'levers' is not a document of maple's 2022-23 plan"),
        (
            ("maple", "lever-goals", "--cycle", "2021-22"),
            "error: school 'maple' has no cycle '2021-22'",
        ),
        (("--from", "nope"), "error: git does not know the revision 'nope' here"),
        (("--from", "--to"), "error: '--to' is not a git revision"),
        (("--to", "HEAD"), "error: --to needs --from"),
        (
            ("maple",),
            "error: say what to compare: a school's document, two cycles, or two revisions",
        ),
        (("maple", "--cycle", "2022-23..2031-32"), "error: school 'maple' has no cycle '2031-32'"),
    ],
)
def test_usage_errors(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    repo = district(tmp_path)
    run = sipctl("diff", *args, "--repo", repo.path)
    assert run.code == 2, run.out
    assert run.err.startswith(message), run.err
    assert "hint: " in run.err
    assert "Traceback" not in run.err


def test_shallow_clone_names_the_fix(tmp_path: Path) -> None:
    repo = district(tmp_path)
    submit(repo, GOALS, goals("draft", 45), DRAFT)
    submit(repo, GOALS, goals("final", 50), FINAL)
    clone = GitRepo.clone(repo, tmp_path / "clone", "--depth", "1")
    run = sipctl("diff", "maple", "lever-goals", "--repo", clone.path)
    assert run.code == 2
    assert run.err.splitlines() == [
        f"error: cannot compare the submitted versions of {GOALS}: this is a shallow clone, "
        "so the submitted versions are not in it",
        "hint: fetch the whole history: in GitHub Actions set `fetch-depth: 0` on "
        "actions/checkout, or run `git fetch --unshallow`",
    ]
    # Comparing revisions that are present works in a shallow clone.
    assert sipctl("diff", "--from", "HEAD", "--repo", clone.path).code == 0


def test_no_git_names_the_fix(tmp_path: Path) -> None:
    root = write_district(tmp_path, {GOALS: goals("draft", 45)})
    run = sipctl("diff", "maple", "lever-goals", "--repo", root)
    assert run.code == 2
    assert "is not in a git repository" in run.err
    assert "hint: commit the district to git first" in run.err
    run = sipctl("diff", "--from", "HEAD", "--repo", root)
    assert run.code == 2
    assert run.err.startswith(f"error: {root} is not in a git repository, so there is no revision")
