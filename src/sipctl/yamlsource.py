"""Safe YAML loading that remembers where every value came from.

Every file sipctl reads goes through `load_yaml`. It parses with libyaml's C
parser when present (pure-Python PyYAML is 9-30x slower), builds plain Python
data from the node graph itself so that it can

- record the line and column of every key and value (findings name
  `file:line:column`, never a bare pydantic `loc`),
- report duplicate keys instead of silently keeping the last one,
- refuse anchors, aliases, merge keys and language-specific tags (a YAML bomb
  or `!!python/object` never expands or executes),
- note YAML 1.1 surprises (`no` read as false, `8:30` read as the number 510,
  unquoted dates) so a validation error can explain them.

Problems become `YamlProblem`s with a position; the caller turns them into
findings and goes on with the other files.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

try:  # libyaml's C parser; the pure-Python one gives the same nodes, slower.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

# Plan documents are 2-20 KB; 1 MiB leaves room for long narratives while a
# multi-megabyte file is a mistake (or an attack) and is refused unread.
MAX_FILE_BYTES = 1024 * 1024
# Plans nest four or five levels; anything this deep is not a plan.
MAX_DEPTH = 40

Path_ = tuple[str | int, ...]

_STD = "tag:yaml.org,2002:"
_SCALAR_TAGS = {
    _STD + "str",
    _STD + "int",
    _STD + "float",
    _STD + "bool",
    _STD + "null",
    _STD + "timestamp",
}
_BOOL_WORDS = {"true", "false"}
_SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$")
_constructor = SafeConstructor()


@dataclass(frozen=True)
class YamlProblem:
    """Why a file could not be read, and where."""

    rule: str  # yaml-syntax, yaml-duplicate-key, yaml-alias, yaml-tag, file-too-large, ...
    message: str
    line: int | None = None
    column: int | None = None
    hint: str | None = None


class YamlLoadError(Exception):
    def __init__(self, problem: YamlProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


@dataclass
class LoadedYaml:
    """Data read from one file, with the position of every value and key."""

    data: Any
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    surprises: dict[Path_, str] = field(default_factory=dict)
    problems: list[YamlProblem] = field(default_factory=list)  # non-fatal, e.g. duplicate keys

    def position(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """The position of `path`, or of its nearest ancestor that exists."""
        table = self.key_positions if key else self.positions
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if not key and probe in self.key_positions:
                return self.key_positions[probe]
            probe = probe[:-1]
        return self.positions.get((), (1, 1))


def read_text(path: Path) -> str:
    """Read a file as UTF-8 text, refusing what is not a small regular file.

    Opened non-blocking and checked with fstat, so a FIFO or a device where a
    plan belongs is refused instead of hanging the run.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except IsADirectoryError:
        raise YamlLoadError(
            YamlProblem("file-unreadable", "this is a folder where a YAML file belongs")
        ) from None
    except OSError as exc:
        raise YamlLoadError(
            YamlProblem("file-unreadable", f"cannot be read: {exc.strerror}")
        ) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise YamlLoadError(
                YamlProblem("file-unreadable", "is not a regular file (a folder, pipe or device)")
            )
        if info.st_size > MAX_FILE_BYTES:
            raise YamlLoadError(
                YamlProblem(
                    "file-too-large",
                    f"is {info.st_size:,} bytes; plan files may be at most {MAX_FILE_BYTES:,}",
                    hint="split long narrative into shorter answers or link to a document",
                )
            )
        with os.fdopen(fd, "rb", closefd=True) as handle:
            fd = -1
            raw = handle.read(MAX_FILE_BYTES + 1)
    finally:
        if fd >= 0:
            os.close(fd)
    return decode(raw)


def decode(raw: bytes) -> str:
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlLoadError(
            YamlProblem(
                "file-encoding",
                f"is not UTF-8 text (byte 0x{raw[exc.start]:02x} cannot be read)",
                line,
                column,
                hint="save the file as UTF-8 in your editor",
            )
        ) from None
    nul = text.find("\0")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise YamlLoadError(
            YamlProblem(
                "file-encoding",
                "contains a NUL byte, so it is not a text file",
                line,
                nul - (text.rfind("\n", 0, nul) + 1) + 1,
            )
        )
    return text


def load_yaml(text: str) -> LoadedYaml:
    """Parse one YAML document into plain data with positions."""
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            message = exc.problem or str(exc)
            hint = None
            if "expected a single document" in str(exc):
                message = "holds more than one YAML document (a line '---' starts a second one)"
                hint = "keep one document per file; remove the extra '---'"
            elif mark is not None and _char_at(text, mark.line, mark.column) == "\t":
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
        except yaml.YAMLError as exc:
            raise YamlLoadError(YamlProblem("yaml-syntax", str(exc))) from None
    finally:
        loader.dispose()
    result = LoadedYaml(data=None)
    if node is None:
        return result
    builder = _Builder(result)
    result.data = builder.build(node, (), 0)
    return result


def load_yaml_file(path: Path) -> LoadedYaml:
    return load_yaml(read_text(path))


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.splitlines()
    if 0 <= line < len(lines) and 0 <= column < len(lines[line]):
        return lines[line][column]
    return ""


def _pos(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Builder:
    def __init__(self, result: LoadedYaml) -> None:
        self.result = result
        self.seen: set[int] = set()

    def fail(self, node: Node, rule: str, message: str, hint: str | None = None) -> YamlLoadError:
        line, column = _pos(node)
        return YamlLoadError(YamlProblem(rule, message, line, column, hint))

    def build(self, node: Node, path: Path_, depth: int) -> Any:
        # The composer hands out the same node object for every alias of an
        # anchor; seeing one twice means an alias, which plans never need.
        if id(node) in self.seen:
            raise self.fail(
                node,
                "yaml-alias",
                "uses a YAML alias (*name); aliases are not allowed in plan files",
                "write the value out in full instead of &anchor / *alias",
            )
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            raise self.fail(node, "yaml-too-deep", f"nests deeper than {MAX_DEPTH} levels")
        self.result.positions[path] = _pos(node)
        if isinstance(node, ScalarNode):
            return self.scalar(node, path)
        if isinstance(node, SequenceNode):
            if node.tag != _STD + "seq":
                raise self.tag_error(node)
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        if isinstance(node, MappingNode):
            if node.tag != _STD + "map":
                raise self.tag_error(node)
            return self.mapping(node, path, depth)
        raise self.tag_error(node)  # pragma: no cover - no other node kinds exist

    def tag_error(self, node: Node) -> YamlLoadError:
        return self.fail(
            node,
            "yaml-tag",
            f"uses the YAML tag {node.tag!r}, which plan files do not allow",
            "remove the '!!' or '!' tag; plans hold plain text, numbers, dates and lists",
        )

    def mapping(self, node: MappingNode, path: Path_, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _STD + "merge":
                raise self.fail(
                    key_node,
                    "yaml-alias",
                    "uses a YAML merge key (<<); it is not allowed in plan files",
                    "write the keys out in full",
                )
            if not isinstance(key_node, ScalarNode):
                raise self.fail(key_node, "yaml-syntax", "has a key that is a list or mapping")
            key = key_node.value  # keys are names: always text, even `no` or `2022`
            if key in out:
                first = self.result.key_positions[(*path, key)]
                line, column = _pos(key_node)
                self.result.problems.append(
                    YamlProblem(
                        "yaml-duplicate-key",
                        f"repeats the key {key!r} (first at line {first[0]}); "
                        "only one value can count",
                        line,
                        column,
                        hint="remove or rename one of the two",
                    )
                )
                continue
            self.result.key_positions[(*path, key)] = _pos(key_node)
            out[key] = self.build(value_node, (*path, key), depth + 1)
        return out

    def scalar(self, node: ScalarNode, path: Path_) -> Any:
        tag = node.tag
        if tag not in _SCALAR_TAGS:
            raise self.tag_error(node)
        if tag == _STD + "str":
            return node.value
        try:
            value = SafeConstructor.yaml_constructors[tag](_constructor, node)
        except (ConstructorError, ValueError, OverflowError):
            if tag == _STD + "timestamp":
                raise self.fail(
                    node,
                    "yaml-date",
                    f"{node.value!r} looks like a date but is not a real one",
                    "check the day and month (YYYY-MM-DD)",
                ) from None
            return node.value
        text = node.value
        if tag == _STD + "bool" and text.lower() not in _BOOL_WORDS:
            self.result.surprises[path] = (
                f"YAML reads the unquoted word {text!r} as {str(value).lower()} "
                f'(yes/no/on/off are true/false in YAML); write "{text}" in quotes '
                "if you mean the word"
            )
        elif tag in (_STD + "int", _STD + "float") and _SEXAGESIMAL.match(text):
            self.result.surprises[path] = (
                f"YAML reads the unquoted {text!r} as the number {value} (a base-60 number); "
                f'write "{text}" in quotes'
            )
        elif tag == _STD + "timestamp" and isinstance(value, date | datetime):
            self.result.surprises[path] = (
                f'YAML reads the unquoted {text!r} as a date; write "{text}" in quotes '
                "if you mean text"
            )
        elif tag == _STD + "float" and text.lower() in (".nan", ".inf", "-.inf", "+.inf"):
            self.result.surprises[path] = f"YAML reads {text!r} as a special number"
        return value


def format_path(path: Path_, data: Any = None) -> str:
    """A readable data path: `levers[L2].evidence`, or `levers[1].evidence` with no id.

    List items show their `id` when they have one, since ids are what people
    see in the file and they do not change when items are reordered.
    """
    out = ""
    current = data
    for part in path:
        if isinstance(part, int):
            label = str(part)
            if isinstance(current, list) and 0 <= part < len(current):
                item = current[part]
                if isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"]:
                    label = item["id"]
                current = item
            else:
                current = None
            out += f"[{label}]"
        else:
            out += f".{part}" if out else str(part)
            current = current.get(part) if isinstance(current, dict) else None
    return out
