"""Calendar feeds (issue 29, part 1): `render` writes every deadline of the cycle as an
iCalendar feed, the district's and one per school, and the pages link to them.

A real district in a real git repository with scripted dates; the installed `sipctl
render`; each feed read back by two independent readers, `icalendar` (which wrote it) and
`ical` (a separate implementation of RFC 5545).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from ical.calendar_stream import IcsCalendarStream

from cli import sipctl
from gitrepo import GitRepo, git_env

EASTERN = ZoneInfo("America/New_York")
UTC = dt.UTC
LEVERS = "schools/maple/2022-23/priority-levers.yaml"
CYCLE = "cycles/2022-23.yaml"
KEY = "riverbend-ez.plans.sipctl"
SITE = "https://riverbend-ez.github.io/plans/"


def district(tmp_path: Path) -> GitRepo:
    """maple in the 2022-23 SEZP cycle of riverbend-ez/plans; the Priority Levers Form's
    draft moved to 14 March (just after the spring DST change) and its final to 7
    November (just after the autumn one), the draft submitted on time on 10 March."""
    repo = GitRepo.init(tmp_path / "district")
    env = git_env(tmp_path)
    assert sipctl("init", "maple", "--cycle", "2022-23", cwd=repo.path, env=env).code == 0
    config = repo.path / "sipctl.yaml"
    config.write_text(
        config.read_text().replace("'TODO: district name'", "Riverbend Empowerment Zone")
        + "repository: riverbend-ez/plans\n"
    )
    move(repo, '"2022-03-14T16:00"', '"2022-11-07T16:00"')
    repo.commit("Start the 2022-23 cycle", date="2022-03-01T09:00:00-05:00")
    levers = repo.path / LEVERS
    levers.write_text(levers.read_text().replace("status: not-started", "status: draft"))
    repo.commit("maple: Priority Levers draft", date="2022-03-10T15:00:00-05:00")
    return repo


def move(repo: GitRepo, draft: str, final: str) -> None:
    cycle = repo.path / CYCLE
    lines = cycle.read_text().splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith("  priority-levers:"):
            lines[i] = f"  priority-levers: {{draft_due: {draft}, final_due: {final}}}\n"
    cycle.write_text("".join(lines))


def render(repo: GitRepo, out: Path) -> str:
    run = sipctl("render", "--format", "html", "--out", out, cwd=repo.path, env=git_env(repo.home))
    assert run.code == 0, run.err
    return run.out


def events(path: Path) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def other_reader(path: Path) -> dict[str, object]:
    calendar = IcsCalendarStream.calendar_from_ics(path.read_text(encoding="utf-8"))
    return {event.uid: event for event in calendar.events}


def uid(school: str, stage: str) -> str:
    return f"2022-23.{school}.priority-levers.{stage}@{KEY}"


def test_a_schools_feed_has_every_deadline_at_4pm_eastern_across_dst(tmp_path: Path) -> None:
    repo = district(tmp_path)
    out = tmp_path / "site"
    assert "and 2 calendars into" in render(repo, out).splitlines()[0]
    feed = out / "calendar/2022-23/maple.ics"
    found = events(feed)
    draft, final = found[uid("maple", "draft")], found[uid("maple", "final")]

    # 16:00 in New York on both sides of each DST change, with its VTIMEZONE
    assert draft.decoded("DTSTART") == dt.datetime(2022, 3, 14, 16, 0, tzinfo=EASTERN)
    assert draft.decoded("DTSTART").astimezone(UTC) == dt.datetime(2022, 3, 14, 20, 0, tzinfo=UTC)
    assert final.decoded("DTSTART").astimezone(UTC) == dt.datetime(2022, 11, 7, 21, 0, tzinfo=UTC)
    text = feed.read_text()
    assert "DTSTART;TZID=America/New_York:20220314T160000" in text
    assert "DTSTART;TZID=America/New_York:20221107T160000" in text
    (zone,) = icalendar.Calendar.from_ical(feed.read_bytes()).walk("VTIMEZONE")
    assert zone["TZID"] == "America/New_York"

    # the draft was submitted: shown so, with the commit's time, and no reminders
    assert str(draft["SUMMARY"]) == "Priority Levers Form: draft submitted"
    assert str(draft["DESCRIPTION"]).startswith("Submitted 2022-03-10 15:00 -05:00, on time.")
    assert draft.walk("VALARM") == []
    # the final is an open task: reminders a week and a day before, what and who, links
    assert str(final["SUMMARY"]) == "Priority Levers Form: final due"
    triggers = [a.decoded("TRIGGER") for a in final.walk("VALARM")]
    assert triggers == [-dt.timedelta(days=7), -dt.timedelta(days=1)]
    description = str(final["DESCRIPTION"])
    assert "Owner: TLT." in description
    assert "the final is due 2022-11-07 16:00 -05:00" in description
    assert f"The plan: {SITE}2022-23/maple.html#priority-levers" in description
    assert (
        f"Edit it: {SITE}admin/#/collections/priority-levers/entries/maple/2022-23/priority-levers"
        in description
    )
    assert str(final["URL"]) == f"{SITE}2022-23/maple.html#priority-levers"

    # the second reader agrees on the instants, the UIDs and the reminders
    other = other_reader(feed)
    assert set(other) == set(found)
    assert other[uid("maple", "draft")].dtstart.astimezone(UTC) == dt.datetime(  # type: ignore[attr-defined]
        2022, 3, 14, 20, 0, tzinfo=UTC
    )
    assert other[uid("maple", "final")].dtstart.astimezone(UTC) == dt.datetime(  # type: ignore[attr-defined]
        2022, 11, 7, 21, 0, tzinfo=UTC
    )
    assert len(other[uid("maple", "final")].alarm) == 2  # type: ignore[attr-defined]


def test_the_district_feed_has_each_deadline_once_and_the_pages_link_to_the_feeds(
    tmp_path: Path,
) -> None:
    repo = district(tmp_path)
    out = tmp_path / "site"
    render(repo, out)
    found = events(out / "calendar/2022-23.ics")
    # SEZP 2022-23: 11 documents with a final deadline, 6 with a draft one as well
    assert len(found) == 17
    assert uid("district", "final") in found
    assert str(found[uid("district", "final")]["SUMMARY"]) == "Priority Levers Form: final due"
    assert set(other_reader(out / "calendar/2022-23.ics")) == set(found)
    plan = (out / "2022-23/maple.html").read_text()
    assert '<a href="../calendar/2022-23/maple.ics" type="text/calendar" download>' in plan
    assert "<code>webcal://riverbend-ez.github.io/plans/calendar/2022-23/maple.ics</code>" in plan
    index = (out / "2022-23/index.html").read_text()
    assert '<a href="../calendar/2022-23.ics" type="text/calendar" download>' in index


def test_a_moved_deadline_keeps_its_uid_and_raises_its_sequence(tmp_path: Path) -> None:
    repo = district(tmp_path)
    out = tmp_path / "site"
    render(repo, out)
    before = events(out / "calendar/2022-23/maple.ics")[uid("maple", "final")]
    move(repo, '"2022-03-14T16:00"', '"2022-11-10T12:00"')
    repo.commit("Move the Priority Levers final", date="2022-04-01T09:00:00-04:00")
    render(repo, out)
    after = events(out / "calendar/2022-23/maple.ics")[uid("maple", "final")]
    assert before.decoded("DTSTART") == dt.datetime(2022, 11, 7, 16, 0, tzinfo=EASTERN)
    assert after.decoded("DTSTART") == dt.datetime(2022, 11, 10, 12, 0, tzinfo=EASTERN)
    assert (int(before["SEQUENCE"]), int(after["SEQUENCE"])) == (0, 1)
    moved = dt.datetime(2022, 4, 1, 13, 0, tzinfo=UTC)
    assert after.decoded("LAST-MODIFIED") == moved and after.decoded("DTSTAMP") == moved
    district_feed = events(out / "calendar/2022-23.ics")[uid("district", "final")]
    assert int(district_feed["SEQUENCE"]) == 1


@pytest.mark.parametrize("site", ["https://plans.riverbend.org", "https://plans.riverbend.org/"])
def test_the_sites_own_address_wins_over_github_pages(tmp_path: Path, site: str) -> None:
    repo = district(tmp_path)
    config = repo.path / "sipctl.yaml"
    config.write_text(config.read_text() + f"site: {site}\n")
    out = tmp_path / "site"
    render(repo, out)
    final = events(out / "calendar/2022-23/maple.ics")[uid("maple", "final")]
    assert str(final["URL"]) == "https://plans.riverbend.org/2022-23/maple.html#priority-levers"
    plan = (out / "2022-23/maple.html").read_text()
    assert "<code>webcal://plans.riverbend.org/calendar/2022-23/maple.ics</code>" in plan


def test_a_site_that_is_not_a_web_address_is_a_finding(tmp_path: Path) -> None:
    repo = district(tmp_path)
    config = repo.path / "sipctl.yaml"
    config.write_text(config.read_text() + "site: plans.riverbend.org\n")
    run = sipctl("check", "--no-deadlines", cwd=repo.path, env=git_env(repo.home))
    assert run.code == 2, run.out + run.err
    assert "'plans.riverbend.org' is not a web address" in run.out + run.err
