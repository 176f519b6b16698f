#!/usr/bin/env python3
"""Build a demo district git repository with a backdated 2022-23 history.

    python scripts/build_demo.py OUT_DIR [--force]

The demo starts from ``examples/sezp-district`` (Riverbend Empowerment Zone:
Oak Hill, Maple Street and Birch Avenue) and replays the 2022-23 planning cycle
as a series of commits with real-looking authors and backdated author and
committer dates, so that ``sipctl log``, ``sipctl status`` and the deadline
rules of ``sipctl check`` have an audit trail to read:

- March 1, 2022: the district scaffolds the cycle, every document ``not-started``;
- oak-hill submits every draft and final on time (one draft at 15:59 EDT on
  May 6, one minute before the deadline), the district approves its priority
  levers after the Board meeting of June 7, and the TLT corrects a mid-year
  target in November (EST, -05:00);
- maple's priority-levers draft comes in late (16:45 EDT on May 6), its
  working-conditions draft is made on the side branch ``maple-phase-1`` on
  May 5 and merged with a merge commit after the deadline (the branch commit
  is what counts), and its lever-goals are never submitted;
- birch submits nothing.

Each school's story is a table of dated steps (``OAK_HILL``, ``MAPLE``,
``BIRCH``, and the district's own ``DISTRICT``): when, who, the message, and what
each file becomes. ``play`` commits the steps of all the tables in date order.
Drafts are made from the final text by string replacement (the status line
plus one changed value or sentence), so every version stays in the canonical
form the example is in (docs/fmt.md: what ``sipctl fmt`` and a browser save
write) and ``sipctl diff`` has something to show. The blank documents of the
first commit are canonical too. The last commit leaves the work tree
identical to the example (with ``schemas/`` copied as real files instead of the
example's symbolic link); the script checks that before it finishes.

Standard library only; git is called with ``subprocess`` in a clean
environment (no system or global git configuration), with the dates and
identities of ``scripts/backdated.py``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import backdated

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "examples" / "sezp-district"
SCHEMAS = REPO / "schemas"
CYCLE = "2022-23"
ZONE = ZoneInfo("America/New_York")

# Fictional people: (name, email).
PEOPLE = {
    "district": ("Helen Marchetti", "hmarchetti@riverbend-ez.example.org"),
    "whitfield": ("Marcus Whitfield", "mwhitfield@riverbend-ez.example.org"),
    "okafor": ("Danielle Okafor", "dokafor@riverbend-ez.example.org"),
    "ferreira": ("Luis Ferreira", "lferreira@riverbend-ez.example.org"),
    "whitcomb": ("Angela Whitcomb", "awhitcomb@riverbend-ez.example.org"),
    "delgado": ("Rosa Delgado", "rdelgado@riverbend-ez.example.org"),
    "okonkwo": ("Samuel Okonkwo", "sokonkwo@riverbend-ez.example.org"),
}

# What the scaffold writes under the four header keys: every field blank.
SKELETONS = {
    "priority-levers": "reflection: null\nlevers: []\n",
    "working-conditions": (
        "summary: null\nconditions: []\ntlt_vote:\n  date: null\n  in_favor: null\n"
        "  opposed: null\n  abstained: null\n  members_eligible: null\n  passed: null\n"
    ),
    "calendars": (
        "student:\n  first_day: null\n  last_day: null\n  days_off: []\n  early_release: []\n"
        "  schedule:\n    start: null\n    end: null\n    lunch_minutes: null\n"
        "    recess_minutes: null\n    passing_minutes: null\n"
        "staff:\n  first_day: null\n  last_day: null\n  professional_days: []\n"
        "  daily_start: null\n  daily_end: null\n"
    ),
    "sps-optional-services": (
        "selections: []\nentered_in_mybudgetfile: null\nbudget_balanced: null\n"
    ),
    "sezp-support-services": "selections: []\n",
    "summer-school-launch": (
        "focus: null\nstudents: null\npartners: []\nstaffing: null\nfacility_needs: null\n"
        "family_information: null\n"
    ),
    "lever-goals": "goals: []\n",
    "tlt-transition": "members: []\nvacancies: []\nconsiderations: null\n",
    "summer-plan": "rationale: null\nprograms: []\ntransportation: null\nfamily_engagement: null\n",
    "strategic-action-plan": (
        "school_year_start: null\nschool_year_end: null\nstrategies: []\nmonitoring: null\n"
    ),
    "faculty-handbook": "link: null\nupdated_on: null\nsections: []\n",
    "mid-year-targets": "review_date: null\ntargets: []\n",
    "tlt-selection": (
        "election_date: null\nselection_process: null\nmembers: []\n"
        "chair:\n  name: null\n  role: null\n  email: null\nfaculty_engagement: []\n"
    ),
}

# Oak Hill's TLT in March 2022, before the September election.
OAK_HILL_TLT_2021 = """\
# The 2021-22 Teacher Leadership Team. The principal serves ex officio.
tlt:
  - id: T1
    name: Danielle Okafor
    role: Grade 7 ELA teacher, TLT co-chair
    email: dokafor@riverbend-ez.example.org
    term_year: 1
    term_ends: 2023-06-30
  - id: T2
    name: Luis Ferreira
    role: Grade 8 math teacher
    email: lferreira@riverbend-ez.example.org
    term_year: 1
    term_ends: 2023-06-30
  - id: T3
    name: Aaliyah Grant
    role: ESL teacher (grades 6-8)
    email: agrant@riverbend-ez.example.org
    term_year: 1
    term_ends: 2023-06-30
  - id: T8
    name: Monica Reyes
    role: Special education teacher, grade 8 inclusion
    email: mreyes@riverbend-ez.example.org
    term_year: 2
    term_ends: 2022-06-30
  - id: T9
    name: Gabriel Stein
    role: Grade 7 science teacher
    email: gstein@riverbend-ez.example.org
    term_year: 1
    term_ends: 2023-06-30
  - id: T10
    name: Harold Jenkins
    role: Unified arts teacher (music)
    email: hjenkins@riverbend-ez.example.org
    term_year: 2
    term_ends: 2022-06-30
"""

_STATUS = re.compile(r"^status: *\S+", re.MULTILINE)


class BuildError(Exception):
    pass


# ---------------------------------------------------------------------------------------
# The story as data: what each step writes, and the steps of each school
# ---------------------------------------------------------------------------------------

PROFILE = "school.yaml"  # a step's key for the school's profile instead of a document
MAIN = "main"


@dataclass(frozen=True)
class Text:
    """What a step writes into one file: the example's text, with ``status`` on its status
    line (unless None) and each ``(old, new)`` of ``edits`` replaced; every ``old`` must
    occur exactly once in the example."""

    status: str | None = None
    edits: tuple[tuple[str, str], ...] = ()


FINAL = Text()  # the example's file as it is


def version(status: str, *edits: tuple[str, str]) -> Text:
    return Text(status, edits)


@dataclass(frozen=True)
class Step:
    """One commit of a story: when (local time with its UTC offset), who (a key of
    PEOPLE), the message, and the files ({document or PROFILE: Text}) of the story's
    school. ``branch``: the commit is made on that side branch (created from main the
    first time), and main is checked out again. ``merge``: the step is a merge commit of
    that side branch into main, and writes no files. ``scaffold``: the district's first
    commit, every school's profile and blank documents."""

    when: str
    who: str
    message: str
    files: Mapping[str, Text] = field(default_factory=dict)
    branch: str | None = None
    merge: str | None = None
    scaffold: bool = False


@dataclass(frozen=True)
class Story:
    school: str | None  # None: the district's own steps
    steps: tuple[Step, ...]


DISTRICT = Story(
    None,
    (
        Step(
            "2022-03-01T08:15:00-05:00",
            "district",
            "Scaffold the 2022-23 planning cycle for Oak Hill, Maple Street and Birch Avenue\n\n"
            "Every SEZP document is created not-started; deadlines are in cycles/2022-23.yaml.",
            scaffold=True,
        ),
    ),
)

# Oak Hill's priority levers draft's wording.
FEW_CLASSROOMS = (
    "cognitive work in 4 of 18 classrooms visited.",
    "cognitive work in few of the classrooms visited.",
)
# The M4 attendance baseline before the TLT corrected it in November.
M4_BASELINE = ("      value: 33\n", "      value: 34\n")

# Every draft and final on time (one draft a minute before the deadline), the priority
# levers approved after the Board meeting of June 7, a target corrected in November.
OAK_HILL = Story(
    "oak-hill",
    (
        Step(
            "2022-03-01T11:20:00-05:00",
            "whitfield",
            "oak-hill: SPS optional services selections (final, entered in MyBudgetFile)",
            {"sps-optional-services": FINAL},
        ),
        Step(
            "2022-04-07T14:10:00-04:00",
            "whitfield",
            "oak-hill: SEZP support services selections (final)",
            {"sezp-support-services": FINAL},
        ),
        Step(
            "2022-04-12T19:30:00-04:00",
            "okafor",
            "oak-hill: TLT notes on the mid-year Roadmap; priority levers in progress",
            {"priority-levers": version("in-progress", FEW_CLASSROOMS)},
        ),
        Step(
            "2022-04-14T10:00:00-04:00",
            "whitfield",
            "oak-hill: launch summer school planning",
            {"summer-school-launch": FINAL},
        ),
        Step(
            "2022-05-05T16:20:00-04:00",
            "okafor",
            "oak-hill: Phase I drafts of working conditions (TLT vote May 3) and calendars",
            {
                "working-conditions": version(
                    "draft",
                    ("for a 90-minute data-cycle block", "for a 75-minute data-cycle block"),
                    ("grows from 45 to 90 minutes.", "grows from 45 to 75 minutes."),
                ),
                "calendars": version("draft", ('daily_end: "15:40"', 'daily_end: "15:30"')),
            },
        ),
        Step(
            "2022-05-06T15:59:00-04:00",
            "okafor",
            "oak-hill: priority levers draft",
            {"priority-levers": version("draft", FEW_CLASSROOMS)},
        ),
        Step(
            "2022-05-19T15:20:00-04:00",
            "ferreira",
            "oak-hill: priority lever goals draft",
            {
                "lever-goals": version(
                    "draft",
                    ("from 24% to 32%", "from 24% to 35%"),
                    ("        value: 32\n", "        value: 35\n"),
                )
            },
        ),
        Step(
            "2022-05-20T11:45:00-04:00",
            "okafor",
            "oak-hill: TLT transition form draft",
            {
                "tlt-transition": version(
                    "draft",
                    (
                        "leaving Oak Hill for a district science coach position.",
                        "leaving Oak Hill at the end of the year.",
                    ),
                )
            },
        ),
        Step(
            "2022-05-20T14:30:00-04:00",
            "whitfield",
            "oak-hill: summer plan draft",
            {"summer-plan": version("draft", ("students_served: 100", "students_served: 90"))},
        ),
        Step(
            "2022-05-26T10:00:00-04:00",
            "okafor",
            "oak-hill: Phase I finals (priority levers, working conditions, calendars)",
            {
                "priority-levers": version("final"),
                "working-conditions": FINAL,
                "calendars": FINAL,
            },
        ),
        Step(
            "2022-05-27T13:30:00-04:00",
            "ferreira",
            "oak-hill: lever goals and TLT transition finals",
            {"lever-goals": FINAL, "tlt-transition": FINAL},
        ),
        Step(
            "2022-05-27T15:45:00-04:00",
            "whitfield",
            "oak-hill: summer plan final",
            {"summer-plan": FINAL},
        ),
        Step(
            "2022-06-08T09:30:00-04:00",
            "district",
            "oak-hill: priority levers approved by the Board of Directors on June 7",
            {"priority-levers": FINAL},
        ),
        Step(
            "2022-07-21T13:25:00-04:00",
            "whitfield",
            "oak-hill: strategic action plan in progress",
            {
                "strategic-action-plan": version(
                    "in-progress", ("    end: 2023-06-09\n", "    end: 2023-06-14\n")
                )
            },
        ),
        Step(
            "2022-08-04T15:10:00-04:00",
            "whitfield",
            "oak-hill: strategic action plan final",
            {"strategic-action-plan": FINAL},
        ),
        Step(
            "2022-08-19T14:00:00-04:00",
            "whitfield",
            "oak-hill: faculty handbook 2022-23 update (final)",
            {"faculty-handbook": FINAL},
        ),
        Step(
            "2022-09-22T16:30:00-04:00",
            "okafor",
            "oak-hill: TLT after the September 21 election",
            {PROFILE: FINAL},
        ),
        Step(
            "2022-10-20T17:10:00-04:00",
            "okafor",
            "oak-hill: mid-year performance targets in progress",
            {"mid-year-targets": version("in-progress", M4_BASELINE)},
        ),
        Step(
            "2022-10-27T15:05:00-04:00",
            "okafor",
            "oak-hill: mid-year performance targets final",
            {"mid-year-targets": version("final", M4_BASELINE)},
        ),
        Step(
            "2022-10-28T14:40:00-04:00",
            "ferreira",
            "oak-hill: TLT selection and faculty engagement form (final)",
            {"tlt-selection": FINAL},
        ),
        Step(
            "2022-11-16T09:45:00-05:00",
            "okafor",
            "oak-hill: correct the M4 attendance baseline after the October data reconciliation",
            {"mid-year-targets": FINAL},
        ),
    ),
)

# The priority-levers draft 45 minutes late; the working-conditions draft made on a side
# branch the evening before the deadline and merged by the district after it (the branch
# commit is the submission); lever goals never submitted.
MAPLE = Story(
    "maple",
    (
        Step(
            "2022-03-01T15:30:00-05:00",
            "whitcomb",
            "maple: SPS optional services selections (final)",
            {"sps-optional-services": FINAL},
        ),
        Step(
            "2022-04-08T10:05:00-04:00",
            "whitcomb",
            "maple: SEZP support services selections (final)",
            {"sezp-support-services": FINAL},
        ),
        Step(
            "2022-04-21T15:10:00-04:00",
            "whitcomb",
            "maple: summer school launch outline (draft)",
            {"summer-school-launch": FINAL},
        ),
        Step(
            "2022-05-05T19:42:00-04:00",
            "delgado",
            "maple: Educator Working Conditions draft (TLT vote May 4)",
            {
                "working-conditions": version(
                    "draft", ("for 45 minutes every Thursday", "for 40 minutes every Thursday")
                )
            },
            branch="maple-phase-1",
        ),
        Step(
            "2022-05-06T11:30:00-04:00",
            "whitcomb",
            "maple: student and staff calendars draft",
            {"calendars": FINAL},
        ),
        Step(
            "2022-05-06T16:05:00-04:00",
            "district",
            "Merge branch 'maple-phase-1': Maple Street working conditions draft",
            merge="maple-phase-1",
        ),
        Step(
            "2022-05-06T16:45:00-04:00",
            "whitcomb",
            "maple: priority levers draft",
            {"priority-levers": FINAL},
        ),
        Step(
            "2022-05-17T18:30:00-04:00",
            "delgado",
            "maple: lever goals, TLT working copy",
            {"lever-goals": FINAL},
        ),
        Step(
            "2022-05-20T15:40:00-04:00",
            "delgado",
            "maple: TLT transition and summer plan in progress",
            {"tlt-transition": FINAL, "summer-plan": FINAL},
        ),
        Step(
            "2022-05-26T14:15:00-04:00",
            "delgado",
            "maple: Educator Working Conditions final",
            {"working-conditions": FINAL},
        ),
        Step(
            "2022-06-14T12:10:00-04:00",
            "whitcomb",
            "maple: school-year dates and handbook link in the Phase III documents",
            {"strategic-action-plan": FINAL, "faculty-handbook": FINAL},
        ),
    ),
)

# Two documents started, nothing submitted.
BIRCH = Story(
    "birch",
    (
        Step(
            "2022-03-24T16:40:00-04:00",
            "okonkwo",
            "birch: start SPS optional services from last year's selections",
            {"sps-optional-services": FINAL},
        ),
        Step(
            "2022-04-28T17:05:00-04:00",
            "okonkwo",
            "birch: first notes on the priority levers",
            {"priority-levers": FINAL},
        ),
    ),
)

STORIES = (DISTRICT, OAK_HILL, MAPLE, BIRCH)


# ---------------------------------------------------------------------------------------
# Playing the stories into a git repository
# ---------------------------------------------------------------------------------------


def doc(school: str, name: str) -> str:
    return f"schools/{school}/{CYCLE}/{name}.yaml"


def path_of(school: str, name: str) -> str:
    return f"schools/{school}/{PROFILE}" if name == PROFILE else doc(school, name)


def local_moment(when: str) -> dt.datetime:
    """`when` as an aware datetime; its offset must be America/New_York's on that day."""
    moment = dt.datetime.fromisoformat(when)
    expected = moment.replace(tzinfo=None).replace(tzinfo=ZONE).utcoffset()
    if moment.utcoffset() != expected:
        raise BuildError(f"{when}: the offset in America/New_York on that day is {expected}")
    return moment


class Demo:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.commits = 0
        self.branches = {MAIN}
        self.env = backdated.git_env()

    # git ------------------------------------------------------------------------------------
    def git(self, *args: str, env: dict[str, str] | None = None) -> str:
        result = subprocess.run(
            ["git", *args],
            cwd=self.out,
            env=env or self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BuildError(f"git {' '.join(args)} failed:\n{result.stderr.strip()}")
        return result.stdout

    def _identity(self, when: str, who: str) -> dict[str, str]:
        local_moment(when)
        name, email = PEOPLE[who]
        return backdated.identity_env(self.env, name, email, when)

    def commit(self, when: str, who: str, message: str, files: dict[str, str]) -> None:
        for rel, text in files.items():
            path = self.out / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message, env=self._identity(when, who))
        self.commits += 1

    def merge(self, when: str, who: str, branch: str, message: str) -> None:
        self.git("merge", "-q", "--no-ff", "-m", message, branch, env=self._identity(when, who))
        self.commits += 1

    def switch(self, branch: str) -> None:
        """Check out `branch`, creating it at HEAD the first time."""
        create = () if branch in self.branches else ("-c",)
        self.git("switch", "-q", *create, branch)
        self.branches.add(branch)

    # content --------------------------------------------------------------------------------
    @staticmethod
    def example(rel: str) -> str:
        return (SOURCE / rel).read_text("utf-8")

    def text(self, rel: str, spec: Text) -> str:
        """The example text of `rel` with the status and string replacements of `spec`."""
        text = self.example(rel)
        if spec.status is not None:
            if not _STATUS.search(text):
                raise BuildError(f"{rel}: no top-level `status:` line")
            text = _STATUS.sub(f"status: {spec.status}", text, count=1)
        for old, new in spec.edits:
            if text.count(old) != 1:
                raise BuildError(
                    f"{rel}: expected {old!r} exactly once in the example; "
                    "update the demo's stories in scripts/build_demo.py"
                )
            text = text.replace(old, new)
        return text

    # steps ----------------------------------------------------------------------------------
    def files(self, school: str | None, step: Step) -> dict[str, str]:
        if step.scaffold:
            return scaffold_files(self)
        if school is None:
            if step.files:
                raise BuildError(f"{step.when}: the district's own steps name no school's files")
            return {}
        return {
            path_of(school, name): self.text(path_of(school, name), spec)
            for name, spec in step.files.items()
        }

    def play(self, school: str | None, step: Step) -> None:
        if step.merge is not None:
            self.merge(step.when, step.who, step.merge, step.message)
            return
        if step.branch is not None:
            self.switch(step.branch)
        self.commit(step.when, step.who, step.message, self.files(school, step))
        if step.branch is not None:
            self.switch(MAIN)


def play(demo: Demo, stories: tuple[Story, ...]) -> None:
    """Every story's steps in date order, one commit each. Two steps at the same moment
    would leave their order to the tables' order, so they are refused."""
    steps = sorted(
        (
            (local_moment(step.when), story.school, step)
            for story in stories
            for step in story.steps
        ),
        key=lambda item: item[0],
    )
    for (earlier, _, _), (later, _, step) in itertools.pairwise(steps):
        if later == earlier:
            raise BuildError(f"{step.when}: two steps at the same moment")
    for _, school, step in steps:
        demo.play(school, step)


def skeleton(school: str, name: str) -> str:
    return (
        f"# yaml-language-server: $schema=../../../schemas/{name}.schema.json\n"
        f"document: {name}\nschool: {school}\ncycle: {CYCLE}\nstatus: not-started\n"
        + SKELETONS[name]
    )


def schools() -> list[str]:
    return sorted(p.name for p in (SOURCE / "schools").iterdir() if p.is_dir())


def scaffold_files(demo: Demo) -> dict[str, str]:
    files = {
        "sipctl.yaml": demo.example("sipctl.yaml"),
        f"cycles/{CYCLE}.yaml": demo.example(f"cycles/{CYCLE}.yaml"),
    }
    for school in schools():
        profile = demo.example(f"schools/{school}/school.yaml")
        if school == "oak-hill":
            marker = "# The 2022-23 Teacher Leadership Team"
            if marker not in profile:
                raise BuildError(f"schools/oak-hill/school.yaml: no {marker!r} line")
            profile = profile[: profile.index(marker)] + OAK_HILL_TLT_2021
        files[f"schools/{school}/school.yaml"] = profile
        for name in SKELETONS:
            files[doc(school, name)] = skeleton(school, name)
    return files


def example_files() -> dict[str, bytes]:
    """Every file of the example district except the schemas link, by relative path."""
    found = {}
    for path in sorted(SOURCE.rglob("*")):
        rel = path.relative_to(SOURCE)
        if rel.parts[0] == "schemas" or not path.is_file():
            continue
        found[rel.as_posix()] = path.read_bytes()
    return found


def verify(demo: Demo) -> None:
    """The last commit must leave the work tree identical to the example."""
    if demo.git("status", "--porcelain"):
        raise BuildError("the work tree has uncommitted changes after the stories")
    wanted = example_files()
    tracked = {
        line for line in demo.git("ls-files").splitlines() if not line.startswith("schemas/")
    }
    missing = sorted(set(wanted) - tracked)
    extra = sorted(tracked - set(wanted))
    different = sorted(
        rel for rel in set(wanted) & tracked if (demo.out / rel).read_bytes() != wanted[rel]
    )
    if missing or extra or different:
        raise BuildError(
            "the demo does not end identical to examples/sezp-district:\n"
            + "".join(f"  missing   {r}\n" for r in missing)
            + "".join(f"  extra     {r}\n" for r in extra)
            + "".join(f"  different {r}\n" for r in different)
            + "update the stories in scripts/build_demo.py"
        )


def prepare(out: Path, force: bool) -> None:
    resolved = out.resolve()
    if resolved.exists() and not resolved.is_dir():
        raise BuildError(f"{out} exists and is not a folder")
    if resolved.exists() and any(resolved.iterdir()):
        if not force:
            raise BuildError(f"{out} exists and is not empty; pass --force to replace it")
        unsafe = (
            resolved == Path(resolved.anchor)
            or resolved == Path.home().resolve()
            or REPO.is_relative_to(resolved)
            or resolved.is_relative_to(SOURCE.resolve())
        )
        if unsafe:
            raise BuildError(f"refusing to delete {out}: it holds the source repository or more")
        shutil.rmtree(resolved)
    resolved.mkdir(parents=True, exist_ok=True)


def build(out: Path, force: bool) -> Demo:
    if not (SOURCE / "sipctl.yaml").is_file():
        raise BuildError(f"{SOURCE} is not an example district")
    prepare(out, force)
    demo = Demo(out)
    demo.git("init", "-q", "-b", "main")
    for key, value in (
        ("user.name", "Riverbend demo builder"),
        ("user.email", "demo@riverbend-ez.example.org"),
        ("commit.gpgsign", "false"),
        ("core.autocrlf", "false"),
    ):
        demo.git("config", key, value)
    # The example's schemas/ is a link to the source tree's schemas; the demo holds copies.
    shutil.copytree(SCHEMAS, out / "schemas", ignore=shutil.ignore_patterns(".*"))
    # The browser editor's admin/ (`sipctl editor`) is in the first commit, with the schemas.
    shutil.copytree(SOURCE / "admin", out / "admin")
    play(demo, STORIES)
    verify(demo)
    return demo


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Build a demo district git repository with a backdated 2022-23 history."
    )
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    parser.add_argument(
        "--force", action="store_true", help="delete OUT_DIR first if it is not empty"
    )
    args = parser.parse_args(argv)
    try:
        demo = build(args.out_dir, args.force)
    except (BuildError, OSError) as exc:
        print(f"build_demo: error: {exc}", file=sys.stderr)
        return 2
    head = demo.git("log", "-1", "--format=%h %cI").strip()
    branches = demo.git("branch", "--format=%(refname:short)").split()
    print(f"demo district: {args.out_dir.resolve()}")
    print(f"commits: {demo.commits} (HEAD {head}); branches: {', '.join(branches)}")
    print(f"try: sipctl check --repo {args.out_dir} --as-of 2022-05-07")
    return 0


if __name__ == "__main__":
    sys.exit(main())
