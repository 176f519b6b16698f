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

DAY = dt.timedelta(days=1)


class LearningTime(NamedTuple):
    days: int
    hours: float


def clock_minutes(text: str) -> int:
    """Minutes after midnight of a "HH:MM" clock time."""
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def days_off(calendar: StudentCalendar) -> set[dt.date]:
    off: set[dt.date] = set()
    for entry in calendar.days_off:
        day, last = entry.date, entry.end or entry.date
        while day <= last:
            off.add(day)
            day += DAY
    return off


def scheduled_days(calendar: StudentCalendar) -> list[dt.date]:
    """The student days of the calendar, in order; empty without first and last day."""
    if calendar.first_day is None or calendar.last_day is None:
        return []
    off = days_off(calendar)
    days = []
    day = calendar.first_day
    while day <= calendar.last_day:
        if day.weekday() < 5 and day not in off:
            days.append(day)
        day += DAY
    return days


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
    days = scheduled_days(calendar)
    dismissals = {entry.date: entry.dismissal for entry in calendar.early_release}
    usual = daily_minutes(calendar.schedule)  # every day but the early releases
    minutes = sum(
        daily_minutes(calendar.schedule, dismissals[day]) if day in dismissals else usual
        for day in days
    )
    return LearningTime(len(days), minutes / 60)
