"""YAML 1.1 readings that surprise their writer: `no` read as false, `8:30` as the number
510 (base 60), an unquoted date, `.nan`. sipctl reads YAML 1.1 as PyYAML does; these
words explain a validation error on such a value (see `LoadedYaml.surprise`).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

STD = "tag:yaml.org,2002:"
# The scalar tags, spelled once: the loader compares them for every plain value.
STR = STD + "str"
INT = STD + "int"
FLOAT = STD + "float"
BOOL = STD + "bool"
NULL = STD + "null"
TIMESTAMP = STD + "timestamp"
SCALAR_TAGS = {STR, INT, FLOAT, BOOL, NULL, TIMESTAMP}
BOOL_WORDS = {"true", "false"}
SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$")


def surprises(tag: str, text: str, value: Any) -> bool:
    """Whether reading `text` as `value` of `tag` may surprise the person who wrote it."""
    return (
        (tag == BOOL and text.lower() not in BOOL_WORDS)
        or (tag in (INT, FLOAT) and SEXAGESIMAL.match(text) is not None)
        or (tag == TIMESTAMP and isinstance(value, date | datetime))
        or (tag == FLOAT and text.lower() in (".nan", ".inf", "-.inf", "+.inf"))
    )


def surprise(tag: str, text: str, value: Any) -> str:
    if tag == BOOL:
        return (
            f"YAML reads the unquoted word {text!r} as {str(value).lower()} "
            f'(yes/no/on/off are true/false in YAML); write "{text}" in quotes '
            "if you mean the word"
        )
    if tag == TIMESTAMP:
        return (
            f'YAML reads the unquoted {text!r} as a date; write "{text}" in quotes if you mean text'
        )
    if SEXAGESIMAL.match(text):
        return (
            f"YAML reads the unquoted {text!r} as the number {value} (a base-60 number); "
            f'write "{text}" in quotes'
        )
    return f"YAML reads {text!r} as a special number"
