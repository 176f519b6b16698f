"""The thirteen SEZP documents of a school, final versions: the content after the four
header keys, built from the examples' keys, list shapes and text, with references by id
that resolve (goals to levers, strategies to goals, action steps to strategies)."""

from __future__ import annotations

import copy
import datetime as dt
import random
from collections.abc import Callable

from .cycle import DOMAIN, Data
from .schools import School, member_data
from .text import EXAMPLES, day, text_of, vary
from .vocabulary import (
    DATA_SOURCES,
    HANDBOOK_TITLES,
    METRICS,
    PARTNERS,
    PROGRAMS,
    SERVICES,
    TLT_ROLES,
)


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
        "members": [member_data(m, term_year=2) for m in continuing],
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
        "members": [member_data(m) for m in s.tlt],
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
