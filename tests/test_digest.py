"""`sipctl remind --digest`: the district's week, as one message to its reviewers.

A real git district with dated commits and the installed `sipctl` as a subprocess; the
SMTP server is the real aiosmtpd one of `tests/test_remind.py`.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from tests.cli import sipctl
from tests.district import DISTRICT as NO_CONTACTS
from tests.district import header, write_district
from tests.gitrepo import GitRepo
from tests.test_remind import ENV, REPO, Inbox, _read, _serve, _text

DISTRICT = """district: Riverbend Empowerment Zone
timezone: America/New_York
framework: sezp
contacts:
  - name: "Helen Marchetti <script>alert(1)</script>"
    email: hmarchetti@riverbend.example.org
  - name: Dev Raman
    email: draman@riverbend.example.org
"""
# priority-levers due in the week (May 2 to 9), summer-plan's draft too (May 4);
# working-conditions' draft before it (April 29), so its miss is old news.
CYCLE = """cycle: 2022-23
framework: sezp
timezone: America/New_York
documents:
  priority-levers: {draft_due: "2022-05-06T16:00", final_due: "2022-05-27T16:00"}
  summer-plan: {draft_due: "2022-05-04T16:00", final_due: "2022-05-27T16:00"}
  working-conditions: {draft_due: "2022-04-29T16:00"}
"""
MAPLE = """school: maple
name: Maple <b>Street</b> School
grades: K-5
principal:
  name: Angela Whitcomb
  email: awhitcomb@riverbend.example.org
"""
OAK = """school: oak
name: Oak Hill School
grades: 6-8
principal:
  name: Marcus Whitfield
  email: mwhitfield@riverbend.example.org
"""
SUBJECT = "Riverbend Empowerment Zone: plan status, week of May 2, 2022"
WEEK = """\
What changed from Monday, May 2, 2022 at 11:59 PM EDT to Monday, May 9, 2022 at 11:59 PM EDT:

Submissions:
* Maple <b>Street</b> School: Priority Levers Form, draft, Friday, May 6, 2022 at 3:30 PM EDT, on time
* Oak Hill School: Priority Levers Form, draft, Friday, May 6, 2022 at 5:15 PM EDT, late by 1 hour 15 minutes
* Maple <b>Street</b> School: Summer Plan, draft, Saturday, May 7, 2022 at 10:00 AM EDT, late by 2 days 18 hours

New misses:
* Oak Hill School: Summer Plan, draft was due Wednesday, May 4, 2022 at 4:00 PM EDT
"""  # noqa: E501
SUMMARY = f"""\
weekly digest for Riverbend Empowerment Zone, cycle 2022-23, on 2022-05-09
subject: {SUBJECT}
to: hmarchetti@riverbend.example.org, draman@riverbend.example.org
3 submission(s) and 1 new miss(es) this week
"""


def _doc(doc: str, school: str, status: str) -> tuple[str, str]:
    return f"schools/{school}/2022-23/{doc}.yaml", header(doc, school, status=status)


@pytest.fixture
def district(tmp_path: Path) -> Path:
    root = write_district(
        tmp_path / "district",
        {
            "sipctl.yaml": DISTRICT,
            "cycles/2022-23.yaml": CYCLE,
            "schools/maple/school.yaml": MAPLE,
            "schools/oak/school.yaml": OAK,
        },
        schools=("maple", "oak"),
    )
    git = GitRepo.init(root)
    git.commit("the 2022-23 cycle", date="2022-03-01T09:00:00-05:00")
    dated = [
        # before the week: on time, but not this week's news
        ("oak", "working-conditions", "draft", "2022-04-20T10:00:00-04:00"),
        ("maple", "priority-levers", "draft", "2022-05-06T15:30:00-04:00"),
        ("oak", "priority-levers", "draft", "2022-05-06T17:15:00-04:00"),
        ("maple", "summer-plan", "draft", "2022-05-07T10:00:00-04:00"),
        # after --as-of: next week's news, and oak's summer plan is still missed on the 9th
        ("oak", "summer-plan", "draft", "2022-05-10T09:00:00-04:00"),
    ]
    for school, doc, status, date in dated:
        git.write(*_doc(doc, school, status))
        git.commit(f"{school}: {doc} {status}", date=date)
    return root


def _digest(district: Path, *args: str | Path, env: dict[str, str] | None = None) -> Any:
    return sipctl(
        "remind", "--digest", "--repo", district, "--as-of", "2022-05-09", *args, env=env or ENV
    )


def test_the_week_in_one_message_to_the_contacts(district: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = _digest(district, "--out", out)
    assert (run.code, run.err) == (0, ""), run.err
    assert run.out == SUMMARY + (f"wrote 1 message(s) into {out}/, sent nothing (add --send)\n")
    assert sorted(p.name for p in out.iterdir()) == ["digest.eml"]
    message = _read(out / "digest.eml")
    assert message["Subject"] == SUBJECT
    assert message["From"] == "Riverbend plans <plans@riverbend.example.org>"
    assert [a.addr_spec for a in message["To"].addresses] == [
        "hmarchetti@riverbend.example.org",
        "draman@riverbend.example.org",
    ]
    assert message["Cc"] is None
    assert message["Message-ID"].endswith("@riverbend-empowerment-zone.sipctl>")
    text = _text(message, "plain")
    assert WEEK in text
    # the grid, in the words of `sipctl status`
    assert "Maple <b>Street</b> School (0/13 final submitted):\n" in text
    assert "  Priority Levers Form: draft, on time\n" in text
    assert "  Educator Working Conditions: not started, missed\n" in text
    assert "  Summer Plan: draft, late (draft)\n" in text
    html = _text(message, "html")
    assert '<th scope="col">Maple &lt;b&gt;Street&lt;/b&gt; School</th>' in html
    assert "<b>Street" not in html and "<script>" not in html
    assert (
        "<li><strong>Oak Hill School</strong>: Summer Plan, draft was due Wednesday, May 4, "
        "2022 at 4:00 PM EDT</li>"
    ) in html
    row = "<td>Priority Levers Form</td><td>draft, on time</td><td>draft, late (draft)</td>"
    assert row in html
    # the same week's run writes the same bytes
    again = tmp_path / "again"
    _digest(district, "--out", again)
    assert (again / "digest.eml").read_bytes() == (out / "digest.eml").read_bytes()


def test_a_quiet_week_says_so(district: Path, tmp_path: Path) -> None:
    run = sipctl(
        "remind", "--digest", "--repo", district, "--as-of", "2022-04-10",
        "--out", tmp_path / "out", env=ENV,
    )  # fmt: skip
    assert run.code == 0, run.err
    assert "0 submission(s) and 0 new miss(es) this week\n" in run.out
    text = _text(_read(tmp_path / "out" / "digest.eml"), "plain")
    assert "Submissions:\n* none this week\n\nNew misses:\n* none this week\n" in text


def test_without_contacts_nothing_is_written(district: Path, tmp_path: Path) -> None:
    git = GitRepo(district)
    git.write("sipctl.yaml", NO_CONTACTS)
    git.commit("no reviewers yet", date="2022-05-08T09:00:00-04:00")
    run = _digest(district, "--out", tmp_path / "out")
    assert (run.code, run.err) == (0, "")
    assert run.out == (
        "weekly digest for Riverbend Empowerment Zone, cycle 2022-23, on 2022-05-09\n"
        "no digest: sipctl.yaml lists no contacts to send it to (add the district's reviewers "
        "under `contacts`)\n"
    )
    assert not (tmp_path / "out").exists()


def test_delivered_once_a_week(district: Path, tmp_path: Path) -> None:
    record = tmp_path / "sent.json"
    for inbox, env in _serve(Inbox()):
        run = _digest(district, "--send", "--sent-record", record, env=env)
        assert (run.code, run.err) == (0, ""), run.err
        port = env["SIPCTL_SMTP_PORT"]
        assert run.out == SUMMARY + (
            f"sent 1 message(s) through 127.0.0.1:{port}; 0 already sent before (recorded in "
            f"{record})\n"
        )
        ((sender, rcpts, message),) = inbox.received
        assert (sender, rcpts, message["Subject"]) == (
            "plans@riverbend.example.org",
            ["hmarchetti@riverbend.example.org", "draman@riverbend.example.org"],
            SUBJECT,
        )
        assert WEEK in _text(message, "plain")
        assert json.loads(record.read_text())["delivered"].keys() == {
            str(message["Message-ID"]).strip()
        }
        # later the same Monday: the same week, so nothing goes out twice
        later = sipctl(
            "remind", "--digest", "--repo", district, "--as-of", "2022-05-09T08:00",
            "--send", "--sent-record", record, env=env,
        )  # fmt: skip
        assert later.code == 0, later.err
        assert later.out.endswith(
            f"sent 0 message(s) through 127.0.0.1:{port}; 1 already sent before (recorded in "
            f"{record})\n"
        )
        assert len(inbox.received) == 1
        # a reminder of the same day is another message: the digest's id is its own
        remind = sipctl(
            "remind", "--repo", district, "--as-of", "2022-05-09", "--send",
            "--sent-record", record, env=env,
        )  # fmt: skip
        assert remind.code == 0, remind.err
        assert all(m["Subject"] != SUBJECT for _, _, m in inbox.received[1:])


def test_the_demo_digest_is_the_one_in_the_docs(tmp_path: Path) -> None:
    demo = tmp_path / "demo"
    subprocess.run([sys.executable, str(REPO / "scripts/build_demo.py"), str(demo)],
                   check=True, capture_output=True)  # fmt: skip
    run = sipctl("remind", "--digest", "--repo", demo, "--as-of", "2022-05-09", cwd=tmp_path)
    assert (run.code, run.err) == (0, "")
    doc = (REPO / "docs/reminders.md").read_text("utf-8")
    section = doc.split("## The weekly digest", 1)[1]
    printed, text = re.findall(r"```text\n(.*?)```", section, flags=re.S)[:2]
    assert run.out == printed
    message = _read(tmp_path / "reminders" / "digest.eml")
    assert message["Subject"] == "Riverbend Empowerment Zone: plan status, week of May 2, 2022"
    assert _text(message, "plain").startswith(text)
