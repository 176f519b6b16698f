"""Shared building blocks of every plan document.

Each block is defined once and used by all three frameworks: a SMART outcome,
an implementation benchmark, a person, a strategy that names the goals it
serves, a TLT vote, a calendar. Content fields may be blank (`null`) while a
document is being written; `sipctl check` judges completeness by status, so
the schema itself only rejects what is wrong, never what is unfinished.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    AllowInfNan,
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
)

from sipctl.limits import FIRST_YEAR, LAST_YEAR, MAX_NUMBER

# The patterns a value must match, each with the words that tell a principal what it
# should be: `sipctl check` says "should be <words>", the browser form shows them too.
# Keep each to the subset of regular expressions Python and JavaScript read alike
# (tests/test_editor_config.py tries every one in both).
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
CYCLE_PATTERN = r"^[0-9]{4}-[0-9]{2}$"
CLOCK_PATTERN = r"^([01]?[0-9]|2[0-3]):[0-5][0-9]$"
PATTERN_WORDS = {
    ID_PATTERN: "a short label: letters and digits, then also - _ or ., no spaces (e.g. L1, G2)",
    SLUG_PATTERN: "lower-case letters and digits, words joined by - (e.g. oak-hill)",
    CYCLE_PATTERN: "a school year as YYYY-YY (e.g. 2022-23)",
    CLOCK_PATTERN: "a 24-hour time as HH:MM (e.g. 08:05 or 14:30)",
}

# Strings are strict: YAML's unquoted `no` is the boolean false, and must be
# reported rather than silently turned into the text "False".
Text = Annotated[str, Strict()]
Id = Annotated[
    str,
    Strict(),
    StringConstraints(pattern=ID_PATTERN, max_length=40),
    Field(
        description="A short label for the item, e.g. L1, G2, S3; keep it once set, because "
        "other documents and reviews refer to the item by it."
    ),
]
Ref = Annotated[
    str,
    Strict(),
    StringConstraints(pattern=ID_PATTERN, max_length=40),
    Field(description="The id of another item in the plan, e.g. G1 or I2."),
]
Slug = Annotated[str, Strict(), StringConstraints(pattern=SLUG_PATTERN)]
CycleId = Annotated[
    str,
    Strict(),
    StringConstraints(pattern=CYCLE_PATTERN),
    Field(description="The school year planned, as YYYY-YY (2022-23)."),
]


def plausible_date(value: dt.date) -> dt.date:
    """Refuse a date outside the years plans are about (`limits.FIRST_YEAR` to
    `LAST_YEAR`): 0001-01-01 or 9999-12-31 is a typo, and a day or a timezone added
    to either overflows Python's calendar in the deadline and calendar rules."""
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(
            f"{value.isoformat()} is not a date a plan can use: dates should fall in the "
            f"years {FIRST_YEAR} to {LAST_YEAR}; check the year"
        )
    return value


def _sized(value: float) -> float:
    """Refuse a number no plan needs, which would overflow sums and day arithmetic."""
    if abs(value) > MAX_NUMBER:
        raise ValueError(f"is larger than any number a plan needs (at most {MAX_NUMBER:,})")
    return value


Date = Annotated[dt.date, AfterValidator(plausible_date)]
# Strict numbers: a quoted "45" or a YAML boolean is an error, an int is fine; `.nan`
# and `.inf` are not numbers a plan can mean, and `NaN` is not JSON either.
Number = (
    Annotated[int, Strict(), AfterValidator(_sized)]
    | Annotated[float, Strict(), AllowInfNan(False), AfterValidator(_sized)]
)
Count = Annotated[int, Strict(), Field(ge=0), AfterValidator(_sized)]
ClockTime = Annotated[
    str,
    Strict(),
    StringConstraints(pattern=CLOCK_PATTERN),
    Field(description='A clock time in quotes, 24-hour: "08:05", "14:30".'),
]
Minutes = Annotated[int, Strict(), Field(ge=0, le=24 * 60)]

STATUSES: tuple[str, ...] = ("not-started", "in-progress", "draft", "final", "approved")
Status = Literal["not-started", "in-progress", "draft", "final", "approved"]
ProgressStatus = Literal["on-track", "approaching", "overdue", "done", "not-started"]


class Block(BaseModel):
    """Base of every model: unknown keys are errors, so a typo never goes unseen."""

    model_config = ConfigDict(extra="forbid", defer_build=True)


class Person(Block):
    name: Text | None = Field(None, description="The person's full name, as the plan shows it.")
    role: Text | None = Field(
        None, description="Their role at the school, e.g. Principal, Grade 3 teacher, parent."
    )
    email: Text | None = Field(None, description="An email address where they can be reached.")


class Baseline(Block):
    value: Number | None = Field(None, description="The number today, e.g. 31 for 31%.")
    unit: Text | None = Field(
        None, description="What the number counts: percent, days, students, ..."
    )
    as_of: Date | None = Field(None, description="When the baseline was measured.")
    source: Text | None = Field(None, description="Where the number comes from (MCAS, SQR, ...).")


class Target(Block):
    value: Number | None = Field(None, description="The number to reach, e.g. 45 for 45%.")
    unit: Text | None = Field(None, description="The same unit as the baseline, e.g. percent.")
    by: Date | None = Field(None, description="When the target should be reached.")


class InterimTarget(Block):
    id: Id
    value: Number | None = Field(
        None, description="The number to reach by this checkpoint, in the outcome's unit, e.g. 38."
    )
    by: Date | None = Field(None, description="The date of this checkpoint, e.g. 2023-01-31.")


class SmartOutcome(Block):
    """Planning for Success: specific, measurable, action-oriented, rigorous, timed."""

    metric: Text | None = Field(None, description="What is measured, in plain words.")
    student_group: Text | None = Field(None, description="All students, or the group measured.")
    baseline: Baseline = Field(
        default_factory=Baseline,
        description="Where the measure stands now: the number, its unit, when and where from.",
    )
    target: Target = Field(
        default_factory=Target,
        description="The number to reach and by when, e.g. 45 percent by 2023-06-30.",
    )
    interim: list[InterimTarget] = Field(
        default_factory=list,
        description="Interim targets during implementation, earliest first, e.g. 38 by "
        "2023-01-31 on the way to 45 by June.",
    )


class StatusUpdate(Block):
    """A dated progress-monitoring entry for a benchmark or action step."""

    date: Date = Field(description="The day of this progress check, e.g. 2022-11-15.")
    status: ProgressStatus = Field(
        description="Where it stood that day: on-track, approaching, overdue, done or not-started."
    )
    note: Text | None = Field(
        None, description="What the status rests on, e.g. 12 of 20 teachers enrolled."
    )


class ImplementationBenchmark(Block):
    """Planning for Success: a process or early-evidence-of-change benchmark."""

    id: Id
    kind: Literal["process", "early-evidence"] | None = Field(
        None,
        description="process: what will happen, who does it and when (e.g. 20 teachers complete "
        "an ESL course by June); early-evidence: a change in practice or attitude you should "
        "begin to see if the plan is working (e.g. more student oral language observed).",
    )
    what: Text | None = Field(
        None,
        description="The action step, or the change you expect to see, "
        "e.g. 20 teachers complete an ESL course.",
    )
    who: Text | None = Field(
        None, description="The person or team responsible, e.g. the literacy coach."
    )
    by: Date | None = Field(None, description="When it should be done or seen.")
    serves: list[Ref] = Field(
        default_factory=list,
        description="Ids of the initiatives (I1...) or, in a strategic action plan, the "
        "strategies (S1...) it advances.",
    )
    updates: list[StatusUpdate] = Field(
        default_factory=list,
        description="Dated progress checks, added during the year, each with a status (on-track, "
        "approaching, overdue, done, not-started) and a note.",
    )


class Strategy(Block):
    """A strategy or initiative, linked by id to the goals it serves."""

    id: Id
    title: Text | None = Field(
        None, description="The strategy in a few words, e.g. Weekly data meetings."
    )
    description: Text | None = Field(
        None, description="What the strategy is and why it will move the goal."
    )
    goals: list[Ref] = Field(default_factory=list, description="Ids of the goals it serves.")
    owner: Text | None = Field(None, description="Who leads it, e.g. the assistant principal.")
    start: Date | None = Field(None, description="When the strategy begins.")
    end: Date | None = Field(None, description="When the strategy ends.")
    action_steps: list[ImplementationBenchmark] = Field(
        default_factory=list,
        description="The steps that carry out the strategy, each with what, who and by when.",
    )


class TltMember(Block):
    id: Id
    name: Text | None = Field(None, description="The member's full name.")
    role: Text | None = Field(
        None, description="Their role at the school, e.g. Principal, Grade 2 teacher, ESL teacher."
    )
    email: Text | None = Field(
        None,
        description="The member's school email address, e.g. rdelgado@school.org: "
        "`sipctl remind` sends the TLT's deadline reminders there.",
    )
    term_year: Literal[1, 2] | None = Field(
        None, description="1 or 2: the year of the two-year term the member is in."
    )
    term_ends: Date | None = Field(None, description="The last day of the member's term.")
    ex_officio: bool | None = Field(
        None, description="A member by position (e.g. the principal), without an elected term."
    )


class TltVote(Block):
    """SEZP 2022-23: Educator Working Conditions require a vote by the TLT."""

    date: Date | None = Field(None, description="The day the TLT voted.")
    in_favor: Count | None = Field(None, description="How many TLT members voted yes.")
    opposed: Count | None = Field(None, description="How many TLT members voted no.")
    abstained: Count | None = Field(
        None, description="How many TLT members abstained, voting neither yes nor no."
    )
    members_eligible: Count | None = Field(
        None, description="How many TLT members were eligible to vote."
    )
    passed: bool | None = Field(
        None, description="true if the TLT approved the working conditions, false if not."
    )


class DayOff(Block):
    id: Id
    date: Date = Field(description="The day off, or the first day of a break.")
    end: Date | None = Field(None, description="Last day, for a break of several days.")
    reason: Text | None = Field(
        None, description="Why, e.g. Thanksgiving break, Professional learning."
    )


class EarlyRelease(Block):
    id: Id
    date: Date = Field(description="The day students leave early.")
    dismissal: ClockTime = Field(
        description='When students are dismissed, 24-hour in quotes, e.g. "12:30".'
    )
    reason: Text | None = Field(None, description="Why, e.g. Professional learning.")


class DailySchedule(Block):
    """A regular student day; structured learning time leaves out lunch, recess and passing."""

    start: ClockTime | None = Field(
        None, description='When the student day starts, 24-hour in quotes, e.g. "07:50".'
    )
    end: ClockTime | None = Field(
        None, description='When the student day ends, 24-hour in quotes, e.g. "15:10".'
    )
    lunch_minutes: Minutes | None = Field(
        None, description="Minutes of lunch in a regular day, e.g. 25."
    )
    recess_minutes: Minutes | None = Field(
        None, description="Minutes of recess in a regular day; 0 if there is none."
    )
    passing_minutes: Minutes | None = Field(
        None, description="Minutes spent moving between classes in a regular day, e.g. 10."
    )


class Resource(Block):
    id: Id
    kind: Literal["staff", "financial", "other"] | None = Field(
        None, description="Which kind of resource: staff, financial or other."
    )
    description: Text | None = Field(
        None, description="The resource, e.g. 0.5 FTE instructional coach."
    )
    amount: Number | None = Field(None, description="Dollars or FTE, as `unit` says, e.g. 0.5.")
    unit: Text | None = Field(None, description="What the amount counts: dollars, FTE, hours, ...")
    source: Text | None = Field(None, description="Funding source, e.g. Title I, school budget.")
    serves: list[Ref] = Field(
        default_factory=list, description="Ids of the initiatives it supports, e.g. [I1]."
    )


class Item(Block):
    """A short identified statement: an asset, a challenge, a core value, a change."""

    id: Id
    text: Text | None = Field(
        None, description="The statement itself, in a sentence or a few words."
    )
    evidence: Text | None = Field(
        None, description="The data or observation that shows it, e.g. what it looks like in class."
    )
