"""Safe YAML loading that remembers where every value came from.

Every plan file sipctl reads is parsed by `load_yaml`. It parses with libyaml's C
parser when present (pure-Python PyYAML is 9-30x slower), builds plain Python
data from the node graph itself so that it can

- record the line and column of every key and value (findings name
  `file:line:column`, never a bare pydantic `loc`),
- report duplicate keys instead of silently keeping the last one,
- refuse anchors, aliases, merge keys and language-specific tags (a YAML bomb
  or `!!python/object` never expands or executes),
- refuse control characters that only an escape (`"\\e"`, `"\\x1b"`) can put in a
  value, so no plan text can carry terminal or CI escape sequences into a report,
- note YAML 1.1 surprises (`no` read as false, `8:30` read as the number 510,
  unquoted dates) so a validation error can explain them.

Problems become `YamlProblem`s with a position; the caller turns them into
findings and goes on with the other files. Reading the file safely is `files.py`'s job,
data paths are `datapaths.py`'s and the YAML 1.1 surprises are worded in `yaml11.py`.

This module is over 400 lines on purpose: `_EventBuilder` is one state machine over the
parser's events (its stack, keys, positions and refusals share one loop, the hot path
of every check), and splitting it would spread that loop across files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import (
    AliasEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from sipctl.source.datapaths import Path_
from sipctl.source.files import YamlLoadError, YamlProblem, read_text
from sipctl.source.yaml11 import (
    BOOL,
    INT,
    NULL,
    SCALAR_TAGS,
    STD,
    STR,
    TIMESTAMP,
    surprise,
    surprises,
)

try:  # libyaml's C parser; the pure-Python one gives the same nodes, slower.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

# Plans nest four or five levels; anything this deep is not a plan.
MAX_DEPTH = 40

# C0 and C1 control characters other than tab and line feed. YAML refuses them typed
# as they are (and turns CR line ends into line feeds), but a double-quoted escape
# ("\e[31m", "\r", "\x9b") puts them in a value, and from there into a terminal, a
# GitHub log or an HTML page.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# What may put such a character in a value: the character itself (U+0085 and CR pass
# the reader) or a backslash escape. A file without any needs no check per value.
_MAYBE_CONTROL = re.compile(r"[\\\x00-\x08\x0b-\x1f\x7f-\x9f]")
# The ASCII bytes that cannot be such a character: `bytes.translate` deletes them
# about 8x faster than the pattern finds nothing, and most plans are ASCII.
_NOT_CONTROL = bytes(c for c in range(128) if _MAYBE_CONTROL.match(chr(c)) is None)


# The path segment under which a repeated key's value is built and dropped.
DROPPED = "\0repeated"
_constructor = SafeConstructor()
# The loader's own table for tagging plain scalars, by first character (the resolver's
# `resolve` without its per-call overhead; SafeLoader has no path resolvers).
_IMPLICIT: dict[str | None, list[tuple[str, re.Pattern[str]]]] = _Loader.yaml_implicit_resolvers
assert None not in _IMPLICIT and not _Loader.yaml_path_resolvers
# Plain text whose first letter can only start a yes/no or null word (`Yes`, `off`,
# `NULL`) is text when it is longer than any of them (`false`, plus the line break the
# patterns' `$` would accept): "The school ..." needs no pattern.
_WORD_STARTS = frozenset("FOTYfotyNn")
_LONGEST_WORD = 6
assert all({tag for tag, _ in _IMPLICIT[c]} <= {BOOL, NULL} for c in _WORD_STARTS)


class Mark(Protocol):
    """Where the parser met a node: libyaml's marks and PyYAML's own both have these."""

    line: int  # from 0
    column: int  # from 0


@dataclass
class LoadedYaml:
    """Data read from one file, with the position of every value and key."""

    data: Any
    # where each value and key starts: the parser's own marks, turned into (line, column)
    # only when asked (`position`), since a check asks for few of a district's millions
    positions: dict[Path_, Mark] = field(default_factory=dict)
    key_positions: dict[Path_, Mark] = field(default_factory=dict)
    # YAML 1.1 readings that may surprise (tag, text, value), worded by `surprise`
    readings: dict[Path_, tuple[str, str, Any]] = field(default_factory=dict)
    problems: list[YamlProblem] = field(default_factory=list)  # non-fatal, e.g. duplicate keys
    # every list of the data in file order, with its path: rules need no walk to find them
    lists: list[tuple[Path_, list[Any]]] = field(default_factory=list)

    def surprise(self, path: Path_) -> str | None:
        """Why the value at `path` may not be what its writer meant (`no` read as false,
        `8:30` as 510, an unquoted date), or None."""
        reading = self.readings.get(path)
        return surprise(*reading) if reading is not None else None

    def position(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """The position of `path`, or of its nearest ancestor that exists."""
        table = self.key_positions if key else self.positions
        probe = tuple(path)
        while probe:
            if probe in table:
                return _line_column(table[probe])
            if not key and probe in self.key_positions:
                return _line_column(self.key_positions[probe])
            probe = probe[:-1]
        root = self.positions.get(())
        return _line_column(root) if root is not None else (1, 1)


def load_yaml(text: str) -> LoadedYaml:
    """Parse one YAML document into plain data with positions."""
    loader = _Loader(text)
    result = LoadedYaml(data=None)
    try:
        result.data = _EventBuilder(loader, result, text).build()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or str(exc)
        if "nesting depth" in message:
            # libyaml's own limit (deeper than ours) can stop its look-ahead before the
            # builder sees MAX_DEPTH levels: the same finding, where the nesting starts.
            last = next(reversed(result.positions.values()), None)
            line, column = _line_column(last) if last is not None else (None, None)
            raise YamlLoadError(
                YamlProblem("yaml-too-deep", f"nests deeper than {MAX_DEPTH} levels", line, column)
            ) from None
        hint = None
        if mark is not None and _char_at(text, mark.line, mark.column) == "\t":
            message = "has a tab character; YAML indents with spaces only"
            hint = "replace the tab with spaces (most editors can show tabs)"
        raise YamlLoadError(
            YamlProblem(
                "yaml-syntax",
                message,
                mark.line + 1 if mark else None,
                mark.column + 1 if mark else None,
                hint=hint,
            )
        ) from None
    except yaml.reader.ReaderError as exc:  # a control character typed as it is
        raise YamlLoadError(_reader_problem(text, exc)) from None
    except yaml.YAMLError as exc:
        raise YamlLoadError(YamlProblem("yaml-syntax", str(exc).splitlines()[0])) from None
    finally:
        loader.dispose()
    return result


def _reader_problem(text: str, exc: yaml.reader.ReaderError) -> YamlProblem:
    char = exc.character if isinstance(exc.character, int) else ord(exc.character or "\0")
    # libyaml counts bytes, PyYAML characters: the first such character is the one.
    at = max(text.find(chr(char)), 0)
    line = text.count("\n", 0, at) + 1
    return YamlProblem(
        "file-encoding",  # like a NUL byte: not text
        f"holds the control character U+{char:04X}, which is not text",
        line,
        at - (text.rfind("\n", 0, at) + 1) + 1,
        hint="delete it; your editor may show it as a box or a question mark",
    )


def load_yaml_file(path: Path) -> LoadedYaml:
    return load_yaml(read_text(path))


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.splitlines()
    if 0 <= line < len(lines) and 0 <= column < len(lines[line]):
        return lines[line][column]
    return ""


def _pos(node: Node | Event) -> tuple[int, int]:
    mark: Mark | None = node.start_mark
    return _line_column(mark) if mark is not None else (1, 1)


def _line_column(mark: Mark) -> tuple[int, int]:
    """A parser mark as the 1-based line and column a finding names."""
    return (mark.line + 1, mark.column + 1)


def _maybe_control(text: str) -> bool:
    if text.isascii():
        return bool(text.encode("ascii").translate(None, _NOT_CONTROL))
    return _MAYBE_CONTROL.search(text) is not None


@dataclass(slots=True)
class _Frame:
    """A collection being built: where it sits, and the key waiting for its value."""

    value: dict[str, Any] | list[Any]
    path: Path_
    is_map: bool
    key: str | None = None
    key_path: Path_ = ()  # where the pending key's value goes
    repeated: bool = False  # the pending key repeats an earlier one: its value is dropped


class _EventBuilder:
    """Builds plain data straight from the parser's event stream, with an explicit stack.

    libyaml's parser is iterative but PyYAML's composer recurses once per nesting
    level, so `- - - - ...` or `[[[[...` a hundred thousand deep crashes the process
    before any depth check could run. Working from events keeps depth a counter.
    """

    def __init__(self, loader: Any, result: LoadedYaml, text: str = "\\") -> None:
        self.loader = loader
        self.result = result
        self.control = _maybe_control(text)

    def fail(self, event: Event, rule: str, message: str, hint: str | None = None) -> YamlLoadError:
        line, column = _pos(event)
        return YamlLoadError(YamlProblem(rule, message, line, column, hint))

    def build(self) -> Any:
        loader = self.loader
        loader.get_event()  # StreamStart
        if loader.check_event(StreamEndEvent):
            return None
        loader.get_event()  # DocumentStart
        data = self.document()
        loader.get_event()  # DocumentEnd
        if not loader.check_event(StreamEndEvent):
            raise self.fail(
                loader.peek_event(),
                "yaml-syntax",
                "holds more than one YAML document (a line '---' starts a second one)",
                "keep one document per file; remove the extra '---'",
            )
        return data

    def document(self) -> Any:
        # The hot loop of every check: exact type tests (the parser makes no subclasses),
        # local names, and the common cases inline (a plain key, a text value); anything
        # unusual goes through the methods below.
        stack: list[_Frame] = []
        parent: _Frame | None = None
        get_event = self.loader.get_event
        positions = self.result.positions
        key_positions = self.result.key_positions
        control = self.control
        implicit = _IMPLICIT
        lists = self.result.lists
        while True:
            event = get_event()
            kind = type(event)
            if kind is AliasEvent:
                raise self.fail(
                    event,
                    "yaml-alias",
                    "uses a YAML alias (*name); aliases are not allowed in plan files",
                    "write the value out in full instead of &anchor / *alias",
                )
            if parent is not None and parent.is_map and parent.key is None:
                if kind is MappingEndEvent:
                    done = stack.pop()
                    if not stack:
                        return done.value
                    parent = stack[-1]
                    continue
                text = event.value if kind is ScalarEvent else None
                if (
                    text is None
                    or event.tag is not None
                    or control
                    or text in parent.value
                    or (text == "<<" and event.implicit[0])
                ):
                    self.key(event, parent)
                    continue
                parent.key = text
                parent.key_path = key_path = (*parent.path, text)
                key_positions[key_path] = event.start_mark
                continue
            if kind is MappingEndEvent or kind is SequenceEndEvent:
                done = stack.pop()
                if not stack:
                    return done.value
                parent = stack[-1]
                continue
            if parent is None:
                path: Path_ = ()
            elif parent.is_map:
                path = parent.key_path
            else:
                path = (*parent.path, len(parent.value))
            positions[path] = event.start_mark
            value: Any
            if kind is ScalarEvent:
                text = event.value
                tagged = event.tag is not None or control
                if tagged or (
                    event.implicit[0]
                    and text[:1] in implicit
                    and (len(text) <= _LONGEST_WORD or text[0] not in _WORD_STARTS)
                ):
                    value = self.scalar(event, path)
                else:  # untagged text: quoted, a block scalar, or plain with no other reading
                    value = text
                if parent is None:
                    return value
            else:
                if len(stack) >= MAX_DEPTH:
                    raise self.fail(event, "yaml-too-deep", f"nests deeper than {MAX_DEPTH} levels")
                if event.tag is not None:  # untagged (the usual case) is a plain map or seq
                    tag = self.collection_tag(event)
                    if tag != STD + ("map" if kind is MappingStartEvent else "seq"):
                        raise self.tag_error(event, tag)
                if kind is MappingStartEvent:
                    value = {}
                else:
                    value = []
                    if DROPPED not in path:  # under a repeated key: dropped, not data
                        lists.append((path, value))
            if parent is not None:
                if parent.is_map:
                    if not parent.repeated:  # a repeated key keeps its first value
                        parent.value[parent.key] = value  # type: ignore[index,call-overload]
                    parent.key = None
                    parent.repeated = False
                else:
                    parent.value.append(value)  # type: ignore[union-attr]
            if kind is not ScalarEvent:
                parent = _Frame(value, path, kind is MappingStartEvent)
                stack.append(parent)

    def key(self, event: Event, parent: _Frame) -> None:
        """Take a mapping key that is not plain new text (the loop takes those itself)."""
        if type(event) is not ScalarEvent:
            raise self.fail(event, "yaml-syntax", "has a key that is a list or mapping")
        if event.value == "<<" and event.implicit[0]:
            raise self.fail(
                event,
                "yaml-alias",
                "uses a YAML merge key (<<); it is not allowed in plan files",
                "write the keys out in full",
            )
        if event.tag not in (None, "!", STR):
            raise self.tag_error(event, event.tag)
        if self.control:
            self.refuse_control(event)
        key = event.value  # keys are names: always text, even `no` or `2022`
        assert isinstance(parent.value, dict)
        parent.key = key
        key_path = (*parent.path, key)
        if key in parent.value:
            first = _line_column(self.result.key_positions[key_path])
            line, column = _pos(event)
            self.result.problems.append(
                YamlProblem(
                    "yaml-duplicate-key",
                    f"repeats the key {key!r} (first at line {first[0]}); only one value can count",
                    line,
                    column,
                    hint="remove or rename one of the two",
                )
            )
            parent.repeated = True
            # kept apart so the first value's positions stay true
            parent.key_path = (*parent.path, DROPPED, key)
            return
        parent.key_path = key_path
        mark: Mark | None = event.start_mark
        assert mark is not None  # both parsers mark every event
        self.result.key_positions[key_path] = mark

    def collection_tag(self, event: Event) -> str:
        tag = event.tag  # type: ignore[attr-defined]
        if tag is None or tag == "!":
            kind = MappingNode if isinstance(event, MappingStartEvent) else SequenceNode
            return str(self.loader.resolve(kind, None, event.implicit))  # type: ignore[attr-defined]
        return str(tag)

    def tag_error(self, event: Event, tag: str | None) -> YamlLoadError:
        return self.fail(
            event,
            "yaml-tag",
            f"uses the YAML tag {tag!r}, which plan files do not allow",
            "remove the '!!' or '!' tag; plans hold plain text, numbers, dates and lists",
        )

    def refuse_control(self, event: ScalarEvent) -> None:
        found = _CONTROL.search(event.value)
        if found is not None:
            raise self.fail(
                event,
                "file-encoding",  # like a NUL byte: not text, even though it is escaped
                f"holds the control character U+{ord(found.group()):04X} (written as an "
                "escape such as \\e or \\x1b), which is not text",
                "remove the escape: plans hold plain text",
            )

    def scalar(self, event: ScalarEvent, path: Path_) -> Any:
        if self.control:
            self.refuse_control(event)
        tag = event.tag
        if tag is None or tag == "!":
            tag = STR
            if event.implicit[0]:  # plain: tagged by the first matching pattern
                text = event.value
                for candidate, pattern in _IMPLICIT.get(text[:1], ()):
                    if pattern.match(text):
                        tag = candidate
                        break
        if tag == STR:
            return event.value
        if tag not in SCALAR_TAGS:
            raise self.tag_error(event, tag)
        text = event.value
        try:
            if tag == TIMESTAMP and len(text) == 10:  # YYYY-MM-DD, the usual date
                value = date.fromisoformat(text)
            elif tag == INT and text.isdigit() and (text[0] != "0" or len(text) == 1):
                return int(text)  # plain decimal digits (a leading 0 is octal in YAML 1.1)
            else:
                node = ScalarNode(tag, text, style=event.style)
                value = SafeConstructor.yaml_constructors[tag](_constructor, node)
        except (ConstructorError, ValueError, OverflowError):
            if tag == TIMESTAMP:
                raise self.fail(
                    event,
                    "yaml-date",
                    f"{event.value!r} looks like a date but is not a real one",
                    "check the day and month (YYYY-MM-DD)",
                ) from None
            return event.value
        self.note_surprise(tag, event.value, value, path)
        return value

    def note_surprise(self, tag: str, text: str, value: Any, path: Path_) -> None:
        """Remember a YAML 1.1 reading that may surprise its writer; `LoadedYaml.surprise`
        words it, only for a value whose validation failed."""
        if surprises(tag, text, value):
            self.result.readings[path] = (tag, text, value)
