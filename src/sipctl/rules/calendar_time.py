"""Calendar arithmetic: scheduled student days and structured learning hours.

Massachusetts 603 CMR 27.03 asks for at least 185 scheduled school days and
27.04 for at least 900 hours of structured learning time in elementary schools
and 990 in secondary schools. The SEZP calendar tool "calculates total student
and staff days/hours" (seed 000); this module does the same from the YAML:

- a scheduled day is a weekday from `first_day` to `last_day` inclusive that is
  not a day off (a day off with `end` covers every day through `end`);
- a day's structured learning time is its end minus its start, minus lunch,
  recess and passing time; an early-release day ends at its dismissal time.

Pure functions of the calendar, so they can be checked against a calendar
worked out by hand.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from sipctl.models.blocks import DailySchedule
from sipctl.models.sezp import StudentCalendar


class LearningTime(NamedTuple):
    days: int
    hours: float


def clock_minutes(text: str) -> int:
    """Minutes after midnight of a "HH:MM" clock time."""
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


# No school year and no break is longer than a year: a longer span is a typo in a year
# (2032 for 2023), which the calendar rule reports instead of counting.
MAX_SPAN_DAYS = 366


def days_off(calendar: StudentCalendar) -> set[dt.date]:
    """The days off from `first_day` to `last_day`. Each range is cut to the school year
    and overlapping ranges are walked once, so the work is bounded by the school year
    whatever the ranges say (a range from 1900 to 2199 costs no more than the year)."""
    first, last = calendar.first_day, calendar.last_day
    if first is None or last is None:
        return set()
    off: set[int] = set()
    walked_to, stop = first.toordinal(), last.toordinal() + 1  # ordinals never overflow
    for start, end in sorted(
        (entry.date.toordinal(), (entry.end or entry.date).toordinal() + 1)
        for entry in calendar.days_off
    ):
        start, end = max(start, walked_to), min(end, stop)
        off.update(range(start, end))
        walked_to = max(walked_to, end)
    return {dt.date.fromordinal(day) for day in off}


def count_weekdays(first: dt.date, last: dt.date) -> int:
    """Monday to Friday from `first` to `last`, both counted (0 when last is before
    first): by arithmetic, not a walk over every day of a school year."""
    if last < first:
        return 0
    weeks, extra = divmod((last - first).days + 1, 7)
    start = first.weekday()
    return weeks * 5 + sum(1 for offset in range(extra) if (start + offset) % 7 < 5)


def daily_minutes(schedule: DailySchedule, dismissal: str | None = None) -> int:
    """Structured learning minutes of one day (0 without start and end times)."""
    if schedule.start is None or (schedule.end is None and dismissal is None):
        return 0
    end = dismissal if dismissal is not None else schedule.end
    assert end is not None
    breaks = (
        (schedule.lunch_minutes or 0)
        + (schedule.recess_minutes or 0)
        + (schedule.passing_minutes or 0)
    )
    return max(0, clock_minutes(end) - clock_minutes(schedule.start) - breaks)


def learning_time(calendar: StudentCalendar) -> LearningTime:
    """(scheduled student days, structured learning hours) of a student calendar."""
    first, last = calendar.first_day, calendar.last_day
    if first is None or last is None:
        return LearningTime(0, 0.0)
    # Student days, counted rather than walked: the weekdays, less the weekdays off.
    off = {day for day in days_off(calendar) if day.weekday() < 5}
    days = count_weekdays(first, last) - len(off)
    dismissals = {entry.date: entry.dismissal for entry in calendar.early_release}
    usual = daily_minutes(calendar.schedule)  # every day but the early releases
    minutes = usual * days + sum(
        daily_minutes(calendar.schedule, dismissal) - usual
        for day, dismissal in dismissals.items()
        if first <= day <= last and day.weekday() < 5 and day not in off
    )
    return LearningTime(days, minutes / 60)
