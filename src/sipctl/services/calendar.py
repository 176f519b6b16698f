"""Calendar feeds: every deadline of a cycle as an event, for the district and each school.

The events come from the same `StatusResult` the district index is made from, so a feed
says what `sipctl status` says: a school's feed shows a document already submitted as
submitted, at its commit's time, and the others as open, with reminders 7 days and 1 day
before. An event's UID names the district, cycle, school, document and stage and nothing
else, so a calendar that subscribed moves an event when the cycle file moves its deadline
instead of adding a second one; its SEQUENCE counts the cycle file's versions in git (and
one more once the stage is submitted), so the calendar knows the new version wins.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sipctl.domain.deadlines import Judgement, Stage, State, show_time
from sipctl.domain.district import District
from sipctl.domain.framework import all_documents
from sipctl.domain.submissions import cycle_timezone
from sipctl.git.worktree import file_commit_times
from sipctl.services.status import Column, SchoolRow, StatusResult

REMINDERS = (dt.timedelta(days=7), dt.timedelta(days=1))
FOLDER = "calendar"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    title: str  # "Priority Levers Form: draft due"
    due: dt.datetime
    description: str
    page: str | None  # the document on the published site
    sequence: int
    modified: dt.datetime | None  # when this version of the event was made, from git
    reminders: tuple[dt.timedelta, ...]  # before `due`; none once submitted


@dataclass(frozen=True)
class Feed:
    path: str  # inside the site: calendar/2022-23.ics, calendar/2022-23/maple.ics
    school: str | None  # None: the district's feed
    name: str
    timezone: ZoneInfo
    events: tuple[CalendarEvent, ...]


@dataclass(frozen=True)
class CalendarLink:
    """How a page points at its feed: the file, relative to the page, and the address a
    calendar subscribes to (webcal://), when the site's address is known."""

    href: str
    subscribe: str | None


def calendar_link(district: District, page_path: str, feed: str) -> CalendarLink:
    """The link from the page at `page_path` (inside the site) to the feed at `feed`."""
    depth = page_path.count("/")
    site = district.config.site_address
    subscribe = None
    if site:
        subscribe = "webcal://" + site.split("://", 1)[1] + feed
    return CalendarLink("../" * depth + feed, subscribe)


def feed_path(cycle: str, school: str | None = None) -> str:
    return f"{FOLDER}/{cycle}.ics" if school is None else f"{FOLDER}/{cycle}/{school}.ics"


def plan_links(site: str, cycle: str, school: str, document: str) -> tuple[str, str]:
    """A school's document on the published site, and its form in the browser editor:
    the addresses calendar events and reminder emails give."""
    entry = f"{school}/{cycle}/{document}"
    return (
        f"{site}{cycle}/{school}.html#{document}",
        f"{site}admin/#/collections/{document}/entries/{entry}",
    )


def cycle_feeds(
    district: District, result: StatusResult, schools: Collection[str] | None = None
) -> list[Feed]:
    """The district's feed for `result`'s cycle, then one feed per school in it; with
    `schools`, only those schools' feeds (and no district feed)."""
    versions = file_commit_times(district.root, f"cycles/{result.cycle}.yaml", until=result.as_of)
    maker = _Maker(
        district, result, len(versions) - 1 if versions else 0, max(versions, default=None)
    )
    feeds = [maker.district_feed()] if schools is None else []
    feeds.extend(
        maker.school_feed(row) for row in result.schools if schools is None or row.slug in schools
    )
    return feeds


class _Maker:
    def __init__(
        self, district: District, result: StatusResult, sequence: int, changed: dt.datetime | None
    ) -> None:
        self.district = district
        self.result = result
        self.tz = cycle_timezone(district, result.cycle)
        self.sequence = sequence
        self.changed = changed
        self.site = district.config.site_address
        self.key = district_key(district)
        self.documents = all_documents()

    def district_feed(self) -> Feed:
        events = [
            self._event(None, deadline.column, deadline.stage, deadline.due, None)
            for deadline in self.result.deadlines
        ]
        name = f"{self.result.district}: {self.result.cycle} plan deadlines"
        return Feed(feed_path(self.result.cycle), None, name, self.tz, tuple(events))

    def school_feed(self, row: SchoolRow) -> Feed:
        events = []
        for column, cell in zip(self.result.columns, row.cells, strict=True):
            if not cell.applies:
                continue
            for judgement in cell.judgements:
                events.append(self._event(row, column, judgement.stage, judgement.due, judgement))
        events.sort(key=lambda e: (e.due, e.uid))
        name = f"{row.name}: {self.result.cycle} plan deadlines"
        path = feed_path(self.result.cycle, row.slug)
        return Feed(path, row.slug, name, self.tz, tuple(events))

    def _event(
        self,
        row: SchoolRow | None,
        column: Column,
        stage: Stage,
        due: dt.datetime,
        judgement: Judgement | None,
    ) -> CalendarEvent:
        submitted = judgement is not None and judgement.state in (
            State.ON_TIME,
            State.LATE,
            State.REACHED,
        )
        school = row.slug if row else "district"
        what = self.documents.get(column.id)
        lines = [
            f"{column.title} ({column.phase_title}): the {stage.value} is due "
            f"{show_time(due, self.tz)}.",
            f"Owner: {column.owner}.",
        ]
        if what is not None:
            lines.append(what.description)
        if judgement is not None and submitted:
            lines.insert(0, _submitted(judgement, self.tz))
        else:
            lines.append(
                f"To submit: set the form's Status to {stage.value.capitalize()} (in the file: "
                f"`status: {stage.value}`) and have it merged by the deadline."
            )
        page = None
        if self.site and row:
            page, editor = plan_links(self.site, self.result.cycle, row.slug, column.id)
            lines += [f"The plan: {page}", f"Edit it: {editor}"]
        elif self.site:
            page = f"{self.site}{self.result.cycle}/index.html"
            lines.append(f"The plan: {page}")
        modified = self.changed
        if judgement is not None and judgement.reached_at is not None and submitted:
            modified = max(filter(None, (modified, judgement.reached_at)))
        return CalendarEvent(
            uid=f"{self.result.cycle}.{school}.{column.id}.{stage.value}@{self.key}",
            title=f"{column.title}: {stage.value} {'submitted' if submitted else 'due'}",
            due=due,
            description="\n\n".join(lines),
            page=page,
            sequence=self.sequence + (1 if submitted else 0),
            modified=modified,
            reminders=() if submitted else REMINDERS,
        )


def _submitted(judgement: Judgement, tz: ZoneInfo) -> str:
    if judgement.reached_at is None:
        return "Submitted."
    when = show_time(judgement.reached_at, tz)
    return f"Submitted {when}, {'on time' if judgement.state is State.ON_TIME else 'late'}."


def district_key(district: District) -> str:
    """The district's part of every UID: its repository, else its name, as a host name."""
    config = district.config
    text = config.repository.replace("/", ".") if config.repository else config.district
    key = re.sub(r"[^a-z0-9.-]+", "-", text.lower()).strip("-.")
    return f"{key or 'district'}.sipctl"
