"""The history: when each school moves each document through its statuses (on time,
late or never, by how diligent the school is), with edits in between, and how a school's
changes are grouped into its share of the commits, with their messages and authors."""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass

from .cycle import DOCUMENTS, HORIZON, NO_DEADLINE_ANCHOR, PHASE_START, STATUSES, Deadlines
from .schools import School


@dataclass(frozen=True)
class Event:
    time: dt.datetime  # local wall-clock time in America/New_York
    doc: str
    status: str
    variant: int


@dataclass
class Commit:
    time: dt.datetime
    school: School
    changes: dict[str, tuple[str, int]]  # doc -> (status, variant)


def _minutes(value: float) -> dt.timedelta:
    return dt.timedelta(minutes=value)


def _before(rng: random.Random, due: dt.datetime) -> dt.datetime:
    roll = rng.random()
    if roll < 0.25:
        return due - _minutes(rng.uniform(1, 90))
    if roll < 0.7:
        return due - _minutes(rng.uniform(120, 72 * 60))
    return _daytime(due - _minutes(rng.uniform(3 * 1440, 14 * 1440)), rng)


def _after(rng: random.Random, due: dt.datetime) -> dt.datetime:
    roll = rng.random()
    if roll < 0.35:
        return due + _minutes(rng.uniform(1, 120))
    if roll < 0.75:
        return due + _minutes(rng.uniform(120, 96 * 60))
    return _daytime(due + _minutes(rng.uniform(4 * 1440, 25 * 1440)), rng)


def _daytime(moment: dt.datetime, rng: random.Random) -> dt.datetime:
    """People commit between 7:00 and 22:59; keeps the day (so never crosses a deadline)."""
    if 7 <= moment.hour <= 22:
        return moment
    return moment.replace(hour=rng.randint(7, 22))


def _stage(rng: random.Random, school: School) -> str:
    roll = rng.random()
    if roll < school.p_missed:
        return "missed"
    return "late" if roll < school.p_missed + school.p_late else "on-time"


def _reached(rng: random.Random, school: School, due: dt.datetime) -> dt.datetime | None:
    """When a stage with a deadline is reached, on time or late as the school goes; None
    when it is missed."""
    outcome = _stage(rng, school)
    if outcome == "missed":
        return None
    return _before(rng, due) if outcome == "on-time" else _after(rng, due)


def plan_document(
    school: School,
    doc: str,
    due: tuple[dt.datetime | None, dt.datetime | None],
    seed: int,
) -> list[Event]:
    """The changes of one document: in progress (with edits), then draft and final, each
    on time, late or missed as the school goes; none after the horizon."""
    rng = random.Random(f"sipctl-bench:{seed}:{school.slug}:{doc}:plan")
    draft_due, final_due = due
    phase = DOCUMENTS[doc][0]
    anchor = draft_due or final_due or NO_DEADLINE_ANCHOR
    earliest = PHASE_START[phase]
    start = max(earliest, anchor - dt.timedelta(days=rng.uniform(10, 45)))
    start = _daytime(min(start, anchor - dt.timedelta(days=1)), rng)
    events = [Event(start, doc, "in-progress", 0)]
    edits = rng.choice((0, 0, 1, 1, 2, 3))
    for variant in range(1, edits + 1):
        moment = start + (anchor - start) * rng.uniform(0.2, 0.9)
        events.append(Event(moment, doc, "in-progress", variant))
    events.sort(key=lambda e: e.time)
    last = events[-1].time

    def after_last(moment: dt.datetime) -> dt.datetime:
        return max(moment, last + _minutes(rng.uniform(30, 600)))

    # draft
    if draft_due is not None:
        moment = _reached(rng, school, draft_due)
        if moment is None:
            return events
        last = after_last(moment)
        events.append(Event(last, doc, "draft", 0))
    elif rng.random() < 0.5:
        target = (final_due or anchor) - dt.timedelta(days=rng.uniform(2, 15))
        last = after_last(_daytime(target, rng))
        events.append(Event(last, doc, "draft", 0))
    # final
    if final_due is not None:
        moment = _reached(rng, school, final_due)
        if moment is None:
            return events
        last = after_last(moment)
        events.append(Event(last, doc, "final", 0))
    elif rng.random() < 0.85:
        last = after_last(_daytime(anchor + dt.timedelta(days=rng.uniform(5, 40)), rng))
        events.append(Event(last, doc, "final", 0))
    return [e for e in events if e.time <= HORIZON]


def plan_school(school: School, commits: int, deadlines: Deadlines, seed: int) -> list[Commit]:
    """Exactly `commits` commits of this school, in time order."""
    if commits <= 0:
        return []
    rng = random.Random(f"sipctl-bench:{seed}:{school.slug}:history")
    per_doc = {doc: plan_document(school, doc, deadlines[doc], seed) for doc in DOCUMENTS}
    events = [event for doc_events in per_doc.values() for event in doc_events]
    _add_revisions(per_doc, events, commits, rng)
    order = {doc: i for i, doc in enumerate(DOCUMENTS)}
    events.sort(key=lambda e: (e.time, order[e.doc]))
    if not events:
        return []
    out = []
    for group in _group(events, commits, deadlines):
        changes: dict[str, tuple[str, int]] = {}
        for event in group:  # the last version of each document wins
            changes[event.doc] = (event.status, event.variant)
        out.append(Commit(group[-1].time, school, changes))
    return out


def _add_revisions(
    per_doc: dict[str, list[Event]], events: list[Event], commits: int, rng: random.Random
) -> None:
    """Too few changes for the commits this school gets: add revisions of documents
    already under way (edits that keep the status), to `per_doc` and to `events`."""
    variants = {
        (doc, status): 1 + max((e.variant for e in evs if e.status == status), default=-1)
        for doc, evs in per_doc.items()
        for status in STATUSES
    }
    started = [doc for doc, evs in per_doc.items() if evs]
    while len(events) < commits and started:
        doc = rng.choice(started)
        evs = per_doc[doc]
        first, end = evs[0].time, min(HORIZON, evs[-1].time + dt.timedelta(days=30))
        moment = min(HORIZON, max(first, _daytime(first + (end - first) * rng.random(), rng)))
        status = [e.status for e in evs if e.time <= moment][-1]
        variant = variants[(doc, status)]
        variants[(doc, status)] += 1
        event = Event(moment, doc, status, variant)
        evs.append(event)
        evs.sort(key=lambda e: e.time)
        events.append(event)


def _group(events: list[Event], commits: int, deadlines: Deadlines) -> list[list[Event]]:
    """Merge the closest neighbours until there are as many groups as commits. A commit
    takes the time of its last change, so merging across a deadline would turn an
    on-time submission late: such gaps are merged only when nothing else is left."""
    dues = sorted({due for pair in deadlines.values() for due in pair if due is not None})
    cuts = len(events) - 1
    keep_cuts = set(range(cuts))
    if len(events) > commits:

        def cost(i: int) -> tuple[bool, dt.timedelta, int]:
            early, late = events[i].time, events[i + 1].time
            crosses = any(early <= due < late for due in dues)
            return crosses, late - early, i

        gaps = sorted(range(cuts), key=cost)
        keep_cuts -= set(gaps[: len(events) - commits])
    groups: list[list[Event]] = [[]]
    for i, event in enumerate(events):
        groups[-1].append(event)
        if i in keep_cuts:
            groups.append([])
    return groups


def allocate(schools: list[School], total: int) -> list[int]:
    """How many of the `total` commits each school makes (largest remainder method)."""
    weight = sum(s.weight for s in schools)
    shares = [total * s.weight / weight for s in schools]
    counts = [math.floor(share) for share in shares]
    rest = total - sum(counts)
    for i in sorted(range(len(schools)), key=lambda i: (counts[i] - shares[i], i))[:rest]:
        counts[i] += 1
    return counts


def commit_message(commit: Commit) -> str:
    submitted: dict[str, list[str]] = {}
    for doc, (status, variant) in commit.changes.items():
        verb = "update" if variant or status == "in-progress" else status
        submitted.setdefault(verb, []).append(doc)
    parts = []
    for verb, docs in submitted.items():
        what = ", ".join(docs)
        parts.append(f"update {what}" if verb == "update" else f"{what} to {verb}")
    return f"{commit.school.slug}: {'; '.join(parts)}\n"


def commit_author(commit: Commit, rng: random.Random) -> tuple[str, str]:
    school = commit.school
    doc = next(iter(commit.changes))
    if DOCUMENTS[doc][1] == "Principal":
        return school.principal
    member = school.tlt[0] if rng.random() < 0.6 else rng.choice(school.tlt)
    return member.name, member.email
