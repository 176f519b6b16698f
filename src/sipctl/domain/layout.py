"""The layout of every document kind, from the models: what the canonical writers need.

`document_layouts()` is plain JSON: `sipctl fmt` (source/canonical.py) and the browser's
save format (templates/editor/sipctl-format.js) are driven by the same data, so the two
cannot drift apart on key order or on which fields hold dates. A node is

    {"kind": "map", "fields": [[name, node], ...]}   a model, its fields in model order
    {"kind": "list", "items": node}                  a list
    {"kind": "date"}                                 a date (YYYY-MM-DD)
    {"kind": "text"}                                 text, or a choice of words
    {"kind": "value"}                                a number, a yes/no, anything else

Fields are pairs rather than a JSON object so that no reader reorders them.
"""

from __future__ import annotations

import datetime as dt
import types
from functools import cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from sipctl.domain.framework import all_documents
from sipctl.source.canonical import AMBIGUOUS, LAYOUT_VERSION


@cache
def document_layouts() -> dict[str, Any]:
    """Every document id's layout, and the patterns of text that must be quoted."""
    documents = {
        doc_id: model_layout(entry.model_class) for doc_id, entry in sorted(all_documents().items())
    }
    return {"version": LAYOUT_VERSION, "ambiguous": list(AMBIGUOUS), "documents": documents}


def model_layout(model: type[BaseModel]) -> dict[str, Any]:
    return {
        "kind": "map",
        "fields": [[name, _node(field.annotation)] for name, field in model.model_fields.items()],
    }


def _node(annotation: Any) -> dict[str, Any]:
    annotation = _without_none(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return model_layout(annotation)
    if get_origin(annotation) is list:
        (item,) = get_args(annotation)
        return {"kind": "list", "items": _node(item)}
    if annotation is dt.date:
        return {"kind": "date"}
    if annotation is str or (
        get_origin(annotation) is Literal
        and all(isinstance(arg, str) for arg in get_args(annotation))
    ):
        return {"kind": "text"}
    return {"kind": "value"}


def _without_none(annotation: Any) -> Any:
    """`Text | None` -> str: the type a field holds when it is filled in."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin is Union or origin is types.UnionType:
            args = [arg for arg in get_args(annotation) if arg is not type(None)]
            if len(args) != 1:
                return annotation  # Number: int | float
            annotation = args[0]
        else:
            return annotation
