"""Compare two versions of a document's data, the way a reviewer reads a plan.

Like dyff (STYLE.md), list items are matched by their `id`, so moving an item is
reported once as a new order, never as a removal and an addition; lists without ids
(data sources, references) are compared as sets of values, and lists of unnamed
entries by their position in the longest common sequence. Empty values (null, [],
{}) and a missing key mean the same thing: the models treat them alike.
"""

from __future__ import annotations

import difflib
import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from sipctl.diffing.changes import Change, ChangeKind
from sipctl.diffing.labels import PathPart, label_for
from sipctl.diffing.words import is_long, word_diff

HEADER_KEYS = ("document", "school", "cycle", "status")


@dataclass(frozen=True)
class _At:
    """Where the walk is: the raw path, the readable path and the ids on the way."""

    parts: tuple[PathPart, ...] = ()
    shown: str = ""
    ids: tuple[str, ...] = ()

    def key(self, name: str) -> _At:
        shown = f"{self.shown}.{name}" if self.shown else name
        return _At((*self.parts, name), shown, self.ids)

    def item(self, index: int, item_id: str | None) -> _At:
        shown = f"{self.shown}[{item_id if item_id else index}]"
        return _At((*self.parts, index), shown, (*self.ids, item_id or ""))


def compare(
    old: Any,
    new: Any,
    model: type[BaseModel] | None = None,
    *,
    ignore: tuple[str, ...] = ("status",),
) -> list[Change]:
    """Every change from `old` to `new` (plain data), in the order of the new version.

    `ignore` names top-level keys left out (the status is reported as a submission).
    """
    walker = _Walker(model)
    old_map = {k: v for k, v in (old or {}).items() if k not in ignore}
    new_map = {k: v for k, v in (new or {}).items() if k not in ignore}
    walker.walk(old_map, new_map, _At())
    return walker.changes


def is_empty(value: Any) -> bool:
    return value is None or value == [] or value == {}


def same(old: Any, new: Any) -> bool:
    """Equal as plan content: 45 and 45.0 are the same number, true is not 1."""
    if is_empty(old) and is_empty(new):
        return True
    if _is_number(old) and _is_number(new):
        return bool(old == new)
    if type(old) is not type(new):
        return False
    if isinstance(old, dict):
        keys = set(old) | set(new)
        return all(same(old.get(k), new.get(k)) for k in keys)
    if isinstance(old, list):
        return len(old) == len(new) and all(same(a, b) for a, b in zip(old, new, strict=True))
    return bool(old == new)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def item_id(item: Any) -> str | None:
    if isinstance(item, dict):
        value = item.get("id")
        if isinstance(value, str) and value:
            return value
    return None


def _keyed(items: list[Any]) -> bool:
    """Every item has its own id: they can be matched by id."""
    ids = [item_id(i) for i in items]
    return all(ids) and len(set(ids)) == len(ids)


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


class _Walker:
    def __init__(self, model: type[BaseModel] | None) -> None:
        self.model = model
        self.changes: list[Change] = []

    def add(
        self,
        kind: ChangeKind,
        at: _At,
        old: Any = None,
        new: Any = None,
        *,
        words: bool = False,
    ) -> None:
        label = label_for(self.model, at.parts, list(at.ids))
        self.changes.append(
            Change(
                kind,
                at.shown,
                label.text,
                label.description,
                old,
                new,
                word_diff(old, new) if words else None,
            )
        )

    def walk(self, old: Any, new: Any, at: _At) -> None:
        if same(old, new):
            return
        if isinstance(old, dict | None) and isinstance(new, dict | None) and (old or new):
            self.mapping(old or {}, new or {}, at)
        elif isinstance(old, list | None) and isinstance(new, list | None):
            self.sequence(old or [], new or [], at)
        elif is_empty(old):
            self.add(ChangeKind.ADDED, at, new=new)
        elif is_empty(new):
            self.add(ChangeKind.REMOVED, at, old=old)
        else:
            long_text = isinstance(old, str) and isinstance(new, str)
            self.add(
                ChangeKind.CHANGED, at, old, new, words=long_text and (is_long(old) or is_long(new))
            )

    def mapping(self, old: dict[str, Any], new: dict[str, Any], at: _At) -> None:
        for key in dict.fromkeys([*new, *old]):  # the new version's order, then removed keys
            self.walk(old.get(key), new.get(key), at.key(key))

    def sequence(self, old: list[Any], new: list[Any], at: _At) -> None:
        if _keyed(old) and _keyed(new):
            self.by_id(old, new, at)
        elif all(not isinstance(v, dict | list) for v in (*old, *new)):
            self.values(old, new, at)
        else:
            self.by_position(old, new, at)

    def by_id(self, old: list[Any], new: list[Any], at: _At) -> None:
        old_by = {item_id(i): (n, i) for n, i in enumerate(old)}
        new_ids = [item_id(i) for i in new]
        kept_old = [i for i in old_by if i in new_ids]
        kept_new = [i for i in new_ids if i in old_by]
        if kept_old != kept_new:
            self.add(ChangeKind.REORDERED, at, kept_old, kept_new)
        for index, item in enumerate(new):
            key = item_id(item)
            if key in old_by:
                self.walk(old_by[key][1], item, at.item(index, key))
            else:
                self.add(ChangeKind.ADDED, at.item(index, key), new=item)
        for key, (index, item) in old_by.items():
            if key not in new_ids:
                self.add(ChangeKind.REMOVED, at.item(index, key), old=item)

    def values(self, old: list[Any], new: list[Any], at: _At) -> None:
        """A list of plain values (data sources, ids it refers to): a set, plus its order."""
        before, after = Counter(map(_canonical, old)), Counter(map(_canonical, new))
        if before == after:
            self.add(ChangeKind.REORDERED, at, old, new)
            return
        removed, added = before - after, after - before
        for value in new:
            if added[_canonical(value)] > 0:
                added[_canonical(value)] -= 1
                self.add(ChangeKind.ADDED, at, new=value)
        for value in old:
            if removed[_canonical(value)] > 0:
                removed[_canonical(value)] -= 1
                self.add(ChangeKind.REMOVED, at, old=value)

    def by_position(self, old: list[Any], new: list[Any], at: _At) -> None:
        """Entries without ids (status updates): unchanged runs are matched first."""
        a, b = [_canonical(v) for v in old], [_canonical(v) for v in new]
        if sorted(a) == sorted(b):
            order = [f"#{a.index(v) + 1}" for v in b]
            self.add(ChangeKind.REORDERED, at, [f"#{n + 1}" for n in range(len(a))], order)
            return
        matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            pairs = min(i2 - i1, j2 - j1)
            for k in range(pairs):
                self.walk(old[i1 + k], new[j1 + k], at.item(j1 + k, item_id(new[j1 + k])))
            for j in range(j1 + pairs, j2):
                self.add(ChangeKind.ADDED, at.item(j, item_id(new[j])), new=new[j])
            for i in range(i1 + pairs, i2):
                self.add(ChangeKind.REMOVED, at.item(i, item_id(old[i])), old=old[i])
