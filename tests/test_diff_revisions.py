"""`sipctl diff --from REV [--to REV]` and year over year, on real git repositories."""

from __future__ import annotations

from pathlib import Path

from cli import sipctl
from district import header, write_district
from gitrepo import GitRepo
from test_diff import (
    DRAFT,
    FINAL,
    GOALS,
    LEVERS,
    OAK_GOALS,
    changes,
    diff_json,
    district,
    goals,
    levers,
    submit,
)

CALENDARS = "schools/maple/2022-23/calendars.yaml"
OAK_SUMMER = "schools/oak-hill/2022-23/summer-plan.yaml"


def pull_request(repo: GitRepo) -> tuple[str, str]:
    """A base commit, then one commit touching two schools (what a pull request holds)."""
    submit(repo, OAK_GOALS, goals("draft", 20, school="oak-hill"), DRAFT)
    base = repo.head()
    repo.write(LEVERS, levers("draft"))
    repo.write(CALENDARS, header("calendars") + "# first day still to be voted\n")
    repo.write("schools/maple/school.yaml", "school: maple\nname: Maple Elementary\ngrades: K-6\n")
    repo.write(OAK_GOALS, goals("final", 25, school="oak-hill"))
    repo.remove(OAK_SUMMER)
    head = repo.commit("Plans for review", date=FINAL)
    return base, head


def test_revision_range_spanning_two_schools(tmp_path: Path) -> None:
    repo = district(tmp_path)
    base, head = pull_request(repo)
    payload = diff_json(repo, "--from", base, "--to", head)
    assert payload["mode"] == "revisions"
    assert payload["title"] == f"Plan changes from {base[:10]} to {head[:10]}"
    assert (payload["from"]["commit"], payload["to"]["commit"]) == (base, head)
    assert payload["to"]["time"] == "2022-05-27T15:00:00-04:00"
    docs = [
        (d["school"], d["document"], d["state"], d["submission"], d["notes"])
        for d in payload["documents"]
    ]
    assert docs == [
        (
            "maple",
            "priority-levers",
            "changed",
            "Maple Elementary submitted the Priority Levers Form draft",
            [],
        ),
        (
            "maple",
            "calendars",
            "unchanged",
            None,
            ["The file changed but its plan content did not (comments, layout or empty values)."],
        ),
        (
            "oak-hill",
            "lever-goals",
            "changed",
            "Oak Hill Middle submitted the final Priority Lever Goals Form",
            [],
        ),
        ("oak-hill", "summer-plan", "deleted", None, []),
    ]
    assert [c[:2] for c in changes(payload, 0)] == [
        ("added", "reflection"),
        ("added", "levers[L1]"),
        ("added", "levers[L2]"),
    ]
    assert changes(payload, 2) == [
        ("changed", "goals[G1].outcome.target.value", "Goal G1 › Outcome › Target › Value", 20, 25)
    ]
    assert payload["summary"] == {"documents": 4, "changes": 4}


def test_revision_to_the_working_tree_includes_new_files(tmp_path: Path) -> None:
    repo = district(tmp_path)
    base = repo.head()
    repo.write(GOALS, goals("in-progress", 40))  # not committed
    repo.write("schools/maple/2023-24/lever-goals.yaml", goals("not-started", 50))  # untracked
    payload = diff_json(repo, "--from", base)
    assert payload["to"]["label"] == "working tree"
    docs = [(d["cycle"], d["document"], d["state"], d["submission"]) for d in payload["documents"]]
    assert docs == [
        (
            "2022-23",
            "lever-goals",
            "changed",
            "Maple Elementary started the Priority Lever Goals Form",
        ),
        ("2023-24", "lever-goals", "added", None),
    ]
    # A new file's content is all new; its document/school/cycle keys are not news.
    assert [c[:2] for c in changes(payload, 1)] == [("added", "goals[G1]")]
    # Filters narrow the comparison to one school, cycle or document.
    only = diff_json(repo, "maple", "--from", base, "--cycle", "2023-24")
    assert [(d["cycle"], d["document"]) for d in only["documents"]] == [("2023-24", "lever-goals")]


def test_no_plan_changes_between_revisions(tmp_path: Path) -> None:
    repo = district(tmp_path)
    base = repo.head()
    repo.write("schools/maple/school.yaml", "school: maple\nname: Maple School\ngrades: K-6\n")
    head = repo.commit("Profile only", date=DRAFT)
    payload = diff_json(repo, "--from", base, "--to", head)
    assert payload["documents"] == []
    assert payload["notes"] == ["No plan document changed between these revisions."]
    run = sipctl("diff", "--from", base, "--to", head, "--repo", repo.path)
    assert run.code == 0
    assert "note: No plan document changed between these revisions." in run.out
    same = diff_json(repo, "--from", "HEAD", "--to", head)
    assert (same["from"]["commit"], same["to"]["commit"], same["documents"]) == (head, head, [])


def test_year_over_year(tmp_path: Path) -> None:
    repo = district(tmp_path)
    submit(repo, GOALS, goals("approved", 45), DRAFT)
    repo.write("cycles/2023-24.yaml", "cycle: 2023-24\nframework: sezp\n")
    renewed = goals("in-progress", 52).replace("cycle: 2022-23", "cycle: 2023-24")
    repo.write("schools/maple/2023-24/lever-goals.yaml", renewed)
    repo.write(
        "schools/maple/2023-24/priority-levers.yaml",
        levers("in-progress", "L2 L1").replace("cycle: 2022-23", "cycle: 2023-24"),
    )
    repo.write(LEVERS, levers("final"))
    payload = diff_json(repo, "maple", "--cycle", "2022-23..2023-24")
    assert payload["mode"] == "cycles"
    assert payload["title"] == "Maple Elementary: the 2022-23 plan against the 2023-24 plan"
    assert (payload["from"]["label"], payload["to"]["label"]) == ("2022-23", "2023-24")
    docs = [
        (d["from_cycle"], d["cycle"], d["document"], d["state"], d["submission"])
        for d in payload["documents"]
    ]
    assert docs == [
        ("2022-23", "2023-24", "priority-levers", "changed", None),
        ("2022-23", "2023-24", "lever-goals", "changed", None),
    ]
    assert changes(payload, 0) == [("reordered", "levers", "Levers", ["L1", "L2"], ["L2", "L1"])]
    assert changes(payload, 1) == [
        ("changed", "goals[G1].outcome.target.value", "Goal G1 › Outcome › Target › Value", 45, 52)
    ]
    assert payload["notes"] == [
        "Only in 2022-23: working-conditions, calendars, sps-optional-services, "
        "sezp-support-services, summer-school-launch, tlt-transition, summer-plan, "
        "strategic-action-plan, faculty-handbook, mid-year-targets, tlt-selection."
    ]
    one = diff_json(repo, "maple", "lever-goals", "--cycle", "2022-23..2023-24")
    assert [d["document"] for d in one["documents"]] == ["lever-goals"]
    assert one["notes"] == []


def test_year_over_year_needs_no_git(tmp_path: Path) -> None:
    root = write_district(
        tmp_path,
        {
            "schools/maple/2023-24/lever-goals.yaml": goals("draft", 50).replace(
                "2022-23", "2023-24"
            ),
            GOALS: goals("final", 45),
        },
    )
    run = sipctl("diff", "maple", "lever-goals", "--cycle", "2022-23..2023-24", "--repo", root)
    assert run.code == 0, run.err
    assert "  ~ Goal G1 › Outcome › Target › Value   goals[G1].outcome.target.value\n" in run.out
    assert "      45 → 50\n" in run.out
