"""Every rule module, imported here for its registrations (see docs/rules.md), and the one
function that runs them. The check service imports this module; a new rule module is
added to the list below.
"""

from __future__ import annotations

from sipctl.domain.findings import Finding
from sipctl.rules import (  # noqa: F401  (imported to register their rules)
    benchmarks,
    completeness,
    dese,
    links,
    outcomes,
    planning,
    sezp,
)
from sipctl.rules.registry import SchoolCycle, registered


def run_rules(plan: SchoolCycle) -> list[Finding]:
    findings: list[Finding] = []
    for check in registered():
        findings.extend(check(plan))
    return findings
