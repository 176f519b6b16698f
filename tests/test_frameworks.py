"""The three frameworks as data, and the SEZP 2022-23 deadlines against the seed's table."""

from __future__ import annotations

import datetime as dt

import pytest

from sipctl.domain.framework import available_frameworks, load_framework
from sipctl.models import DOCUMENT_MODELS

# SEZP 2022-23 School Improvement Planning (seed 000), "Planning Documents
# Submission Deadlines": id, phase, owner, draft due, final due.
SEZP_TABLE = [
    ("priority-levers", "I", "TLT", "2022-05-06 16:00", "2022-05-27 16:00"),
    ("working-conditions", "I", "TLT", "2022-05-06 16:00", "2022-05-27 16:00"),
    ("calendars", "I", "TLT", "2022-05-06 16:00", "2022-05-27 16:00"),
    ("sps-optional-services", "I", "Principal", None, "2022-03-01"),
    ("sezp-support-services", "I", "Principal", None, "2022-04-08"),
    ("summer-school-launch", "I", "Principal", None, None),
    ("lever-goals", "II", "TLT", "2022-05-20 16:00", "2022-05-27 16:00"),
    ("tlt-transition", "II", "TLT", "2022-05-20 16:00", "2022-05-27 16:00"),
    ("summer-plan", "II", "Principal", "2022-05-20 16:00", "2022-05-27 16:00"),
    ("strategic-action-plan", "III", "Principal", None, "2022-08-05 16:00"),
    ("faculty-handbook", "III", "Principal", None, None),
    ("mid-year-targets", "IV", "TLT", None, "2022-10-28 16:00"),
    ("tlt-selection", "IV", "TLT", None, "2022-10-28 16:00"),
]


def _parse(text: str | None) -> dt.date | dt.datetime | None:
    if text is None:
        return None
    if " " in text:
        return dt.datetime.strptime(text, "%Y-%m-%d %H:%M")
    return dt.date.fromisoformat(text)


def test_three_frameworks_ship() -> None:
    assert available_frameworks() == ["dese-sip", "planning-for-success", "sezp"]


def test_sezp_documents_in_official_order_with_owners_and_phases() -> None:
    sezp = load_framework("sezp")
    assert [(d.id, d.phase, d.owner) for d in sezp.documents] == [
        (row[0], row[1], row[2]) for row in SEZP_TABLE
    ]


def test_sezp_2022_23_deadlines_are_the_seed_table() -> None:
    deadlines = load_framework("sezp").deadlines(2022)
    assert deadlines == {
        doc_id: {"draft_due": _parse(draft), "final_due": _parse(final)}
        for doc_id, _, _, draft, final in SEZP_TABLE
    }


def test_rules_carry_to_other_cycles_as_weekdays() -> None:
    # May 6 2023 is a Saturday: "the Friday on or after May 6" is May 12.
    deadlines = load_framework("sezp").deadlines(2023)
    assert deadlines["priority-levers"]["draft_due"] == dt.datetime(2023, 5, 12, 16, 0)
    # October 28 2023 is a Saturday too: the Friday after is November 3.
    assert deadlines["mid-year-targets"]["final_due"] == dt.datetime(2023, 11, 3, 16, 0)
    assert deadlines["sps-optional-services"]["final_due"] == dt.date(2023, 3, 1)


def test_planning_for_success_documents() -> None:
    pfs = load_framework("planning-for-success")
    assert [d.id for d in pfs.documents] == ["school-improvement-plan", "action-plan"]


def test_dese_sip_documents_and_renewal_due_january_31_of_the_school_year() -> None:
    dese = load_framework("dese-sip")
    assert [d.id for d in dese.documents] == [
        "stakeholder-engagement",
        "envision-the-future",
        "root-cause-analysis",
        "strategic-objectives",
        "goals-benchmarks",
        "district-systems",
        "executive-summary",
        "progress-monitoring",
        "annual-renewal",
    ]
    assert dese.deadlines(2022)["annual-renewal"]["final_due"] == dt.date(2023, 1, 31)


def test_every_document_has_a_model_and_a_description() -> None:
    docs = [d for name in available_frameworks() for d in load_framework(name).documents]
    assert len(docs) == 24
    assert len({d.model for d in docs}) == 24 == len(DOCUMENT_MODELS)
    for doc in docs:
        assert len(doc.description) > 80, doc.id


@pytest.mark.parametrize("name", ["sezp", "planning-for-success", "dese-sip"])
def test_milestones_resolve(name: str) -> None:
    for milestone in load_framework(name).milestones:
        begin, end = milestone.resolve(2022)
        assert end is None or end >= begin


def test_board_approval_is_june_7() -> None:
    board = next(m for m in load_framework("sezp").milestones if m.id == "board-approval")
    assert board.resolve(2022) == (dt.date(2022, 6, 7), None)


def test_model_registry_names_every_document_model_class() -> None:
    from sipctl.models import dese, planning, sezp
    from sipctl.models.document import PlanDocument

    classes = {
        name
        for module in (sezp, planning, dese)
        for name, value in vars(module).items()
        if isinstance(value, type) and issubclass(value, PlanDocument) and value is not PlanDocument
    }
    assert classes == set(DOCUMENT_MODELS)
    assert all(DOCUMENT_MODELS[name].__name__ == name for name in classes)
