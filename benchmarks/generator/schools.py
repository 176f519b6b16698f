"""The schools: names and slugs, principals and TLT members, the two levers and the goals
that refine them, how diligent each school is, and its ``school.yaml``."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from .cycle import DOMAIN, Data
from .vocabulary import FIRST_NAMES, LAST_NAMES, LEVELS, LEVERS, PLACES, SUFFIXES, TLT_ROLES

SHARES = [share for *_, share in LEVELS]  # of the schools, by level


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
    for index in range(count):
        schools.append(_school(index, rng, slugs, names))
    return schools


def _school(index: int, rng: random.Random, slugs: set[str], names: set[str]) -> School:
    """The next school; every draw from `rng` in the order the generator has always made
    them, so that a seed keeps giving the same district."""
    level, grades, ending, tag, _ = rng.choices(LEVELS, weights=SHARES)[0]
    short, slug = _place(rng, tag, slugs)
    people: set[str] = set()
    principal = _person(rng, people)
    first, *_, last = principal.split()
    members = _tlt(rng, level, people)
    goals = _goals(rng)
    p_late, p_missed, weight = _diligence(rng.random())
    first_lever, second_lever = rng.sample(LEVERS, 2)
    full_name = f"{short} {ending}"
    if full_name in names:
        full_name = f"{short} {ending} ({grades})"
    names.add(full_name)
    return School(
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


def _place(rng: random.Random, tag: str, slugs: set[str]) -> tuple[str, str]:
    """(short name, unique slug) of a school named after a place."""
    place, suffix = rng.choice(PLACES), rng.choice(SUFFIXES)
    short = f"{place} {suffix}"
    base = f"{place}-{suffix}".lower()
    slug = base if base not in slugs else f"{base}-{tag}"
    number = 2
    while slug in slugs:
        slug = f"{base}-{tag}-{number}"
        number += 1
    slugs.add(slug)
    return short, slug


def _tlt(rng: random.Random, level: str, people: set[str]) -> list[Member]:
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
    return members


def _goals(rng: random.Random) -> list[tuple[str, str]]:
    """Goals G1.. (two to six), each refining lever L1 or L2, numbered lever by lever."""
    goals = [("G1", "L1"), ("G2", "L2")]
    for number in range(3, rng.randint(3, 6) + 1):
        goals.append((f"G{number}", rng.choice(("L1", "L2"))))
    goals.sort(key=lambda goal: (goal[1], int(goal[0][1:])))
    return [(f"G{i}", lever) for i, (_, lever) in enumerate(goals, start=1)]


def _diligence(kind: float) -> tuple[float, float, float]:
    """(chance of a late stage, of a missed one, weight): 65% diligent, 25% fair, 10%
    struggling."""
    if kind < 0.65:
        return 0.05, 0.01, 1.1
    if kind < 0.9:
        return 0.2, 0.05, 1.0
    return 0.3, 0.3, 0.6


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
        "tlt": [member_data(m) for m in school.tlt],
    }


def member_data(m: Member, term_year: int | None = None) -> Data:
    return {
        "id": m.id,
        "name": m.name,
        "role": m.role,
        "term_year": term_year or m.term_year,
        "term_ends": m.term_ends,
    }
