"""The diff engine, one function at a time: matching, labels, word diffs, escaping."""

from __future__ import annotations

from sipctl.diffing.changes import ChangeKind
from sipctl.diffing.engine import compare
from sipctl.diffing.labels import label_for
from sipctl.diffing.words import WordRun, elide, word_diff
from sipctl.models.sezp import Calendars, PriorityLevers, StrategicActionPlan, WorkingConditions


def rows(old: object, new: object, model: type | None = None) -> list[tuple]:
    return [(c.kind.value, c.path, c.label, c.old, c.new) for c in compare(old, new, model)]


def test_moved_and_edited_item_is_a_reorder_and_an_edit() -> None:
    old = {"levers": [{"id": "L1", "lever": "Data"}, {"id": "L2", "lever": "Family"}]}
    new = {"levers": [{"id": "L2", "lever": "Families"}, {"id": "L1", "lever": "Data"}]}
    assert rows(old, new, PriorityLevers) == [
        ("reordered", "levers", "Levers", ["L1", "L2"], ["L2", "L1"]),
        ("changed", "levers[L2].lever", "Lever L2 › Lever", "Family", "Families"),
    ]


def test_an_added_item_does_not_make_a_reorder() -> None:
    old = {"levers": [{"id": "L1"}, {"id": "L2"}]}
    new = {"levers": [{"id": "L0"}, {"id": "L1"}, {"id": "L2"}]}
    assert rows(old, new) == [("added", "levers[L0]", "Lever L0", None, {"id": "L0"})]


def test_plain_value_lists_are_sets_with_an_order() -> None:
    old = {"data_sources": ["MCAS", "SQR", "DIBELS"]}
    assert rows(old, {"data_sources": ["SQR", "DIBELS", "MCAS"]}) == [
        (
            "reordered",
            "data_sources",
            "Data sources",
            old["data_sources"],
            ["SQR", "DIBELS", "MCAS"],
        )
    ]
    assert rows(old, {"data_sources": ["MCAS", "DIBELS 8", "DIBELS"]}) == [
        ("added", "data_sources", "Data sources", None, "DIBELS 8"),
        ("removed", "data_sources", "Data sources", "SQR", None),
    ]


def test_entries_without_ids_are_matched_by_position() -> None:
    step = {"id": "A1", "updates": [{"date": "2022-10-01", "status": "on-track"}]}
    later = {
        "id": "A1",
        "updates": [
            {"date": "2022-10-01", "status": "approaching"},
            {"date": "2022-11-01", "status": "done"},
        ],
    }
    old = {"strategies": [{"id": "S1", "action_steps": [step]}]}
    new = {"strategies": [{"id": "S1", "action_steps": [later]}]}
    assert rows(old, new, StrategicActionPlan) == [
        (
            "changed",
            "strategies[S1].action_steps[A1].updates[0].status",
            "Strategy S1 › Action step A1 › Update #1 › Status",
            "on-track",
            "approaching",
        ),
        (
            "added",
            "strategies[S1].action_steps[A1].updates[1]",
            "Strategy S1 › Action step A1 › Update #2",
            None,
            {"date": "2022-11-01", "status": "done"},
        ),
    ]


def test_duplicate_ids_fall_back_to_positions() -> None:
    old = {"levers": [{"id": "L1", "lever": "a"}, {"id": "L1", "lever": "b"}]}
    new = {"levers": [{"id": "L1", "lever": "a"}, {"id": "L1", "lever": "c"}]}
    assert rows(old, new) == [("changed", "levers[L1].lever", "Lever L1 › Lever", "b", "c")]


def test_what_counts_as_the_same() -> None:
    assert rows({"a": 45, "b": None, "c": []}, {"a": 45.0, "d": {}}) == []
    assert rows({"passed": 1}, {"passed": True}) == [("changed", "passed", "Passed", 1, True)]
    assert rows({"status": "draft"}, {"status": "final"}) == []  # a submission, not a field


def test_labels_use_titles_plurals_and_model_names() -> None:
    assert label_for(PriorityLevers, ("levers", 0, "evidence"), ["L2"]).text == (
        "Lever L2 › Evidence"
    )
    assert label_for(PriorityLevers, ("levers", 0, "evidence"), ["L2"]).description == (
        "The data that drove the choice (mid-year Roadmap, SQR, surveys...)."
    )
    # Not a plural: the item's model names it; without a model, the list's title does.
    days_off = ("student", "days_off", 2, "reason")
    assert label_for(Calendars, days_off, ["D3"]).text == "Student › Day off D3 › Reason"
    assert label_for(None, ("days_off", 2), [""]).text == "Days off #3"


def test_labels_are_plain_words_with_acronyms_kept() -> None:
    vote = label_for(WorkingConditions, ("tlt_vote", "in_favor"), [])
    assert vote.text == "TLT vote › In favor"
    assert label_for(None, ("entered_in_mybudgetfile",), []).text == "Entered in MyBudgetFile"


def test_long_text_changes_carry_a_word_diff() -> None:
    old = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen " * 2
    new = old.replace("seven", "SEVEN", 1)
    [change] = compare({"reflection": old}, {"reflection": new})
    assert change.kind is ChangeKind.CHANGED
    assert change.words is not None
    assert [r.op for r in change.words] == ["equal", "delete", "insert", "equal"]
    assert [r for r in compare({"a": "short"}, {"a": "shorter"}) if r.words is not None] == []


def test_elide_keeps_context_around_changes() -> None:
    runs = word_diff("a b c d e f g h i j", "a b c d e F g h i j")
    assert elide(runs, context=2) == [
        None,
        WordRun("equal", "d e"),
        WordRun("delete", "f"),
        WordRun("insert", "F"),
        WordRun("equal", "g h"),
        None,
    ]
