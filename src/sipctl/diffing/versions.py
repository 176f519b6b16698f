"""One version of a document as comparable data: validated by its model when it can be.

A version that validates is compared through its model (`model_dump`, so a field
left out and a field set to its default are the same, dates are YYYY-MM-DD and fields
come in the model's order). When either version does not validate, both are compared
as the raw YAML data instead, and a note says why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sipctl.domain.validation import Place, validate
from sipctl.models import PlanDocument
from sipctl.source.files import MAX_FILE_BYTES, YamlLoadError
from sipctl.source.positions import load_yaml


@dataclass(frozen=True)
class Version:
    """What one side holds: plain data, and the model's view of it if it validates."""

    raw: dict[str, Any] | None  # None: the YAML could not be read (see `problem`)
    validated: dict[str, Any] | None = None
    problem: str | None = None  # why it could not be read, or did not validate

    @property
    def status(self) -> str | None:
        value = (self.raw or {}).get("status")
        return value if isinstance(value, str) else None


def read_version(text: str, rel: str, model: type[PlanDocument] | None) -> Version:
    """Parse and validate one version's text; problems are kept, never raised."""
    if len(text.encode("utf-8", "surrogateescape")) > MAX_FILE_BYTES:
        return Version(None, problem=f"is larger than {MAX_FILE_BYTES:,} bytes")
    try:
        loaded = load_yaml(text)
    except YamlLoadError as exc:
        where = f"line {exc.problem.line}: " if exc.problem.line else ""
        return Version(None, problem=f"is not readable YAML ({where}{exc.problem.message})")
    if not isinstance(loaded.data, dict):
        kind = "empty" if loaded.data is None else "not a set of 'key: value' lines"
        return Version({} if loaded.data is None else None, problem=f"is {kind}")
    raw = plain(loaded.data)
    if model is None:
        return Version(raw, problem="is not a document of the school's framework")
    if loaded.problems:
        return Version(raw, problem=loaded.problems[0].message)
    result, findings = validate(model, loaded, Place(rel))
    if result is None:
        first = findings[0].message if findings else "does not validate"
        more = f"; {len(findings) - 1} more problem(s)" if len(findings) > 1 else ""
        return Version(raw, problem=f"does not match its model ({first}{more})")
    return Version(raw, validated=result.model_dump(mode="json", exclude_unset=False))


def plain(value: Any) -> Any:
    """YAML data as JSON values: dates and times become ISO text."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return value
