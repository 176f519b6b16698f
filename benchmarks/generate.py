#!/usr/bin/env python3
"""Generate a synthetic SEZP district in a new git repository, for benchmarks.

    python benchmarks/generate.py OUT [--schools 1800] [--commits 20000] [--seed 1]

OUT becomes a git repository (branch ``main``) holding what a state office keeping
every school's plan in one repository would have at the end of the 2022-23 cycle:

- ``sipctl.yaml`` and ``cycles/2022-23.yaml`` copied from ``examples/sezp-district``,
  ``schemas/`` copied from the top-level ``schemas/``;
- N schools, each with ``school.yaml`` and the thirteen SEZP documents, filled with
  content built from the example plans of Oak Hill and Maple Street (the same keys,
  list shapes and kinds of text, with other names, numbers, dates and lengths), so
  that documents are 2-20 KB like real plans;
- a history of exactly M commits: the district scaffolds every document as
  ``not-started`` on February 14, 2022, then each school moves its documents through
  ``in-progress``, ``draft`` and ``final`` across the cycle, mostly on time, some
  late, some never (missed), with edits in between. Committer dates carry the
  America/New_York offset of their day (-05:00 in winter, -04:00 in summer).

Everything is derived from the seed: the same arguments give the same commits
(the same HEAD sha). The history is written with one ``git fast-import`` stream
(every version of a document as consecutive blobs, so they delta well, then the
commits in time order with ``M`` commands naming those blobs) and the work tree
comes from one ``git reset --hard``.

Needs PyYAML (to read the examples) and git; run it with the project's venv.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

import yaml
import yaml.resolver

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "sezp-district"
SCHEMAS = ROOT / "schemas"
CYCLE = "2022-23"
ZONE = ZoneInfo("America/New_York")
DOMAIN = "riverbend-ez.example.org"

DEFAULT_SCHOOLS = 1800
DEFAULT_COMMITS = 20000

SCAFFOLD_TIME = dt.datetime(2022, 2, 14, 9, 30)
HORIZON = dt.datetime(2022, 12, 16, 18, 0)  # no commit after this local time
DISTRICT_STAFF = ("Helen Marchetti", f"hmarchetti@{DOMAIN}")

Data = dict[str, Any]

# ---------------------------------------------------------------------------------------
# The cycle: documents in official order, owners, deadlines, when work may start
# ---------------------------------------------------------------------------------------

PHASE_START = {
    "I": dt.datetime(2022, 2, 22, 9, 0),
    "II": dt.datetime(2022, 4, 12, 9, 0),
    "III": dt.datetime(2022, 6, 8, 9, 0),
    "IV": dt.datetime(2022, 9, 12, 9, 0),
}
DOCUMENTS: dict[str, tuple[str, str]] = {  # id -> (phase, owner)
    "priority-levers": ("I", "TLT"),
    "working-conditions": ("I", "TLT"),
    "calendars": ("I", "TLT"),
    "sps-optional-services": ("I", "Principal"),
    "sezp-support-services": ("I", "Principal"),
    "summer-school-launch": ("I", "Principal"),
    "lever-goals": ("II", "TLT"),
    "tlt-transition": ("II", "TLT"),
    "summer-plan": ("II", "Principal"),
    "strategic-action-plan": ("III", "Principal"),
    "faculty-handbook": ("III", "Principal"),
    "mid-year-targets": ("IV", "TLT"),
    "tlt-selection": ("IV", "TLT"),
}
# summer-school-launch has no deadline: work is anchored here instead.
NO_DEADLINE_ANCHOR = dt.datetime(2022, 4, 15, 16, 0)
STATUSES = ("not-started", "in-progress", "draft", "final")


def load_deadlines() -> dict[str, tuple[dt.datetime | None, dt.datetime | None]]:
    """(draft due, final due) of every document, local time, from the example cycle file."""
    cycle = yaml.load((EXAMPLE / "cycles" / f"{CYCLE}.yaml").read_text(), Loader=yaml.SafeLoader)

    def instant(value: object) -> dt.datetime | None:
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value
        if isinstance(value, dt.date):  # a bare date means the end of that day
            return dt.datetime.combine(value, dt.time(23, 59))
        return dt.datetime.fromisoformat(str(value))

    out = {}
    for doc in DOCUMENTS:
        entry = cycle["documents"].get(doc) or {}
        out[doc] = (instant(entry.get("draft_due")), instant(entry.get("final_due")))
    return out


# ---------------------------------------------------------------------------------------
# Text pools: the example plans' own text, varied per school
# ---------------------------------------------------------------------------------------


def _load_examples() -> dict[str, list[Data]]:
    """doc id -> the example documents (oak-hill first), parsed."""
    out: dict[str, list[Data]] = {}
    for school in ("oak-hill", "maple", "birch"):
        folder = EXAMPLE / "schools" / school / CYCLE
        for path in sorted(folder.glob("*.yaml")):
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
            out.setdefault(path.stem, []).append(data)
    return out


def _strings(value: object, key: str | None, into: dict[str, list[str]]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _strings(v, str(k), into)
    elif isinstance(value, list):
        for item in value:
            _strings(item, key, into)
    elif isinstance(value, str) and key is not None and not value.startswith("TODO"):
        bucket = into.setdefault(key, [])
        text = " ".join(value.split())
        if text not in bucket:
            bucket.append(text)


_SENTENCE_END = re.compile(r"(?<=[a-z0-9%)][.!?])\s+(?=[A-Z\"(])")

EXAMPLES = _load_examples()
POOL: dict[str, list[str]] = {}
for _docs in EXAMPLES.values():
    for _doc in _docs:
        _strings(_doc, None, POOL)
SENTENCES: list[str] = sorted(
    {
        sentence
        for values in POOL.values()
        for value in values
        if len(value) >= 60
        for sentence in _SENTENCE_END.split(value)
        if 40 <= len(sentence) <= 400 and sentence.endswith((".", ")"))
    }
)

EXAMPLE_NAMES = (
    "Oak Hill Middle School",
    "Maple Street Elementary School",
    "Birch Avenue",
    "Oak Hill",
    "Maple Street",
    "Oak Street",
)
EXAMPLE_PEOPLE = ("Marcus Whitfield", "Angela Whitcomb")


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _words(
    "Aaliyah Adriana Alejandro Amara Andre Angela Anthony Beatriz Brian Camila Carmen Carlos "
    "Chen Daniel Danielle Darnell Deborah Diego Elena Emily Farah Felix Grace Hannah Hector "
    "Ibrahim Imani Isabel Jamal Janelle Javier Jessica Joseph Julia Kevin Keisha Kwame Laura "
    "Leticia Linh Luis Malik Maria Marcus Maya Michael Monica Nadia Naomi Nicole Omar Patrick "
    "Priya Rafael Rebecca Rosa Samuel Sarah Shanice Sofia Tamara Thomas Tomasz Valerie Victor "
    "Wei Yasmin Yolanda Zoe"
)
LAST_NAMES = _words(
    "Abernathy Acevedo Amankwah Baptiste Brosnan Castillo Chen Cruz Delgado Dubois Duarte "
    "Ferreira Fitzgerald Flores Gallagher Garcia Grant Haddad Holloway Hughes Jackson Kessler "
    "Kowalski Larkin Le Lopez Mahoney Marchetti Martinez Mendes Morales Murphy Nguyen Nowicki "
    "Obi Okafor Okonkwo Oliveira Ortiz Pereira Pham Quinn Raman Ramirez Reyes Rivera Robinson "
    "Rodriguez Santiago Sullivan Tavares Thompson Torres Tran Vargas Walsh Washington "
    "Whitcomb Williams Wright Yilmaz Zielinski"
)
PLACES = _words(
    "Oak Maple Birch Cedar Elm Willow Chestnut Hickory Pine Spruce Linden Magnolia Sycamore "
    "Aspen Juniper Holly Laurel Hawthorne Poplar Alder Beech Cypress Walnut Dogwood Sumner "
    "Lincoln Washington Jefferson Adams Kennedy Franklin Douglass Tubman Brightwood Riverside "
    "Lakeview Hillcrest Glenwood Fairview Brookside Greenfield Westfield Northgate Southwick "
    "Eastover Pioneer Liberty Harbor Summit Meadow Orchard Union Central Chapel Mill Bridge "
    "Forest Kensington Milton Ashland Boland Putnam Gerena Dryden Talmadge Warner Glickman"
)
SUFFIXES = _words(
    "Hill Street Avenue Park Grove Brook Ridge Heights Valley Square Commons Crossing Road "
    "Terrace Gardens Point Landing Falls Creek Meadows"
)
LEVELS: tuple[tuple[str, str, str, str, float], ...] = (
    # level, grades, name ending, slug tag, share of schools
    ("elementary", "K-5", "Elementary School", "es", 0.50),
    ("elementary", "PK-5", "Elementary School", "es", 0.08),
    ("middle", "6-8", "Middle School", "ms", 0.18),
    ("k-8", "K-8", "School", "k8", 0.09),
    ("high", "9-12", "High School", "hs", 0.15),
)
TLT_ROLES = {
    "elementary": (
        "Kindergarten teacher",
        "Grade 1 teacher",
        "Grade 2 teacher",
        "Grade 3 teacher",
        "Grade 4 teacher",
        "Grade 5 teacher",
        "ESL teacher",
        "Reading interventionist",
        "Special education teacher",
        "School adjustment counselor",
        "Art teacher",
    ),
    "secondary": (
        "ELA teacher",
        "Math teacher",
        "Science teacher",
        "Social studies teacher",
        "ESL teacher",
        "Special education teacher, inclusion",
        "Unified arts teacher (physical education)",
        "School adjustment counselor",
        "World languages teacher",
        "Career and technical education teacher",
    ),
}
LEVERS = (
    "Data-driven instruction",
    "Family engagement",
    "Attendance and family partnership",
    "Rigorous, student-centered instruction",
    "Social-emotional learning and school culture",
    "Multi-tiered systems of support",
    "Inclusive practices for students with disabilities",
    "English learner achievement",
    "Teacher collaboration and common planning",
    "Early literacy",
    "Student voice and leadership",
    "Culturally responsive teaching",
)
DATA_SOURCES = (
    "Mid-year Roadmap for Equitable Student Outcomes (January 2022)",
    "MCAS spring 2021 results",
    "i-Ready winter diagnostic (January 2022)",
    "DIBELS 8 winter screening (January 2022)",
    "School Quality Review report (November 2021)",
    "Insight educator survey (winter 2022)",
    "Family survey (winter 2022)",
    "Student survey (winter 2022)",
    "Student information system attendance reports (through February 28, 2022)",
    "Discipline referral data (September 2021 - February 2022)",
    "Fall 2021 conference sign-in sheets",
    "ACCESS for ELLs 2021 results",
    "Common formative assessments, units 1-3",
    "Grade-level team data-cycle logs",
    "Instructional walkthrough data (fall 2021)",
)
SERVICES = {
    "SV": (
        "RPS Transportation - late bus for after-school programs",
        "RPS Custodial overtime for evening family events",
        "RPS Professional Development Center - content coaching",
        "RPS Nursing - additional school nurse hours",
        "RPS Translation and interpretation services",
        "RPS Library media services",
        "RPS Food Services - supper program",
        "RPS Information Technology - device refresh",
        "RPS Security - additional monitor hours",
        "RPS Psychological services - additional evaluation days",
        "RPS Athletics - middle school sports league",
        "RPS Printing and mail services",
        "RPS Substitute pool - dedicated building substitute",
        "RPS Grant writing support",
    ),
    "ZS": (
        "Data-cycle coaching for grade-level teams",
        "Empowerment coach for the TLT",
        "Family Empowerment Council partnership",
        "Exceptional learner program review",
        "Summer school procurement support",
        "Master schedule design support",
        "New teacher induction and mentoring",
        "Culturally responsive instruction workshops",
        "Recruitment and hiring fair support",
        "Budget and staffing planning support",
        "Restorative practices training",
    ),
}
PARTNERS = (
    "Riverbend Boys & Girls Club",
    "Pioneer Valley Science Collaborative",
    "Riverbend Public Library",
    "Riverbend YMCA",
    "Western Mass Arts Alliance",
    "Connecticut River Watershed Council",
    "Springfield Technical Community College",
    "Riverbend Family Resource Center",
    "City Stage youth theater",
    "Big Brothers Big Sisters of Hampden County",
)
PROGRAMS = ("Summer Bridge", "Transition Camp", "Summer Readers", "STEM Academy")
HANDBOOK_TITLES = (
    "Mission, vision and the 2022-23 priority levers",
    "Calendar, daily schedule and working conditions",
    "Advisory and attendance procedures",
    "Data cycles and common planning time",
    "Student support and special education",
    "English learners",
    "Family communication",
    "Safety, arrival, dismissal and duties",
    "Professional expectations and evaluation",
    "Grading and progress reports",
    "Behavior expectations and restorative practices",
    "Technology and student devices",
    "Field trips and school events",
    "Substitute plans and coverage",
    "Health office and medication",
    "Budget, purchasing and supplies",
    "Curriculum maps and assessment calendar",
    "Mentoring and new staff induction",
    "Communication with the district and the Zone",
    "Emergency contacts and phone tree",
)
METRICS = (
    ("Students meeting or exceeding expectations on MCAS ELA", "percent"),
    ("Students meeting or exceeding expectations on MCAS math", "percent"),
    ("Students on or above grade level on the i-Ready reading diagnostic", "percent"),
    ("Students on or above grade level on the i-Ready math diagnostic", "percent"),
    ("K-2 students at or above benchmark on the DIBELS 8 composite", "percent"),
    (
        "Students missing 10% or more of the days they were enrolled (chronic absenteeism)",
        "percent",
    ),
    ("Families attending at least one student-led conference", "percent"),
    ("Family survey response rate", "percent"),
    ("English learners making progress on ACCESS for ELLs", "percent"),
    ("Students with one or more out-of-school suspensions", "percent"),
    ("Average daily attendance", "percent"),
    ("Students scoring 3 or higher on the common writing task", "percent"),
)


def vary(text: str, rng: random.Random, school: School) -> str:
    """The example text for another school: its name, and percentages moved a little."""
    for name in EXAMPLE_NAMES:
        if name in text:
            text = text.replace(name, school.short)
    for person in EXAMPLE_PEOPLE:
        if person in text:
            text = text.replace(person, school.principal[0])
    return re.sub(
        r"\b(\d{1,2})%",
        lambda m: f"{min(99, max(1, int(m.group(1)) + rng.randint(-6, 6)))}%",
        text,
    )


def text_of(key: str, rng: random.Random, school: School, extra: tuple[int, int] = (0, 0)) -> str:
    """One value of field `key` as the examples write it, plus `extra` sentences."""
    pool = POOL.get(key) or SENTENCES
    parts = [vary(rng.choice(pool), rng, school)]
    count = rng.randint(*extra)
    if count:
        parts.extend(vary(s, rng, school) for s in rng.sample(SENTENCES, count))
    return " ".join(" ".join(parts).split())


def day(start: dt.date, rng: random.Random, span: int) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, span)))


# ---------------------------------------------------------------------------------------
# Schools
# ---------------------------------------------------------------------------------------


@dataclass
class Member:
    id: str
    name: str
    role: str
    term_year: int
    term_ends: dt.date

    @property
    def email(self) -> str:
        first, *_, last = self.name.split()
        return f"{first[0]}{last}@{DOMAIN}".lower()


@dataclass
class School:
    index: int
    slug: str
    name: str
    short: str
    level: str
    grades: str
    principal: tuple[str, str]  # name, email
    tlt: list[Member]
    levers: tuple[str, str]
    goals: list[tuple[str, str]]  # (goal id, lever id)
    p_late: float
    p_missed: float
    weight: float  # share of the history's commits

    @property
    def secondary(self) -> bool:
        return self.level in ("middle", "high")


def _person(rng: random.Random, used: set[str]) -> str:
    while True:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if name not in used:
            used.add(name)
            return name


def build_schools(count: int, seed: int) -> list[School]:
    rng = random.Random(f"sipctl-bench:{seed}:schools")
    schools: list[School] = []
    slugs: set[str] = set()
    names: set[str] = set()
    shares = [share for *_, share in LEVELS]
    for index in range(count):
        level, grades, ending, tag, _ = rng.choices(LEVELS, weights=shares)[0]
        place, suffix = rng.choice(PLACES), rng.choice(SUFFIXES)
        short = f"{place} {suffix}"
        base = f"{place}-{suffix}".lower()
        slug = base if base not in slugs else f"{base}-{tag}"
        number = 2
        while slug in slugs:
            slug = f"{base}-{tag}-{number}"
            number += 1
        slugs.add(slug)
        people: set[str] = set()
        principal = _person(rng, people)
        first, *_, last = principal.split()
        roles = TLT_ROLES["elementary" if level in ("elementary", "k-8") else "secondary"]
        members = []
        for number, role in enumerate(rng.sample(roles, rng.randint(5, 9)), start=1):
            term_year = rng.choice((1, 2))
            members.append(
                Member(
                    id=f"T{number}",
                    name=_person(rng, people),
                    role=role + (", TLT co-chair" if number == 1 else ""),
                    term_year=term_year,
                    term_ends=dt.date(2024 - term_year, 6, 30),
                )
            )
        goals = [("G1", "L1"), ("G2", "L2")]
        for number in range(3, rng.randint(3, 6) + 1):
            goals.append((f"G{number}", rng.choice(("L1", "L2"))))
        goals.sort(key=lambda goal: (goal[1], int(goal[0][1:])))
        goals = [(f"G{i}", lever) for i, (_, lever) in enumerate(goals, start=1)]
        kind = rng.random()
        p_late, p_missed, weight = (
            (0.05, 0.01, 1.1)
            if kind < 0.65
            else (0.2, 0.05, 1.0)
            if kind < 0.9
            else (0.3, 0.3, 0.6)
        )
        first_lever, second_lever = rng.sample(LEVERS, 2)
        full_name = f"{short} {ending}"
        if full_name in names:
            full_name = f"{short} {ending} ({grades})"
        names.add(full_name)
        schools.append(
            School(
                index=index,
                slug=slug,
                name=full_name,
                short=short,
                level=level,
                grades=grades,
                principal=(principal, f"{first[0]}{last}@{DOMAIN}".lower()),
                tlt=members,
                levers=(first_lever, second_lever),
                goals=goals,
                p_late=p_late,
                p_missed=p_missed,
                weight=weight * rng.uniform(0.6, 1.4),
            )
        )
    return schools


def profile(school: School) -> Data:
    return {
        "school": school.slug,
        "name": school.name,
        "grades": school.grades,
        "level": school.level,
        "principal": {
            "name": school.principal[0],
            "role": "Principal",
            "email": school.principal[1],
        },
        "tlt": [_member(m) for m in school.tlt],
    }


def _member(m: Member, term_year: int | None = None) -> Data:
    return {
        "id": m.id,
        "name": m.name,
        "role": m.role,
        "term_year": term_year or m.term_year,
        "term_ends": m.term_ends,
    }


# ---------------------------------------------------------------------------------------
# The thirteen documents, final versions (content after the four header keys)
# ---------------------------------------------------------------------------------------


def priority_levers(s: School, rng: random.Random) -> Data:
    return {
        "reflection": text_of("reflection", rng, s, (2, 6)),
        "levers": [
            {
                "id": f"L{i}",
                "lever": lever,
                "evidence": text_of("evidence", rng, s, (1, 4)),
                "data_sources": rng.sample(DATA_SOURCES, rng.randint(3, 8)),
            }
            for i, lever in enumerate(s.levers, start=1)
        ],
    }


def working_conditions(s: School, rng: random.Random) -> Data:
    areas = ["calendar", "hours", "duties", "professional-learning", "other"]
    count = rng.randint(4, 10)
    eligible = len(s.tlt)
    opposed, abstained = rng.choice((0, 0, 1)), rng.choice((0, 0, 1))
    return {
        "summary": text_of("summary", rng, s, (1, 4)),
        "conditions": [
            {
                "id": f"WC{i}",
                "area": areas[i - 1] if i <= len(areas) else rng.choice(areas),
                "condition": text_of("condition", rng, s, (0, 3)),
                "change_from_last_year": text_of("change_from_last_year", rng, s, (0, 1)),
            }
            for i in range(1, count + 1)
        ],
        "tlt_vote": {
            "date": day(dt.date(2022, 4, 25), rng, 10),
            "in_favor": eligible - opposed - abstained,
            "opposed": opposed,
            "abstained": abstained,
            "members_eligible": eligible,
            "passed": True,
        },
    }


def calendars(s: School, rng: random.Random) -> Data:
    example = copy.deepcopy(EXAMPLES["calendars"][0])  # oak-hill: 185 days
    student, staff = example["student"], example["staff"]
    early = rng.sample(student["early_release"], rng.randint(6, len(student["early_release"])))
    early.sort(key=lambda item: item["date"])
    secondary = s.secondary
    start = rng.choice((7, 8) if secondary else (8, 9)) * 60 + rng.choice((0, 10, 20, 30, 40))
    length = rng.choice((440, 450, 460)) if secondary else rng.choice((400, 410, 420))
    dismissal = start + rng.choice((200, 230, 240))

    def clock(minutes: int) -> str:
        return f"{minutes // 60:02d}:{minutes % 60:02d}"

    for i, item in enumerate(early, start=1):
        item["id"] = f"E{i}"
        item["dismissal"] = clock(dismissal)
        item["reason"] = vary(item["reason"], rng, s)
    student["early_release"] = early
    student["schedule"] = {
        "start": clock(start),
        "end": clock(start + length),
        "lunch_minutes": rng.choice((25, 30, 30, 35)),
        "recess_minutes": 0 if secondary else rng.choice((15, 20, 20, 25)),
        "passing_minutes": rng.choice((20, 24, 28)) if secondary else 0,
    }
    staff["daily_start"] = clock(start - 20)
    staff["daily_end"] = clock(start + length + 30)
    return {"student": student, "staff": staff}


def _services(prefix: str, s: School, rng: random.Random, low: int, high: int) -> list[Data]:
    out = []
    names = rng.sample(SERVICES[prefix], min(len(SERVICES[prefix]), rng.randint(low, high)))
    for i, service in enumerate(names, start=1):
        purchase = rng.random() < 0.7
        cost = 0 if prefix == "ZS" or not purchase else rng.randint(20, 900) * 50
        out.append(
            {
                "id": f"{prefix}{i}",
                "service": service,
                "decision": "purchase" if purchase else "decline",
                "level": text_of("level", rng, s) if purchase else "None",
                "cost": cost,
                "notes": text_of("notes", rng, s, (1, 2)),
            }
        )
    return out


def sps_optional_services(s: School, rng: random.Random) -> Data:
    return {
        "selections": _services("SV", s, rng, 5, 12),
        "entered_in_mybudgetfile": True,
        "budget_balanced": True,
    }


def sezp_support_services(s: School, rng: random.Random) -> Data:
    return {"selections": _services("ZS", s, rng, 6, 10)}


def summer_school_launch(s: School, rng: random.Random) -> Data:
    return {
        "focus": text_of("focus", rng, s, (2, 4)),
        "students": text_of("students", rng, s, (2, 4)),
        "partners": rng.sample(PARTNERS, rng.randint(2, 5)),
        "staffing": text_of("staffing", rng, s, (2, 4)),
        "facility_needs": text_of("facility_needs", rng, s, (2, 4)),
        "family_information": text_of("family_information", rng, s, (2, 4)),
    }


def _outcome(rng: random.Random, s: School) -> Data:
    metric, unit = rng.choice(METRICS)
    baseline = rng.randint(12, 70)
    return {
        "metric": metric,
        "student_group": rng.choice(
            (
                "All students",
                f"All students, grades {s.grades}",
                "English learners",
                "Students with disabilities",
                "All families",
                "Economically disadvantaged students",
            )
        ),
        "baseline": {
            "value": baseline,
            "unit": unit,
            "as_of": day(dt.date(2021, 9, 15), rng, 170),
            "source": text_of("source", rng, s),
        },
        "target": {
            "value": min(99, baseline + rng.randint(4, 16)),
            "unit": unit,
            "by": day(dt.date(2023, 3, 1), rng, 120),
        },
    }


def lever_goals(s: School, rng: random.Random) -> Data:
    goals = []
    for goal_id, lever in s.goals:
        outcome = _outcome(rng, s)
        base, target = outcome["baseline"]["value"], outcome["target"]["value"]
        steps = rng.randint(1, 3)
        outcome["interim"] = [
            {
                "id": f"{goal_id}{'abc'[k]}",
                "value": base + (target - base) * (k + 1) // (steps + 1),
                "by": outcome["target"]["by"]
                - dt.timedelta(days=50 * (steps - k) + rng.randint(0, 10)),
            }
            for k in range(steps)
        ]
        goals.append(
            {
                "id": goal_id,
                "lever": lever,
                "statement": text_of("statement", rng, s, (1, 3)),
                "outcome": outcome,
            }
        )
    return {"goals": goals}


def tlt_transition(s: School, rng: random.Random) -> Data:
    continuing = [m for m in s.tlt if m.term_year == 1] or s.tlt[:2]
    vacancies = rng.randint(2, 5)
    return {
        "members": [_member(m, term_year=2) for m in continuing],
        "vacancies": [
            {
                "id": f"V{i}",
                "role": rng.choice(TLT_ROLES["secondary" if s.secondary else "elementary"]),
                "reason": text_of("reason", rng, s, (1, 2)),
            }
            for i in range(1, vacancies + 1)
        ],
        "considerations": text_of("considerations", rng, s, (3, 6)),
    }


def _goal_refs(s: School, rng: random.Random, most: int = 3) -> list[str]:
    ids = [goal for goal, _ in s.goals]
    return sorted(rng.sample(ids, rng.randint(1, min(most, len(ids)))), key=lambda g: int(g[1:]))


def summer_plan(s: School, rng: random.Random) -> Data:
    programs = []
    for i in range(1, rng.randint(1, 4) + 1):
        start = day(dt.date(2022, 7, 5), rng, 20)
        programs.append(
            {
                "id": f"SP{i}",
                "name": f"{s.short} {PROGRAMS[i - 1]}",
                "start": start,
                "end": start + dt.timedelta(days=rng.choice((4, 11, 18, 25))),
                "grades": s.grades,
                "students_served": rng.randint(2, 14) * 10,
                "goals": _goal_refs(s, rng),
                "activities": text_of("activities", rng, s, (1, 3)),
                "staffing": text_of("staffing", rng, s, (0, 1)),
                "partners": rng.sample(PARTNERS, rng.randint(1, 3)),
            }
        )
    return {
        "rationale": text_of("rationale", rng, s, (1, 4)),
        "programs": programs,
        "transportation": text_of("transportation", rng, s, (0, 2)),
        "family_engagement": text_of("family_engagement", rng, s, (0, 2)),
    }


def strategic_action_plan(s: School, rng: random.Random) -> Data:
    year_start, year_end = dt.date(2022, 8, 29), dt.date(2023, 6, 21)
    strategies = []
    for i in range(1, rng.randint(3, 7) + 1):
        start = day(year_start, rng, 20)
        end = year_end - dt.timedelta(days=rng.randint(0, 40))
        member = rng.choice(s.tlt)
        steps = []
        for j in range(1, rng.randint(2, 5) + 1):
            steps.append(
                {
                    "id": f"S{i}.{j}",
                    "kind": "process" if j == 1 or rng.random() < 0.6 else "early-evidence",
                    "what": text_of("what", rng, s, (0, 1)),
                    "who": text_of("who", rng, s),
                    "by": day(start, rng, (end - start).days),
                    "serves": [f"S{i}"],
                }
            )
        strategies.append(
            {
                "id": f"S{i}",
                "title": text_of("title", rng, s),
                "description": text_of("description", rng, s, (1, 4)),
                "goals": _goal_refs(s, rng, 2),
                "owner": f"{member.name}, {member.role}",
                "start": start,
                "end": end,
                "action_steps": steps,
            }
        )
    return {
        "school_year_start": year_start,
        "school_year_end": year_end,
        "strategies": strategies,
        "monitoring": text_of("monitoring", rng, s, (1, 4)),
    }


def faculty_handbook(s: School, rng: random.Random) -> Data:
    titles = rng.sample(HANDBOOK_TITLES, rng.randint(8, len(HANDBOOK_TITLES)))
    return {
        "link": f"https://{s.slug}.{DOMAIN}/staff/faculty-handbook-2022-23.pdf",
        "updated_on": day(dt.date(2022, 8, 8), rng, 12),
        "sections": [
            {
                "id": f"H{i}",
                "title": title,
                "summary": text_of("summary", rng, s, (0, 1)),
                "updated": rng.random() < 0.6,
            }
            for i, title in enumerate(titles, start=1)
        ],
    }


def mid_year_targets(s: School, rng: random.Random) -> Data:
    targets = []
    for i in range(1, rng.randint(5, 10) + 1):
        outcome = _outcome(rng, s)
        outcome["baseline"]["as_of"] = day(dt.date(2022, 9, 20), rng, 25)
        outcome["target"]["by"] = day(dt.date(2022, 12, 12), rng, 45)
        targets.append(
            {
                "id": f"M{i}",
                "goal": rng.choice(s.goals)[0],
                "metric": outcome["metric"],
                "baseline": outcome["baseline"],
                "target": outcome["target"],
            }
        )
    return {"review_date": day(dt.date(2023, 1, 17), rng, 10), "targets": targets}


def tlt_selection(s: School, rng: random.Random) -> Data:
    chair = s.tlt[0]
    events: list[Data] = []
    for i in range(1, rng.randint(3, 8) + 1):
        events.append(
            {
                "id": f"F{i}",
                "date": day(dt.date(2022, 9, 1), rng, 50),
                "activity": text_of("activity", rng, s, (0, 1)),
                "participants": text_of("participants", rng, s),
            }
        )
    events.sort(key=lambda item: item["date"])
    for i, item in enumerate(events, start=1):
        item["id"] = f"F{i}"
    return {
        "election_date": day(dt.date(2022, 9, 14), rng, 14),
        "selection_process": text_of("selection_process", rng, s, (1, 4)),
        "members": [_member(m) for m in s.tlt],
        "chair": {"name": chair.name, "role": chair.role, "email": chair.email},
        "faculty_engagement": events,
    }


BUILDERS: dict[str, Callable[[School, random.Random], Data]] = {
    "priority-levers": priority_levers,
    "working-conditions": working_conditions,
    "calendars": calendars,
    "sps-optional-services": sps_optional_services,
    "sezp-support-services": sezp_support_services,
    "summer-school-launch": summer_school_launch,
    "lever-goals": lever_goals,
    "tlt-transition": tlt_transition,
    "summer-plan": summer_plan,
    "strategic-action-plan": strategic_action_plan,
    "faculty-handbook": faculty_handbook,
    "mid-year-targets": mid_year_targets,
    "tlt-selection": tlt_selection,
}
COMMENTS = {
    "priority-levers": "# Chosen by the TLT from the mid-year Roadmap data (December - April).",
    "working-conditions": "# Shared with the faculty, then put to the TLT vote below.",
    "calendars": "# Built from the Educator Working Conditions; 185 student days.",
    "sps-optional-services": "# Entered in MyBudgetFile; costs are FY23 school-budget dollars.",
    "sezp-support-services": "# Support selected from the Zone Support Team menu.",
    "summer-school-launch": "# First outline, for procurement and hiring.",
    "lever-goals": "# Each goal refines one priority lever (L1, L2) into a SMART outcome.",
    "tlt-transition": "# Members in the second year of their term, and the seats to fill.",
    "summer-plan": "# Summer learning for 2022, built on the summer school launch.",
    "strategic-action-plan": "# Strategies to reach the lever goals, each with owner and dates.",
    "faculty-handbook": "# The annual update, published before August professional development.",
    "mid-year-targets": "# Set by the newly elected TLT from the fall data.",
    "tlt-selection": "# The official record of the TLT's composition and selection.",
}


def final_content(school: School, doc: str, seed: int) -> Data:
    rng = random.Random(f"sipctl-bench:{seed}:{school.slug}:{doc}")
    return BUILDERS[doc](school, rng)


# ---------------------------------------------------------------------------------------
# Versions: blank (not-started), partial (in-progress), draft, final, and revisions
# ---------------------------------------------------------------------------------------

# Values that must keep their form (ids, references, literals, clock times, names).
KEEP = frozenset(
    _words(
        "id date dismissal serves start end daily_start daily_end lever goal kind area decision "
        "link email grades unit name role"
    )
)


def blank(value: Any) -> Any:
    """The scaffold: every list empty, every value null, nested mappings kept."""
    if isinstance(value, dict):
        return {k: blank(v) for k, v in value.items()}
    if isinstance(value, list):
        return []
    return None


def _text_slots(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Paths of every string held directly by a mapping (never ids or list items)."""
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, str) and k not in KEEP:
                yield (*path, k)
            elif isinstance(v, dict | list):
                yield from _text_slots(v, (*path, k))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict):
                yield from _text_slots(item, (*path, i))


def _number_slots(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, int) and not isinstance(v, bool) and k in ("value", "cost"):
                yield (*path, k)
            elif isinstance(v, dict | list):
                yield from _number_slots(v, (*path, k))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _number_slots(item, (*path, i))


def _set(data: Any, path: tuple[Any, ...], value: Any) -> None:
    for step in path[:-1]:
        data = data[step]
    data[path[-1]] = value


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


def partial(final: Data, rng: random.Random, progress: float) -> Data:
    """Work in progress: lists cut short, some text still TODO or blank."""
    data = copy.deepcopy(final)
    for key, value in data.items():
        if isinstance(value, list) and value:
            data[key] = value[: max(1, math.ceil(len(value) * progress))]
    for path in list(_text_slots(data)):
        roll = rng.random()
        if roll > progress + 0.25:
            _set(data, path, None)
        elif roll > progress:
            _set(data, path, "TODO: " + _get(data, path)[:60].rsplit(" ", 1)[0])
    return data


def revise(base: Data, rng: random.Random, edits: int) -> Data:
    """A later version: a few sentences rewritten, a number or two changed."""
    data = copy.deepcopy(base)
    texts = list(_text_slots(data))
    numbers = list(_number_slots(data))
    for _ in range(edits):
        if numbers and rng.random() < 0.35:
            path = rng.choice(numbers)
            value = _get(data, path)
            _set(data, path, max(0, value + rng.choice((-5, -2, -1, 1, 2, 5))))
        elif texts:
            path = rng.choice(texts)
            value = _get(data, path)
            if value is None or value.startswith("TODO"):
                continue
            sentence = rng.choice(SENTENCES)
            if len(value) > 120 and rng.random() < 0.5:
                head = value[: len(value) // 2].rsplit(". ", 1)[0]
                _set(data, path, f"{head}. {sentence}")
            else:
                _set(data, path, f"{value} {sentence}")
    return data


def version(final: Data, doc: str, school: School, status: str, variant: int, seed: int) -> Data:
    if status == "not-started":
        scaffold: Data = blank(final)
        return scaffold
    rng = random.Random(f"sipctl-bench:{seed}:{school.slug}:{doc}:{status}:{variant}")
    if status == "in-progress":
        return partial(final, rng, min(0.85, 0.35 + 0.2 * variant))
    if status == "draft":
        draft_rng = random.Random(f"sipctl-bench:{seed}:{school.slug}:{doc}:draft")
        draft = revise(final, draft_rng, 3)
        return revise(draft, rng, 2) if variant else draft
    return revise(final, rng, 2) if variant else final


# ---------------------------------------------------------------------------------------
# YAML text: block style like the examples, long text folded (>-), quoted when needed
# ---------------------------------------------------------------------------------------

WIDTH = 98
_STR_TAG = "tag:yaml.org,2002:str"
_RESOLVE: Callable[[type[yaml.ScalarNode], str, tuple[bool, bool]], str] = (
    yaml.resolver.Resolver().resolve
)
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_plain_cache: dict[str, bool] = {}


def _plain_ok(text: str) -> bool:
    ok = _plain_cache.get(text)
    if ok is None:
        ok = (
            bool(text)
            and text[0].isalpha()
            and text == text.strip()
            and ": " not in text
            and " #" not in text
            and not text.endswith(":")
            and "\n" not in text
            and "\t" not in text
            and _RESOLVE(yaml.ScalarNode, text, (True, False)) == _STR_TAG
        )
        if len(_plain_cache) < 200_000:
            _plain_cache[text] = ok
    return ok


def scalar(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return value if _plain_ok(value) else json.dumps(value, ensure_ascii=False)
    raise TypeError(f"cannot write {value!r}")


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return lines


def _scalar_line(prefix: str, value: Any, column: int, out: list[str]) -> None:
    if isinstance(value, str) and len(prefix) + 1 + len(value) > WIDTH and len(value) > 40:
        out.append(prefix + " >-")
        pad = " " * column
        out.extend(pad + line for line in _wrap(" ".join(value.split()), WIDTH - column))
    else:
        out.append(f"{prefix} {scalar(value)}")


def _entry(prefix: str, value: Any, column: int, out: list[str]) -> None:
    """`prefix` ends with "key:"; nested content goes at `column` + 2."""
    if isinstance(value, dict):
        if value:
            out.append(prefix)
            _mapping(value, column + 2, out)
        else:
            out.append(prefix + " {}")
    elif isinstance(value, list):
        if not value:
            out.append(prefix + " []")
        elif all(isinstance(v, str) and _ID.match(v) for v in value):
            out.append(f"{prefix} [{', '.join(value)}]")
        else:
            out.append(prefix)
            _sequence(value, column + 2, out)
    else:
        _scalar_line(prefix, value, column + 2, out)


def _mapping(data: Data, column: int, out: list[str]) -> None:
    pad = " " * column
    for key, value in data.items():
        _entry(f"{pad}{key}:", value, column, out)


def _sequence(items: list[Any], column: int, out: list[str]) -> None:
    pad = " " * column
    for item in items:
        if isinstance(item, dict):
            first = True
            for key, value in item.items():
                lead = f"{pad}- " if first else f"{pad}  "
                _entry(f"{lead}{key}:", value, column + 2, out)
                first = False
        else:
            _scalar_line(f"{pad}-", item, column + 2, out)


def document_text(school: School, doc: str, status: str, body: Data) -> str:
    out = [
        f"# yaml-language-server: $schema=../../../schemas/{doc}.schema.json",
        f"document: {doc}",
        f"school: {school.slug}",
        f"cycle: {CYCLE}",
        f"status: {status}",
    ]
    if status != "not-started":
        out.append(COMMENTS[doc])
    _mapping(body, 0, out)
    return "\n".join(out) + "\n"


def profile_text(school: School) -> str:
    out = ["# yaml-language-server: $schema=../../schemas/school.schema.json"]
    _mapping(profile(school), 0, out)
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------
# The history: per school, documents move through their statuses; grouped into commits
# ---------------------------------------------------------------------------------------


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


def plan_document(
    school: School,
    doc: str,
    due: tuple[dt.datetime | None, dt.datetime | None],
    seed: int,
) -> list[Event]:
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
        outcome = _stage(rng, school)
        if outcome == "missed":
            return events
        moment = _before(rng, draft_due) if outcome == "on-time" else _after(rng, draft_due)
        last = after_last(moment)
        events.append(Event(last, doc, "draft", 0))
    elif rng.random() < 0.5:
        target = (final_due or anchor) - dt.timedelta(days=rng.uniform(2, 15))
        last = after_last(_daytime(target, rng))
        events.append(Event(last, doc, "draft", 0))
    # final
    if final_due is not None:
        outcome = _stage(rng, school)
        if outcome == "missed":
            return events
        moment = _before(rng, final_due) if outcome == "on-time" else _after(rng, final_due)
        last = after_last(moment)
        events.append(Event(last, doc, "final", 0))
    elif rng.random() < 0.85:
        last = after_last(_daytime(anchor + dt.timedelta(days=rng.uniform(5, 40)), rng))
        events.append(Event(last, doc, "final", 0))
    return [e for e in events if e.time <= HORIZON]


def plan_school(
    school: School,
    commits: int,
    deadlines: dict[str, tuple[dt.datetime | None, dt.datetime | None]],
    seed: int,
) -> list[Commit]:
    """Exactly `commits` commits of this school, in time order."""
    if commits <= 0:
        return []
    rng = random.Random(f"sipctl-bench:{seed}:{school.slug}:history")
    per_doc = {doc: plan_document(school, doc, deadlines[doc], seed) for doc in DOCUMENTS}
    events = [event for doc_events in per_doc.values() for event in doc_events]
    variants = {
        (doc, status): 1 + max((e.variant for e in evs if e.status == status), default=-1)
        for doc, evs in per_doc.items()
        for status in STATUSES
    }
    # Too few changes for the commits this school gets: add revisions of documents
    # already under way (edits that keep the status).
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
    order = {doc: i for i, doc in enumerate(DOCUMENTS)}
    events.sort(key=lambda e: (e.time, order[e.doc]))
    if not events:
        return []
    # Merge the closest neighbours until there are as many groups as commits. A commit
    # takes the time of its last change, so merging across a deadline would turn an
    # on-time submission late: such gaps are merged only when nothing else is left.
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
    out = []
    for group in groups:
        changes: dict[str, tuple[str, int]] = {}
        for event in group:  # the last version of each document wins
            changes[event.doc] = (event.status, event.variant)
        out.append(Commit(group[-1].time, school, changes))
    return out


def allocate(schools: list[School], total: int) -> list[int]:
    """How many of the `total` commits each school makes (largest remainder method)."""
    weight = sum(s.weight for s in schools)
    shares = [total * s.weight / weight for s in schools]
    counts = [math.floor(share) for share in shares]
    rest = total - sum(counts)
    for i in sorted(range(len(schools)), key=lambda i: (counts[i] - shares[i], i))[:rest]:
        counts[i] += 1
    return counts


def git_time(local: dt.datetime) -> str:
    """Git's raw date: epoch seconds and the America/New_York offset of that moment."""
    aware = local.replace(tzinfo=ZONE)
    offset = aware.utcoffset() or dt.timedelta()
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{int(aware.timestamp())} {sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def _message(commit: Commit) -> str:
    submitted: dict[str, list[str]] = {}
    for doc, (status, variant) in commit.changes.items():
        verb = "update" if variant or status == "in-progress" else status
        submitted.setdefault(verb, []).append(doc)
    parts = []
    for verb, docs in submitted.items():
        what = ", ".join(docs)
        parts.append(f"update {what}" if verb == "update" else f"{what} to {verb}")
    return f"{commit.school.slug}: {'; '.join(parts)}\n"


def _author(commit: Commit, rng: random.Random) -> tuple[str, str]:
    school = commit.school
    doc = next(iter(commit.changes))
    if DOCUMENTS[doc][1] == "Principal":
        return school.principal
    member = school.tlt[0] if rng.random() < 0.6 else rng.choice(school.tlt)
    return member.name, member.email


# ---------------------------------------------------------------------------------------
# fast-import
# ---------------------------------------------------------------------------------------


@dataclass
class Stats:
    schools: int = 0
    commits: int = 0
    documents: int = 0
    document_bytes: int = 0
    blobs: int = 0
    blob_bytes: int = 0
    head_status: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    sizes: list[int] = field(default_factory=list)  # HEAD document sizes (bytes)

    def as_dict(self) -> dict[str, Any]:
        sizes = sorted(self.sizes)
        return {
            "schools": self.schools,
            "commits": self.commits,
            "plan_documents": self.documents,
            "plan_document_bytes": self.document_bytes,
            "document_size_bytes": {
                "min": sizes[0] if sizes else 0,
                "median": sizes[len(sizes) // 2] if sizes else 0,
                "max": sizes[-1] if sizes else 0,
            },
            "blob_versions": self.blobs,
            "blob_bytes": self.blob_bytes,
            "head_status": dict(sorted(self.head_status.items())),
            "seconds": round(self.seconds, 2),
        }


class Stream:
    """Writes a fast-import stream; blobs get marks."""

    def __init__(self, sink: IO[bytes]) -> None:
        self.sink = sink
        self.marks = 0

    def blob(self, text: str) -> int:
        data = text.encode("utf-8")
        self.marks += 1
        self.sink.write(b"blob\nmark :%d\ndata %d\n%s\n" % (self.marks, len(data), data))
        return self.marks

    def commit(
        self,
        author: tuple[str, str],
        when: str,
        message: str,
        files: list[tuple[str, int]],
    ) -> None:
        who = f"{author[0]} <{author[1]}> {when}".encode()
        body = message.encode("utf-8")
        head = b"commit refs/heads/main\nauthor %s\ncommitter %s\ndata %d\n%s\n" % (
            who,
            who,
            len(body),
            body,
        )
        lines = [head]
        lines.extend(b"M 100644 :%d %s\n" % (mark, path.encode()) for path, mark in files)
        lines.append(b"\n")
        self.sink.write(b"".join(lines))


def git_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull, LC_ALL="C")
    return env


def _git(out: Path, *args: str, stdin: IO[bytes] | None = None) -> None:
    subprocess.run(["git", "-C", str(out), *args], check=True, env=git_env(), stdin=stdin)


def generate(out: Path, schools: int, commits: int, seed: int = 1) -> Stats:
    """Write the district repository into `out` (new or empty) and return its figures."""
    if commits < 1:
        raise ValueError("--commits must be at least 1 (the scaffold)")
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty")
    _git(out, "init", "-q", "-b", "main")
    _git(out, "config", "gc.auto", "0")
    _git(out, "config", "core.quotepath", "false")

    deadlines = load_deadlines()
    school_list = build_schools(schools, seed)
    counts = allocate(school_list, commits - 1)
    planned = [
        plan_school(school, count, deadlines, seed)
        for school, count in zip(school_list, counts, strict=True)
    ]
    history = sorted(
        (commit for school_commits in planned for commit in school_commits),
        key=lambda c: (c.time, c.school.index),
    )
    stats = Stats(schools=schools, commits=1 + len(history))

    proc = subprocess.Popen(
        ["git", "-C", str(out), "fast-import", "--quiet", "--done"],
        stdin=subprocess.PIPE,
        env=git_env(),
    )
    assert proc.stdin is not None
    sink = proc.stdin
    stream = Stream(sink)
    try:
        # District files.
        scaffold: list[tuple[str, int]] = [
            ("sipctl.yaml", stream.blob((EXAMPLE / "sipctl.yaml").read_text(encoding="utf-8"))),
            (
                f"cycles/{CYCLE}.yaml",
                stream.blob((EXAMPLE / "cycles" / f"{CYCLE}.yaml").read_text(encoding="utf-8")),
            ),
        ]
        for schema in sorted(SCHEMAS.glob("*.json")):
            scaffold.append((f"schemas/{schema.name}", stream.blob(schema.read_text("utf-8"))))
        # Every version of every document, consecutive per file so that they delta well.
        marks: dict[tuple[int, str, str, int], int] = {}
        final_status: dict[tuple[int, str], tuple[str, int]] = {}
        for school, school_commits in zip(school_list, planned, strict=True):
            scaffold.append(
                (f"schools/{school.slug}/school.yaml", stream.blob(profile_text(school)))
            )
            wanted: dict[str, set[tuple[str, int]]] = {doc: set() for doc in DOCUMENTS}
            for commit in school_commits:
                for doc, key in commit.changes.items():
                    wanted[doc].add(key)
                    final_status[(school.index, doc)] = key
            for doc in DOCUMENTS:
                final = final_content(school, doc, seed)
                keys = sorted(wanted[doc] | {("not-started", 0)}, key=_version_order)
                for status, variant in keys:
                    body = version(final, doc, school, status, variant, seed)
                    text = document_text(school, doc, status, body)
                    mark = stream.blob(text)
                    marks[(school.index, doc, status, variant)] = mark
                    stats.blobs += 1
                    stats.blob_bytes += len(text.encode("utf-8"))
                path = f"schools/{school.slug}/{CYCLE}/{doc}.yaml"
                scaffold.append((path, marks[(school.index, doc, "not-started", 0)]))
        stream.commit(
            DISTRICT_STAFF,
            git_time(SCAFFOLD_TIME),
            f"Scaffold the {CYCLE} cycle for {schools} schools\n",
            scaffold,
        )
        author_rng = random.Random(f"sipctl-bench:{seed}:authors")
        for commit in history:
            files = [
                (
                    f"schools/{commit.school.slug}/{CYCLE}/{doc}.yaml",
                    marks[(commit.school.index, doc, status, variant)],
                )
                for doc, (status, variant) in commit.changes.items()
            ]
            stream.commit(
                _author(commit, author_rng), git_time(commit.time), _message(commit), files
            )
        sink.write(b"done\n")
        sink.close()
    except BaseException:
        proc.kill()
        raise
    if proc.wait() != 0:
        raise RuntimeError("git fast-import failed")
    _git(out, "reset", "-q", "--hard", "main")

    for school in school_list:
        for doc in DOCUMENTS:
            status, _ = final_status.get((school.index, doc), ("not-started", 0))
            stats.head_status[status] = stats.head_status.get(status, 0) + 1
            size = (out / "schools" / school.slug / CYCLE / f"{doc}.yaml").stat().st_size
            stats.sizes.append(size)
            stats.documents += 1
            stats.document_bytes += size
    stats.seconds = time.perf_counter() - started
    return stats


def _version_order(key: tuple[str, int]) -> tuple[int, int]:
    return STATUSES.index(key[0]), key[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Generate a synthetic SEZP district git repository for benchmarks."
    )
    parser.add_argument("out", type=Path, help="a new (or empty) folder to create")
    parser.add_argument("--schools", type=int, default=DEFAULT_SCHOOLS, metavar="N")
    parser.add_argument("--commits", type=int, default=DEFAULT_COMMITS, metavar="M")
    parser.add_argument("--seed", type=int, default=1, metavar="S")
    args = parser.parse_args(argv)
    if shutil.which("git") is None:
        parser.error("git is not on PATH")
    try:
        stats = generate(args.out, args.schools, args.commits, args.seed)
    except (FileExistsError, ValueError) as exc:
        print(f"generate.py: {exc}", file=sys.stderr)
        return 2
    summary = stats.as_dict()
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
