"""Human labels for data paths, taken from the document models.

A field's label is its title in the model if it has one, else its name in plain words,
as a sentence ("Evidence" of `evidence`, "TLT vote" of `tlt_vote`); a list item is
named by its list in the singular and its id ("Lever L2"; the item's model when the
list's name is not a plural: "Monitoring event E1"), so a label reads
"Lever L2 › Evidence" where the data path reads `levers[L2].evidence`.
"""

from __future__ import annotations

import re
import types
from dataclasses import dataclass
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

SEPARATOR = " › "
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")

PathPart = str | int


@dataclass(frozen=True)
class Label:
    text: str
    description: str | None = None  # the field's description in the model, if any


# Words a field name spells in lowercase that people write otherwise.
_WORDS = {
    "tlt": "TLT",
    "sezp": "SEZP",
    "sps": "SPS",
    "id": "ID",
    "english": "English",
    "mybudgetfile": "MyBudgetFile",
    "ex": "ex",  # ex officio
}


def field_title(name: str) -> str:
    """A field's name in plain words, as a sentence: `tlt_vote` -> "TLT vote",
    `entered_in_mybudgetfile` -> "Entered in MyBudgetFile", `evidence` -> "Evidence"."""
    words = [w for w in name.split("_") if w]
    if not words:
        return name
    shown = [_WORDS.get(w.lower(), w.lower()) for w in words]
    first = shown[0]
    shown[0] = first if first != first.lower() else first[:1].upper() + first[1:]
    return " ".join(shown)


def singular(title: str) -> str | None:
    """ "Action Steps" -> "Action step", "Strategies" -> "Strategy"; None if not plural."""
    words = title.split()
    if not words:
        return None
    last = words[-1]
    if last.endswith("ies"):
        last = last[:-3] + "y"
    elif last.endswith("s") and not last.endswith("ss"):
        last = last[:-1]
    else:
        return None
    words[-1] = last
    return " ".join([words[0], *(w.lower() for w in words[1:])])


def kind_name(model: type[BaseModel]) -> str:
    """`PriorityLever` -> "Priority lever"."""
    words = _CAMEL.sub(" ", model.__name__).split()
    return " ".join([words[0], *(w.lower() for w in words[1:])]) if words else model.__name__


def label_for(model: type[BaseModel] | None, path: tuple[PathPart, ...], ids: list[str]) -> Label:
    """The label of `path`; `ids` gives, in order, the id of each list item on the path
    that has one ("" for an item without id)."""
    parts: list[str] = []
    description: str | None = None
    current: Any = model
    pending_ids = iter(ids)
    for part in path:
        if isinstance(part, int):
            item = _item_type(current)
            item_id = next(pending_ids, "")
            plural = parts.pop() if parts else "Items"
            kind = singular(plural) or (kind_name(item) if _is_model(item) else plural)
            parts.append(f"{kind} {item_id}" if item_id else f"{kind} #{part + 1}")
            current = item
            description = None
            continue
        title, description, current = _field(current, part)
        parts.append(title)
    return Label(SEPARATOR.join(parts) or "Document", description)


def _field(model: Any, name: str) -> tuple[str, str | None, Any]:
    if _is_model(model):
        info = model.model_fields.get(name)
        if info is not None:
            return info.title or field_title(name), info.description, _unwrap(info.annotation)
    return field_title(name), None, None


def _is_model(value: Any) -> bool:
    return isinstance(value, type) and issubclass(value, BaseModel)


def _item_type(container: Any) -> Any:
    if get_origin(container) is list:
        args = get_args(container)
        return _unwrap(args[0]) if args else None
    return None


def _unwrap(annotation: Any) -> Any:
    """A model class or `list[...]` inside Annotated / Optional / unions; else None."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _unwrap(get_args(annotation)[0])
    if origin is Union or isinstance(annotation, types.UnionType):
        for arg in get_args(annotation):
            found = _unwrap(arg)
            if found is not None:
                return found
        return None
    if origin is list or _is_model(annotation):
        return annotation
    return None
