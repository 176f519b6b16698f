"""`sipctl remind --digest`: the district's week, for its reviewers.

One message a week to the district's `contacts` (sipctl.yaml): the status grid as
`sipctl status` shows it, and what changed in the 7 days up to `as_of`:

- submissions: every committed status change to draft, final or approved in the week,
  with the school, the document, the stage, the commit's time and whether it met the
  stage's deadline (approval has no deadline of its own);
- new misses: every deadline that passed in the week and was not met by `as_of`.

The week is the instant window (as_of - 7 days, as_of]; a run a week later starts where
this one ended, so nothing falls between two digests and nothing is listed twice. Its
`message_id` is a hash of the district, cycle and the window's first local day: every run
in the same week makes the same Message-ID, and the sent record of `services/mail.py`
delivers it once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from sipctl.domain.contacts import Recipient, clean_name
from sipctl.domain.deadlines import Stage, State, on_time
from sipctl.domain.district import District
from sipctl.services.calendar import district_key
from sipctl.services.remind import judged_status
from sipctl.services.status import Column, StatusResult

WEEK = dt.timedelta(days=7)
# The statuses that submit something: seed 000's stages, and the district's approval.
SUBMITTING = ("draft", "final", "approved")


@dataclass(frozen=True)
class Submission:
    school: str
    school_name: str
    column: Column
    status: str  # draft, final or approved
    at: dt.datetime  # the commit's time
    due: dt.datetime | None  # the stage's deadline; None when the stage has none
    on_time: bool | None  # None: no deadline to meet


@dataclass(frozen=True)
class Miss:
    school: str
    school_name: str
    column: Column
    stage: Stage
    due: dt.datetime


@dataclass
class DigestResult:
    status: StatusResult
    since: dt.datetime  # the week's start, exclusive; status.as_of is its end
    to: tuple[Recipient, ...]
    message_id: str  # "<hash@district.sipctl>"
    submissions: list[Submission] = field(default_factory=list)
    misses: list[Miss] = field(default_factory=list)

    @property
    def week_of(self) -> dt.date:
        return self.since.astimezone(self.status.timezone).date()


def weekly_digest(district: District, *, cycle: str | None, as_of: dt.datetime) -> DigestResult:
    """The status as of `as_of`, and the submissions and misses of the 7 days before it."""
    status = judged_status(
        district,
        cycle=cycle,
        as_of=as_of,
        cannot_tell="what was submitted this week, and a wrong digest is worse than none",
    )
    since = as_of - WEEK
    to = tuple(Recipient(clean_name(c.name), c.email) for c in district.config.contacts)
    week = since.astimezone(status.timezone).date()
    key = district_key(district)
    result = DigestResult(status, since, to, _message_id(key, status.cycle, week))
    dues = {(d.column.id, d.stage.value): d.due for d in status.deadlines}
    for row in status.schools:
        for column, cell in zip(status.columns, row.cells, strict=True):
            if not cell.applies or cell.file is None:
                continue
            for change in status.history.changes.get(cell.file, ()):
                at = change.commit.time
                if not since < at <= as_of or change.new_status not in SUBMITTING:
                    continue
                due = dues.get((column.id, change.new_status))
                met = on_time(at, due) if due is not None else None
                result.submissions.append(
                    Submission(row.slug, row.name, column, change.new_status, at, due, met)
                )
            for j in cell.judgements:
                if j.state is State.MISSED and since < j.due <= as_of:
                    result.misses.append(Miss(row.slug, row.name, column, j.stage, j.due))
    order = {c.id: i for i, c in enumerate(status.columns)}
    result.submissions.sort(key=lambda s: (s.at, s.school, order[s.column.id]))
    result.misses.sort(key=lambda m: (m.due, m.school, order[m.column.id]))
    return result


def _message_id(key: str, cycle: str, week: dt.date) -> str:
    parts = [key, cycle, "digest", week.isoformat()]
    digest = hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:24]
    return f"<{digest}@{key}>"
