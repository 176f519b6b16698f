"""The canonical form of a plan document: one way to write the same data, byte for byte.

A browser save (Decap CMS, through `templates/editor/sipctl-format.js`) and `sipctl fmt`
both write it, so that the git diff of a save touches only the lines of the fields the
person changed. The JavaScript writer is a line-by-line copy of this module, driven by
the same layout (`domain/layout.py`: key order and date fields of every document kind,
and the `AMBIGUOUS` patterns below); `tests/test_fmt.py` holds the two to the same
bytes. The rules, and why each, are in docs/fmt.md:

- line 1 is the `# yaml-language-server: $schema=` modeline; no other comment is kept;
- keys in the model's field order at every depth; keys a model does not know keep their
  file order after the known ones; a null stays `null`, a missing key stays missing;
- block mappings and sequences, indented by 2, list items indented under their key;
- text plain when every YAML reader reads it back as the same text, else double-quoted on
  one line; text of several lines as a `|` block;
- dates `YYYY-MM-DD` unquoted, numbers as YAML 1.1 and 1.2 both read them.

The writer never wraps a line: one field's text is one line (or one block), so a change
to it never reflows its neighbours.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

LAYOUT_VERSION = 1
MODELINE = "# yaml-language-server: $schema=../../../schemas/{}.schema.json"
INDENT = 2

# Plain text that some reader would take for something else: YAML 1.1 (PyYAML, which
# sipctl reads with) and YAML 1.2 (the npm `yaml` package, yaml-language-server) each
# have their booleans, nulls, numbers and dates; the union is quoted. Quoting a little
# more than needed is harmless; both writers use these very patterns (shipped to the
# JavaScript in the layout), so only the regular-expression subset Python and
# JavaScript share is used: no inline flags, no \Z, no possessive or lookbehind.
AMBIGUOUS = (
    # yes/no/on/off/y/n (YAML 1.1 booleans), true/false, null, ~, merge `<<`, value `=`
    r"^(?:[Yy]|[Nn]|[Yy]es|YES|[Nn]o|NO|[Tt]rue|TRUE|[Ff]alse|FALSE|[Oo]n|ON|[Oo]ff|OFF"
    r"|[Nn]ull|NULL|~|<<|=)$",
    # numbers: 45, 0777 (octal in 1.1), 1_000, 1.0, .5, 1e5, 8:30 (base 60 in 1.1)
    r"^[-+]?(?:[0-9][0-9_]*(?::[0-5]?[0-9])*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)?$",
    r"^[-+]?0[bBoOxX][0-9a-fA-F_]+$",  # 0b1010, 0o17, 0x1F
    r"^[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)$",
    r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt \t].*)?$",  # dates and timestamps
)
_AMBIGUOUS = tuple(re.compile(p) for p in AMBIGUOUS)
# What a plain scalar must not start with: YAML's indicators, and space.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@` ")
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
# Control characters (C0 with tab and line feed, DEL, C1), the Unicode line and paragraph
# separators (line breaks in YAML 1.1), the byte-order mark and the non-characters
# PyYAML refuses: never written as they are, only as escapes in double quotes.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n"}

Layout = Mapping[str, Any]  # one node: {"kind": "map" | "list" | "date" | "text" | "value", ...}


class NotCanonical(ValueError):
    """The data cannot be written in the canonical form (not a plan document's mapping)."""


def canonical_text(data: Any, layouts: Mapping[str, Any]) -> str:
    """The canonical text of a plan document's data, as sipctl's loader reads it.

    `layouts` is `domain.layout.document_layouts()`: the same JSON the browser's writer gets.
    """
    if not isinstance(data, dict):
        raise NotCanonical("does not hold a mapping of keys (document:, school:, ...)")
    doc_id = data.get("document")
    documents = layouts["documents"]
    if not isinstance(doc_id, str) or doc_id not in documents:
        raise NotCanonical(
            f"names no known document kind (document: {doc_id!r})"
            if "document" in data
            else "has no `document:` key naming its kind"
        )
    lines = [MODELINE.format(doc_id)]
    _mapping(data, documents[doc_id], 0, lines)
    return "\n".join(lines) + "\n"


def _mapping(data: dict[str, Any], layout: Layout | None, indent: int, lines: list[str]) -> None:
    fields = dict(layout.get("fields", ())) if layout else {}
    known = [key for key in fields if key in data]
    unknown = [key for key in data if key not in fields]
    pad = " " * indent
    for key in known + unknown:
        _entry(f"{pad}{_scalar_text(key)}:", data[key], fields.get(key), indent, lines)


def _entry(head: str, value: Any, layout: Layout | None, indent: int, lines: list[str]) -> None:
    """`head` (`key:` or `-`) and its value, which is nested at `indent + INDENT`."""
    if isinstance(value, dict) and value:
        if head.endswith("-"):  # a mapping in a list: its first key on the dash's line
            start = len(lines)
            _mapping(value, layout, indent + INDENT, lines)
            lines[start] = head + " " + lines[start][indent + INDENT :]
        else:
            lines.append(head)
            _mapping(value, layout, indent + INDENT, lines)
    elif isinstance(value, list) and value:
        item = layout.get("items") if layout else None
        if head.endswith("-"):
            start = len(lines)
            _sequence(value, item, indent + INDENT, lines)
            lines[start] = head + " " + lines[start][indent + INDENT :]
        else:
            lines.append(head)
            _sequence(value, item, indent + INDENT, lines)
    else:
        text, block = _value(value, layout)
        lines.append(f"{head} {text}")
        pad = " " * (indent + INDENT)
        lines.extend(pad + line if line else "" for line in block)


def _sequence(items: list[Any], layout: Layout | None, indent: int, lines: list[str]) -> None:
    for item in items:
        _entry(" " * indent + "-", item, layout, indent, lines)


def _value(value: Any, layout: Layout | None) -> tuple[str, list[str]]:
    """The text after `key: ` or `- `, and the lines of a block scalar (unindented)."""
    if value is None:
        return "null", []
    if value is True or value is False:
        return ("true" if value else "false"), []
    if isinstance(value, int):
        return str(value), []
    if isinstance(value, float):
        return number_text(value), []
    if isinstance(value, dt.datetime):
        return value.isoformat(), []
    if isinstance(value, dt.date):
        return value.isoformat(), []
    if isinstance(value, dict):
        return "{}", []
    if isinstance(value, list):
        return "[]", []
    text = str(value)
    if layout is not None and layout.get("kind") == "date" and _is_date(text):
        # A date in quotes where a date belongs: the model reads the same day either way,
        # and the browser's date widget gives text, so both writers write the date.
        return text, []
    block = _literal_block(text)
    if block is not None:
        return block
    return _scalar_text(text), []


def _scalar_text(text: str) -> str:
    """`text` plain if every reader reads it back as this text, else double-quoted."""
    if _plain_ok(text):
        return text
    return '"' + "".join(_escape(char) for char in text) + '"'


def _plain_ok(text: str) -> bool:
    return (
        text != ""
        and text[0] not in _INDICATORS
        and text[-1] not in " :"
        and ": " not in text
        and " #" not in text
        and _UNPRINTABLE.search(text) is None
        and not any(pattern.search(text) for pattern in _AMBIGUOUS)
    )


def _escape(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    if _UNPRINTABLE.match(char):
        code = ord(char)
        return f"\\x{code:02X}" if code < 0x100 else f"\\u{code:04X}"
    return char


def _literal_block(text: str) -> tuple[str, list[str]] | None:
    """Text of several lines as a `|` block, when the block reads back exactly: its first
    line starts with a character (no indentation indicator needed), no line ends in a
    space (editors strip them) and nothing needs an escape."""
    if "\n" not in text:
        return None
    body = text.rstrip("\n")
    trailing = len(text) - len(body)
    lines = body.split("\n")
    if (
        not lines[0]
        or lines[0][0] == " "
        or _UNPRINTABLE.search(body.replace("\n", "")) is not None
        or any(line.endswith(" ") for line in lines)
    ):
        return None
    if trailing == 0:
        return "|-", lines
    if trailing == 1:
        return "|", lines
    return "|+", lines + [""] * (trailing - 1)


def _is_date(text: str) -> bool:
    if _ISO_DATE.match(text) is None:
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def number_text(value: float) -> str:
    """A float as both YAML versions read it: a whole number as an integer (JSON, and so
    the browser, cannot tell 45.0 from 45), else its shortest round-trip digits,
    positional between 1e-7 and 1e21 (as JavaScript prints them), else with an exponent
    whose mantissa has a point and whose sign is written (PyYAML reads `1e5` as text)."""
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    if value.is_integer():
        return str(int(value))
    sign, digits_tuple, exponent = Decimal(repr(value)).as_tuple()
    assert isinstance(exponent, int)
    digits = "".join(map(str, digits_tuple)).rstrip("0") or "0"
    power = len(digits_tuple) + exponent - 1  # the exponent in d.ddd x 10^power
    minus = "-" if sign else ""
    if -7 < power < 21:
        point = power + 1
        if point <= 0:
            return f"{minus}0.{'0' * -point}{digits}"
        return f"{minus}{digits[:point]}.{digits[point:]}"
    mantissa = digits[0] + "." + (digits[1:] or "0")
    return f"{minus}{mantissa}e{'+' if power > 0 else '-'}{abs(power)}"
