"""Reminder emails: each `Reminder` of `services/remind.py` as a MIME message.

A message is plain text and HTML alternatives made from `templates/remind/` (the HTML
autoescaped, so a plan's text can never become markup), with the school's calendar feed
attached. Headers are built by `email.message.EmailMessage` with the SMTP policy, which
refuses a header value holding a line break; names are also cleaned of line breaks and
control characters beforehand (`domain/contacts.clean_name`), so no text in a plan or a
profile can add a header. `Date` is `as_of` and `Message-ID` the reminder's own, so the
same day's run writes the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import IO, Any, Protocol
from zoneinfo import ZoneInfo

import jinja2
from rich import box
from rich.console import Console
from rich.table import Table

from sipctl.domain.contacts import Recipient, clean_name
from sipctl.packaged import templates_dir
from sipctl.reporters.ical import feed_ics
from sipctl.services.remind import DueItem, Group, Kind, Reminder, RemindResult
from sipctl.writing import update_folder

# The default sender of written .eml files, when SIPCTL_SMTP_FROM is not set: a reserved
# domain (RFC 2606), so a message written for review can never be replied to by mistake.
DEFAULT_SENDER = "sipctl@reminders.invalid"

_PHRASE = {Kind.WEEK: "due in 7 days", Kind.TOMORROW: "due tomorrow", Kind.MISSED: "missed"}
_SUBJECT = {
    Kind.MISSED: ("plan deadline missed", "plan deadlines missed"),
    Kind.TOMORROW: ("plan document due tomorrow", "plan documents due tomorrow"),
    Kind.WEEK: ("plan document due in 7 days", "plan documents due in 7 days"),
}


_OWNERS = {Group.PRINCIPAL: "the principal", Group.TLT: "the TLT or the principal"}


@dataclass(frozen=True)
class Outgoing:
    reminder: Reminder
    file: str  # the .eml's name: <school>-<group>.eml
    message: EmailMessage

    @property
    def recipients(self) -> list[str]:
        """Every envelope recipient, To then Cc."""
        return [r.email for r in (*self.reminder.to, *self.reminder.cc)]


class Written(Protocol):
    """A message, its .eml file's name and its envelope recipients: a reminder or the
    weekly digest."""

    @property
    def file(self) -> str: ...

    @property
    def message(self) -> EmailMessage: ...

    @property
    def recipients(self) -> list[str]: ...


def message_templates() -> jinja2.Environment:
    """`templates/remind/`, the HTML autoescaped so a plan's text never becomes markup."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir() / "remind"),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html.j2"], default=False),
        keep_trailing_newline=True,
    )


def build_messages(result: RemindResult, sender: str) -> list[Outgoing]:
    env = message_templates()
    return [
        Outgoing(r, f"{r.school}-{r.group.value}.eml", _message(env, result, r, sender))
        for r in result.reminders
    ]


def subject(reminder: Reminder) -> str:
    parts = []
    for kind in reminder.kinds:
        count = sum(1 for item in reminder.items if item.kind is kind)
        parts.append(f"{count} {_SUBJECT[kind][count != 1]}")
    return f"{clean_name(reminder.school_name)}: {', '.join(parts)}"


def _message(
    env: jinja2.Environment, result: RemindResult, reminder: Reminder, sender: str
) -> EmailMessage:
    tz = result.timezone
    context = _context(result, reminder)
    message = EmailMessage(policy=policy.SMTP)
    message["Subject"] = context["subject"]
    message["From"] = sender
    message["To"] = [address(r) for r in reminder.to]
    if reminder.cc:
        message["Cc"] = [address(r) for r in reminder.cc]
    message["Date"] = format_datetime(result.as_of.astimezone(tz))
    message["Message-ID"] = reminder.message_id
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies
    message.set_content(env.get_template("message.txt.j2").render(context), cte="quoted-printable")
    message.add_alternative(
        env.get_template("message.html.j2").render(context),
        subtype="html",
        cte="quoted-printable",
    )
    message.add_attachment(
        feed_ics(reminder.feed),
        maintype="text",
        subtype="calendar",
        filename=context["attachment"],
        params={"method": "PUBLISH"},
    )
    fixed_boundaries(message, reminder.message_id)
    return message


def fixed_boundaries(message: EmailMessage, message_id: str) -> None:
    # The library draws MIME boundaries at random; these come from the Message-ID, so the
    # same message is the same bytes (a boundary never occurs in quoted-printable or
    # base64 text, which have no "=_" runs of this shape).
    token = message_id.strip("<>").split("@")[0]
    for index, part in enumerate(p for p in message.walk() if p.is_multipart()):
        part.set_boundary(f"=_sipctl_{token}_{index}")


def address(person: Recipient) -> Address:
    local, domain = person.email.split("@")
    return Address(display_name=clean_name(person.name), username=local, domain=domain)


def _context(result: RemindResult, reminder: Reminder) -> dict[str, Any]:
    tz = result.timezone
    school = clean_name(reminder.school_name)
    today = result.as_of.astimezone(tz)
    if reminder.group is Group.TLT:
        greeting = f"Dear {school} Teacher Leadership Team"
    else:
        greeting = f"Dear {reminder.to[0].name or 'Principal'}"
    stages = sorted({item.stage.value for item in reminder.items if item.kind is not Kind.MISSED})
    how_to = (
        "To submit, set the form's Status to "
        + " or ".join(s.capitalize() for s in stages)
        + " (in the file: "
        + " or ".join(f"`status: {s}`" for s in stages)
        + ") and have the change merged by the deadline."
        if stages
        else "A missed deadline can still be met late: submit as soon as you can, and "
        "tell the district's reviewers when to expect it."
    )
    return {
        "subject": subject(reminder),
        "greeting": greeting,
        "intro": f"As of {day_words(today)}, these {result.cycle} plan documents of {school} "
        "need your attention:",
        "items": [_item(item, tz) for item in reminder.items],
        "how_to": how_to,
        "attachment": f"{reminder.school}.ics",
        "cycle": result.cycle,
        "school_name": school,
        "district": clean_name(result.district),
        "cc": ", ".join(clean_name(c.name) or c.email for c in reminder.cc),
    }


def _item(item: DueItem, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "title": item.title,
        "phase_title": item.phase_title.split(":")[0],
        "stage": item.stage,
        "kind_phrase": _PHRASE[item.kind],
        "when_label": "Was due" if item.kind is Kind.MISSED else "Due",
        "when": moment_words(item.due.astimezone(tz)),
        "status": item.status,
        "owner": item.owner,
        "missing": list(item.missing),
        "page": item.page,
        "editor": item.editor,
    }


def day_words(moment: dt.datetime) -> str:
    return f"{moment:%A, %B} {moment.day}, {moment.year}"


def moment_words(local: dt.datetime) -> str:
    """Friday, May 6, 2022 at 4:00 PM EDT."""
    hour = local.hour % 12 or 12
    return f"{day_words(local)} at {hour}:{local:%M %p} {local.tzname()}"


def write_messages(outgoing: Sequence[Written], out: Path) -> list[str]:
    """Each message as its `.eml` file in `out`; the names of the files written."""
    out.mkdir(parents=True, exist_ok=True)
    files = {o.file: o.message.as_bytes().decode("ascii") for o in outgoing}
    return update_folder(files, out, check_only=False).written


def plan_table(result: RemindResult, outgoing: list[Outgoing], out: IO[str]) -> None:
    """What the run would send (or sent): school, to, cc, subject; then who it could not reach."""
    buffer = io.StringIO()
    console = Console(file=buffer, highlight=False, width=160, emoji=False)
    day = result.as_of.astimezone(result.timezone).date()
    console.print(
        f"{len(outgoing)} reminder(s) for {result.district}, cycle {result.cycle}, on {day}",
        markup=False,
    )
    if outgoing:
        table = Table(box=box.SIMPLE, show_edge=False, pad_edge=False)
        for name in ("school", "to", "cc", "subject"):
            table.add_column(name, overflow="fold")
        for o in outgoing:
            r = o.reminder
            table.add_row(
                r.school,
                "\n".join(p.email for p in r.to),
                "\n".join(p.email for p in r.cc),
                subject(r),
            )
        console.print(table)
    for gap in result.unreachable:
        console.print(
            f"could not reach {gap.school} ({gap.school_name}): no email address for "
            f"{_OWNERS[gap.group]} ({', '.join(gap.documents)}); fill them in, in "
            f"schools/{gap.school}/school.yaml (`sipctl check` names who lacks one)",
            markup=False,
            soft_wrap=True,
        )
    for note in result.notes:
        console.print(f"note: {note}", markup=False, soft_wrap=True)
    out.write("".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines()))
