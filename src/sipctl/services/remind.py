"""`sipctl remind`: which deadline reminders are due as of a moment, and to whom.

The decision reads the same `StatusResult` as `sipctl status` and the calendar feeds, so a
reminder says what the status grid says. For each school and each deadline the school has
not reached yet, counted in whole days of the district's calendar (the local date of the
deadline against the local date of `as_of`, so a DST change never shifts a day):

- 7 days before: "due in 7 days";
- 1 day before: "due tomorrow";
- the day after a deadline that passed unreached: "missed".

One message goes to each school and recipient group: the owners of the documents due (the
framework's owner: "Principal" writes to the principal; "TLT" to every TLT member and the
principal), copied to the district's `contacts`. Each reminder carries what is still
unfinished in each document (the `incomplete` findings of `sipctl check` for that school),
the links to the plan and the editor, and the school's calendar feed.

Its `message_id` is a hash of the district, cycle, school, group, reminders and the local
date of `as_of`: the same day's run makes the same messages, and the sent record of
`services/mail.py` knows them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from zoneinfo import ZoneInfo

from sipctl.domain.contacts import Recipient, clean_name, principal, tlt_members
from sipctl.domain.deadlines import Stage, State
from sipctl.domain.district import District
from sipctl.errors import SipctlError
from sipctl.models.district import SchoolProfile
from sipctl.services.calendar import Feed, cycle_feeds, district_key, plan_links
from sipctl.services.check import CheckOptions, run_check
from sipctl.services.status import Column, SchoolRow, StatusResult, district_status


class Kind(StrEnum):
    MISSED = "missed"
    TOMORROW = "due tomorrow"
    WEEK = "due in 7 days"


# Days from as_of's local date to the deadline's local date, for each reminder.
DAYS = {Kind.WEEK: 7, Kind.TOMORROW: 1, Kind.MISSED: -1}
_NOT_REACHED = (State.PENDING, State.SOON, State.MISSED)


class Group(StrEnum):
    PRINCIPAL = "principal"
    TLT = "tlt"


@dataclass(frozen=True)
class DueItem:
    """One deadline of one document in a reminder."""

    document: str
    title: str
    phase_title: str
    owner: str
    stage: Stage
    due: dt.datetime
    kind: Kind
    status: str  # "in progress", "not committed", ...
    missing: tuple[str, ...]  # data paths of the `incomplete` finding, in file order
    page: str | None  # the document on the published site
    editor: str | None  # the document in the browser editor


@dataclass(frozen=True)
class Reminder:
    school: str
    school_name: str
    group: Group
    to: tuple[Recipient, ...]
    cc: tuple[Recipient, ...]
    items: tuple[DueItem, ...]
    message_id: str  # "<hash@district.sipctl>"
    feed: Feed  # the school's calendar feed, attached

    @property
    def kinds(self) -> list[Kind]:
        return [k for k in Kind if any(item.kind is k for item in self.items)]


@dataclass(frozen=True)
class Unreachable:
    school: str
    school_name: str
    group: Group
    documents: tuple[str, ...]  # titles of the documents due


@dataclass
class RemindResult:
    district: str
    cycle: str
    as_of: dt.datetime
    timezone: ZoneInfo
    site: str | None
    reminders: list[Reminder] = field(default_factory=list)
    unreachable: list[Unreachable] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class ShallowHistory(SipctlError):
    """The history was too short to know who submitted what."""


def judged_status(
    district: District, *, cycle: str | None, as_of: dt.datetime, cannot_tell: str
) -> StatusResult:
    """`district_status`, refused in a shallow clone: a message sent on a guess about
    `cannot_tell` ("which documents were submitted, ...") is worse than none."""
    status = district_status(district, cycle=cycle, as_of=as_of)
    if not status.judged:
        raise ShallowHistory(
            f"this is a shallow clone: without the history sipctl cannot tell {cannot_tell}",
            hint="fetch the whole history (actions/checkout with `fetch-depth: 0`, or "
            "`git fetch --unshallow`)",
        )
    return status


def plan_reminders(district: District, *, cycle: str | None, as_of: dt.datetime) -> RemindResult:
    """The reminders due on `as_of`'s local day, one per school and recipient group."""
    status = judged_status(
        district,
        cycle=cycle,
        as_of=as_of,
        cannot_tell="which documents were submitted, and a wrong reminder is worse than none",
    )
    tz = status.timezone
    site = district.config.site_address
    result = RemindResult(district.config.district, status.cycle, as_of, tz, site)
    result.notes.extend(status.notes)
    today = as_of.astimezone(tz).date()
    due_by_school = {row.slug: _due(row, status.columns, today, tz) for row in status.schools}
    if not any(due_by_school.values()):
        return result
    schools = {slug for slug, due in due_by_school.items() if due}
    feeds = {feed.school: feed for feed in cycle_feeds(district, status, schools)}
    missing_by_school = _missing(district, schools, status.cycle)
    contacts = tuple(Recipient(clean_name(c.name), c.email) for c in district.config.contacts)
    key = district_key(district)
    for row in status.schools:
        due = due_by_school[row.slug]
        if not due:
            continue
        missing = missing_by_school.get(row.slug, {})
        profile = district.school_profile(row.slug).model
        for group in Group:
            mine = [d for d in due if _group(d.column.owner) is group]
            if not mine:
                continue
            to = _owners(profile, group) if profile is not None else ()
            if not to:
                titles = tuple(dict.fromkeys(d.column.title for d in mine))
                result.unreachable.append(Unreachable(row.slug, row.name, group, titles))
                continue
            items = tuple(
                _item(d, missing.get(d.column.id, ()), site, row.slug, status.cycle) for d in mine
            )
            ident = _message_id(key, status.cycle, row.slug, group, items, today)
            addressed = {r.email.lower() for r in to}
            cc = tuple(c for c in contacts if c.email.lower() not in addressed)
            result.reminders.append(
                Reminder(row.slug, row.name, group, to, cc, items, ident, feeds[row.slug])
            )
    return result


@dataclass(frozen=True)
class _Due:
    column: Column
    stage: Stage
    due: dt.datetime
    status: str
    kind: Kind


def _due(row: SchoolRow, columns: list[Column], today: dt.date, tz: ZoneInfo) -> list[_Due]:
    found: list[_Due] = []
    for column, cell in zip(columns, row.cells, strict=True):
        if not cell.applies:
            continue
        for judgement in cell.judgements:
            if judgement.state not in _NOT_REACHED:
                continue  # submitted: nothing to remind
            days = (judgement.due.astimezone(tz).date() - today).days
            for kind, wanted in DAYS.items():
                if days == wanted and (kind is not Kind.MISSED or judgement.state is State.MISSED):
                    found.append(
                        _Due(column, judgement.stage, judgement.due, cell.status_label, kind)
                    )
    order = list(Kind)
    found.sort(key=lambda d: (order.index(d.kind), d.due))  # stable: official order within
    return found


def _group(owner: str) -> Group:
    # Seed 000: each document is owned by the principal or by the TLT (which the principal
    # sits on); anything else a framework names (the district) reaches the principal.
    return Group.TLT if owner.strip().upper() == "TLT" else Group.PRINCIPAL


def _owners(profile: SchoolProfile, group: Group) -> tuple[Recipient, ...]:
    people: list[Recipient] = []
    if group is Group.TLT:
        people.extend(tlt_members(profile))
    head = principal(profile)
    if head is not None:
        people.append(head)
    unique: dict[str, Recipient] = {}
    for person in people:
        unique.setdefault(person.email.lower(), person)
    return tuple(unique.values())


def _missing(
    district: District, schools: set[str], cycle: str
) -> dict[str, dict[str, tuple[str, ...]]]:
    """School -> document id -> what `check`'s `incomplete` finding lists for it: one
    check of the schools to remind, without deadlines (no history is read again)."""
    checked = run_check(district, CheckOptions(only=schools))
    missing: dict[str, dict[str, tuple[str, ...]]] = {}
    for f in checked.findings:
        if f.rule == "incomplete" and f.cycle == cycle and f.school and f.document:
            missing.setdefault(f.school, {})[f.document] = tuple(f.extra.get("missing", ()))
    return missing


def _item(
    due: _Due, missing: tuple[str, ...], site: str | None, school: str, cycle: str
) -> DueItem:
    page, editor = plan_links(site, cycle, school, due.column.id) if site else (None, None)
    return DueItem(
        document=due.column.id,
        title=due.column.title,
        phase_title=due.column.phase_title,
        owner=due.column.owner,
        stage=due.stage,
        due=due.due,
        kind=due.kind,
        status=due.status,
        missing=missing,
        page=page,
        editor=editor,
    )


def _message_id(
    key: str, cycle: str, school: str, group: Group, items: tuple[DueItem, ...], today: dt.date
) -> str:
    parts = [key, cycle, school, group.value, today.isoformat()]
    parts.extend(f"{i.document}:{i.stage.value}:{i.kind.value}" for i in items)
    digest = hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:24]
    return f"<{digest}@{key}>"
