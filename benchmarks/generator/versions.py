"""Versions of a document before and after its final text: the blank scaffold
(not-started), work in progress (lists cut short, text still TODO), the draft, and later
revisions (a few sentences rewritten, a number or two changed)."""

from __future__ import annotations

import copy
import math
import random
from collections.abc import Iterator
from typing import Any

from .cycle import Data
from .schools import School
from .text import SENTENCES
from .vocabulary import words

# Values that must keep their form (ids, references, literals, clock times, names).
KEEP = frozenset(
    words(
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
