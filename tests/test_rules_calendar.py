"""Calendar arithmetic against a calendar worked out by hand (603 CMR 27.03 and 27.04)."""

from __future__ import annotations

import datetime as dt
import random

from sipctl.models.sezp import StudentCalendar
from sipctl.rules.calendar_time import clock_minutes, daily_minutes, learning_time

# Two school weeks, Wednesday 2022-08-31 to Tuesday 2022-09-13:
#
#   Aug 31 We  school            Sep  7 We  school
#   Sep  1 Th  school            Sep  8 Th  off (D2, with Sep 9)  early release ignored
#   Sep  2 Fr  school            Sep  9 Fr  off (D2)
#   Sep  3-4   weekend           Sep 10 Sa  off (D3), a weekend day anyway
#   Sep  5 Mo  off (D1)          Sep 12 Mo  school
#   Sep  6 Tu  school            Sep 13 Tu  early release at 12:00
#
# 10 weekdays less 3 days off = 7 days. A full day is 08:00-14:30, 390 minutes, less
# 30 lunch, 20 recess and 10 passing = 330 minutes; the early-release day is 08:00-12:00,
# 240 less the same 60 = 180. 6 x 330 + 180 = 2,160 minutes = 36 hours.
CALENDAR = StudentCalendar.model_validate(
    {
        "first_day": dt.date(2022, 8, 31),
        "last_day": dt.date(2022, 9, 13),
        "days_off": [
            {"id": "D1", "date": dt.date(2022, 9, 5), "reason": "Labor Day"},
            {"id": "D2", "date": dt.date(2022, 9, 8), "end": dt.date(2022, 9, 9)},
            {"id": "D3", "date": dt.date(2022, 9, 10)},
        ],
        "early_release": [
            {"id": "E1", "date": dt.date(2022, 9, 13), "dismissal": "12:00"},
            {"id": "E2", "date": dt.date(2022, 9, 8), "dismissal": "12:00"},
        ],
        "schedule": {
            "start": "08:00",
            "end": "14:30",
            "lunch_minutes": 30,
            "recess_minutes": 20,
            "passing_minutes": 10,
        },
    }
)


def test_days_and_hours_of_a_hand_computed_calendar() -> None:
    assert learning_time(CALENDAR) == (7, 36.0)


def test_daily_minutes() -> None:
    assert clock_minutes("08:05") == 485
    assert daily_minutes(CALENDAR.schedule) == 330
    assert daily_minutes(CALENDAR.schedule, dismissal="12:00") == 180
    assert daily_minutes(CALENDAR.schedule, dismissal="08:30") == 0  # never negative


def test_no_days_without_first_and_last_day() -> None:
    assert learning_time(StudentCalendar()) == (0, 0.0)


def _walked(calendar: StudentCalendar) -> tuple[int, float]:
    """learning_time the slow way, a day at a time: the definition it must agree with."""
    first, last = calendar.first_day, calendar.last_day
    if first is None or last is None:
        return (0, 0.0)
    off = set()
    for entry in calendar.days_off:
        day = entry.date
        while day <= (entry.end or entry.date):
            off.add(day)
            day += dt.timedelta(days=1)
    dismissals = {entry.date: entry.dismissal for entry in calendar.early_release}
    days, minutes, day = 0, 0, first
    while day <= last:
        if day.weekday() < 5 and day not in off:
            days += 1
            minutes += daily_minutes(calendar.schedule, dismissals.get(day))
        day += dt.timedelta(days=1)
    return (days, minutes / 60)


def test_counted_days_and_hours_agree_with_a_walk_over_every_day() -> None:
    chance = random.Random(8)  # fixed: the same 400 calendars every run
    start = dt.date(2022, 8, 1)
    for _ in range(400):
        first = start + dt.timedelta(days=chance.randrange(40))
        last = first + dt.timedelta(days=chance.randrange(-5, 320))  # before first, at times

        offs = []
        for index in range(chance.randrange(12)):
            day = first + dt.timedelta(days=chance.randrange(-20, 340))
            end = day + dt.timedelta(days=chance.randrange(6)) if chance.random() < 0.4 else None
            offs.append({"id": f"D{index}", "date": day, "end": end})
        releases = [
            {
                "id": f"E{index}",
                "date": first + dt.timedelta(days=chance.randrange(-20, 340)),
                "dismissal": f"{chance.randrange(8, 15):02d}:00",
            }
            for index in range(chance.randrange(8))
        ]
        calendar = StudentCalendar.model_validate(
            {
                "first_day": first,
                "last_day": last,
                "days_off": offs,
                "early_release": releases,
                "schedule": {"start": "08:00", "end": "14:30", "lunch_minutes": 30},
            }
        )
        assert learning_time(calendar) == _walked(calendar), calendar
