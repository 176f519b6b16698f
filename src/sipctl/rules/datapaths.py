"""Blanks and path patterns over a document's YAML data.

Rules read the parsed YAML (not only the validated model) so that every
finding can name the exact node, including keys a person has not written yet.
A pattern is a dotted data path in which `name[]` means "each item of the list
`name`": `levers[].evidence`, `strategies[].goals[]`, `tlt_vote.date`.
"""

from __future__ import annotations

import functools
import re
import typing
from collections.abc import Iterator
from typing import Any, TypeVar

from pydantic import BaseModel

from sipctl.source.datapaths import Path_
from sipctl.source.positions import LoadedYaml

B = TypeVar("B", bound=BaseModel)

# `sipctl init` writes placeholders such as `lever: "TODO: a lever from ..."`;
# TBD is the other word people use for "not decided yet". A whole word only:
# "Todos los estudiantes" is an answer, not a placeholder.
PLACEHOLDER = re.compile(r"^\s*(TODO|TBD)(?![A-Za-z])", re.IGNORECASE)


def is_placeholder(text: str) -> bool:
    return PLACEHOLDER.match(text) is not None


def is_blank(value: Any) -> bool:
    """Unfinished: null, empty text, an empty list, a TODO/TBD placeholder.

    A list is blank when it is empty or each entry is (a list of items with ids
    never is: its items say what is missing inside them). Numbers, dates and
    yes/no answers are never blank: `0` and `false` are answers.
    """
    if value is None:
        return True
    if isinstance(value, str):
        first = value[:1]
        if first and first not in "Tt" and not first.isspace():
            return False  # most answers: neither blank nor able to start with TODO or TBD
        return not value.strip() or is_placeholder(value)
    if isinstance(value, list):
        return all(is_blank(item) for item in value)
    if isinstance(value, dict):
        return not value
    return False


Segment = tuple[str, bool]  # (key, True when the key names a list to iterate)


@functools.cache
def parse_pattern(pattern: str) -> tuple[Segment, ...]:
    segments = []
    for part in pattern.split("."):
        each = part.endswith("[]")
        segments.append((part[:-2] if each else part, each))
    return tuple(segments)


def values_at(data: Any, pattern: str) -> list[tuple[Path_, Any]]:
    """Every value the pattern addresses, with its data path, in file order; absent keys
    give None. One segment at a time over a flat list: no recursion, no generators."""
    level: list[tuple[Path_, Any]] = [((), data)]
    for name, each in parse_pattern(pattern):
        found: list[tuple[Path_, Any]] = []
        for path, node in level:
            value = node.get(name) if isinstance(node, dict) else None
            here = (*path, name)
            if not each:
                found.append((here, value))
            elif isinstance(value, list):
                found.extend([((*here, index), item) for index, item in enumerate(value)])
        level = found
    return level


def missing(data: Any, pattern: str) -> list[Path_]:
    """The data paths the pattern addresses that are still blank."""
    return [path for path, value in values_at(data, pattern) if is_blank(value)]


def item_ids(data: Any, list_field: str) -> list[str]:
    """The `id`s of the items of a top-level list, in file order."""
    items = data.get(list_field) if isinstance(data, dict) else None
    if not isinstance(items, list):
        return []
    return [
        item["id"] for item in items if isinstance(item, dict) and isinstance(item.get("id"), str)
    ]


def identified_lists(source: LoadedYaml) -> list[tuple[Path_, list[Any]]]:
    """Every list of items with ids anywhere in the file, with its path, in file order.

    The loader records each list of the data as it builds it, so no walk is needed.
    """
    return [
        (path, items)
        for path, items in source.lists
        if any(isinstance(item, dict) and "id" in item for item in items)
    ]


def blocks_in(
    model: BaseModel, kind: type[B], path: Path_ = ()
) -> Iterator[tuple[Path_, B, BaseModel]]:
    """Every `kind` block inside a validated model: (data path, block, the model holding it).

    Shared building blocks (a SMART outcome, an implementation benchmark) are
    found wherever a document model uses them, so a rule about a block needs
    no list of the documents that hold one. Only the fields whose type can hold
    such a block are visited (`_fields_reaching`): most of a plan is text.
    """
    for name in _fields_reaching(type(model), kind):
        value = getattr(model, name)
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for index, item in items:
            here = (*path, name) if index is None else (*path, name, index)
            if isinstance(item, kind):
                yield here, item, model
            elif isinstance(item, BaseModel):
                yield from blocks_in(item, kind, here)


@functools.cache
def _fields_reaching(cls: type[BaseModel], kind: type[BaseModel]) -> tuple[str, ...]:
    """The fields of `cls` whose declared type is, holds, or leads to a `kind` block."""
    return tuple(
        name
        for name, info in cls.model_fields.items()
        if _reaches(info.annotation, kind, frozenset({cls}))
    )


def _reaches(annotation: Any, kind: type[BaseModel], seen: frozenset[type]) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if issubclass(annotation, kind) or issubclass(kind, annotation):
            return True  # a field typed as a base class may hold the block itself
        if annotation in seen:
            return False
        return any(
            _reaches(info.annotation, kind, seen | {annotation})
            for info in annotation.model_fields.values()
        )
    return any(_reaches(arg, kind, seen) for arg in typing.get_args(annotation))
