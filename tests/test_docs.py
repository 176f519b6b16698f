"""The docs are part of the product: every command is documented and teaches by example."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cli import sipctl

REPO = Path(__file__).resolve().parents[1]
COMMANDS = [
    "init", "check", "status", "log", "diff", "render", "remind", "schema", "fmt", "editor", "edit"
]  # fmt: skip


def readme() -> str:
    return (REPO / "README.md").read_text(encoding="utf-8")


def test_help_lists_every_command() -> None:
    run = sipctl("--help")
    assert run.code == 0
    for command in COMMANDS:
        assert re.search(rf"│ {command}\s", run.out), command


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command: str) -> None:
    run = sipctl(command, "--help")
    assert run.code == 0
    assert "Example: sipctl " + command in run.out


def _option_rows(help_text: str) -> dict[str, str]:
    """Each option's row of the --help panel: `--repo` -> what stands between the option's
    names and its help (its metavar, or nothing for a flag). The help column starts where
    --help's own help does."""
    lines = help_text.splitlines()
    column = next(line.index("Show this message") for line in lines if "Show this message" in line)
    rows = {}
    for line in lines:
        found = re.match(r"│ +(?:\* +)?(--[\w-]+)", line)
        if found:
            rows[found[1]] = re.sub(r"^-\w\b", "", line[found.end() : column].strip()).strip()
    return rows


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_shows_a_value_only_where_one_is_typed(command: str) -> None:
    run = sipctl(*filter(None, [command]), "--help")
    assert run.code == 0
    # typer's own labels read as types, not as what to type; a flag takes no value at all
    for label in ("<bool>", "<str>", "<dir>", "<path>", "<int", "list[", "{"):
        assert label not in run.out, (command, label)
    rows = _option_rows(run.out)
    assert rows["--help"] == ""
    flags = {
        "": ["--version", "--no-history-cache"],
        "check": ["--strict", "--no-deadlines", "--exit-zero"],
    }
    for flag in flags.get(command, []):
        assert rows[flag] == "", (command, flag)


def test_every_option_names_what_to_type() -> None:
    assert _option_rows(sipctl("check", "--help").out) == {
        "--repo": "DIR",
        "--school": "SCHOOL",
        "--format": "<text|json|github|junit|sarif>",
        "--strict": "",
        "--as-of": "DATE",
        "--changed-since": "REV",
        "--jobs": "N [x>=1]",
        "--no-deadlines": "",
        "--exit-zero": "",
        "--help": "",
    }
    init = sipctl("init", "--help").out
    assert "Usage: sipctl init [OPTIONS] SCHOOL " in init
    assert _option_rows(init)["--reviewer"] == "@WHO"
    assert "Usage: sipctl log [OPTIONS] SCHOOL [DOC] " in sipctl("log", "--help").out


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme_reference(command: str) -> None:
    reference = readme().split("## Command reference", 1)[1]
    assert f"sipctl {command}" in reference


def test_readme_starts_with_the_two_setup_commands() -> None:
    blocks = re.findall(r"```sh\n(.*?)\n```", readme(), flags=re.S)
    assert "scripts/build_demo.py" in blocks[0] and "sipctl check" in blocks[0]
    assert "pytest" in blocks[1]


def test_ci_runs_exactly_the_readme_test_command() -> None:
    test_command = re.findall(r"```sh\n(.*?)\n```", readme(), flags=re.S)[1]
    ci = (REPO / ".ci/run").read_text(encoding="utf-8").splitlines()
    assert ci[-1] == test_command


def test_readme_quick_start_works_as_written(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    quick = readme().split("## Quick start", 1)[1]
    block = re.search(r"```sh\n(.*?)\n```", quick, flags=re.S)
    assert block is not None
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Ada",
        "GIT_AUTHOR_EMAIL": "ada@example.org",
        "GIT_COMMITTER_NAME": "Ada",
        "GIT_COMMITTER_EMAIL": "ada@example.org",
        "NO_COLOR": "1",
    }
    env.pop("GITHUB_ACTIONS", None)
    for line in block.group(1).splitlines():
        proc = subprocess.run(
            line, shell=True, cwd=tmp_path, env=env, capture_output=True, text=True
        )
        assert proc.returncode == 0, (line, proc.stdout, proc.stderr)
    assert "OK: 0 error(s), 0 warning(s)" in proc.stdout
    assert len(list((tmp_path / "schools/oak-hill/2022-23").glob("*.yaml"))) == 13
