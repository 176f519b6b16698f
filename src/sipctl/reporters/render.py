"""HTML and Markdown pages from the render service's views, with jinja2 templates.

Templates live in `templates/render/` (`html/`, `md/`). A plan document becomes a
small tree of display nodes (text, values, tables, cards, fields) by walking its
model generically, so a new framework renders without new code; section names
come from `templates/render/labels.yaml`. Every value is escaped by the template
engine; text fields may hold Markdown, made safe in `sipctl.reporters.markdown`
(in Markdown pages) or `sipctl.reporters.status` (in HTML pages).
(About 430 lines: the display nodes, the walker that makes them and the page functions
change together whenever a model gains a kind of value; `site.py` writes the pages.)
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

import jinja2
from markupsafe import Markup

from sipctl.models import PlanDocument
from sipctl.models.blocks import Baseline, Block, SmartOutcome, Target
from sipctl.packaged import templates_dir
from sipctl.reporters import markdown as md
from sipctl.reporters.status import (
    by_phase,
    key_dates,
    long_date,
    long_time,
    markdown_html,
    timeline_scale,
    verdict,
)
from sipctl.services.render import HomePage, IndexPage, PlanPage, PlanStub, Site
from sipctl.services.status import STATE_LABEL
from sipctl.source.positions import load_yaml

# The field that names an item in a list, when it has one: the title of its card.
TITLE_FIELDS = (
    "title", "lever", "name", "group", "service", "text", "statement", "what", "recommendation",
    "cause", "condition", "change", "activity", "system", "audience", "metric", "description",
)  # fmt: skip
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


# --- values in words ---------------------------------------------------------------------------
def number(value: float) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}".rstrip("0").rstrip(".")


def measure(value: float | None, unit: str | None) -> str:
    if value is None:
        return "not set"
    if unit in ("percent", "%"):
        return f"{number(value)}%"
    return f"{number(value)} {unit}" if unit else number(value)


def baseline_text(b: Baseline) -> str:
    when = f" as of {long_date(b.as_of)}" if b.as_of else ""
    return measure(b.value, b.unit) + when + (f" ({b.source})" if b.source else "")


def target_text(t: Target, unit: str | None = None) -> str:
    return measure(t.value, t.unit or unit) + (f" by {long_date(t.by)}" if t.by else "")


@cache
def _labels() -> dict[str, Any]:
    text = (templates_root() / "labels.yaml").read_text(encoding="utf-8")
    data = load_yaml(text).data
    return data if isinstance(data, dict) else {}


def label(name: str) -> str:
    fields = _labels().get("fields") or {}
    if name in fields:
        return str(fields[name])
    words = _labels().get("words") or {}
    text = " ".join(str(words.get(w, w)) for w in name.split("_"))
    return text[:1].upper() + text[1:]


# --- display nodes -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Text:  # text a person wrote: it may hold Markdown
    value: str
    block: bool = False
    kind: ClassVar[str] = "text"


@dataclass(frozen=True)
class Plain:  # a value sipctl formats: a date, a number, a choice
    value: str
    kind: ClassVar[str] = "plain"


@dataclass(frozen=True)
class Refs:
    refs: tuple[tuple[str, str | None], ...]  # (id, anchor of its definition)
    kind: ClassVar[str] = "refs"


@dataclass(frozen=True)
class Bullets:
    items: tuple[Node, ...]
    kind: ClassVar[str] = "bullets"


@dataclass(frozen=True)
class Fields:
    rows: tuple[tuple[str, Node], ...]
    kind: ClassVar[str] = "fields"


@dataclass(frozen=True)
class Row:
    key: str | None
    anchor: str | None
    cells: tuple[Node | None, ...]


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    kind: ClassVar[str] = "table"


@dataclass(frozen=True)
class Card:
    key: str | None
    anchor: str | None
    title: Node | None
    fields: Fields


@dataclass(frozen=True)
class Cards:
    cards: tuple[Card, ...]
    kind: ClassVar[str] = "cards"


Node = Text | Plain | Refs | Bullets | Fields | Table | Cards


@dataclass(frozen=True)
class Section:
    title: str
    parts: tuple[tuple[str | None, Node], ...]


def _is_choice(annotation: Any) -> bool:
    if typing.get_origin(annotation) is typing.Literal:
        return True
    return any(_is_choice(arg) for arg in typing.get_args(annotation))


def _empty(value: object) -> bool:
    if value is None or value == "" or value == []:
        return True
    if isinstance(value, Block):
        return all(_empty(getattr(value, name)) for name in type(value).model_fields)
    return False


def _simple(node: Node) -> bool:
    return isinstance(node, Plain | Refs) or (isinstance(node, Text) and not node.block)


def _length(node: Node) -> int:
    if isinstance(node, Text | Plain):
        return len(node.value)
    return sum(len(r[0]) + 2 for r in node.refs) if isinstance(node, Refs) else 0


@dataclass
class Walker:
    """Turns one document's model into display nodes; ids become link targets."""

    anchors: dict[str, str]  # item id -> the anchor of its first definition in the plan
    document: str = ""
    emitted: set[str] = field(default_factory=set)

    def anchor(self, item: Block) -> str | None:
        ident = getattr(item, "id", None)
        anchor = self.anchors.get(ident) if isinstance(ident, str) else None
        if anchor != f"{self.document}-{ident}" or anchor in self.emitted:
            return None
        self.emitted.add(anchor)
        return anchor

    def node(self, owner: type[Block], name: str, value: object) -> Node | None:
        if _empty(value):
            return None
        if isinstance(value, bool):
            return Plain("yes" if value else "no")
        if isinstance(value, int | float):
            return Plain(number(value))
        if isinstance(value, dt.date):
            return Plain(long_date(value))
        annotation = owner.model_fields[name].annotation if name in owner.model_fields else None
        if isinstance(value, str):
            if value in self.anchors:
                return Refs(((value, self.anchors[value]),))
            if _is_choice(annotation):
                return Plain(value.replace("-", " "))
            return Text(value, block="\n" in value.strip() or len(value) > 160)
        if isinstance(value, SmartOutcome):
            return self.outcome(value)
        if isinstance(value, Baseline):
            return Plain(baseline_text(value))
        if isinstance(value, Target):
            return Plain(target_text(value))
        if isinstance(value, Block):
            return self.fields(value)
        if isinstance(value, list):
            return self.sequence(owner, name, value)
        return Plain(str(value))

    def sequence(self, owner: type[Block], name: str, values: list[Any]) -> Node | None:
        blocks = [v for v in values if isinstance(v, Block)]
        if blocks:
            return self.items(blocks)
        texts = [str(v) for v in values]
        if all(_ID.match(t) for t in texts) and any(t in self.anchors for t in texts):
            return Refs(tuple((t, self.anchors.get(t)) for t in texts))
        nodes = [self.node(owner, name, v) for v in values]
        return Bullets(tuple(n for n in nodes if n is not None))

    def fields(self, block: Block, skip: Sequence[str] = ("id",)) -> Fields:
        owner = type(block)
        rows = []
        for name in owner.model_fields:
            node = None if name in skip else self.node(owner, name, getattr(block, name))
            if node is not None:
                rows.append((label(name), node))
        return Fields(tuple(rows))

    def outcome(self, o: SmartOutcome) -> Fields:
        rows: list[tuple[str, Node]] = []
        if o.metric:
            rows.append(("Measure", Text(o.metric)))
        if o.student_group:
            rows.append(("Student group", Text(o.student_group)))
        if not _empty(o.baseline):
            rows.append(("Baseline", Plain(baseline_text(o.baseline))))
        if not _empty(o.target):
            rows.append(("Target", Plain(target_text(o.target))))
        if o.interim:
            unit = o.target.unit or o.baseline.unit
            steps = [
                measure(i.value, unit) + (f" by {long_date(i.by)}" if i.by else "")
                for i in o.interim
            ]
            rows.append(("Interim targets", Plain("; ".join(steps))))
        return Fields(tuple(rows))

    def items(self, items: list[Block]) -> Node:
        owner = type(items[0])
        names = [n for n in owner.model_fields if n != "id"]
        grid = [{n: self.node(type(i), n, getattr(i, n, None)) for n in names} for i in items]
        names = [n for n in names if any(row[n] is not None for row in grid)]
        nodes = [row[n] for row in grid for n in names if row[n] is not None]
        widest = max(sum(_length(n) for n in row.values() if n is not None) for row in grid)
        if all(_simple(n) for n in nodes if n) and len(names) <= 5 and widest <= 220:
            rows = tuple(
                Row(getattr(i, "id", None), self.anchor(i), tuple(row[n] for n in names))
                for i, row in zip(items, grid, strict=True)
            )
            return Table(tuple(label(n) for n in names), rows)
        cards = []
        for item, row in zip(items, grid, strict=True):
            # The card's title names the item: a text, never a reference to another item.
            title = next((n for n in TITLE_FIELDS if isinstance(row.get(n), Text | Plain)), None)
            rest: list[tuple[str, Node]] = []
            for n in names:
                node = row[n]
                if node is None or n == title:
                    continue
                if isinstance(getattr(item, n), SmartOutcome) and isinstance(node, Fields):
                    rest.extend(node.rows)  # a goal's measure, baseline and target belong to it
                else:
                    rest.append((label(n), node))
            key = getattr(item, "id", None)
            cards.append(
                Card(key, self.anchor(item), row[title] if title else None, Fields(tuple(rest)))
            )
        return Cards(tuple(cards))


def anchor_map(models: list[PlanDocument]) -> dict[str, str]:
    """Every item id of the plan -> `<document>-<id>`, the first definition winning."""
    anchors: dict[str, str] = {}

    def visit(document: str, value: object) -> None:
        if isinstance(value, list):
            for item in value:
                visit(document, item)
        elif isinstance(value, Block):
            ident = getattr(value, "id", None)
            if isinstance(ident, str) and not isinstance(value, PlanDocument):
                anchors.setdefault(ident, f"{document}-{ident}")
            for name in type(value).model_fields:
                visit(document, getattr(value, name))

    for model in models:
        visit(model.document, model)
    return anchors


HEADER = ("document", "school", "cycle", "status")


def sections(model: PlanDocument, walker: Walker) -> list[Section]:
    """The document's sections in order: the framework's names where it numbers them."""
    walker.document = model.document
    owner = type(model)
    names = [n for n in owner.model_fields if n not in HEADER]
    numbered = (_labels().get("sections") or {}).get(model.document) or []
    groups = [(str(g["title"]), list(g["fields"])) for g in numbered]
    grouped = {n for _title, fields in groups for n in fields}
    groups += [(label(n), [n]) for n in names if n not in grouped]
    result = []
    for title, fields in groups:
        parts = []
        for name in fields:
            node = walker.node(owner, name, getattr(model, name, None)) if name in names else None
            if node is not None:
                parts.append((label(name) if len(fields) > 1 else None, node))
        if parts:
            result.append(Section(title, tuple(parts)))
    return result


def plan_content(page: PlanPage) -> dict[str, list[Section]]:
    models = [d.model for d in page.documents if d.model is not None]
    walker = Walker(anchor_map(models))
    return {m.document: sections(m, walker) for m in models}


# --- Markdown in text fields and deadlines in words ------------------------------------------
def _markdown(text: Text | str, block: bool | None = None) -> Markup:
    if isinstance(text, Text):
        return markdown_html(text.value, block=text.block if block is None else block)
    return markdown_html(text, block=bool(block))


def _md_text(text: Text | str, line: bool = False, table: bool = False) -> str:
    """A text field in a Markdown page: on one `line` (a list item's) or in a `table` cell."""
    if isinstance(text, Text):
        block = text.block and not (line or table)
        return md.user_markdown(text.value, block=block, table=table)
    return md.user_markdown(text, block=not (line or table), table=table)


# --- pages -------------------------------------------------------------------------------------
def templates_root() -> Path:
    return templates_dir() / "render"


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_root()),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html.j2", "svg.j2"], default=False),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        markdown=_markdown,
        mdtext=_md_text,
        md=md.text,
        mdcell=md.cell,
        mdheading=md.heading,
        mdurl=md.link_target,
        date=long_date,
        short=lambda title: str(title).split(":")[0],  # "Phase I: reflect ..." -> "Phase I"
    )
    env.globals.update(
        time=long_time,
        measure=measure,
        verdict=verdict,
        by_phase=by_phase,
        key_dates=key_dates,
        state_label={s.value: text for s, text in STATE_LABEL.items()},
        state_mark={"on-time": "✅", "late": "⚠️", "missed": "❌", "due-soon": "⏰"},
    )
    env.tests["inline"] = _simple
    return env


def render_pages(site: Site, fmt: str) -> Iterator[tuple[str, str]]:
    """Every page of the site as text, with its path relative to the output folder; one
    at a time, each plan built only when its turn comes."""
    for stub in site.plans:
        yield plan_text(stub, fmt)
    if site.index is not None:
        yield index_text(site.index, fmt)


def plan_text(stub: PlanStub, fmt: str) -> tuple[str, str]:
    """A school's page: its path and text."""
    page = stub.build()
    template = environment().get_template(f"{fmt}/plan.{fmt}.j2")
    return page.path, _tidy(template.render(page=page, content=plan_content(page)))


def index_text(index: IndexPage, fmt: str) -> tuple[str, str]:
    """The district index: its path and text."""
    template = environment().get_template(f"{fmt}/index.{fmt}.j2")
    return index.path, _tidy(template.render(page=index, scale=timeline_scale(index.status)))


def home_text(home: HomePage, fmt: str, published: Sequence[str]) -> tuple[str, str]:
    """The site's front page, linking to the cycles in `published`: its path and text."""
    template = environment().get_template(f"{fmt}/home.{fmt}.j2")
    return home.path, _tidy(template.render(page=home, published=published))


def _tidy(text: str) -> str:
    """No trailing spaces, at most one blank line in a row, one newline at the end."""
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"
