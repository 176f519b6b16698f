"""Properties that hold for any input, tested with hypothesis on a bounded budget.

- Any text given to the loader gives data or a YamlLoadError, never another exception;
  data that PyYAML reads the same way round-trips.
- Any text written as a plan file and checked gives findings, never an exception, and
  the other documents are still checked.
- Any two valid documents give a diff that is consistent: what it reports added is in
  the new version and not the old, removed the other way round, changed values match
  both sides, and applying the reported changes to the old version gives the new one.
- Rendering any valid document gives HTML that parses and holds no live markup from
  the plan's text.

The budget (`max_examples`) keeps this file well under a minute; fuzz/fuzz_loader.py
runs the loader property for as long as one likes (docs/security.md).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import re
import subprocess
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli import SIPCTL
from district import header, write_district
from sipctl.diffing.changes import Change, ChangeKind
from sipctl.diffing.engine import compare, is_empty, item_id, same
from sipctl.diffing.versions import read_version
from sipctl.domain.district import District
from sipctl.models import PlanDocument
from sipctl.models.sezp import LeverGoals, PriorityLevers
from sipctl.services.check import CheckOptions, run_check
from sipctl.source.datapaths import format_path
from sipctl.source.files import YamlLoadError, decode
from sipctl.source.positions import LoadedYaml, load_yaml

REPO = Path(__file__).resolve().parents[1]
LEVERS = "schools/maple/2022-23/priority-levers.yaml"
GOALS = "schools/maple/2022-23/lever-goals.yaml"
OTHER = "schools/maple/2022-23/tlt-transition.yaml"


# SIPCTL_PROPERTY_SCALE=50 runs fifty times the examples (docs/security.md).
SCALE = max(1, int(os.environ.get("SIPCTL_PROPERTY_SCALE", "1")))


def bounded(examples: int) -> settings:
    """A fixed budget per property, so the whole file stays well under a minute."""
    return settings(
        max_examples=examples * SCALE,
        deadline=None,
        database=None,  # no example database left in the working tree
        # The suite's budget is the same examples every run, so CI and main stay
        # predictable; a scaled-up run explores new ones each time.
        derandomize=SCALE == 1,
        # The district fixtures are rewritten file by file in every example, on purpose.
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )


# --- strategies ------------------------------------------------------------------------------
# YAML-ish fragments: structure, the YAML 1.1 surprises, and what an attacker types.
FRAGMENTS = [
    "a", "id", "levers", "status", "document", ":", ": ", "- ", "? ", "[", "]", "{", "}",
    ",", "&x ", "*x", "!!str ", "!!python/object/apply:os.system ", "!local ", "<<", "---",
    "...", "# ", '"', "'", "\\", '"\\e[31m"', '"\\x00"', "|", ">-", "\t", "\n", "\n  ",
    "\n    ", "\r\n", "yes", "no", "on", "Off", "1:30", "8:05", "2022-02-30", "2022-05-06",
    "2022-05-06T16:00", "~", "null", ".nan", ".inf", "0x1F", "0o17", "1e3", "1_000",
    "\ufeff", "\u2028", "é", "😀", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n",
]  # fmt: skip
yamlish = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=5)), max_size=50).map(
    "".join
)
any_text = st.one_of(st.text(max_size=200), yamlish)

plain_text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\x85")
    | st.sampled_from("\n\t"),
    max_size=40,
)
# What someone who means harm types into a plan, Markdown and HTML alike.
HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<sipctl-probe>injected</sipctl-probe>",
    '"><svg onload=alert(1)>',
    "[click](javascript:alert(1))",
    "![x](javascript:alert(1))",
    "<javascript:alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "</style><script>alert(1)</script>",
    "<!-- comment --> &amp; &lt;b&gt;",
    "{{ 7*7 }} {% raw %}",
    "<iframe src=https://evil.example></iframe>",
    "**bold** _em_ `code` [ok](https://example.org)",
]
# Long answers that differ by a word or two, for the word diff.
LONG = (
    "Teachers meet weekly in grade-level teams to look at student work and plan the next "
    "lessons together with the instructional coach"
)
texts = st.one_of(
    st.sampled_from(["Family engagement", "Curriculum", "TODO: write it", "x" * 90]),
    st.sampled_from([LONG, LONG.replace("weekly", "twice a month"), LONG + "\nand families"]),
    st.sampled_from(HOSTILE),
    plain_text,
)
maybe_text = st.none() | texts
numbers = st.none() | st.integers(-(10**6), 10**6) | st.floats(-1e6, 1e6, allow_nan=False)
dates = st.none() | st.dates(dt.date(2021, 7, 1), dt.date(2024, 6, 30))
STATUSES = ["not-started", "in-progress", "draft", "final", "approved"]


def ids(prefix: str) -> st.SearchStrategy[str]:
    # A small pool, so two versions share most ids and the diff has matches to make.
    return st.sampled_from([f"{prefix}1", f"{prefix}2", f"{prefix}3", f"{prefix}4.b"])


def keyed(item: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[list[dict[str, Any]]]:
    return st.lists(item, max_size=4, unique_by=lambda i: i["id"])


def header_of(document: str) -> dict[str, Any]:
    return {"document": document, "school": "maple", "cycle": "2022-23"}


lever = st.fixed_dictionaries(
    {"id": ids("L")},
    optional={
        "lever": maybe_text,
        "evidence": maybe_text,
        "data_sources": st.lists(texts, max_size=3),
    },
)
priority_levers = st.fixed_dictionaries(
    {
        **{k: st.just(v) for k, v in header_of("priority-levers").items()},
        "status": st.sampled_from(STATUSES),
    },
    optional={"reflection": maybe_text, "levers": keyed(lever)},
)
measure = {"value": numbers, "unit": maybe_text}
outcome = st.fixed_dictionaries(
    {},
    optional={
        "metric": maybe_text,
        "student_group": maybe_text,
        "baseline": st.fixed_dictionaries(
            {}, optional={**measure, "as_of": dates, "source": maybe_text}
        ),
        "target": st.fixed_dictionaries({}, optional={**measure, "by": dates}),
        "interim": keyed(
            st.fixed_dictionaries({"id": ids("I")}, optional={"value": numbers, "by": dates})
        ),
    },
)
goal = st.fixed_dictionaries(
    {"id": ids("G")},
    optional={"lever": st.none() | ids("L"), "statement": maybe_text, "outcome": outcome},
)
lever_goals = st.fixed_dictionaries(
    {
        **{k: st.just(v) for k, v in header_of("lever-goals").items()},
        "status": st.sampled_from(STATUSES),
    },
    optional={"goals": keyed(goal)},
)
DOCUMENTS: dict[str, tuple[type[PlanDocument], st.SearchStrategy[dict[str, Any]]]] = {
    "priority-levers": (PriorityLevers, priority_levers),
    "lever-goals": (LeverGoals, lever_goals),
}


def dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=60)


# --- the loader ------------------------------------------------------------------------------
def _assert_positions(text: str, loaded: LoadedYaml) -> None:
    # YAML 1.1 breaks lines at NEL, LS and PS too (an editor may not).
    lines = sum(text.count(c) for c in "\n\r\x85\u2028\u2029") + 2
    for path in loaded.positions:
        line, column = loaded.position(path)
        assert 1 <= line <= lines and column >= 1, (path, line, column)
        assert "\n" not in format_path(path, loaded.data)


@bounded(400)
@given(any_text)
def test_any_text_gives_data_or_a_yaml_load_error(text: str) -> None:
    try:
        loaded = load_yaml(text)
    except YamlLoadError as exc:
        assert exc.problem.rule and exc.problem.message
        assert exc.problem.line is None or exc.problem.line >= 1
        return
    _assert_positions(text, loaded)


@bounded(200)
@given(st.binary(max_size=300) | any_text.map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_any_bytes_decode_to_text_or_a_yaml_load_error(raw: bytes) -> None:
    try:
        text = decode(raw)
    except YamlLoadError as exc:
        assert exc.problem.rule == "file-encoding"
        return
    assert "\0" not in text
    try:
        load_yaml(text)
    except YamlLoadError as exc:
        assert exc.problem.rule and exc.problem.message


json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text() | st.dates(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


def _has_control(value: Any) -> bool:
    if isinstance(value, str):
        return re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", value) is not None
    if isinstance(value, dict):
        return any(_has_control(k) or _has_control(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_control(v) for v in value)
    return False


@bounded(200)
@given(json_like)
def test_data_round_trips_through_yaml(data: Any) -> None:
    """What PyYAML writes, the loader reads as PyYAML does (control characters refused).

    PyYAML is the oracle, not `data`: its emitter writes a NEL (U+0085) raw inside
    quotes, where every YAML reader folds it to a space.
    """
    text = yaml.safe_dump(data, allow_unicode=True)
    expected = yaml.safe_load(text)
    if _has_control(expected):
        with pytest.raises(YamlLoadError) as refused:
            load_yaml(text)
        assert refused.value.problem.rule == "file-encoding"
        return
    loaded = load_yaml(text)
    assert loaded.data == expected
    assert loaded.problems == []
    _assert_positions(text, loaded)


# --- check over any plan file ------------------------------------------------------------------
@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> Path:
    other = header("tlt-transition") + "colour: blue\n"
    return write_district(tmp_path_factory.mktemp("district"), {OTHER: other})


def checked(root: Path, rel: str, text: str | bytes) -> list[tuple[str, str]]:
    path = root / rel
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
    as_of = dt.datetime(2022, 5, 10, 12, tzinfo=dt.UTC)
    result = run_check(District.open(root), CheckOptions(as_of=as_of))
    found = [(f.rule, f.file or "") for f in result.findings]
    for finding in result.findings:
        assert finding.message and finding.file, finding
        assert "\n" not in finding.message, finding
    assert ("schema", OTHER) in found  # the other documents were still checked
    return found


@bounded(120)
@given(st.one_of(any_text, st.binary(max_size=200)))
def test_any_plan_file_gives_findings_never_an_exception(district: Path, text: str | bytes) -> None:
    checked(district, LEVERS, text)


@bounded(60)
@given(priority_levers, lever_goals)
def test_any_valid_plan_is_checked_without_an_exception(
    district: Path, levers: dict[str, Any], goals: dict[str, Any]
) -> None:
    (district / GOALS).write_text(dump(goals), encoding="utf-8")
    checked(district, LEVERS, dump(levers))
    (district / GOALS).write_text(header("lever-goals"), encoding="utf-8")


@bounded(60)
@given(st.sampled_from(sorted(DOCUMENTS)), st.data())
def test_any_valid_document_with_a_random_key_or_value_is_checked(
    district: Path, doc_id: str, data: st.DataObject
) -> None:
    """Valid documents with one key replaced by anything: schema findings, not crashes."""
    document = data.draw(DOCUMENTS[doc_id][1])
    key = data.draw(st.sampled_from(sorted(document)))
    document[key] = data.draw(json_like)
    rel = f"schools/maple/2022-23/{doc_id}.yaml"
    checked(district, rel, yaml.safe_dump(document, allow_unicode=True))
    (district / rel).write_text(header(doc_id), encoding="utf-8")


# --- the diff is a consistent description --------------------------------------------------------
MISSING = object()
_TOKEN = re.compile(r"\[([^\]]*)\]|\.?([^.\[]+)")


def _tokens(path: str) -> list[tuple[str, str]]:
    """`goals[G2].outcome.target` -> [("item", "G2"), ("key", "outcome"), ...]."""
    out = []
    for match in _TOKEN.finditer(path):
        item, key = match.groups()
        out.append(("item", item) if item is not None else ("key", key))
    return out


def _step(value: Any, token: tuple[str, str]) -> Any:
    kind, name = token
    if kind == "key":
        return value.get(name, MISSING) if isinstance(value, dict) else MISSING
    if not isinstance(value, list):
        return MISSING
    for item in value:
        if item_id(item) == name:
            return item
    return value[int(name)] if name.isdigit() and int(name) < len(value) else MISSING


def resolve(document: Any, path: str) -> Any:
    value = document
    for token in _tokens(path):
        value = _step(value, token)
        if value is MISSING:
            break
    return value


def _absent(value: Any) -> bool:
    return value is MISSING or is_empty(value)


def _is_value_list_change(change: Change, document: Any) -> bool:
    """`values()` reports a plain list's members at the list's own path."""
    target = resolve(document, change.path)
    member = change.new if change.kind is ChangeKind.ADDED else change.old
    return isinstance(target, list) and not isinstance(member, list)


def _canonical(value: Any) -> Any:
    """Equal as the engine sees it: empties dropped, keyed lists by id, plain lists sorted."""
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in sorted(value.items()) if not is_empty(v)}
    if isinstance(value, list):
        items = [_canonical(v) for v in value]
        if all(item_id(v) for v in value):
            return sorted(items, key=lambda v: v["id"])
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, default=str))
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def apply(old: dict[str, Any], changes: list[Change]) -> dict[str, Any]:
    """The old version with every reported addition, removal and change made to it."""
    doc = copy.deepcopy(old)
    for change in changes:
        tokens = _tokens(change.path)
        parent = doc
        for token in tokens[:-1]:
            parent = _step(parent, token)
        kind, name = tokens[-1]
        target = _step(parent, tokens[-1])
        if change.kind is ChangeKind.REORDERED:
            continue
        if isinstance(target, list) and not isinstance(change.new or change.old, list):
            if change.kind is ChangeKind.ADDED:
                target.append(change.new)
            else:
                target.remove(change.old)
        elif kind == "item":
            if change.kind is ChangeKind.ADDED:
                parent.append(change.new)
            elif change.kind is ChangeKind.REMOVED:
                parent.remove(target)
            else:
                parent[parent.index(target)] = change.new
        elif isinstance(parent, dict):
            parent[name] = None if change.kind is ChangeKind.REMOVED else change.new
            if isinstance(target, list) and change.kind is ChangeKind.ADDED:
                parent[name] = change.new
    return doc


def mix(old: Any, new: Any, data: st.DataObject) -> Any:
    """A version between `old` and `new`: each field, item and order taken from either,
    so the two versions share most of their content, as a draft and its final do."""
    if isinstance(old, dict) and isinstance(new, dict):
        out = {}
        for key in dict.fromkeys([*new, *old]):
            if key in old and key in new:
                out[key] = mix(old[key], new[key], data)
            elif data.draw(st.booleans()):
                out[key] = old[key] if key in old else new[key]
        return out
    if isinstance(old, list) and isinstance(new, list) and all(map(item_id, old + new)):
        by_id = {item_id(i): i for i in new}
        items = [mix(i, by_id[item_id(i)], data) if item_id(i) in by_id else i for i in old]
        items += [i for i in new if item_id(i) not in {item_id(o) for o in old}]
        kept = [i for i in items if data.draw(st.integers(0, 4)) > 0]
        return kept[::-1] if data.draw(st.booleans()) else kept
    return old if data.draw(st.booleans()) else new


FIXED = ("id", "lever", "document", "school", "cycle", "status")  # ids and the header


def edit(document: Any, data: st.DataObject) -> Any:
    """`document` with some of its text, numbers and dates rewritten: a reviser's edits."""
    if isinstance(document, dict):
        return {k: v if k in FIXED else edit(v, data) for k, v in document.items()}
    if isinstance(document, list):
        return [edit(v, data) for v in document]
    if data.draw(st.integers(0, 2)) != 0:
        return document
    if isinstance(document, str):
        return data.draw(texts)
    if isinstance(document, int | float) and not isinstance(document, bool):
        return data.draw(numbers)
    if isinstance(document, dt.date):
        return data.draw(dates)
    return document


def validated(data: dict[str, Any], model: type[PlanDocument]) -> dict[str, Any]:
    version = read_version(dump(data), "plan.yaml", model)
    assert version.validated is not None, version.problem
    return {k: v for k, v in version.validated.items() if k != "status"}


@bounded(250)
@given(st.sampled_from(sorted(DOCUMENTS)), st.data())
def test_a_diff_of_two_valid_documents_is_a_consistent_description(
    doc_id: str, data: st.DataObject
) -> None:
    model, strategy = DOCUMENTS[doc_id]
    first, second = data.draw(strategy), data.draw(strategy)
    how = data.draw(st.sampled_from(["independent", "mixed", "edited"]))
    if how == "mixed":
        second = mix(first, second, data)
    elif how == "edited":
        second = edit(first, data)
    old, new = validated(first, model), validated(second, model)
    changes = compare(old, new, model)
    for change in changes:
        before, after = resolve(old, change.path), resolve(new, change.path)
        if change.kind is ChangeKind.REORDERED:
            assert isinstance(before, list) and isinstance(after, list)
            assert change.old != change.new
            if all(item_id(i) for i in before + after):
                kept = {item_id(i) for i in before} & {item_id(i) for i in after}
                assert change.old == [item_id(i) for i in before if item_id(i) in kept]
                assert change.new == [item_id(i) for i in after if item_id(i) in kept]
            else:
                assert Counter(map(json.dumps, before)) == Counter(map(json.dumps, after))
        elif _is_value_list_change(change, new if change.kind is ChangeKind.ADDED else old):
            value = change.new if change.kind is ChangeKind.ADDED else change.old
            more, fewer = (after, before) if change.kind is ChangeKind.ADDED else (before, after)
            fewer = [] if _absent(fewer) else fewer
            assert more.count(value) > fewer.count(value), change
        elif change.kind is ChangeKind.ADDED:
            assert same(after, change.new) and not _absent(after), change
            assert _absent(before), change
        elif change.kind is ChangeKind.REMOVED:
            assert same(before, change.old) and not _absent(before), change
            assert _absent(after), change
        else:
            assert same(before, change.old) and same(after, change.new), change
            assert not same(before, after), change
        if change.words is not None:
            kept_old = [r.text for r in change.words if r.op != "insert"]
            kept_new = [r.text for r in change.words if r.op != "delete"]
            assert " ".join(kept_old).split() == str(change.old).split()
            assert " ".join(kept_new).split() == str(change.new).split()
    assert (changes == []) == same(old, new)
    assert _canonical(apply(old, changes)) == _canonical(new)


# --- rendering holds no live markup -------------------------------------------------------------
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
DANGEROUS = {"script", "iframe", "object", "embed", "form", "input", "button", "base", "frame"}
# The site's own pages: `maple.html#goals`, and from the front page `2022-23/index.html`.
SAFE_URL = re.compile(
    r"^(https?:|mailto:|#|([A-Za-z0-9._-]+/)?[A-Za-z0-9._-]+\.html(#.*)?$|\.{0,2}/|data:image/)"
)


class _Page(HTMLParser):
    """Every element and attribute of a page, and whether its tags nest properly."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.tags: Counter[str] = Counter()
        self.attributes: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        self.attributes += [(tag, name, value or "") for name, value in attrs]
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()


def render_available() -> bool:
    proc = subprocess.run(
        [str(SIPCTL), "render", "--help"], capture_output=True, text=True, timeout=60, check=False
    )
    return proc.returncode == 0 and "--out" in proc.stdout


@pytest.fixture(scope="module")
def renderable(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not render_available():
        pytest.skip("`sipctl render --help` says render is not available in this build yet")
    return write_district(tmp_path_factory.mktemp("render"))


@bounded(8)
@given(priority_levers, lever_goals)
def test_rendering_any_valid_plan_gives_html_without_live_markup(
    renderable: Path, levers: dict[str, Any], goals: dict[str, Any]
) -> None:
    (renderable / LEVERS).write_text(dump(levers), encoding="utf-8")
    (renderable / GOALS).write_text(dump(goals), encoding="utf-8")
    out = renderable.parent / f"site-{os.getpid()}"
    proc = subprocess.run(
        [str(SIPCTL), "render", "--format", "html", "--out", str(out), "--repo", str(renderable),
         "--as-of", "2022-05-10", "--force"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    for page in sorted(out.rglob("*.html")):
        parser = _Page()
        parser.feed(page.read_text(encoding="utf-8"))
        parser.close()
        assert parser.problems == [] and parser.stack == [], (page.name, parser.problems)
        assert not DANGEROUS & set(parser.tags), (page.name, parser.tags)
        assert parser.tags["sipctl-probe"] == 0
        for tag, name, value in parser.attributes:
            assert not name.startswith("on"), (page.name, tag, name, value)
            if name in ("href", "src", "action", "formaction", "xlink:href"):
                assert SAFE_URL.match(value.strip()), (page.name, tag, name, value)
        assert parser.tags["style"] <= 1  # the page's own inline CSS, nothing from a plan


# --- the fuzzing script --------------------------------------------------------------------------
def test_the_loader_fuzzer_runs_a_tiny_smoke_round() -> None:
    proc = subprocess.run(
        [sys.executable, str(REPO / "fuzz" / "fuzz_loader.py"), "--examples", "40", "--seed", "1"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "no crash" in proc.stdout
