"""A document as YAML text, as the examples write it: block style, long text folded
(``>-``), a string quoted only when it would not read back as the same string, and the
``yaml-language-server`` schema line and comment of each document."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any

import yaml
import yaml.resolver

from .cycle import CYCLE, Data
from .documents import COMMENTS
from .schools import School, profile

WIDTH = 98
_STR_TAG = "tag:yaml.org,2002:str"
_RESOLVE: Callable[[type[yaml.ScalarNode], str, tuple[bool, bool]], str] = (
    yaml.resolver.Resolver().resolve
)
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_plain_cache: dict[str, bool] = {}


def _plain_ok(text: str) -> bool:
    ok = _plain_cache.get(text)
    if ok is None:
        ok = (
            bool(text)
            and text[0].isalpha()
            and text == text.strip()
            and ": " not in text
            and " #" not in text
            and not text.endswith(":")
            and "\n" not in text
            and "\t" not in text
            and _RESOLVE(yaml.ScalarNode, text, (True, False)) == _STR_TAG
        )
        if len(_plain_cache) < 200_000:
            _plain_cache[text] = ok
    return ok


def scalar(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return value if _plain_ok(value) else json.dumps(value, ensure_ascii=False)
    raise TypeError(f"cannot write {value!r}")


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return lines


def _scalar_line(prefix: str, value: Any, column: int, out: list[str]) -> None:
    if isinstance(value, str) and len(prefix) + 1 + len(value) > WIDTH and len(value) > 40:
        out.append(prefix + " >-")
        pad = " " * column
        out.extend(pad + line for line in _wrap(" ".join(value.split()), WIDTH - column))
    else:
        out.append(f"{prefix} {scalar(value)}")


def _entry(prefix: str, value: Any, column: int, out: list[str]) -> None:
    """`prefix` ends with "key:"; nested content goes at `column` + 2."""
    if isinstance(value, dict):
        if value:
            out.append(prefix)
            _mapping(value, column + 2, out)
        else:
            out.append(prefix + " {}")
    elif isinstance(value, list):
        if not value:
            out.append(prefix + " []")
        elif all(isinstance(v, str) and _ID.match(v) for v in value):
            out.append(f"{prefix} [{', '.join(value)}]")
        else:
            out.append(prefix)
            _sequence(value, column + 2, out)
    else:
        _scalar_line(prefix, value, column + 2, out)


def _mapping(data: Data, column: int, out: list[str]) -> None:
    pad = " " * column
    for key, value in data.items():
        _entry(f"{pad}{key}:", value, column, out)


def _sequence(items: list[Any], column: int, out: list[str]) -> None:
    pad = " " * column
    for item in items:
        if isinstance(item, dict):
            first = True
            for key, value in item.items():
                lead = f"{pad}- " if first else f"{pad}  "
                _entry(f"{lead}{key}:", value, column + 2, out)
                first = False
        else:
            _scalar_line(f"{pad}-", item, column + 2, out)


def document_text(school: School, doc: str, status: str, body: Data) -> str:
    out = [
        f"# yaml-language-server: $schema=../../../schemas/{doc}.schema.json",
        f"document: {doc}",
        f"school: {school.slug}",
        f"cycle: {CYCLE}",
        f"status: {status}",
    ]
    if status != "not-started":
        out.append(COMMENTS[doc])
    _mapping(body, 0, out)
    return "\n".join(out) + "\n"


def profile_text(school: School) -> str:
    out = ["# yaml-language-server: $schema=../../schemas/school.schema.json"]
    _mapping(profile(school), 0, out)
    return "\n".join(out) + "\n"
