"""Names shown as data: a path, a school folder, an id or an author that cannot lay out a report.

A name comes from whoever named a file or made a commit, and Linux allows any character
in a file name but `/` and NUL. Printed as it is, a line break in a name starts a new
line of the report (in a GitHub log, a line starting `::` is a workflow command), a
right-to-left override (U+202E) turns `evil\u202efdp.yaml` round on screen, and a
zero-width space makes `maple\u200b` look like the school `maple`.

`visible` escapes every character that could do this, the same way in every output:
`\\u202e` (`\\U000e0001` above U+FFFF), and a backslash as `\\\\`, so an escape in a name
can never be mistaken for one sipctl made. Those characters are the ones Python does not
call printable (Unicode's categories Cc, Cf, Cs, Co, Cn, Zl, Zp, and Zs other than the
space: control characters, NEL, U+2028 and U+2029, bidirectional marks, overrides and
isolates, zero-width characters, the BOM, lone surrogates from a name that is not UTF-8)
and Unicode's other default-ignorable characters, which no font draws (the combining
grapheme joiner, the Hangul fillers, variation selectors).
"""

from __future__ import annotations

import re

# The backslash, which `visible` doubles, and the Default_Ignorable_Code_Point characters
# (Unicode's DerivedCoreProperties.txt) that Python calls printable: letters and marks
# that are drawn as nothing.
_IGNORABLE = re.compile(
    "[\\\\\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\ufe00-\ufe0f\uffa0"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)


def visible(name: str) -> str:
    """`name` with each character that is invisible or not printable escaped as `\\uXXXX`."""
    if name.isprintable() and (
        "\\" not in name if name.isascii() else _IGNORABLE.search(name) is None
    ):
        return name  # the usual case, checked in C
    return "".join(_shown(char) for char in name)


def _shown(char: str) -> str:
    if char == "\\":
        return "\\\\"
    if char.isprintable() and _IGNORABLE.match(char) is None:
        return char
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def invisible(char: str) -> bool:
    """Whether `visible` escapes `char` (a backslash aside): it would not be seen."""
    return char != "\\" and _shown(char) != char


def visible_json(text: str) -> str:
    """JSON text written with `ensure_ascii=False`, with each character `visible` would
    escape written as a JSON escape instead: every string keeps its exact value, and the
    text holds no line separator, bidirectional control or lone surrogate of its own (a
    name that is not UTF-8 reaches sipctl as lone surrogates, which no UTF-8 stream can
    hold)."""
    return "\n".join(line if _plain(line) else _json_line(line) for line in text.split("\n"))


def _plain(line: str) -> bool:
    return line.isprintable() and _IGNORABLE.search(line) is None


def _json_line(line: str) -> str:
    out = []
    for char in line:
        if char == "\\" or not invisible(char):
            out.append(char)
        elif ord(char) <= 0xFFFF:
            out.append(f"\\u{ord(char):04x}")
        else:  # JSON escapes a character above U+FFFF as its UTF-16 surrogate pair
            high, low = divmod(ord(char) - 0x10000, 0x400)
            out.append(f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}")
    return "".join(out)
