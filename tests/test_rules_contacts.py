"""`contact-missing`: check names the people `sipctl remind` could not write to."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.cli import sipctl
from tests.district import header, write_district

from sipctl.domain.contacts import address_problem

PROFILE = """school: maple
name: Maple Street Elementary School
grades: K-5
principal:
  name: Angela Whitcomb
  email: {principal}
tlt:
  - id: T1
    name: Rosa Delgado
    role: Grade 3 teacher
    email: {member}
  - id: T2
    name: Brian Kessler
    role: Grade 5 teacher
"""


def _contacts(tmp_path: Path, principal: str, member: str, status: str) -> list[tuple]:
    root = write_district(
        tmp_path / "d",
        {
            "schools/maple/school.yaml": PROFILE.format(principal=principal, member=member),
            "schools/maple/2022-23/priority-levers.yaml": header("priority-levers", status=status),
        },
    )
    run = sipctl("check", "--repo", root, "--format", "json")
    assert run.code in (0, 1), run.err
    return [
        (f["file"], f["line"], f["column"], f["severity"], f["path"], f["message"])
        for f in run.json()["findings"]
        if f["rule"] == "contact-missing"
    ]


def test_each_person_without_a_usable_address_is_named_at_their_line(tmp_path: Path) -> None:
    found = _contacts(tmp_path, '"TODO: the principal\'s email"', "rdelgado@school", "in-progress")
    file = "schools/maple/school.yaml"
    assert found == [
        (file, 6, 10, "warning", "principal.email",
         "the principal has no email address, so deadline reminders cannot reach them"),
        (file, 11, 12, "warning", "tlt[T1].email",
         "TLT member T1 (Rosa Delgado) has 'rdelgado@school' as email: the domain after the @ "
         "needs a dot, as in school.org, so deadline reminders cannot reach them"),
        (file, 12, 5, "warning", "tlt[T2].email",
         "TLT member T2 (Brian Kessler) has no email address, so deadline reminders cannot "
         "reach them"),
    ]  # fmt: skip


def test_a_school_nobody_has_started_is_left_alone(tmp_path: Path) -> None:
    # init's fresh scaffold: every document not-started, TODO placeholders in the profile
    assert _contacts(tmp_path, "null", "null", "not-started") == []


def test_filled_addresses_give_no_finding(tmp_path: Path) -> None:
    profile = PROFILE.replace("    role: Grade 5 teacher\n", "    role: Grade 5 teacher\n"
                              "    email: bkessler@school.org\n")  # fmt: skip
    root = write_district(
        tmp_path / "d",
        {
            "schools/maple/school.yaml": profile.format(
                principal="awhitcomb@school.org", member="rdelgado@school.org"
            ),
            "schools/maple/2022-23/priority-levers.yaml": header("priority-levers", status="draft"),
        },
    )
    findings = sipctl("check", "--repo", root, "--format", "json").json()["findings"]
    rules = {f["rule"] for f in findings}
    assert "contact-missing" not in rules and "incomplete" in rules


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("a@school.org", None),
        ("first.last+tag@mail.school.k12.ma.us", None),
        ("a@b@school.org", "an address has exactly one @"),
        ("school.org", "an address has exactly one @"),
        ("@school.org", "an address has a name before the @ and a domain after it"),
        ("a@school", "the domain after the @ needs a dot, as in school.org"),
        ("a@school..org", "the domain after the @ needs a dot, as in school.org"),
        ("a b@school.org", "it holds a space, a line break or another character an address "
         "cannot have"),
        ("a@school.org\nBcc: x@evil.org", "it holds a space, a line break or another character "
         "an address cannot have"),
        ("a\x00@school.org", "it holds a space, a line break or another character an address "
         "cannot have"),
        ("a<b@school.org", "it is not a valid email address"),
        ("a(comment)@school.org", "it is not a valid email address"),
    ],
)  # fmt: skip
def test_what_counts_as_an_address(text: str, problem: str | None) -> None:
    assert address_problem(text) == problem
