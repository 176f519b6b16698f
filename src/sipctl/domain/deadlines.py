"""Deadlines as instants, and the judgement of a submission against one.

A deadline in a cycle file is a local wall-clock time in the cycle's timezone
(`2022-05-06T16:00` is 4pm Eastern, whatever the season); a bare date means
the end of that day. Commit times carry their own UTC offsets. Everything is
compared as aware instants, never as naive datetimes: a commit at 19:59 UTC on
6 May 2022 is 15:59 in Springfield, on time for a 16:00 deadline.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from sipctl.errors import UsageError
from sipctl.limits import FIRST_YEAR, LAST_YEAR

END_OF_DAY = dt.time(23, 59, 59)


def local_instant(value: dt.date | dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """A cycle-file deadline as an aware instant: naive times are local, dates end the day."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    return dt.datetime.combine(value, END_OF_DAY, tzinfo=tz)


_AS_OF = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$")


def parse_as_of(text: str, tz: ZoneInfo) -> dt.datetime:
    """`--as-of`: a bare date is the end of that day in the district's timezone; a time
    without an offset is local to the district; a time with an offset is that instant."""
    text = text.strip()
    if not _AS_OF.match(text):
        raise UsageError(
            f"--as-of {text!r} is not a date or time",
            hint="use 2022-05-06, 2022-05-06T16:00 or 2022-05-06T20:00+00:00",
        )
    try:
        if len(text) == 10:
            when: dt.date = dt.date.fromisoformat(text)
        else:
            when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise UsageError(f"--as-of {text!r}: {exc}") from None
    # Years 1 and 9999 pass fromisoformat, but any day or offset added to them overflows.
    if not FIRST_YEAR <= when.year <= LAST_YEAR:
        raise UsageError(
            f"--as-of {text!r} is not in the years {FIRST_YEAR} to {LAST_YEAR} that plans use",
            hint="use a date of the planning cycle, e.g. 2022-05-06",
        )
    return local_instant(when, tz)


class Stage(StrEnum):
    DRAFT = "draft"
    FINAL = "final"


class State(StrEnum):
    ON_TIME = "on-time"
    LATE = "late"
    MISSED = "missed"
    SOON = "due-soon"
    PENDING = "pending"  # not reached, not yet due, outside the warning window
    REACHED = "reached"  # reached, but when is unknown (no history)


@dataclass(frozen=True)
class Judgement:
    stage: Stage
    due: dt.datetime
    state: State
    reached_at: dt.datetime | None = None

    @property
    def delay(self) -> dt.timedelta | None:
        if self.reached_at is None:
            return None
        return self.reached_at - self.due


def on_time(reached_at: dt.datetime, due: dt.datetime) -> bool:
    """Whether a stage reached at `reached_at` met the deadline `due`: the deadline's own
    second still counts (16:00:00 is on time for a 4pm deadline, 16:00:01 is late)."""
    return reached_at <= due


def judge(
    stage: Stage,
    due: dt.datetime,
    reached_at: dt.datetime | None,
    *,
    reached: bool,
    as_of: dt.datetime,
    warning: dt.timedelta,
) -> Judgement:
    """Judge one deadline as of `as_of`.

    `reached_at` is the instant the stage was reached according to history (None
    if never); `reached` says whether it was reached at all, which is all one can
    know without history. A submission after `as_of` has not happened yet.
    """
    if reached_at is not None and reached_at > as_of:
        reached_at, reached = None, False
    if reached_at is not None:
        return Judgement(
            stage, due, State.ON_TIME if on_time(reached_at, due) else State.LATE, reached_at
        )
    if reached:
        return Judgement(stage, due, State.REACHED)
    if as_of > due:
        return Judgement(stage, due, State.MISSED)
    if due - as_of <= warning:
        return Judgement(stage, due, State.SOON)
    return Judgement(stage, due, State.PENDING)


def now_in(tz: ZoneInfo) -> dt.datetime:
    """The present moment in `tz`; only the command line reads the clock."""
    return dt.datetime.now(tz)


_UNITS = (("day", 86400), ("hour", 3600), ("minute", 60))


def humanize(delta: dt.timedelta) -> str:
    """'1 minute', '3 hours 5 minutes', '2 days 0 hours': the largest unit and the one
    below it, even when that is 0, so that no unit is ever skipped ('1568 days 37 minutes'
    would read as if there were no hours). Minutes are the smallest unit past a minute."""
    seconds = int(abs(delta).total_seconds())
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    largest = next(i for i, (_unit, size) in enumerate(_UNITS) if seconds >= size)
    parts = []
    for unit, size in _UNITS[largest : largest + 2]:
        count, seconds = divmod(seconds, size)
        parts.append(f"{count} {unit}{'s' if count != 1 else ''}")
    return " ".join(parts)


def show_time(instant: dt.datetime, tz: ZoneInfo) -> str:
    """An instant in the district's timezone with its offset: 2022-05-06 15:59 -04:00."""
    local = instant.astimezone(tz)
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M} {offset[:3]}:{offset[3:]}"
