"""The weekly digest (`services/digest.py`) as one MIME message to the district's contacts.

Plain text and HTML alternatives from `templates/remind/digest.*.j2`, built like a reminder
(`reporters/remind.py`: the same templates environment, headers and fixed boundaries), so a
school name or a contact's name can add neither a header nor markup. The grid uses the
words of `sipctl status` (`Cell.status_label`, `Cell.state_label`, `totals_line`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime
from typing import IO, Any

from sipctl.domain.contacts import clean_name
from sipctl.domain.deadlines import humanize
from sipctl.reporters.remind import (
    address,
    day_words,
    fixed_boundaries,
    message_templates,
    moment_words,
)
from sipctl.reporters.status import long_date, totals_line
from sipctl.services.digest import DigestResult, Miss, Submission
from sipctl.services.status import Cell

FILE = "digest.eml"


@dataclass(frozen=True)
class DigestMessage:
    file: str
    message: EmailMessage
    recipients: list[str]


def subject(result: DigestResult) -> str:
    district = clean_name(result.status.district)
    return f"{district}: plan status, week of {long_date(result.week_of)}"


def build_digest(result: DigestResult, sender: str) -> DigestMessage | None:
    """The week's message; None when the district has no contacts to send it to."""
    if not result.to:
        return None
    status = result.status
    env = message_templates()
    context = _context(result)
    message = EmailMessage(policy=policy.SMTP)
    message["Subject"] = context["subject"]
    message["From"] = sender
    message["To"] = [address(r) for r in result.to]
    message["Date"] = format_datetime(status.as_of.astimezone(status.timezone))
    message["Message-ID"] = result.message_id
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies
    message.set_content(env.get_template("digest.txt.j2").render(context), cte="quoted-printable")
    message.add_alternative(
        env.get_template("digest.html.j2").render(context), subtype="html", cte="quoted-printable"
    )
    fixed_boundaries(message, result.message_id)
    return DigestMessage(FILE, message, [r.email for r in result.to])


def _context(result: DigestResult) -> dict[str, Any]:
    status = result.status
    tz = status.timezone
    return {
        "subject": subject(result),
        "district": clean_name(status.district),
        "cycle": status.cycle,
        "as_of": day_words(status.as_of.astimezone(tz)),
        "since": moment_words(result.since.astimezone(tz)),
        "until": moment_words(status.as_of.astimezone(tz)),
        "submissions": [_submission(s, result) for s in result.submissions],
        "misses": [_miss(m, result) for m in result.misses],
        "totals": totals_line(status),
        "schools": [
            {
                "name": clean_name(row.name),
                "submitted": f"{row.submitted}/{row.applicable}",
                "cells": [
                    {"title": column.title, "status": c.status_label, "state": c.state_label}
                    for column, c in zip(status.columns, row.cells, strict=True)
                    if c.applies
                ],
            }
            for row in status.schools
        ],
        "columns": [
            {
                "phase": column.phase,
                "title": column.title,
                "cells": [_cell_words(row.cells[index]) for row in status.schools],
                "final": "{}/{}".format(*status.submitted_count(column)),
            }
            for index, column in enumerate(status.columns)
        ],
        "notes": status.notes,
    }


def _cell_words(cell: Cell) -> str:
    return f"{cell.status_label}, {cell.state_label}" if cell.state_label else cell.status_label


def _submission(s: Submission, result: DigestResult) -> dict[str, str]:
    if s.due is None:
        timing = "no deadline"
    elif s.on_time:
        timing = "on time"
    else:
        timing = f"late by {humanize(s.at - s.due)}"
    return {
        "school": clean_name(s.school_name),
        "title": s.column.title,
        "status": s.status,
        "when": moment_words(s.at.astimezone(result.status.timezone)),
        "timing": timing,
    }


def _miss(m: Miss, result: DigestResult) -> dict[str, str]:
    return {
        "school": clean_name(m.school_name),
        "title": m.column.title,
        "stage": m.stage.value,
        "when": moment_words(m.due.astimezone(result.status.timezone)),
    }


def digest_summary(result: DigestResult, built: DigestMessage | None, out: IO[str]) -> None:
    """What the run would send (or sent): subject, recipients and the week's counts."""
    buffer = io.StringIO()
    status = result.status
    day = status.as_of.astimezone(status.timezone).date()
    buffer.write(f"weekly digest for {status.district}, cycle {status.cycle}, on {day}\n")
    if built is None:
        buffer.write(
            "no digest: sipctl.yaml lists no contacts to send it to (add the district's "
            "reviewers under `contacts`)\n"
        )
    else:
        buffer.write(f"subject: {built.message['Subject']}\n")
        buffer.write(f"to: {', '.join(built.recipients)}\n")
        buffer.write(
            f"{len(result.submissions)} submission(s) and {len(result.misses)} new miss(es) "
            "this week\n"
        )
    for note in status.notes:
        buffer.write(f"note: {note}\n")
    out.write(buffer.getvalue())
