"""A document model's fields as Decap CMS fields: widget, label, hint, required, options.

The fields are read from the model's JSON Schema (`model_json_schema()`), the same one
`sipctl schema` writes, so the form in the browser, the editor's autocompletion and
`sipctl check` all judge a value by one definition. How a property becomes a widget:

| in the model                                  | in Decap                                  |
|-----------------------------------------------|-------------------------------------------|
| `document`, `school`, `cycle` (the header)    | `hidden`: the value is kept, never shown  |
| a Literal (`status`, `kind`, ...)             | `select`, its options labelled in words   |
| a date                                        | `datetime`, date only, saved as YYYY-MM-DD|
| an int (Count, Minutes)                       | `number`, `value_type: int`, min and max  |
| a number (int or float)                       | `number`, `value_type: float`             |
| a bool                                        | `boolean`                                 |
| a string with a pattern (Id, Ref, ClockTime)  | `string` with `pattern: [regex, message]` |
| a short free-text string (see SHORT_TEXT)     | `string`                                  |
| any other free-text string                    | `text` (several lines)                    |
| a list of strings                             | `list` of one `string` field              |
| a list of models                              | `list` with `fields`, summary id · title  |
| a nested model                                | `object` with `fields`                    |

`hint` is the property's description, `required` is true only for a property the model
requires and does not allow to be null (Decap's own default is required, so every field
says which it is).
"""

from __future__ import annotations

from typing import Any

from sipctl.models.blocks import PATTERN_WORDS

# The header every document starts with. `sipctl init` writes it and `sipctl check` ties it
# to the file's folder: changed in a form it would move the document to another school or
# form, so a principal never sees it (the collection's list shows school and cycle).
HIDDEN_HEADER = ("document", "school", "cycle")

# Free-text properties that hold a name, a role, a unit or a short label: a one-line
# `string`. Every other free-text property is a several-line `text`: a new property is more
# likely prose than a label, and a text box holds a short answer as well.
SHORT_TEXT = frozenset(
    {
        "audience",
        "email",
        "format",
        "grades",
        "group",
        "level",
        "lever",
        "link",
        "metric",
        "name",
        "owner",
        "responsible",
        "role",
        "school_year",
        "section",
        "service",
        "source",
        "student_group",
        "system",
        "title",
        "unit",
        "when",
        "who",
    }
)

# Words of a property name that read as a name of their own in a label.
_WORDS = {"id": "ID", "tlt": "TLT", "sps": "SPS", "sezp": "SEZP", "mybudgetfile": "MyBudgetFile"}

Schema = dict[str, Any]


def label(name: str) -> str:
    """`data_sources` -> "Data sources", `tlt_vote` -> "TLT vote"."""
    words = [_WORDS.get(word, word) for word in name.split("_")]
    first = words[0]
    return " ".join([first[:1].upper() + first[1:], *words[1:]])


def option_label(value: object) -> str:
    """`not-started` -> "Not started", `early-evidence` -> "Early evidence"."""
    text = str(value).replace("-", " ")
    return text[:1].upper() + text[1:]


def document_fields(schema: Schema) -> list[Schema]:
    """The Decap fields of a document model's JSON Schema, in the model's order."""
    return _fields(schema, schema.get("$defs", {}), header=True)


def _fields(model: Schema, defs: Schema, *, header: bool = False) -> list[Schema]:
    required = set(model.get("required", []))
    fields = []
    for name, prop in model["properties"].items():
        if header and name in HIDDEN_HEADER:
            fields.append(_hidden(name, prop))
        else:
            fields.append(_field(name, prop, defs, required=name in required))
    return fields


def _hidden(name: str, prop: Schema) -> Schema:
    field: Schema = {"name": name, "label": label(name), "widget": "hidden"}
    if "const" in prop:  # the form's own id: a sensible default, and the only one possible
        field["default"] = prop["const"]
    return field


def _field(name: str, prop: Schema, defs: Schema, *, required: bool) -> Schema:
    kinds = [option for option in prop.get("anyOf", [prop]) if option.get("type") != "null"]
    nullable = len(kinds) < len(prop.get("anyOf", [prop]))
    widget = _widget(name, kinds, defs)
    field: Schema = {"name": name, "label": label(name), "widget": widget.pop("widget")}
    description = prop.get("description") or kinds[0].get("description")
    if description:
        field["hint"] = description
    field["required"] = required and not nullable
    if prop.get("default") is not None and not isinstance(prop["default"], list | dict):
        field["default"] = prop["default"]
    return field | widget  # the widget's own settings last: `fields` can be long


def _widget(name: str, kinds: list[Schema], defs: Schema) -> Schema:
    """The widget and its options for a property that may take any of `kinds`."""
    types = {kind.get("type") for kind in kinds}
    if types == {"integer", "number"}:  # sipctl's Number: strict int or float
        return {"widget": "number", "value_type": "float"}
    if len(kinds) != 1:
        raise ValueError(f"{name}: no Decap widget for a choice of {sorted(map(str, types))}")
    kind = _resolve(kinds[0], defs)
    if "enum" in kind:
        options = [{"label": option_label(v), "value": v} for v in kind["enum"]]
        return {"widget": "select", "options": options}
    kind_type = kind.get("type")
    if kind_type == "object":
        return {"widget": "object", "fields": _fields(kind, defs)}
    if kind_type == "array":
        return _list(name, _resolve(kind["items"], defs), defs)
    if kind_type == "boolean":
        return {"widget": "boolean"}
    if kind_type == "integer":
        bounds = {"min": kind.get("minimum"), "max": kind.get("maximum")}
        return {"widget": "number", "value_type": "int"} | {
            key: value for key, value in bounds.items() if value is not None
        }
    if kind_type == "number":
        return {"widget": "number", "value_type": "float"}
    if kind_type == "string":
        return _string(name, kind)
    raise ValueError(f"{name}: no Decap widget for {kind}")


def _string(name: str, kind: Schema) -> Schema:
    if kind.get("format") == "date":
        # Decap 3 has no `date` widget: a datetime without a time, kept as YYYY-MM-DD.
        return {
            "widget": "datetime",
            "format": "YYYY-MM-DD",
            "date_format": "YYYY-MM-DD",
            "time_format": False,
        }
    if "pattern" in kind:
        regex = kind["pattern"]
        words = PATTERN_WORDS.get(regex, f"like {regex}")
        return {"widget": "string", "pattern": [regex, words[:1].upper() + words[1:]]}
    return {"widget": "string" if name in SHORT_TEXT else "text"}


def _list(name: str, item: Schema, defs: Schema) -> Schema:
    if item.get("type") == "object":
        fields = _fields(item, defs)
        return {"widget": "list", "summary": _summary(fields), "fields": fields}
    inner = {"name": name, "label": label(name)} | _widget(name, [item], defs)
    if inner["widget"] == "text":  # one line per item: a list of names or sources
        inner["widget"] = "string"
    # collapsed, an item shows its own text (Decap's default is the list's label)
    return {"widget": "list", "summary": "{{fields." + name + "}}", "field": inner}


def _summary(fields: list[Schema]) -> str:
    """What a collapsed list item shows: its id and the first plain value after it (its
    title, name or statement), or its first two plain values when it has no id."""
    plain = [f["name"] for f in fields if f["widget"] not in ("list", "object")]
    shown = ["id", *plain[1:2]] if plain and plain[0] == "id" else plain[:2]
    return " · ".join("{{fields." + name + "}}" for name in shown)


def _resolve(kind: Schema, defs: Schema) -> Schema:
    ref = kind.get("$ref")
    return defs[ref.rsplit("/", 1)[-1]] if ref else kind
