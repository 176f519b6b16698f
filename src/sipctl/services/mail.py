"""Delivering reminder messages over SMTP, once each, with a record of what was delivered.

The settings come from environment variables only (`smtp_settings`), never from a file in
the repository: a password in a committed file is a password published. The sent record
is a small JSON file the scheduled workflow keeps between runs (a cache, not the
repository): for each Message-ID, the addresses it was delivered to. A second run the same
day finds every message there and sends nothing; after a server rejected one recipient,
the next run sends the message to that recipient only, with the same Message-ID, so
nobody gets it twice. The record is written after each message, so a run that stops
half-way keeps what it delivered.

Faults are the user's to fix, in their words: a server that cannot be reached or refuses
the login stops the run (exit 2, naming the server and the user); a rejected recipient is
named and the run goes on with the rest (exit 1 at the end).
"""

from __future__ import annotations

import json
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from sipctl.domain.contacts import address_problem
from sipctl.errors import SipctlError, UsageError
from sipctl.writing import write_atomic

ENV = {
    "host": "SIPCTL_SMTP_HOST",
    "port": "SIPCTL_SMTP_PORT",
    "security": "SIPCTL_SMTP_SECURITY",
    "user": "SIPCTL_SMTP_USER",
    "password": "SIPCTL_SMTP_PASSWORD",
    "sender": "SIPCTL_SMTP_FROM",
}
SECURITY = ("starttls", "tls", "none")
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
RECORD_VERSION = 1
TIMEOUT = 60.0  # seconds a server may take to answer before the run gives up on it


class MailServerError(SipctlError):
    """The SMTP server could not be reached, or refused the login or the session."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str
    user: str | None
    password: str | None
    sender: str

    @property
    def server(self) -> str:
        return f"{self.host}:{self.port}"


def smtp_settings(env: Mapping[str, str]) -> SmtpSettings:
    """The SMTP settings from the SIPCTL_SMTP_* variables of `env`."""

    def get(key: str) -> str | None:
        value = env.get(ENV[key], "").strip()
        return value or None

    host, sender = get("host"), get("sender")
    missing = [ENV[k] for k, v in (("host", host), ("sender", sender)) if v is None]
    if missing:
        raise UsageError(
            f"--send needs the mail server's settings: {', '.join(missing)} not set",
            hint="set SIPCTL_SMTP_HOST, SIPCTL_SMTP_FROM and, if the server asks for a login, "
            "SIPCTL_SMTP_USER and SIPCTL_SMTP_PASSWORD (in CI: repository secrets); "
            "see docs/reminders.md",
        )
    assert host is not None and sender is not None
    security = (get("security") or "starttls").lower()
    if security not in SECURITY:
        raise UsageError(
            f"{ENV['security']}={security!r} is not one of {', '.join(SECURITY)}",
            hint="starttls for port 587 (the usual), tls for port 465, none for a relay "
            "inside the district's network",
        )
    port_text = get("port")
    if port_text is None:
        port = DEFAULT_PORTS[security]
    elif port_text.isdigit() and 0 < int(port_text) < 65536:
        port = int(port_text)
    else:
        raise UsageError(f"{ENV['port']}={port_text!r} is not a port number, e.g. 587")
    problem = address_problem(sender.rsplit("<", 1)[-1].rstrip(">").strip())
    if problem is not None or "\n" in sender or "\r" in sender:
        raise UsageError(f"{ENV['sender']}={sender!r} is not an address: {problem}")
    user, password = get("user"), env.get(ENV["password"]) or None
    if (user is None) != (password is None):
        raise UsageError("set both SIPCTL_SMTP_USER and SIPCTL_SMTP_PASSWORD, or neither")
    return SmtpSettings(host, port, security, user, password, sender)


@dataclass(frozen=True)
class Rejected:
    message_id: str
    recipients: tuple[str, ...]
    reason: str


@dataclass
class Delivery:
    sent: list[str] = field(default_factory=list)  # Message-IDs delivered now
    already: list[str] = field(default_factory=list)  # delivered by an earlier run
    rejected: list[Rejected] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.rejected)


def read_record(path: Path) -> dict[str, list[str]]:
    """Message-ID -> the addresses it was delivered to; empty when there is no record yet."""
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text("utf-8"))
        delivered = data["delivered"]
        if data.get("version") != RECORD_VERSION or not isinstance(delivered, dict):
            raise ValueError
        return {str(k): [str(a) for a in v] for k, v in delivered.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        raise UsageError(
            f"{path} is not a sent record sipctl can read",
            hint="it is the file `sipctl remind --send` keeps; move it aside only if you accept "
            "that today's reminders may go out a second time",
        ) from None


def _write_record(path: Path, record: dict[str, list[str]]) -> None:
    text = json.dumps({"version": RECORD_VERSION, "delivered": record}, indent=2, sort_keys=True)
    write_atomic(path, text + "\n", root=path.parent)


def deliver(
    messages: Sequence[tuple[EmailMessage, list[str]]], settings: SmtpSettings, record_path: Path
) -> Delivery:
    """Send each (message, envelope recipients) not yet delivered, recording each."""
    record = read_record(record_path)
    result = Delivery()
    todo = []
    for message, recipients in messages:
        ident = str(message["Message-ID"])
        done = {a.lower() for a in record.get(ident, ())}
        rest = [a for a in recipients if a.lower() not in done]
        if rest:
            todo.append((ident, message, rest))
        else:
            result.already.append(ident)
    if not todo:
        return result
    with _session(settings) as smtp:
        for ident, message, rest in todo:
            refused = _send(smtp, settings, message, rest)
            delivered = [a for a in rest if a not in refused]
            if delivered:
                record.setdefault(ident, []).extend(delivered)
                _write_record(record_path, record)
                result.sent.append(ident)
            if refused:
                reasons = "; ".join(f"{a}: {why}" for a, why in refused.items())
                result.rejected.append(Rejected(ident, tuple(refused), reasons))
    return result


def _send(
    smtp: smtplib.SMTP, settings: SmtpSettings, message: EmailMessage, rest: list[str]
) -> dict[str, str]:
    """Address -> why the server refused it; the others were accepted."""
    try:
        refused = smtp.send_message(message, from_addr=_bare(settings.sender), to_addrs=rest)
    except smtplib.SMTPRecipientsRefused as exc:
        refused = exc.recipients
    except smtplib.SMTPSenderRefused as exc:
        raise MailServerError(
            f"the mail server {settings.server} refused the sender {settings.sender}: "
            f"{_said(exc.smtp_code, exc.smtp_error)}",
            hint="SIPCTL_SMTP_FROM must be an address the server lets SIPCTL_SMTP_USER send from",
        ) from None
    except (smtplib.SMTPException, OSError) as exc:
        raise MailServerError(
            f"the mail server {settings.server} stopped the delivery: {exc}",
            hint="run again later: the sent record keeps what was delivered",
        ) from None
    return {addr: _said(code, why) for addr, (code, why) in refused.items()}


def _said(code: int, text: bytes | str) -> str:
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return f"{code} {' '.join(words.split())}"


def _bare(sender: str) -> str:
    return sender.rsplit("<", 1)[-1].rstrip(">").strip()


class _session:
    """An SMTP connection, secured and logged in as the settings say."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> smtplib.SMTP:
        s = self.settings
        # the system's certificate authorities (SSL_CERT_FILE adds a district's own)
        context = ssl.create_default_context()
        try:
            if s.security == "tls":
                self.smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=TIMEOUT, context=context)
            else:
                self.smtp = smtplib.SMTP(s.host, s.port, timeout=TIMEOUT)
                if s.security == "starttls":
                    self.smtp.starttls(context=context)
        except (OSError, smtplib.SMTPException) as exc:
            self._close()
            raise MailServerError(
                f"cannot reach the mail server {s.server}: {_reason(exc)}",
                hint="check SIPCTL_SMTP_HOST, SIPCTL_SMTP_PORT and SIPCTL_SMTP_SECURITY "
                "(starttls on 587, tls on 465); nothing was sent",
            ) from None
        if s.user is not None and s.password is not None:
            try:
                self.smtp.login(s.user, s.password)
            except (OSError, smtplib.SMTPException) as exc:
                self._close()
                raise MailServerError(
                    f"the mail server {s.server} refused the login of {s.user}: {_reason(exc)}",
                    hint="check SIPCTL_SMTP_USER and SIPCTL_SMTP_PASSWORD; nothing was sent",
                ) from None
        return self.smtp

    def __exit__(self, *exc: object) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self._close()

    def _close(self) -> None:
        if self.smtp is not None:
            self.smtp.close()


def _reason(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        return _said(exc.smtp_code, exc.smtp_error)
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    return str(exc) or type(exc).__name__
