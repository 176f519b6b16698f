"""`sipctl remind`: the reminders due on a day, written as .eml or delivered over SMTP.

The SMTP servers are real (aiosmtpd on 127.0.0.1, one plain, one with STARTTLS and a
login over a self-signed certificate made here with the openssl CLI), and `sipctl` runs
as a subprocess: nothing of smtplib is mocked.
"""

from __future__ import annotations

import email
import json
import socket
import ssl
import subprocess
import sys
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import icalendar
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from tests.cli import sipctl
from tests.district import header, write_district
from tests.gitrepo import GitRepo

REPO = Path(__file__).resolve().parents[1]

DISTRICT = """district: Riverbend Empowerment Zone
timezone: America/New_York
framework: sezp
site: https://plans.riverbend.example.org/
contacts:
  - name: "Helen Marchetti <script>alert(1)</script>\\nBcc: spy@evil.example.org"
    email: hmarchetti@riverbend.example.org
"""
CYCLE = """cycle: 2022-23
framework: sezp
timezone: America/New_York
documents:
  priority-levers: {draft_due: "2022-05-06T16:00", final_due: "2022-05-27T16:00"}
  summer-plan: {draft_due: "2022-05-12T16:00", final_due: "2022-05-27T16:00"}
"""
MAPLE = """school: maple
name: Maple <b>Street</b> School
grades: K-5
principal:
  name: Angela Whitcomb
  email: awhitcomb@riverbend.example.org
tlt:
  - id: T1
    name: "Rosa Delgado\\nBcc: spy@evil.example.org"
    role: Grade 3 teacher
    email: rdelgado@riverbend.example.org
  - id: T2
    name: Brian Kessler
    role: Grade 5 teacher
    email: bkessler@riverbend.example.org
"""
OAK = "school: oak\nname: Oak Hill School\ngrades: 6-8\nprincipal:\n  name: Marcus Whitfield\n"
LEVERS = header("priority-levers", status="in-progress") + (
    "levers:\n  - id: L1\n    lever: Data-driven instruction\n    evidence: null\n"
)
ENV = {"SIPCTL_SMTP_FROM": "Riverbend plans <plans@riverbend.example.org>"}


@pytest.fixture
def district(tmp_path: Path) -> Path:
    root = write_district(
        tmp_path / "district",
        {
            "sipctl.yaml": DISTRICT,
            "cycles/2022-23.yaml": CYCLE,
            "schools/maple/school.yaml": MAPLE,
            "schools/maple/2022-23/priority-levers.yaml": LEVERS,
            "schools/oak/school.yaml": OAK,
        },
        schools=("maple", "oak"),
    )
    GitRepo.init(root).commit("the 2022-23 cycle", date="2022-03-01T09:00:00-05:00")
    return root


def _read(path: Path) -> EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def _text(message: EmailMessage, kind: str) -> str:
    body = message.get_body((kind,))
    assert body is not None
    return str(body.get_content()).replace("\r\n", "\n")  # SMTP's line ends


def _calendar(message: EmailMessage) -> Any:
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_filename() == "maple.ics"
    return icalendar.Calendar.from_ical(attachment.get_content())


OUTPUT = """\
2 reminder(s) for Riverbend Empowerment Zone, cycle 2022-23, on 2022-05-05
school   to                                cc                                 subject
───────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
maple    awhitcomb@riverbend.example.org   hmarchetti@riverbend.example.org   Maple <b>Street</b> School: 1 plan document due in 7 days
maple    rdelgado@riverbend.example.org    hmarchetti@riverbend.example.org   Maple <b>Street</b> School: 1 plan document due tomorrow
         bkessler@riverbend.example.org
         awhitcomb@riverbend.example.org
could not reach oak (Oak Hill School): no email address for the principal (Summer Plan); fill them in, in schools/oak/school.yaml (`sipctl check` names who lacks one)
could not reach oak (Oak Hill School): no email address for the TLT or the principal (Priority Levers Form); fill them in, in schools/oak/school.yaml (`sipctl check` names who lacks one)
"""  # noqa: E501
TLT_TEXT = """\
Dear Maple <b>Street</b> School Teacher Leadership Team,

As of Thursday, May 5, 2022, these 2022-23 plan documents of Maple <b>Street</b> School need your attention:

* Priority Levers Form (Phase I): draft due tomorrow
  Due: Friday, May 6, 2022 at 4:00 PM EDT
  Status now: in progress. Owner: TLT.
  Still to fill in: levers[L1].evidence
  The plan: https://plans.riverbend.example.org/2022-23/maple.html#priority-levers
  Edit it: https://plans.riverbend.example.org/admin/#/collections/priority-levers/entries/maple/2022-23/priority-levers

To submit, set the form's Status to Draft (in the file: `status: draft`) and have the change merged by the deadline.

The attached calendar (maple.ics) holds every 2022-23 deadline of Maple <b>Street</b> School; open it to add them to your calendar.

--
Sent by sipctl for Riverbend Empowerment Zone, with a copy to Helen Marchetti <script>alert(1)</script> Bcc: spy@evil.example.org.
"""  # noqa: E501


def _remind(district: Path, *args: str | Path, env: dict[str, str] | None = None) -> Any:
    return sipctl("remind", "--repo", district, "--as-of", "2022-05-05", *args, env=env or ENV)


def test_writes_one_message_per_school_and_group(district: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = _remind(district, "--out", out)
    assert (run.code, run.err) == (0, "")
    assert run.out == OUTPUT + f"wrote 2 message(s) into {out}/, sent nothing (add --send)\n"
    assert sorted(p.name for p in out.iterdir()) == ["maple-principal.eml", "maple-tlt.eml"]
    tlt = _read(out / "maple-tlt.eml")
    assert tlt["Subject"] == "Maple <b>Street</b> School: 1 plan document due tomorrow"
    assert tlt["From"] == "Riverbend plans <plans@riverbend.example.org>"
    assert [a.addr_spec for a in tlt["To"].addresses] == [
        "rdelgado@riverbend.example.org",
        "bkessler@riverbend.example.org",
        "awhitcomb@riverbend.example.org",
    ]
    assert [a.addr_spec for a in tlt["Cc"].addresses] == ["hmarchetti@riverbend.example.org"]
    # a line break in a name never becomes a header of its own
    assert tlt["Bcc"] is None and "\nBcc" not in (out / "maple-tlt.eml").read_text()
    assert tlt["To"].addresses[0].display_name == "Rosa Delgado Bcc: spy@evil.example.org"
    assert tlt["Date"] == "Thu, 05 May 2022 23:59:59 -0400"
    assert tlt["Message-ID"].startswith("<") and tlt["Message-ID"].endswith(
        "@riverbend-empowerment-zone.sipctl>"
    )
    assert _text(tlt, "plain") == TLT_TEXT
    html = _text(tlt, "html")
    assert "Maple &lt;b&gt;Street&lt;/b&gt; School" in html and "<b>Street" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert "<li><code>levers[L1].evidence</code></li>" in html
    calendar = _calendar(tlt)
    assert str(calendar["X-WR-CALNAME"]) == "Maple <b>Street</b> School: 2022-23 plan deadlines"
    events = sorted(
        (str(e["UID"]).split("@")[0], e.decoded("DTSTART").isoformat())
        for e in calendar.walk("VEVENT")
    )
    assert events == [
        ("2022-23.maple.priority-levers.draft", "2022-05-06T16:00:00-04:00"),
        ("2022-23.maple.priority-levers.final", "2022-05-27T16:00:00-04:00"),
        ("2022-23.maple.summer-plan.draft", "2022-05-12T16:00:00-04:00"),
        ("2022-23.maple.summer-plan.final", "2022-05-27T16:00:00-04:00"),
    ]
    principal = _read(out / "maple-principal.eml")
    assert principal["Subject"] == "Maple <b>Street</b> School: 1 plan document due in 7 days"
    assert str(principal["To"]) == "Angela Whitcomb <awhitcomb@riverbend.example.org>"
    assert "Dear Angela Whitcomb,\n" in _text(principal, "plain")
    assert "* Summer Plan (Phase II): draft due in 7 days\n" in _text(principal, "plain")
    # the same day's run writes the same bytes
    again = tmp_path / "again"
    _remind(district, "--out", again)
    for name in ("maple-principal.eml", "maple-tlt.eml"):
        assert (again / name).read_bytes() == (out / name).read_bytes()


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2022-04-28T09:00", []),  # 8 days before: nothing
        ("2022-04-29T09:00", ["maple-tlt: priority-levers draft due in 7 days"]),
        ("2022-05-06T08:00", []),  # the day itself: check and status say so
        ("2022-05-07T08:00", ["maple-tlt: priority-levers draft missed"]),
        ("2022-05-08T08:00", []),  # a missed deadline is reminded once
        ("2022-05-26", ["maple-principal: summer-plan final due tomorrow",
                        "maple-tlt: priority-levers final due tomorrow"]),
    ],
)  # fmt: skip
def test_which_days_remind(district: Path, tmp_path: Path, as_of: str, expected: list) -> None:
    out = tmp_path / "out"
    run = sipctl("remind", "--repo", district, "--as-of", as_of, "--out", out, env=ENV)
    assert run.code == 0, run.err
    found = []
    for path in sorted(out.glob("*.eml")) if out.exists() else []:
        text = _text(_read(path), "plain")
        for line in text.splitlines():
            if line.startswith("* "):
                title, what = line[2:].split(": ", 1)
                doc = {"Priority Levers Form (Phase I)": "priority-levers",
                       "Summer Plan (Phase II)": "summer-plan"}[title]  # fmt: skip
                found.append(f"{path.stem}: {doc} {what}")
    assert found == expected


def test_a_submitted_document_is_not_reminded(district: Path, tmp_path: Path) -> None:
    git = GitRepo(district)
    git.write("schools/maple/2022-23/priority-levers.yaml", LEVERS.replace("in-progress", "draft"))
    git.commit("maple: the levers draft", date="2022-05-05T10:00:00-04:00")
    run = _remind(district, "--out", tmp_path / "out")
    assert run.out.splitlines()[0].startswith("1 reminder(s)")
    assert "due tomorrow" not in run.out


# A real SMTP server ------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Inbox:
    """An aiosmtpd handler keeping what it received; it refuses the addresses in `reject`."""

    def __init__(self, reject: tuple[str, ...] = ()) -> None:
        self.reject = set(reject)
        self.received: list[tuple[str, list[str], EmailMessage]] = []

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: Any) -> str:  # fmt: skip
        if address in self.reject:
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


@pytest.fixture
def server() -> Iterator[tuple[Inbox, dict[str, str]]]:
    yield from _serve(Inbox())


def _serve(inbox: Inbox, **kwargs: Any) -> Iterator[tuple[Inbox, dict[str, str]]]:
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    try:
        env = {**ENV, "SIPCTL_SMTP_HOST": "127.0.0.1", "SIPCTL_SMTP_PORT": str(port),
               "SIPCTL_SMTP_SECURITY": "none"}  # fmt: skip
        yield inbox, env
    finally:
        controller.stop()


def test_send_delivers_each_message_once(
    district: Path, tmp_path: Path, server: tuple[Inbox, dict[str, str]]
) -> None:
    inbox, env = server
    record = tmp_path / "sent.json"
    run = _remind(district, "--send", "--sent-record", record, env=env)
    assert (run.code, run.err) == (0, "")
    port = env["SIPCTL_SMTP_PORT"]
    assert run.out == OUTPUT + (
        f"sent 2 message(s) through 127.0.0.1:{port}; 0 already sent before (recorded in "
        f"{record})\n"
    )
    assert [(sender, rcpts, m["Subject"]) for sender, rcpts, m in inbox.received] == [
        ("plans@riverbend.example.org",
         ["awhitcomb@riverbend.example.org", "hmarchetti@riverbend.example.org"],
         "Maple <b>Street</b> School: 1 plan document due in 7 days"),
        ("plans@riverbend.example.org",
         ["rdelgado@riverbend.example.org", "bkessler@riverbend.example.org",
          "awhitcomb@riverbend.example.org", "hmarchetti@riverbend.example.org"],
         "Maple <b>Street</b> School: 1 plan document due tomorrow"),
    ]  # fmt: skip
    delivered = inbox.received[1][2]
    assert delivered["Bcc"] is None  # the envelope, not a header, carries the recipients
    assert _text(delivered, "plain") == TLT_TEXT
    assert "&lt;script&gt;" in _text(delivered, "html")
    assert len(list(_calendar(delivered).walk("VEVENT"))) == 4
    assert not (tmp_path / "reminders").exists()  # --send writes no .eml files
    ids = sorted(str(m["Message-ID"]).strip() for _, _, m in inbox.received)
    assert sorted(json.loads(record.read_text())["delivered"]) == ids
    # the same day again: nothing is sent twice
    again = _remind(district, "--send", "--sent-record", record, env=env)
    assert again.code == 0, again.err
    assert again.out.endswith("sent 0 message(s) through 127.0.0.1:" + port + "; 2 already "
                              f"sent before (recorded in {record})\n")  # fmt: skip
    assert len(inbox.received) == 2


def test_a_rejected_recipient_is_named_and_only_it_is_retried(
    district: Path, tmp_path: Path
) -> None:
    record = tmp_path / "sent.json"
    refusing = Inbox(reject=("bkessler@riverbend.example.org",))
    for inbox, env in _serve(refusing):
        run = _remind(district, "--send", "--sent-record", record, env=env)
        assert run.code == 1
        server = f"127.0.0.1:{env['SIPCTL_SMTP_PORT']}"
        assert run.err == (
            f"rejected by {server}: bkessler@riverbend.example.org: 550 5.1.1 no such mailbox "
            "here\n"
        )
        assert [rcpts for _, rcpts, _ in inbox.received] == [
            ["awhitcomb@riverbend.example.org", "hmarchetti@riverbend.example.org"],
            ["rdelgado@riverbend.example.org", "awhitcomb@riverbend.example.org",
             "hmarchetti@riverbend.example.org"],
        ]  # fmt: skip
    for inbox, env in _serve(Inbox()):
        run = _remind(district, "--send", "--sent-record", record, env=env)
        assert (run.code, run.err) == (0, "")
        # only the one who was refused gets it now, with the same Message-ID
        assert [rcpts for _, rcpts, _ in inbox.received] == [["bkessler@riverbend.example.org"]]
        ((_, _, resent),) = inbox.received
        assert resent["Subject"] == "Maple <b>Street</b> School: 1 plan document due tomorrow"


def test_a_server_that_is_down_is_named(district: Path, tmp_path: Path) -> None:
    port = _free_port()  # nobody listens there
    env = {**ENV, "SIPCTL_SMTP_HOST": "127.0.0.1", "SIPCTL_SMTP_PORT": str(port),
           "SIPCTL_SMTP_SECURITY": "none"}  # fmt: skip
    run = _remind(district, "--send", "--sent-record", tmp_path / "sent.json", env=env)
    assert run.code == 2
    assert run.err == (
        f"error: cannot reach the mail server 127.0.0.1:{port}: connection refused\n"
        "hint: check SIPCTL_SMTP_HOST, SIPCTL_SMTP_PORT and SIPCTL_SMTP_SECURITY (starttls on "
        "587, tls on 465); nothing was sent\n"
    )
    assert not (tmp_path / "sent.json").exists()


def test_send_without_settings_is_refused_before_anything(district: Path) -> None:
    run = _remind(district, "--send", env={"SIPCTL_SMTP_HOST": ""})
    assert run.code == 2
    assert run.err.startswith(
        "error: --send needs the mail server's settings: SIPCTL_SMTP_HOST, SIPCTL_SMTP_FROM "
        "not set\n"
    )
    assert run.out == ""


# STARTTLS and a login -----------------------------------------------------------------------


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def _login(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"remind", b"s3cret")
    return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535


def _tls_server(certificate: tuple[Path, Path]) -> Iterator[tuple[Inbox, dict[str, str]]]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*map(str, certificate))
    for inbox, env in _serve(
        Inbox(),
        tls_context=context,
        require_starttls=True,
        auth_require_tls=True,
        authenticator=_login,
        auth_exclude_mechanism=["PLAIN"],  # the client must use AUTH LOGIN
    ):
        env = {**env, "SIPCTL_SMTP_SECURITY": "starttls", "SIPCTL_SMTP_USER": "remind",
               "SIPCTL_SMTP_PASSWORD": "s3cret", "SSL_CERT_FILE": str(certificate[0])}  # fmt: skip
        yield inbox, env


def test_starttls_and_login(district: Path, tmp_path: Path, certificate: tuple[Path, Path]) -> None:
    for inbox, env in _tls_server(certificate):
        record = tmp_path / "sent.json"
        run = _remind(district, "--send", "--sent-record", record, env=env)
        assert (run.code, run.err) == (0, ""), run.err
        assert len(inbox.received) == 2
        assert _text(inbox.received[1][2], "plain") == TLT_TEXT
        wrong = {**env, "SIPCTL_SMTP_PASSWORD": "guess"}
        run = _remind(district, "--send", "--sent-record", tmp_path / "other.json", env=wrong)
        assert run.code == 2
        server = f"127.0.0.1:{env['SIPCTL_SMTP_PORT']}"
        assert run.err.startswith(
            f"error: the mail server {server} refused the login of remind: 535 5.7.8 "
            "Authentication credentials invalid\n"
        )
        assert len(inbox.received) == 2


def test_an_untrusted_certificate_is_refused(
    district: Path, tmp_path: Path, certificate: tuple[Path, Path]
) -> None:
    for inbox, env in _tls_server(certificate):
        env = {**env, "SSL_CERT_FILE": str(tmp_path / "none.pem")}
        run = _remind(district, "--send", "--sent-record", tmp_path / "sent.json", env=env)
        assert run.code == 2
        assert "CERTIFICATE_VERIFY_FAILED" in run.err and inbox.received == []


# The demo ----------------------------------------------------------------------------------


def test_the_demo_the_day_before_the_phase_one_drafts(tmp_path: Path) -> None:
    demo = tmp_path / "demo"
    subprocess.run([sys.executable, str(REPO / "scripts/build_demo.py"), str(demo)],
                   check=True, capture_output=True)  # fmt: skip
    out = tmp_path / "reminders"
    run = sipctl("remind", "--repo", demo, "--as-of", "2022-05-05", "--out", out)
    assert (run.code, run.err) == (0, "")
    assert run.out.splitlines()[0] == (
        "3 reminder(s) for Riverbend Empowerment Zone, cycle 2022-23, on 2022-05-05"
    )
    assert sorted(p.name for p in out.iterdir()) == [
        "birch-tlt.eml", "maple-tlt.eml", "oak-hill-tlt.eml"
    ]  # fmt: skip
    subjects = {p.stem: _read(p)["Subject"] for p in out.iterdir()}
    assert subjects == {
        "birch-tlt": "Birch Avenue School: 3 plan documents due tomorrow",
        "maple-tlt": "Maple Street Elementary School: 2 plan documents due tomorrow",
        "oak-hill-tlt": "Oak Hill Middle School: 1 plan document due tomorrow",
    }
    readme = (REPO / "README.md").read_text("utf-8")
    shown = _text(_read(out / "birch-tlt.eml"), "plain")
    assert shown in readme, "README.md shows birch's message from this run"


def test_a_shallow_clone_reminds_nobody(district: Path, tmp_path: Path) -> None:
    git = GitRepo(district)
    git.write("schools/maple/2022-23/priority-levers.yaml", LEVERS.replace("in-progress", "draft"))
    git.commit("maple: the levers draft", date="2022-05-05T10:00:00-04:00")
    shallow = GitRepo.clone(git, tmp_path / "shallow", "--depth", "1")
    run = _remind(shallow.path, "--out", tmp_path / "out")
    assert run.code == 2 and run.out == ""
    assert run.err == (
        "error: this is a shallow clone: without the history sipctl cannot tell which "
        "documents were submitted, and a wrong reminder is worse than none\n"
        "hint: fetch the whole history (actions/checkout with `fetch-depth: 0`, or `git fetch "
        "--unshallow`)\n"
    )


def test_a_sent_record_it_cannot_read_stops_the_run(
    district: Path, tmp_path: Path, server: tuple[Inbox, dict[str, str]]
) -> None:
    inbox, env = server
    record = tmp_path / "sent.json"
    record.write_text("{not json", encoding="utf-8")
    run = _remind(district, "--send", "--sent-record", record, env=env)
    assert run.code == 2 and inbox.received == []
    assert run.err == (
        f"error: {record} is not a sent record sipctl can read\n"
        "hint: it is the file `sipctl remind --send` keeps; move it aside only if you accept "
        "that today's reminders may go out a second time\n"
    )
