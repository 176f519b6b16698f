"""Plan rules: what a careful reviewer checks once every file has parsed and validated.

A rule is a function from a `SchoolCycle` (one school's documents in one
cycle, validated) to findings. Rules register themselves with `@rule`; the
check service runs every registered rule for every school and cycle. Rule
modules are imported by `all_rules()` so `sipctl --help` never pays for them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from sipctl.findings import Finding, Severity
from sipctl.models import PlanDocument
from sipctl.models.district import CycleConfig, SchoolProfile
from sipctl.repository import Loaded
from sipctl.yamlsource import Path_, format_path

D = TypeVar("D", bound=PlanDocument)


@dataclass
class SchoolCycle:
    """One school's plan in one cycle, as the rules see it."""

    school: str
    cycle: str
    profile: SchoolProfile | None
    cycle_config: CycleConfig | None
    documents: dict[str, Loaded[PlanDocument]]  # by document id; model None if invalid
    as_of: dt.datetime | None = None

    def model(self, doc_id: str, kind: type[D]) -> D | None:
        """The validated document `doc_id` if present and of the expected model."""
        loaded = self.documents.get(doc_id)
        if loaded is None or not isinstance(loaded.model, kind):
            return None
        return loaded.model

    def models(self, kind: type[D]) -> Iterator[D]:
        for loaded in self.documents.values():
            if isinstance(loaded.model, kind):
                yield loaded.model

    def finding(
        self,
        doc_id: str,
        rule: str,
        message: str,
        *,
        at: Path_ = (),
        severity: Severity = Severity.ERROR,
        hint: str | None = None,
        key: bool = False,
        **extra: Any,
    ) -> Finding:
        """A finding in `doc_id`, placed at the YAML node of data path `at`."""
        loaded = self.documents[doc_id]
        line = column = None
        readable = None
        if loaded.source is not None:
            line, column = loaded.source.position(at, key=key)
            readable = format_path(at, loaded.source.data) or None
        return loaded.place.finding(
            rule,
            message,
            severity=severity,
            line=line,
            column=column,
            path=readable,
            hint=hint,
            **extra,
        )


Rule = Callable[[SchoolCycle], Iterable[Finding]]
_RULES: list[Rule] = []


def rule(func: Rule) -> Rule:
    _RULES.append(func)
    return func


def all_rules() -> list[Rule]:
    # Importing the modules registers their rules.
    from sipctl.rules import checks  # noqa: F401

    return list(_RULES)


def run_rules(plan: SchoolCycle) -> list[Finding]:
    findings: list[Finding] = []
    for check in all_rules():
        findings.extend(check(plan))
    return findings
