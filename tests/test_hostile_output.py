"""What sipctl prints goes into terminals, GitHub logs and pull-request comments.

In a GitHub Actions log every line that starts with `::` is a workflow command
(an annotation, a masked value, a group); in a terminal an escape sequence can
rewrite the screen; in a pull-request comment `@team` notifies people. Plan text,
keys and file names come from whoever opened the pull request, so none of them may
start a line of their own or carry an escape sequence. Escapes are refused by the
loader (test_hostile_yaml) and by history (test_hostile_git); these tests cover
keys and file names.
"""

from __future__ import annotations

from pathlib import Path

from district import header
from gitrepo import GitRepo
from test_hostile_yaml import LEVERS, check, plant, run

FORGED = "::error file=README.md::forged"


def forged_commands(stdout: str) -> list[str]:
    """Lines GitHub would run as the forged annotation on README.md: every line that
    starts with the command, except between `::stop-commands::TOKEN` and `::TOKEN::`."""
    live, stopped_by = [], None
    for line in stdout.splitlines():
        if stopped_by is not None:
            stopped_by = None if line == f"::{stopped_by}::" else stopped_by
        elif line.startswith("::stop-commands::"):
            stopped_by = line.removeprefix("::stop-commands::")
        elif line.startswith("::error file=README.md"):
            live.append(line)
    return live


def test_a_key_with_a_line_break_is_shown_quoted_and_forges_no_command(tmp_path: Path) -> None:
    # Was: the key printed as is, so the full report in the GitHub log held a line
    # `::error file=README.md::forged`, which GitHub runs as a workflow command.
    text = header("priority-levers") + f'"x\\n{FORGED}": 1\n'
    root = plant(tmp_path, {LEVERS: text})
    result = check(root)
    assert result.code == 1
    key = result.only_error_in(LEVERS)
    assert key["message"] == f'"x\\n{FORGED}": is not a field here'
    result.assert_others_checked()
    github = run("check", "--repo", root, env={"GITHUB_ACTIONS": "true"})
    assert github.returncode == 1
    assert github.stdout.startswith("::error file=")  # GITHUB_ACTIONS picks the format
    assert forged_commands(github.stdout) == []


def test_an_id_with_a_line_break_is_shown_quoted(tmp_path: Path) -> None:
    body = f'levers:\n  - id: "L1\\n{FORGED}"\n'
    result = check(plant(tmp_path, {LEVERS: header("priority-levers") + body}))
    assert result.code == 1
    bad = result.only_error_in(LEVERS)
    assert bad["path"] == f'levers["L1\\n{FORGED}"].id'
    result.assert_others_checked()


def test_a_file_name_with_a_line_break_forges_no_command(tmp_path: Path) -> None:
    root = plant(tmp_path, {f"schools/maple/2022-23/x\n{FORGED}\n.yaml": "a: 1\n"})
    github = run("check", "--repo", root, env={"GITHUB_ACTIONS": "true"})
    assert github.returncode == 1
    assert forged_commands(github.stdout) == []


def test_plan_text_in_a_pull_request_comment_notifies_nobody(tmp_path: Path) -> None:
    repo = GitRepo.init(tmp_path / "district")
    plant(repo.path, {})
    repo.commit("Start planning", date="2022-04-01T10:00:00-04:00")
    repo.write(LEVERS, header("priority-levers") + "reflection: ask @riverbend/everyone\n")
    proc = run("diff", "--from", "HEAD", "--format", "markdown", "--repo", repo.path)
    assert proc.returncode == 0
    assert "@riverbend" not in proc.stdout


def test_a_school_name_in_the_weekly_digest_notifies_nobody(tmp_path: Path) -> None:
    # Was: the digest escaped Markdown but not mentions, so a school named after a team
    # paged that team from the issue or discussion the digest is posted to.
    profile = "school: maple\nname: Maple for @riverbend/everyone\ngrades: K-5\n"
    root = plant(tmp_path, {"schools/maple/school.yaml": profile})
    proc = run("status", "--repo", root, "--as-of", "2022-06-01", "--format", "markdown")
    assert proc.returncode == 0, proc.stderr
    assert "Maple for @\u200briverbend/everyone" in proc.stdout
    assert "@riverbend" not in proc.stdout
