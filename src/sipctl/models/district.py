"""The district file, the cycle file and the school profile."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    Field,
    Strict,
    StringConstraints,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from sipctl.models.blocks import (
    Block,
    Count,
    CycleId,
    Date,
    Person,
    Slug,
    Text,
    TltMember,
    plausible_date,
)

MAX_WARNING_DAYS = 366

# GitHub's rules for account and repository names, as far as a typo is concerned.
GitHubRepository = Annotated[
    str, Strict(), StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9_.-]+$")
]
Timezone = Annotated[
    str, Field(description="The timezone of every deadline, an IANA name, e.g. America/New_York.")
]


def _check_timezone(value: str | None) -> str | None:
    if value is None:
        return value
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(
            f"{value!r} is not a timezone name; use an IANA name such as America/New_York"
        ) from None
    return value


class Contact(Block):
    """A district reviewer who gets a copy of every reminder sent to a school."""

    name: Text = Field(description="The reviewer's full name, e.g. Helen Marchetti.")
    email: Text = Field(
        description="Where the copies go, e.g. hmarchetti@district.org.",
    )


class DistrictConfig(Block):
    """sipctl.yaml at the top of the district repository."""

    district: Text = Field(description="The district's or zone's name, as published plans show it.")
    timezone: Timezone = "America/New_York"
    framework: Slug = Field(
        "sezp",
        description="The framework new cycles use: sezp, planning-for-success or dese-sip.",
    )
    warning_days: Count = Field(
        7, description="How many days before a deadline `sipctl check` starts warning, e.g. 7."
    )
    reviewers: list[Text] = Field(
        default_factory=list, description="GitHub users or teams that review plans (CODEOWNERS)."
    )
    contacts: list[Contact] = Field(
        default_factory=list,
        description="District staff who review the plans and get a copy (Cc) of every "
        "deadline reminder `sipctl remind` sends a school, each with name and email.",
    )
    repository: GitHubRepository | None = Field(
        None,
        description="The district repository on GitHub as OWNER/NAME, e.g. riverbend-ez/plans: "
        "where the browser editor (`sipctl editor`) signs in and saves.",
    )
    site: Text | None = Field(
        None,
        description="The address of the published plans, e.g. https://plans.riverbend.org/: "
        "calendar feeds link to it. Leave out to use the GitHub Pages address of "
        "`repository` (https://OWNER.github.io/NAME/).",
    )

    @field_validator("site")
    @classmethod
    def _site(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", value):
            raise ValueError(
                f"{value!r} is not a web address; use e.g. https://plans.riverbend.org/"
            )
        return value

    @property
    def site_address(self) -> str | None:
        """Where the plans are published, ending in `/`: `site`, or the GitHub Pages
        address of `repository`; None when neither is known."""
        if self.site:
            return self.site if self.site.endswith("/") else self.site + "/"
        if self.repository:
            owner, name = self.repository.split("/")
            return f"https://{owner.lower()}.github.io/{name}/"
        return None

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str | None) -> str | None:
        return _check_timezone(value)

    @field_validator("warning_days")
    @classmethod
    def _warning_days(cls, value: int) -> int:
        # Days are added to instants: a warning longer than a school year means nothing,
        # and billions of days overflow Python's calendar.
        if value > MAX_WARNING_DAYS:
            raise ValueError(f"should be at most {MAX_WARNING_DAYS} days, a school year")
        return value


# Deadlines are local wall-clock times without an offset ("2022-05-06T16:00"), which
# JSON Schema's `date-time` format (RFC 3339, offset required) would reject in editors.
LocalDeadline = Annotated[
    dt.date | dt.datetime,
    AfterValidator(plausible_date),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "date"},
                {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$"},
            ],
            "description": "Local time in the cycle's timezone, e.g. 2022-05-06T16:00; "
            "a bare date (2022-03-01) means the end of that day.",
        }
    ),
]


class DocumentDeadlines(Block):
    """Local wall-clock deadlines in the cycle's timezone; a bare date means end of that day."""

    draft_due: LocalDeadline | None = Field(
        None, description="When the draft is due, e.g. 2022-05-06T16:00; leave out if none."
    )
    final_due: LocalDeadline | None = Field(
        None, description="When the final is due, e.g. 2022-05-27T16:00."
    )
    note: Text | None = Field(
        None, description="A note shown with the deadline, e.g. the district sets this date."
    )


class Milestone(Block):
    title: Text | None = Field(
        None, description="What happens, e.g. SEZP Board approves school plans."
    )
    date: Date = Field(description="The day it happens, or the first day of a period.")
    end: Date | None = Field(None, description="The last day, for a period of several days.")


class CycleConfig(Block):
    """cycles/<cycle>.yaml: one planning cycle, its framework(s), deadlines and milestones."""

    cycle: CycleId
    framework: Slug | list[Slug] = Field(
        description="The framework the cycle follows, e.g. sezp, or a list when schools differ."
    )
    timezone: Timezone | None = Field(
        None, description="The timezone of this cycle's deadlines; leave out to use the district's."
    )
    documents: dict[Text, DocumentDeadlines] = Field(
        default_factory=dict,
        description="Each document's deadlines by document id, "
        "e.g. priority-levers: {draft_due: 2022-05-06T16:00, final_due: 2022-05-27T16:00}.",
    )
    milestones: dict[Text, Milestone] = Field(
        default_factory=dict,
        description="Dates on the cycle's timeline, shown beside the deadlines, "
        "e.g. board-approval: 2022-06-07.",
    )

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str | None) -> str | None:
        return _check_timezone(value)

    @field_validator("milestones", mode="before")
    @classmethod
    def _milestone_shorthand(cls, value: object) -> object:
        # `board-approval: 2022-06-07` is shorthand for {date: 2022-06-07}.
        if isinstance(value, dict):
            return {k: {"date": v} if isinstance(v, dt.date | str) else v for k, v in value.items()}
        return value

    @model_validator(mode="after")
    def _cycle_years(self) -> CycleConfig:
        start, end = self.cycle.split("-")
        if (int(start) + 1) % 100 != int(end):
            raise ValueError(f"cycle {self.cycle!r} should name consecutive years, e.g. 2022-23")
        return self

    @property
    def frameworks(self) -> list[str]:
        return [self.framework] if isinstance(self.framework, str) else list(self.framework)

    @property
    def start_year(self) -> int:
        return int(self.cycle[:4])


_GRADES = re.compile(r"^(PK|K|[0-9]{1,2})(-(K|[0-9]{1,2}))?$")


class SchoolProfile(Block):
    """schools/<slug>/school.yaml."""

    school: Slug = Field(
        description="The school's short name, the same as its folder under schools/, e.g. maple."
    )
    name: Text = Field(description="The school's full name, as published plans show it.")
    grades: Text | None = Field(None, description='Grade span, e.g. "K-5", "6-8", "9-12".')
    level: Literal["elementary", "middle", "high", "k-8", "other"] | None = Field(
        None, description="The kind of school: elementary, middle, high, k-8 or other."
    )
    principal: Person = Field(
        default_factory=Person, description="The principal's name, role and email address."
    )
    tlt: list[TltMember] = Field(
        default_factory=list,
        description="The Teacher Leadership Team (TLT), including the principal; "
        "each member keeps the same id from year to year.",
    )
    frameworks: list[Slug] = Field(
        default_factory=list,
        description="Which of the cycle's frameworks apply, when the cycle names several.",
    )
    designation: Text | None = Field(
        None, description="State accountability designation, e.g. underperforming."
    )

    @field_validator("grades")
    @classmethod
    def _grades(cls, value: str | None) -> str | None:
        if value is not None and not _GRADES.match(value):
            raise ValueError('grades should be a span like "K-5", "6-8" or "9-12"')
        return value

    @property
    def lowest_grade(self) -> int | None:
        if self.grades is None:
            return None
        low = self.grades.split("-")[0]
        return {"PK": -1, "K": 0}[low] if low in ("PK", "K") else int(low)

    @property
    def is_secondary(self) -> bool:
        """603 CMR 27.04: 990 hours for secondary schools, 900 for elementary.

        A school whose youngest grade is 6 or above is secondary; a K-8 school
        is held to the elementary minimum, the lower bar, so check never fails
        a school on a reading of the regulation it did not choose.
        """
        lowest = self.lowest_grade
        return lowest is not None and lowest >= 6
