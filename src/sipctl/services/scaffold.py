"""What `sipctl init` writes, as text: templates, deadlines in words, carried content.

Templates live in the top-level templates/ folder (inside the wheel as
sipctl/templates): one per document id under documents/, and the district's
files under district/. Values that go into YAML pass through the `yaml` filter,
so a school named `O'Neil: "Academy"` still gives valid YAML.

A plan document is written in the canonical form (source/canonical.py), the one a
browser save writes: its template gives the blank data (TODO text, nulls, example
items), which is read back and written canonically, so the first save of a scaffold
in the browser changes only the lines of the fields the principal filled in. The
templates hold no comments; the guidance is in the models' descriptions.

Carry-over (`init --from PREV`): Planning for Success's School Improvement Plan
is a multi-year plan, and DESE asks schools to renew their Sustainable
Improvement Plan each year, not rewrite it (seed 003). Each framework lists, per
document, the fields that carry (`carry:` in frameworks/*.yaml). A field is
copied from the previous cycle's file only when that file validates and the
field holds more than blanks. Carried content is data: it replaces the blank
value of its key, and the document is written canonically like any other.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import jinja2
import yaml

from sipctl.domain.district import District
from sipctl.domain.framework import Framework, FrameworkDocument
from sipctl.domain.layout import document_layouts
from sipctl.errors import UsageError
from sipctl.models.district import DocumentDeadlines
from sipctl.packaged import templates_dir
from sipctl.rules.datapaths import is_placeholder
from sipctl.source.canonical import canonical_text
from sipctl.source.positions import load_yaml

_ZONE_NAMES = {
    "America/New_York": "Eastern",
    "America/Chicago": "Central",
    "America/Denver": "Mountain",
    "America/Los_Angeles": "Pacific",
}


def yaml_scalar(value: object) -> str:
    """`value` as one YAML scalar or flow collection, quoted when YAML needs it."""
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=1 << 30)
    text = text.removesuffix("\n").removesuffix("\n...")
    # JSON is valid YAML flow syntax and keeps a value with line breaks on one line.
    return text if "\n" not in text else json.dumps(value, ensure_ascii=False, default=str)


def deadline_value(value: dt.date) -> str:
    """A deadline as the cycle file writes it: quoted local date-time, or a bare date."""
    if isinstance(value, dt.datetime):
        return f'"{value:%Y-%m-%dT%H:%M}"'
    return value.isoformat()


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters["yaml"] = yaml_scalar
    env.filters["deadline"] = deadline_value
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


# deadlines in words -------------------------------------------------------------------------
def zone_label(zone: str) -> str:
    return _ZONE_NAMES.get(zone, zone)


def describe_deadline(value: dt.date, zone: str) -> str:
    """A deadline in words: "Friday, May 6, 2022, 4:00 pm Eastern"."""
    day = f"{value:%A}, {value:%B} {value.day}, {value.year}"
    if isinstance(value, dt.datetime):
        clock = f"{value.hour % 12 or 12}:{value.minute:02d} {'am' if value.hour < 12 else 'pm'}"
        return f"{day}, {clock} {zone_label(zone)}"
    return f"{day} (by the end of the day, {zone_label(zone)})"


def framework_deadlines(framework: Framework, start_year: int) -> dict[str, DocumentDeadlines]:
    """The framework's rules resolved for one cycle, with a note where no date results."""
    out = {}
    for doc in framework.documents:
        draft = doc.draft.resolve(start_year) if doc.draft else None
        final = doc.final.resolve(start_year) if doc.final else None
        note = None
        if draft is None and final is None:
            rule = doc.final or doc.draft
            note = "no submission deadline"
            if rule is not None and rule.set_by_district:
                said = rule.note or "a date"
                note = said if "district" in said else f"the district sets this: {said}"
        out[doc.id] = DocumentDeadlines(draft_due=draft, final_due=final, note=note)
    return out


def due_summary(deadlines: DocumentDeadlines | None, zone: str, cycle_rel: str) -> str:
    """When a document is due, in words: "draft due Friday, May 6, 2022, 4:00 pm Eastern;
    final due ...", or the cycle file's note when it has no date."""
    if deadlines is None:
        return f"not set in {cycle_rel}"
    parts = [
        f"{stage} due {describe_deadline(value, zone)}"
        for stage, value in (("draft", deadlines.draft_due), ("final", deadlines.final_due))
        if value is not None
    ]
    return "; ".join(parts) or (deadlines.note or "no submission deadline")


# carry-over ---------------------------------------------------------------------------------
@dataclass
class Carried:
    """What `--from` found: per document id, the carried fields and their data."""

    from_cycle: str | None = None
    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def fields(self) -> dict[str, list[str]]:
        return {doc_id: list(values) for doc_id, values in self.values.items()}

    @property
    def summary(self) -> list[str]:
        """One line per document, for a renewal's `carried_over` list."""
        return [f"{doc_id}: {', '.join(values)}" for doc_id, values in self.values.items()]

    def apply(self, doc_id: str, data: dict[str, Any], *, with_summary: bool) -> None:
        """Put each carried value of `doc_id` in place of its blank in the scaffold's `data`,
        and, `with_summary`, the list of what was carried in its `carried_over`."""
        data.update(self.values.get(doc_id, {}))
        if with_summary:
            data["carried_over"] = self.summary


def carry_over(
    district: District, slug: str, from_cycle: str, documents: list[FrameworkDocument]
) -> Carried:
    folder = district.root / "schools" / slug / from_cycle
    folder_rel = f"schools/{slug}/{from_cycle}/"
    if not folder.is_dir() or not district.inside(folder):
        raise UsageError(
            f"{folder_rel} does not exist, so there is nothing to carry from",
            hint=f"--from names an earlier cycle folder of {slug}, e.g. --from 2021-22",
        )
    carried = Carried(from_cycle=from_cycle)
    for doc in documents:
        if not doc.carry:
            continue
        path = folder / f"{doc.id}.yaml"
        rel = f"{folder_rel}{doc.id}.yaml"
        if not path.is_file():
            carried.notes.append(f"{rel} does not exist, so {doc.id} starts blank")
            continue
        loaded = district.load_document(path, slug, from_cycle, doc)
        if (
            loaded.model is None
            or loaded.source is None
            or not isinstance(loaded.source.data, dict)
        ):
            carried.notes.append(
                f"{rel} has errors, so nothing was carried from it (run `sipctl check`)"
            )
            continue
        data = loaded.source.data
        picked = {name: data[name] for name in doc.carry if name in data and filled(data[name])}
        if picked:
            carried.values[doc.id] = picked
        else:
            carried.notes.append(f"{rel} has nothing filled in to carry ({', '.join(doc.carry)})")
    return carried


def filled(value: Any) -> bool:
    """True when `value` holds real content: not null, empty, or a TODO/TBD placeholder.

    Item ids do not count: an example item with only its `id` set is still blank.
    """
    if value is None:
        return False
    if isinstance(value, str):
        text = value.strip()
        return bool(text) and not is_placeholder(text)  # what `sipctl check` reads as unfinished
    if isinstance(value, dict):
        return any(filled(v) for k, v in value.items() if k != "id")
    if isinstance(value, list):
        return any(filled(v) for v in value)
    return True


def scaffold_document(
    template: str, carried: Carried, *, with_summary: bool, **context: Any
) -> str:
    """A plan document's scaffold in the canonical form: the template's blank data, with
    the carried values in place."""
    loaded = load_yaml(render(template, **context))
    data = loaded.data
    if loaded.problems or not isinstance(data, dict):  # a packaging bug, not a user error
        raise RuntimeError(f"the template {template} does not give a document's data")
    carried.apply(data["document"], data, with_summary=with_summary)
    return canonical_text(data, document_layouts())
