"""DESE Sustainable Improvement Plan (seeds 002-004): the planning team.

The five stakeholder-engagement items, each recommendation's `reflected_in`
and the annual renewal's changes and progress gauges are required fields in
`completeness.py`; the gauges' links are in `links.py`.
"""

from __future__ import annotations

from collections.abc import Iterator

from sipctl.domain.findings import Finding, Severity
from sipctl.models.dese import StakeholderEngagement
from sipctl.rules.registry import SchoolCycle, rule

# Seed 002: "a small elementary school may decide to have only 8 members. A secondary
# school may have 12-14 members. Groups larger than 20 members may be too large for
# the core team."
TEAM_LIMIT = 20


@rule
def team_size(plan: SchoolCycle) -> Iterator[Finding]:
    for doc_id, model, _ in plan.found(StakeholderEngagement):
        count = len(model.planning_team)
        if count <= TEAM_LIMIT:
            continue
        yield plan.finding(
            doc_id,
            "team-size",
            f"the planning team has {count} members; DESE advises that more than {TEAM_LIMIT} "
            "may be too large for the core team",
            at=("planning_team", TEAM_LIMIT, "id"),
            severity=Severity.WARNING,
            hint="keep a core team (8 in a small elementary school, 12-14 in a secondary "
            "school) and give the others a role on sub-committees or as stakeholders",
        )
