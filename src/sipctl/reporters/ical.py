"""A calendar feed as iCalendar text (RFC 5545), written by the `icalendar` library.

Times are the district's wall-clock times with their `VTIMEZONE` (4pm Eastern stays 4pm
on either side of a DST change), made from the same tz database Python uses. The bytes
depend only on the feed: `DTSTAMP` is the event's last change in git, not the moment of
the run, so rendering the same repository twice gives the same files.
"""

from __future__ import annotations

import datetime as dt

from icalendar import Alarm, Calendar, Event

from sipctl import __version__
from sipctl.services.calendar import Feed

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)  # DTSTAMP when git knows no change


def feed_ics(feed: Feed) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", f"-//sipctl//sipctl {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", feed.name)  # RFC 7986
    calendar.add("x-wr-calname", feed.name)  # what Google, Apple and Outlook show
    calendar.add("x-wr-timezone", feed.timezone.key)
    for item in feed.events:
        event = Event()
        event.add("uid", item.uid)
        event.add("summary", item.title)
        # no DTEND: the event is the moment of the deadline (RFC 5545 3.6.1)
        event.add("dtstart", item.due.astimezone(feed.timezone))
        stamp = (item.modified or _EPOCH).astimezone(dt.UTC)
        event.add("dtstamp", stamp)
        if item.modified is not None:
            event.add("last-modified", stamp)
        event.add("sequence", item.sequence)
        event.add("description", item.description)
        if item.page:
            event.add("url", item.page)
        event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
        for before in item.reminders:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", item.title)
            alarm.add("trigger", -before)
            event.add_component(alarm)
        calendar.add_component(event)
    # the timezone's rules over the feed's own years, not the library's default 1970-2038
    dues = [item.due.astimezone(feed.timezone).date() for item in feed.events] or [_EPOCH.date()]
    first, last = min(dues), max(dues)
    calendar.add_missing_timezones(
        first_date=first.replace(month=1, day=1), last_date=last.replace(month=12, day=31)
    )
    return calendar.to_ical()
