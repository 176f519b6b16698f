"""The rule tables name real fields, and blanks follow the scaffold's placeholder convention."""

from __future__ import annotations

import typing

import pytest
from pydantic import BaseModel

from sipctl.models import DOCUMENT_MODELS
from sipctl.rules.completeness import REQUIRED
from sipctl.rules.datapaths import is_blank, missing, parse_pattern, values_at
from sipctl.rules.links import LINKS, PARENTS


def _models_in(annotation: object) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


def resolves(model: type[BaseModel], pattern: str) -> bool:
    """True when every segment of `pattern` is a field of the model reached so far."""
    current: type[BaseModel] | None = model
    for name, _each in parse_pattern(pattern):
        if current is None or name not in current.model_fields:
            return False
        inner = _models_in(current.model_fields[name].annotation)
        current = inner[0] if inner else None
    return True


def test_every_document_model_has_a_completeness_entry() -> None:
    assert sorted(m.__name__ for m in REQUIRED) == sorted(DOCUMENT_MODELS)


@pytest.mark.parametrize(
    ("model", "pattern"),
    [(model, pattern) for model, patterns in REQUIRED.items() for pattern in patterns],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_required_fields_exist(model: type[BaseModel], pattern: str) -> None:
    assert resolves(model, pattern)


def test_link_fields_exist() -> None:
    for link in LINKS:
        assert resolves(link.source, link.refs), link
        assert all(resolves(link.target, name) for name in link.lists), link
    for parent in PARENTS:
        assert resolves(parent.kind, parent.items) and resolves(parent.child, parent.refs)


@pytest.mark.parametrize(
    "value",
    [
        *(None, "", "   ", [], {}, "TODO", "todo: the data", "TBD", "tbd later", ["", None]),
        # after any white space, a non-breaking or an ideographic space too
        *(" TODO", "\tTbd", "\n todo", "\u00a0TODO: x", "\u3000TBD", "\u2003"),
    ],
)
def test_blank(value: object) -> None:
    assert is_blank(value)


@pytest.mark.parametrize(
    "value",
    ["Todos los alumnos", " TODOS", "Today", "x TODO", 0, False, 0.0, ["x"], [{"id": "L1"}]],
)
def test_not_blank(value: object) -> None:
    assert not is_blank(value)


def test_patterns_walk_lists_and_absent_keys() -> None:
    data = {"levers": [{"id": "L1", "lever": "TODO"}, {"id": "L2", "lever": "Family"}]}
    assert missing(data, "levers[].lever") == [("levers", 0, "lever")]
    assert missing(data, "levers[].evidence") == [
        ("levers", 0, "evidence"),
        ("levers", 1, "evidence"),
    ]
    assert missing(data, "tlt_vote.date") == [("tlt_vote", "date")]
    assert missing({"levers": []}, "levers[].lever") == []
    assert list(values_at({"s": [{"goals": ["G1", "G2"]}]}, "s[].goals[]")) == [
        (("s", 0, "goals", 0), "G1"),
        (("s", 0, "goals", 1), "G2"),
    ]
