"""Frameworks are data: packaged YAML files naming each document and its deadline rules.

Adding a district's framework means adding a YAML file beside sezp.yaml (and a
model only if its documents are new); nothing in the services branches on a
framework's name.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib import resources
from typing import Literal

from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta
from pydantic import Field, ValidationError, model_validator

from sipctl.errors import ConfigurationError
from sipctl.models import DOCUMENT_MODELS, PlanDocument
from sipctl.models.blocks import Block, ClockTime, Slug, Text
from sipctl.source.files import YamlLoadError
from sipctl.source.positions import load_yaml

# The guidance every plan document's description ends with (Framework.describe).
WHEN_DUE = (
    "Its draft and final due dates are in the cycle file, cycles/<cycle>.yaml; `sipctl init` "
    "lists them and `sipctl check` warns as they come near."
)
FILLING_IN = (
    'To fill it in, replace every "TODO: ..." with your own words and every null with a value. '
    "Keep the ids (L1, G1, ...): other documents and reviews refer to items by them; add an item "
    "by copying one and giving it the next id. `sipctl check` lists what is left."
)
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_WEEKDAYS = {
    "monday": MO,
    "tuesday": TU,
    "wednesday": WE,
    "thursday": TH,
    "friday": FR,
    "saturday": SA,
    "sunday": SU,
}


class DeadlineRule(Block):
    """How a deadline falls in any cycle: "the Friday on or after May 6, 16:00".

    `year: start` is the first calendar year of the cycle (2022 for 2022-23:
    SEZP plans the coming school year in the spring before it); `end` the second.
    Without `time`, the deadline is a date and means the end of that day.
    """

    month: int | None = Field(None, ge=1, le=12)
    day: int | None = Field(None, ge=1, le=31)
    weekday: Weekday | None = Field(None, description="Move forward to this weekday if needed.")
    time: ClockTime | None = None
    year: Literal["start", "end"] = "start"
    set_by_district: bool = False
    note: Text | None = None

    @model_validator(mode="after")
    def _complete(self) -> DeadlineRule:
        if not self.set_by_district and (self.month is None or self.day is None):
            raise ValueError("a deadline rule needs month and day, or set_by_district: true")
        return self

    def resolve(self, start_year: int) -> dt.date | dt.datetime | None:
        """The local wall-clock deadline in the cycle starting in `start_year`."""
        if self.set_by_district or self.month is None or self.day is None:
            return None
        year = start_year if self.year == "start" else start_year + 1
        day = dt.date(year, 1, 1) + relativedelta(month=self.month, day=self.day)
        if self.weekday:
            day += relativedelta(weekday=_WEEKDAYS[self.weekday](+1))
        if self.time is None:
            return day
        hour, minute = (int(part) for part in self.time.split(":"))
        return dt.datetime(day.year, day.month, day.day, hour, minute)


class MilestoneRule(Block):
    id: Slug
    title: Text
    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)
    end_month: int | None = Field(None, ge=1, le=12)
    end_day: int | None = Field(None, ge=1, le=31)
    year: Literal["start", "end"] = "start"

    def resolve(self, start_year: int) -> tuple[dt.date, dt.date | None]:
        year = start_year if self.year == "start" else start_year + 1
        begin = dt.date(year, 1, 1) + relativedelta(month=self.month, day=self.day)
        end = None
        if self.end_month is not None:
            end = dt.date(year, 1, 1) + relativedelta(month=self.end_month, day=self.end_day or 1)
        return begin, end


class Phase(Block):
    id: Text
    title: Text


class FrameworkDocument(Block):
    id: Slug
    title: Text
    phase: Text
    owner: Text
    model: Text
    description: Text
    draft: DeadlineRule | None = None
    final: DeadlineRule | None = None
    carry: list[str] = Field(default_factory=list)

    @property
    def model_class(self) -> type[PlanDocument]:
        return DOCUMENT_MODELS[self.model]


class Framework(Block):
    id: Slug
    title: Text
    source: Text
    description: Text
    phases: list[Phase]
    documents: list[FrameworkDocument]
    milestones: list[MilestoneRule] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Framework:
        phases = {p.id for p in self.phases}
        for doc in self.documents:
            if doc.model not in DOCUMENT_MODELS:
                raise ValueError(f"document {doc.id}: no model named {doc.model!r}")
            if doc.phase not in phases:
                raise ValueError(f"document {doc.id}: unknown phase {doc.phase!r}")
        return self

    def document(self, doc_id: str) -> FrameworkDocument | None:
        return next((d for d in self.documents if d.id == doc_id), None)

    def describe(self, doc: FrameworkDocument) -> str:
        """The whole document's description in the schemas, so in editors and the browser
        form: what it is for, its phase, who owns it, where its dates are and how to fill it
        in. Plan files carry no comments (docs/fmt.md), so this is where a principal reads it.
        The dates are the cycle file's, which the district may change, not the framework's."""
        phase = next(p.title for p in self.phases if p.id == doc.phase)
        return (
            f"{doc.title}: {self.title}. {phase}. Owner: {doc.owner}. {doc.description} "
            f"{WHEN_DUE} {FILLING_IN}"
        )

    def deadlines(self, start_year: int) -> dict[str, dict[str, dt.date | dt.datetime | None]]:
        """Every document's draft and final deadline in the cycle starting in `start_year`."""
        return {
            doc.id: {
                "draft_due": doc.draft.resolve(start_year) if doc.draft else None,
                "final_due": doc.final.resolve(start_year) if doc.final else None,
            }
            for doc in self.documents
        }


def available_frameworks() -> list[str]:
    return list(_shipped_frameworks())


@cache
def _shipped_frameworks() -> tuple[str, ...]:
    """The frameworks in the package (they do not change while sipctl runs)."""
    folder = resources.files("sipctl") / "frameworks"
    return tuple(
        sorted(p.name[: -len(".yaml")] for p in folder.iterdir() if p.name.endswith(".yaml"))
    )


@cache
def load_framework(name: str) -> Framework:
    if name not in available_frameworks():
        raise ConfigurationError(
            f"unknown framework {name!r}",
            hint="choose one of: " + ", ".join(available_frameworks()),
        )
    text = (resources.files("sipctl") / "frameworks" / f"{name}.yaml").read_text("utf-8")
    try:
        return Framework.model_validate(load_yaml(text).data)
    except (YamlLoadError, ValidationError) as exc:  # a packaging bug, not a user error
        raise RuntimeError(f"framework {name} is broken: {exc}") from exc


def model_for(doc_id: str, frameworks: list[str]) -> FrameworkDocument | None:
    """The framework entry for a document id, searching the given frameworks in order."""
    for name in frameworks:
        found = load_framework(name).document(doc_id)
        if found is not None:
            return found
    return None


def describe_document(doc_id: str) -> str:
    """`Framework.describe` of the shipped document `doc_id`."""
    for name in available_frameworks():
        framework = load_framework(name)
        doc = framework.document(doc_id)
        if doc is not None:
            return framework.describe(doc)
    raise KeyError(doc_id)


def all_documents() -> dict[str, FrameworkDocument]:
    """Every document id of every shipped framework."""
    return {
        doc.id: doc for name in available_frameworks() for doc in load_framework(name).documents
    }
