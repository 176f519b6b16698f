"""Validate loaded YAML against a model and turn pydantic errors into findings.

Pydantic reports a `loc` tuple such as ('levers', 1, 'evidence') or, inside a
union, ('value', 'int'). Findings instead carry the data path a person can
find (`levers[L2].evidence`) and the file:line:column of the YAML node.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from sipctl.domain.findings import Finding, Severity
from sipctl.limits import MAX_NUMBER
from sipctl.models.blocks import PATTERN_WORDS
from sipctl.source.datapaths import Path_, format_path
from sipctl.source.files import YamlProblem
from sipctl.source.positions import LoadedYaml

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Place:
    """Where a file sits in the district, for the fields every finding carries."""

    file: str
    school: str | None = None
    cycle: str | None = None
    document: str | None = None

    def finding(
        self,
        rule: str,
        message: str,
        *,
        severity: Severity = Severity.ERROR,
        line: int | None = None,
        column: int | None = None,
        path: str | None = None,
        hint: str | None = None,
        stage: str | None = None,
        **extra: Any,
    ) -> Finding:
        return Finding(
            rule=rule,
            severity=severity,
            message=message,
            file=self.file,
            line=line,
            column=column,
            school=self.school,
            cycle=self.cycle,
            document=self.document,
            path=path,
            hint=hint,
            stage=stage,
            extra=extra,
        )

    def problem(self, problem: YamlProblem) -> Finding:
        return self.finding(
            problem.rule,
            problem.message,
            line=problem.line,
            column=problem.column,
            hint=problem.hint,
        )


_FRIENDLY = {
    "missing": "is required but missing",
    "extra_forbidden": "is not a field here",
    "string_type": "should be text",
    "int_type": "should be a whole number",
    "float_type": "should be a number",
    "finite_number": "should be an ordinary number (not .nan or .inf)",
    "bool_type": "should be true or false",
    "date_type": "should be a date (YYYY-MM-DD)",
    "date_parsing": "should be a date (YYYY-MM-DD)",
    "date_from_datetime_inexact": "should be a date without a time",
    "datetime_type": "should be a date and time (YYYY-MM-DDTHH:MM)",
    "datetime_parsing": "should be a date and time (YYYY-MM-DDTHH:MM)",
    "list_type": "should be a list (lines starting with '- ')",
    "dict_type": "should be a set of 'key: value' lines",
    "model_type": "should be a set of 'key: value' lines",
    "model_attributes_type": "should be a set of 'key: value' lines",
}


def _addresses(current: Any, part: Any) -> bool:
    if isinstance(part, int) and isinstance(current, list):
        return 0 <= part < len(current)
    return isinstance(part, str) and isinstance(current, dict) and part in current


def _data_path(loc: tuple[Any, ...], data: Any, error_type: str) -> Path_:
    """The part of `loc` that addresses real data; union branch names are dropped."""
    path: list[str | int] = []
    current = data
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if _addresses(current, part):
            current = current[part]
        elif (
            isinstance(part, str)
            and isinstance(current, dict)
            and last
            and error_type in ("missing", "extra_forbidden")
        ):
            path.append(part)
            break
        else:
            break
        path.append(part)
    return tuple(path)


# A date or time that parses but cannot exist (2022-02-30, 25:00): pydantic's reason is
# kept ("day value is outside expected range") since it says which part is wrong.
_IMPOSSIBLE = {
    "date_parsing": "is not a real date",
    "date_from_datetime_parsing": "is not a real date or time",
    "datetime_parsing": "is not a real date and time",
    "datetime_from_date_parsing": "is not a real date or time",
}


# What YAML read as text though it was meant as a number: more digits than Python turns
# into a number (4,300), or an exponent (`1e400`, text in YAML 1.1).
_NUMBER_TEXT = re.compile(r"^[-+]?(\d[\d_]*)?\.?\d*([eE][-+]?\d+)?$")


def _number_as_text(error: ErrorDetails) -> str | None:
    text = error.get("input")
    if error["type"] not in ("int_type", "float_type") or not isinstance(text, str):
        return None
    if not text or not _NUMBER_TEXT.match(text) or not any(c.isdigit() for c in text):
        return None
    if "e" in text.lower():
        return "should be written in plain digits (YAML reads a number like 1e5 as text)"
    return f"is larger than any number a plan needs (at most {MAX_NUMBER:,})"


# Within a union (a number may be whole or not), each branch reports its own error; the
# one that says what is wrong with the value beats "should be a whole number".
_GENERIC = frozenset(("int_type", "float_type", "string_type", "date_type", "datetime_type"))


def _message(error: ErrorDetails, field: str) -> str:
    kind = error["type"]
    as_text = _number_as_text(error)
    if as_text is not None:
        return as_text
    if kind in _IMPOSSIBLE and (error.get("ctx") or {}).get("error"):
        return f"{_IMPOSSIBLE[kind]} ({error['ctx']['error']})"
    if kind == "literal_error":
        expected = (error.get("ctx") or {}).get("expected", "")
        return f"should be one of {expected}" if expected else error["msg"]
    if kind == "string_pattern_mismatch":
        pattern = (error.get("ctx") or {}).get("pattern")
        if pattern in PATTERN_WORDS:  # the words the browser form shows, too
            return f"should be {PATTERN_WORDS[pattern]}"
    if kind == "value_error":
        return str((error.get("ctx") or {}).get("error", error["msg"]))
    return _FRIENDLY.get(kind, error["msg"][:1].lower() + error["msg"][1:])


def validate(
    model: type[M], loaded: LoadedYaml, place: Place, *, context: dict[str, Any] | None = None
) -> tuple[M | None, list[Finding]]:
    """Validate `loaded.data`; on failure, one finding per data path, at its YAML node."""
    try:
        return model.model_validate(loaded.data, context=context), []
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    findings: list[Finding] = []
    chosen: dict[Path_, ErrorDetails] = {}
    for error in errors:
        path = _data_path(tuple(error["loc"]), loaded.data, error["type"])
        if path not in chosen or (
            chosen[path]["type"] in _GENERIC and not error["type"].endswith("_type")
        ):
            chosen[path] = error  # other branches of a union said the same, or less
    for path, error in chosen.items():
        field = str(path[-1]) if path else "document"
        is_key = error["type"] == "extra_forbidden"
        line, column = loaded.position(path, key=is_key)
        readable = format_path(path, loaded.data) or "the file"
        message = f"{readable}: {_message(error, field)}"
        hint = loaded.surprise(path)
        if error["type"] == "extra_forbidden":
            hint = "check the spelling; the schema lists the allowed keys"
        elif error["type"] == "missing" and not path[:-1]:
            hint = "add it near the top of the file"
        elif error["type"] in _IMPOSSIBLE:
            hint = hint or "check the day, month and hour: YYYY-MM-DD or YYYY-MM-DDTHH:MM"
        elif not path and not isinstance(loaded.data, dict):
            hint = "a file holds `key: value` lines, e.g. `status: draft`, not a list or text"
        findings.append(
            place.finding("schema", message, line=line, column=column, path=readable, hint=hint)
        )
    return None, findings
