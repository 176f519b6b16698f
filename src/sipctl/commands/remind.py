from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sipctl.commands.options import AsOfOption, CycleOption, RepoOption

if TYPE_CHECKING:
    from sipctl.reporters.remind import Written

OutOption = Annotated[
    Path,
    typer.Option(
        "--out",
        metavar="DIR",
        help="The folder the messages are written into, one <school>-<group>.eml each "
        "(the weekly digest: digest.eml).",
        file_okay=False,
    ),
]
SendOption = Annotated[
    bool,
    typer.Option(
        "--send",
        help="Deliver the messages through the SMTP server of the SIPCTL_SMTP_* environment "
        "variables (docs/reminders.md), each once: the sent record skips those delivered.",
    ),
]
RecordOption = Annotated[
    Path,
    typer.Option(
        "--sent-record",
        metavar="FILE",
        help="The JSON record of the messages delivered, kept between runs.",
        dir_okay=False,
    ),
]
DigestOption = Annotated[
    bool,
    typer.Option(
        "--digest",
        help="Instead of the day's reminders, the weekly digest to the district's contacts: "
        "the status grid and the submissions and misses of the 7 days up to --as-of, "
        "written as digest.eml into --out or, with --send, delivered once a week.",
    ),
]


def remind(
    repo: RepoOption = None,
    cycle: CycleOption = None,
    as_of: AsOfOption = None,
    out: OutOption = Path("reminders"),
    send: SendOption = False,
    sent_record: RecordOption = Path(".sipctl-reminders-sent.json"),
    digest: DigestOption = False,
) -> None:
    """Deadline reminders by email: a week before, the day before, the day after a miss.

    One message per school and group of owners (the principal; the TLT and
    the principal), copied to the district's contacts in sipctl.yaml: the
    documents due with what is still missing in each, links, and the
    school's calendar attached. Without --send it writes .eml files into
    --out and prints what it would send. Exit 1 when the mail server
    rejected a recipient (the others are delivered), 2 when it cannot be
    reached or refuses the login.

    With --digest, one message to the district's contacts instead: the
    status grid and what changed in the week (submissions, new misses).

    Example: sipctl remind --as-of 2022-05-05 --out reminders

    Example: sipctl remind --digest --as-of 2022-05-09 --out reminders
    """
    from sipctl.domain.deadlines import now_in, parse_as_of
    from sipctl.domain.district import District
    from sipctl.reporters.remind import (
        DEFAULT_SENDER,
        build_messages,
        plan_table,
        write_messages,
    )
    from sipctl.services.mail import ENV, deliver, smtp_settings
    from sipctl.services.remind import plan_reminders

    district = District.open(repo)
    tz = district.timezone
    moment = parse_as_of(as_of, tz) if as_of else now_in(tz).replace(microsecond=0)
    settings = smtp_settings(os.environ) if send else None  # refused before any work
    sender = settings.sender if settings else os.environ.get(ENV["sender"]) or DEFAULT_SENDER
    if digest:
        from sipctl.reporters.digest import build_digest, digest_summary
        from sipctl.services.digest import weekly_digest

        week = weekly_digest(district, cycle=cycle, as_of=moment)
        built = build_digest(week, sender)
        digest_summary(week, built, sys.stdout)
        if built is None:
            return
        messages: list[Written] = [built]
    else:
        result = plan_reminders(district, cycle=cycle, as_of=moment)
        outgoing = build_messages(result, sender)
        plan_table(result, outgoing, sys.stdout)
        messages = list(outgoing)
    if settings is None:
        written = write_messages(messages, out)
        typer.echo(f"wrote {len(written)} message(s) into {out}/, sent nothing (add --send)")
        return
    delivery = deliver([(m.message, m.recipients) for m in messages], settings, sent_record)
    typer.echo(
        f"sent {len(delivery.sent)} message(s) through {settings.server}; "
        f"{len(delivery.already)} already sent before (recorded in {sent_record})"
    )
    for rejected in delivery.rejected:
        typer.echo(f"rejected by {settings.server}: {rejected.reason}", err=True)
    if delivery.failed:
        raise typer.Exit(1)
