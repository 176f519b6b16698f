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

from pydantic import BaseModel, ConfigDict, Field, Strict, StringConstraints

# Strings are strict: YAML's unquoted `no` is the boolean false, and must be
# reported rather than silently turned into the text "False".
Text = Annotated[str, Strict()]
Id = Annotated[
    str,
    Strict(),
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=40),
    Field(description="A short stable identifier (e.g. L1, G2, S3) that links and diffs use."),
]
Ref = Annotated[
    str,
    Strict(),
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=40),
    Field(description="The id of another item this one refers to."),
]
Slug = Annotated[str, Strict(), StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
CycleId = Annotated[
    str,
    Strict(),
    StringConstraints(pattern=r"^[0-9]{4}-[0-9]{2}$"),
    Field(description="The school year planned, as YYYY-YY (2022-23)."),
]
# Strict numbers: a quoted "45" or a YAML boolean is an error, an int is fine.
Number = Annotated[int, Strict()] | Annotated[float, Strict()]
Count = Annotated[int, Strict(), Field(ge=0)]
ClockTime = Annotated[
    str,
    Strict(),
    StringConstraints(pattern=r"^([01]?[0-9]|2[0-3]):[0-5][0-9]$"),
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
    name: Text | None = None
    role: Text | None = Field(None, description="e.g. Principal, Grade 3 teacher, parent")
    email: Text | None = None


class Baseline(Block):
    value: Number | None = None
    unit: Text | None = Field(None, description="percent, days, students, ...")
    as_of: dt.date | None = Field(None, description="When the baseline was measured.")
    source: Text | None = Field(None, description="Where the number comes from (MCAS, SQR, ...).")


class Target(Block):
    value: Number | None = None
    unit: Text | None = None
    by: dt.date | None = Field(None, description="When the target should be reached.")


class InterimTarget(Block):
    id: Id
    value: Number | None = None
    by: dt.date | None = None


class SmartOutcome(Block):
    """Planning for Success: specific, measurable, action-oriented, rigorous, timed."""

    metric: Text | None = Field(None, description="What is measured, in plain words.")
    student_group: Text | None = Field(None, description="All students, or the group measured.")
    baseline: Baseline = Field(default_factory=Baseline)
    target: Target = Field(default_factory=Target)
    interim: list[InterimTarget] = Field(
        default_factory=list, description="Interim targets during implementation, earliest first."
    )


class StatusUpdate(Block):
    """A dated progress-monitoring entry for a benchmark or action step."""

    date: dt.date
    status: ProgressStatus
    note: Text | None = None


class ImplementationBenchmark(Block):
    """Planning for Success: a process or early-evidence-of-change benchmark."""

    id: Id
    kind: Literal["process", "early-evidence"] | None = Field(
        None,
        description="process: what will happen, who does it and when; early-evidence: a change "
        "you should begin to see if the plan is working.",
    )
    what: Text | None = None
    who: Text | None = None
    by: dt.date | None = None
    serves: list[Ref] = Field(
        default_factory=list, description="Ids of the initiatives or strategies it advances."
    )
    updates: list[StatusUpdate] = Field(default_factory=list)


class Strategy(Block):
    """A strategy or initiative, linked by id to the goals it serves."""

    id: Id
    title: Text | None = None
    description: Text | None = None
    goals: list[Ref] = Field(default_factory=list, description="Ids of the goals it serves.")
    owner: Text | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    action_steps: list[ImplementationBenchmark] = Field(default_factory=list)


class TltMember(Block):
    id: Id
    name: Text | None = None
    role: Text | None = Field(None, description="e.g. Principal, Grade 2 teacher, ESL teacher")
    term_year: Literal[1, 2] | None = Field(None, description="1 or 2: year of the two-year term")
    term_ends: dt.date | None = None
    ex_officio: bool | None = Field(
        None, description="A member by position (e.g. the principal), without an elected term."
    )


class TltVote(Block):
    """SEZP 2022-23: Educator Working Conditions require a vote by the TLT."""

    date: dt.date | None = None
    in_favor: Count | None = None
    opposed: Count | None = None
    abstained: Count | None = None
    members_eligible: Count | None = None
    passed: bool | None = None


class DayOff(Block):
    id: Id
    date: dt.date
    end: dt.date | None = Field(None, description="Last day, for a break of several days.")
    reason: Text | None = None


class EarlyRelease(Block):
    id: Id
    date: dt.date
    dismissal: ClockTime
    reason: Text | None = None


class DailySchedule(Block):
    """A regular student day; structured learning time excludes lunch, recess and passing."""

    start: ClockTime | None = None
    end: ClockTime | None = None
    lunch_minutes: Minutes | None = None
    recess_minutes: Minutes | None = None
    passing_minutes: Minutes | None = None


class Resource(Block):
    id: Id
    kind: Literal["staff", "financial", "other"] | None = None
    description: Text | None = None
    amount: Number | None = Field(None, description="Dollars or FTE, as `unit` says.")
    unit: Text | None = None
    source: Text | None = Field(None, description="Funding source, e.g. Title I, school budget.")
    serves: list[Ref] = Field(default_factory=list)


class Item(Block):
    """A short identified statement: an asset, a challenge, a core value, a change."""

    id: Id
    text: Text | None = None
    evidence: Text | None = None
