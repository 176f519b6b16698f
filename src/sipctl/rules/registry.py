"""The rule registry: what a rule sees (`SchoolCycle`) and the `@rule` that registers it.

A rule is a function from a `SchoolCycle` (one school's documents in one cycle,
validated) to findings. Each rule module imports this one and registers its rules
with `@rule`; `all_rules.py` imports every rule module, so that importing it
registers them all, and runs them (as pre-commit's `all_languages.py` gathers its
languages). Nothing here imports a rule module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from sipctl.domain.district import Loaded
from sipctl.domain.findings import Finding, Severity
from sipctl.models import PlanDocument
from sipctl.models.district import CycleConfig, SchoolProfile
from sipctl.source.datapaths import Path_, format_path

D = TypeVar("D", bound=PlanDocument)

# A draft is judged as submitted (issue 5): from `draft` on, what is missing is an error.
SUBMITTED = ("draft", "final", "approved")
HEADER_KEYS = frozenset({"document", "school", "cycle", "status"})


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

    def found(self, kind: type[D]) -> Iterator[tuple[str, D, Any]]:
        """(document id, model, YAML data) of every valid document of model `kind`."""
        for doc_id, loaded in self.documents.items():
            if isinstance(loaded.model, kind) and loaded.source is not None:
                yield doc_id, loaded.model, loaded.source.data

    def data(self, doc_id: str) -> Any:
        loaded = self.documents.get(doc_id)
        return loaded.source.data if loaded is not None and loaded.source is not None else None

    def status(self, doc_id: str) -> str | None:
        loaded = self.documents.get(doc_id)
        return loaded.model.status if loaded is not None and loaded.model is not None else None

    def submitted(self, doc_id: str) -> bool:
        """True from `draft` on: the document is judged as submitted."""
        return self.status(doc_id) in SUBMITTED

    def started(self, doc_id: str) -> bool:
        """False for a `not-started` file holding nothing but its header.

        Such a file is a placeholder for a form nobody has opened; listing every
        field of it adds nothing the status and the deadlines do not already say.
        """
        data = self.data(doc_id)
        has_content = isinstance(data, dict) and any(k not in HEADER_KEYS for k in data)
        return has_content or self.status(doc_id) != "not-started"

    def unfinished_severity(self, doc_id: str) -> Severity | None:
        """How much a gap matters now: info while being written, an error once submitted.

        None when the document has not been started at all (nothing to judge).
        """
        if self.submitted(doc_id):
            return Severity.ERROR
        return Severity.INFO if self.started(doc_id) else None

    @property
    def today(self) -> dt.date | None:
        """The day of `as_of` in the district's timezone, or None when not judging time."""
        return self.as_of.date() if self.as_of is not None else None

    def school_year(self) -> tuple[dt.date, dt.date]:
        """July 1 to June 30 of the school year the cycle plans (2022-23: 2022-07-01 on)."""
        start = int(self.cycle[:4])
        return dt.date(start, 7, 1), dt.date(start + 1, 6, 30)

    def final_due(self, doc_id: str) -> dt.date | None:
        """The day of the document's final deadline in the cycle file, if it has one."""
        if self.cycle_config is None or doc_id not in self.cycle_config.documents:
            return None
        due = self.cycle_config.documents[doc_id].final_due
        if isinstance(due, dt.datetime):
            return due.date()
        return due

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


def spoken(parts: list[str], last: str = "or") -> str:
    """`a, b or c`: a list the way a person says it in a message."""
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} {last} {parts[-1]}"


Rule = Callable[[SchoolCycle], Iterable[Finding]]
_RULES: list[Rule] = []


def rule(func: Rule) -> Rule:
    _RULES.append(func)
    return func


def registered() -> list[Rule]:
    """The rules registered so far: every rule once `sipctl.rules.all_rules` is imported."""
    return list(_RULES)
