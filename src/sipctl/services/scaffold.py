"""What `sipctl init` writes, as text: templates, deadlines in words, carried content.

Templates live in the top-level templates/ folder (inside the wheel as
sipctl/templates): one per document id under documents/, and the district's
files under district/. Values that go into YAML pass through the `yaml` filter,
so a school named `O'Neil: "Academy"` still gives valid YAML.

Carry-over (`init --from PREV`): Planning for Success's School Improvement Plan
is a multi-year plan, and DESE asks schools to renew their Sustainable
Improvement Plan each year, not rewrite it (seed 003). Each framework lists, per
document, the fields that carry (`carry:` in frameworks/*.yaml). A field is
copied from the previous cycle's file only when that file validates and the
field holds more than blanks. Carried content is data, so its section is
written anew with PyYAML: comments inside a carried section are not kept; the
comments above it are.
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
from sipctl.errors import UsageError
from sipctl.models.district import DocumentDeadlines
from sipctl.packaged import templates_dir
from sipctl.rules.datapaths import is_placeholder

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


def due_lines(deadlines: DocumentDeadlines | None, zone: str, cycle_rel: str) -> list[str]:
    if deadlines is None:
        return [f"Due: not set in {cycle_rel}"]
    lines = []
    if deadlines.draft_due is not None:
        lines.append(f"Draft due: {describe_deadline(deadlines.draft_due, zone)}")
    if deadlines.final_due is not None:
        lines.append(f"Final due: {describe_deadline(deadlines.final_due, zone)}")
    if not lines:
        lines.append(f"Due: {deadlines.note or 'no submission deadline'}")
    return lines


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

    def apply(self, doc_id: str, text: str, *, with_summary: bool) -> str:
        """The rendered template `text` with each carried section put in place of its blank."""
        note = f"# carried from {self.from_cycle}: review it and change what changes this year\n"
        for name, value in self.values.get(doc_id, {}).items():
            text = replace_section(text, name, note + dump_section(name, value))
        if with_summary:
            note = f"# what `sipctl init --from {self.from_cycle}` carried into this cycle\n"
            text = replace_section(
                text, "carried_over", note + dump_section("carried_over", self.summary)
            )
        return text


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


class _SectionDumper(yaml.SafeDumper):
    """Indents list items under their key, as the templates do."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Multi-line answers stay readable as literal blocks (PyYAML falls back to quotes
    # when a literal block cannot hold the text exactly).
    return dumper.represent_scalar(
        "tag:yaml.org,2002:str", value, style="|" if "\n" in value else None
    )


_SectionDumper.add_representer(str, _represent_str)


def dump_section(key: str, value: Any) -> str:
    return yaml.dump(
        {key: value},
        Dumper=_SectionDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )


def replace_section(text: str, key: str, replacement: str) -> str:
    """Replace the top-level `key:` line and its indented lines with `replacement`.

    Templates keep every comment of a top-level field above its key, so the
    section ends at the first line that is not indented.
    """
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.startswith(f"{key}:")), None)
    if start is None:  # a template and its framework disagree: a packaging bug
        raise RuntimeError(f"the template has no top-level {key!r} to carry into")
    end = start + 1
    while end < len(lines) and lines[end].startswith(" "):
        end += 1
    return "".join([*lines[:start], replacement, *lines[end:]])
