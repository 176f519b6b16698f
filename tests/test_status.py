"""`sipctl status`: the district matrix from a scripted git history, in text, JSON and Markdown."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli import sipctl
from district import header, write_district
from gitrepo import GitRepo
from test_markdown import HOSTILE, Page, assert_inert, cmark, needs_cmark

REPO = Path(__file__).resolve().parents[1]
CYCLE = """cycle: 2022-23
framework: sezp
timezone: America/New_York
documents:
  priority-levers: {draft_due: "2022-05-06T16:00", final_due: "2022-05-27T16:00"}
  working-conditions: {draft_due: "2022-05-06T16:00", final_due: "2022-05-27T16:00"}
  sps-optional-services: {final_due: 2022-03-01}
milestones:
  board-approval: 2022-06-07
"""


def doc(school: str, doc_id: str) -> str:
    return f"schools/{school}/2022-23/{doc_id}.yaml"


def submit(repo: GitRepo, school: str, doc_id: str, status: str, date: str) -> None:
    repo.write(doc(school, doc_id), header(doc_id, school, status=status))
    repo.commit(f"{school}: {doc_id} {status}", date=date)


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> GitRepo:
    """Alder is diligent but once late; Beech is late, then silent."""
    root = tmp_path_factory.mktemp("status") / "district"
    write_district(root, {"cycles/2022-23.yaml": CYCLE}, schools=("alder", "beech"))
    repo = GitRepo.init(root)
    repo.commit("Start planning", date="2022-02-01T09:00:00-05:00")
    submit(repo, "alder", "sps-optional-services", "final", "2022-02-28T10:00:00-05:00")
    submit(repo, "alder", "priority-levers", "draft", "2022-05-06T15:59:00-04:00")  # on time
    submit(repo, "beech", "priority-levers", "draft", "2022-05-06T16:45:00-04:00")  # late
    submit(repo, "alder", "working-conditions", "final", "2022-05-05T12:00:00-04:00")
    submit(repo, "alder", "priority-levers", "final", "2022-05-27T17:00:00-04:00")  # late
    return repo


def cells(payload: dict, school: str) -> dict[str, tuple]:
    row = next(r for r in payload["schools"] if r["school"] == school)
    return {
        c["document"]: (
            c["status"],
            c["state"],
            {stage: (d["state"], d["submitted"]) for stage, d in c["deadlines"].items()},
        )
        for c in row["cells"]
        if c["document"] in ("priority-levers", "working-conditions", "sps-optional-services")
    }


def test_json_matrix_has_the_exact_cells(district: GitRepo) -> None:
    run = sipctl("status", "--repo", district.path, "--as-of", "2022-06-01", "--format", "json")
    assert run.code == 0, run.err
    payload = run.json()
    assert (payload["version"], payload["cycle"], payload["deadlines_judged"]) == (
        1,
        "2022-23",
        True,
    )
    assert payload["as_of"] == "2022-06-01T23:59:59-04:00"
    assert [d["id"] for d in payload["documents"]][:3] == [
        "priority-levers",
        "working-conditions",
        "calendars",
    ]
    assert cells(payload, "alder") == {
        "priority-levers": (
            "final",
            "late",
            {
                "draft": ("on-time", "2022-05-06T15:59:00-04:00"),
                "final": ("late", "2022-05-27T17:00:00-04:00"),
            },
        ),
        "working-conditions": (
            "final",
            "on-time",
            {
                "draft": ("on-time", "2022-05-05T12:00:00-04:00"),
                "final": ("on-time", "2022-05-05T12:00:00-04:00"),
            },
        ),
        "sps-optional-services": (
            "final",
            "on-time",
            {"final": ("on-time", "2022-02-28T10:00:00-05:00")},
        ),
    }
    assert cells(payload, "beech") == {
        "priority-levers": (
            "draft",
            "missed",
            {
                "draft": ("late", "2022-05-06T16:45:00-04:00"),
                "final": ("missed", None),
            },
        ),
        "working-conditions": (
            "not-started",
            "missed",
            {"draft": ("missed", None), "final": ("missed", None)},
        ),
        "sps-optional-services": ("not-started", "missed", {"final": ("missed", None)}),
    }
    assert payload["totals"] == {
        "missed": 4,
        "due-soon": 0,
        "late": 2,
        "on-time": 4,
        "reached": 0,
        "pending": 0,
    }


def test_status_is_as_committed_at_the_moment_asked(district: GitRepo) -> None:
    run = sipctl("status", "--repo", district.path, "--as-of", "2022-05-24", "--format", "json")
    payload = run.json()
    alder, beech = cells(payload, "alder"), cells(payload, "beech")
    # Alder's final came on May 27: on May 24 the document was still a draft, final due soon.
    assert alder["priority-levers"][:2] == ("draft", "due-soon")
    assert beech["priority-levers"][2]["final"] == ("due-soon", None)


def test_text_matrix_shows_each_cell_and_the_totals(district: GitRepo) -> None:
    run = sipctl("status", "--repo", district.path, "--as-of", "2022-06-01")
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert lines[0] == (
        "Plan status: Riverbend Empowerment Zone, cycle 2022-23, as of 2022-06-01 23:59 -04:00"
    )
    levers = next(line for line in lines if "Priority Levers Form" in line)
    assert "final late (final)" in levers.replace("  ", " ")
    assert "draft missed (final), late (draft)" in " ".join(levers.split())
    assert lines[-1] == "Deadlines: 4 missed, 2 late, 4 on time."
    assert any(line.split()[:2] == ["Final", "submitted"] for line in lines)


def test_markdown_digest_lists_what_needs_attention(district: GitRepo) -> None:
    run = sipctl("status", "--repo", district.path, "--as-of", "2022-06-01", "--format", "markdown")
    assert run.code == 0, run.err
    md = run.out
    assert md.startswith("## Plan status: Riverbend Empowerment Zone, cycle 2022-23")
    assert "| Phase | Document | Alder School | Beech School | Final submitted |" in md
    # On time is no news next to a late final; both of Beech's deadlines went wrong.
    assert (
        "| I | Priority Levers Form | final ⚠️ late (final) "
        "| draft ❌ missed (final), late (draft) |" in md
    )
    assert (
        "- ❌ **Beech School**: Optional Services Decisions: SPS, final missed "
        "(due 2022-03-01 23:59 -05:00)" in md
    )
    assert "### Needs attention" in md


def test_unknown_cycle_is_a_usage_error(district: GitRepo) -> None:
    run = sipctl("status", "--repo", district.path, "--cycle", "2031-32")
    assert run.code == 2
    assert "no cycle '2031-32'" in run.err and "2022-23" in run.err
    assert "Traceback" not in run.err


def test_without_history_states_come_from_current_status() -> None:
    run = sipctl(
        "status",
        "--repo",
        REPO / "examples" / "sezp-district",
        "--as-of",
        "2022-06-01",
        "--format",
        "json",
    )
    assert run.code == 0, run.err
    payload = run.json()
    assert "judged from current status only" in payload["notes"][0]
    oak = next(r for r in payload["schools"] if r["school"] == "oak-hill")
    levers = next(c for c in oak["cells"] if c["document"] == "priority-levers")
    assert (levers["status"], levers["state"]) == ("approved", "reached")
    birch = next(r for r in payload["schools"] if r["school"] == "birch")
    levers = next(c for c in birch["cells"] if c["document"] == "priority-levers")
    assert (levers["status"], levers["state"]) == ("in-progress", "missed")


def test_shallow_clone_judges_no_deadline(district: GitRepo, tmp_path: Path) -> None:
    clone = GitRepo.clone(district, tmp_path / "clone", "--depth", "1")
    run = sipctl("status", "--repo", clone.path, "--as-of", "2022-06-01", "--format", "json")
    assert run.code == 0, run.err
    payload = run.json()
    assert payload["deadlines_judged"] is False
    assert "fetch-depth: 0" in payload["notes"][0]
    assert all(not c["deadlines"] for r in payload["schools"] for c in r["cells"])


@needs_cmark
def test_markdown_digest_shows_markup_in_school_names_as_text(tmp_path: Path) -> None:
    """School names in the matrix's header cells and the "Needs attention" list: GitHub's
    renderer, raw HTML let through, makes no element of them and shows them as typed."""
    names = {"alder": HOSTILE[0], "beech": HOSTILE[1], "cedar": HOSTILE[2]}
    profiles = {
        f"schools/{slug}/school.yaml": f"school: {slug}\nname: '{name}'\ngrades: K-5\n"
        for slug, name in names.items()
    }
    root = tmp_path / "district"
    write_district(root, {"cycles/2022-23.yaml": CYCLE, **profiles}, schools=tuple(names))
    repo = GitRepo.init(root)
    repo.commit("Start planning", date="2022-02-01T09:00:00-05:00")
    submit(repo, "alder", "priority-levers", "draft", "2022-05-06T16:45:00-04:00")  # late
    args = ("--as-of", "2022-06-01", "--format", "markdown")
    run = sipctl("status", "--repo", repo.path, *args)
    assert run.code == 0, run.err
    assert_inert(run.out)
    page = Page(cmark(run.out))
    assert page.texts["th"][2:5] == list(HOSTILE)  # one header cell each, as typed
    assert any(text.startswith(f"❌ {HOSTILE[2]}: ") for text in page.texts["li"])
