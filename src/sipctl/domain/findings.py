"""Findings are data: a rule id, a severity, where, and what to do."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    school: str | None = None
    cycle: str | None = None
    document: str | None = None
    path: str | None = None  # data path inside the document, e.g. levers[1].evidence
    hint: str | None = None
    stage: str | None = None  # draft/final, for deadline findings
    extra: dict[str, Any] = field(default_factory=dict)

    def sort_key(self) -> tuple[Any, ...]:
        return (
            self.school or "",
            self.cycle or "",
            self.file or "",
            self.line or 0,
            self.column or 0,
            self.rule,
            self.message,
        )

    def to_json(self) -> dict[str, Any]:
        """The fields in declaration order, then the extras (built directly: a district's
        thousands of findings made `dataclasses.asdict`'s deep copies show in profiles)."""
        data = {name: getattr(self, name) for name in _JSON_FIELDS}
        data["severity"] = self.severity.value
        data.update(self.extra)
        return data

    @property
    def location(self) -> str:
        if not self.file:
            return "(district)"
        if self.line is None:
            return self.file
        return f"{self.file}:{self.line}:{self.column or 1}"


def finding(rule: str, message: str, severity: Severity, hint: str | None = None) -> Finding:
    """A finding about the district's repository as a whole, in no file: reports show
    it at `(district)`."""
    return Finding(rule, severity, message, hint=hint)


_JSON_FIELDS = tuple(f.name for f in fields(Finding) if f.name != "extra")


def count_by_severity(findings: list[Finding]) -> dict[str, int]:
    counts = {s.value: 0 for s in Severity}
    for f in findings:
        counts[f.severity.value] += 1
    return counts
