"""`contact-missing`: a school `sipctl remind` could not write to (issue 29).

Reminders go to the owners of each document (seed 000: the principal or the TLT), so a
principal or a TLT member without a working address in school.yaml misses them. It is a
warning, at the `email` line of that person (or their entry when it has none).

A school whose documents are all still `not-started` is left alone: that is the state
`sipctl init` leaves a new school in, with the profile's TODO placeholders, and a warning
on every fresh scaffold would be noise. From the first document in progress on, the
school is planning and the gaps are reported.
"""

from __future__ import annotations

from sipctl.domain.contacts import contact_gaps
from sipctl.domain.district import Loaded
from sipctl.domain.findings import Finding, Severity
from sipctl.models.district import SchoolProfile
from sipctl.source.datapaths import format_path

HINT = (
    "write a school email address, e.g. `email: name@school.org`: `sipctl remind` sends "
    "the deadline reminders there"
)


def contact_findings(profile: Loaded[SchoolProfile], *, started: bool) -> list[Finding]:
    """The people of `profile` reminders cannot reach, once the school has started planning."""
    if not started or profile.model is None or profile.source is None:
        return []
    findings = []
    data = profile.source.data
    for gap in contact_gaps(profile.model):
        line, column = profile.source.position(gap.path)  # or the person's entry
        findings.append(
            profile.place.finding(
                "contact-missing",
                f"{gap.who} {gap.problem}, so deadline reminders cannot reach them",
                severity=Severity.WARNING,
                line=line,
                column=column,
                path=format_path(gap.path, data),
                hint=HINT,
            )
        )
    return findings
