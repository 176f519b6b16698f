"""Many findings of one kind in one place, counted rather than listed.

A folder of 10,000 stray files, or 10,000 school folders without a profile, is one
mistake (an unpacked archive, a script gone wrong), not 10,000: listing each made a
report of 4 MB that took 8 to 15 seconds to print as text and that no one reads. Past
the first LISTED findings of such a rule in one place, the rest are counted in one
finding of the same rule, right after them; the exit code is the same.
"""

from __future__ import annotations

import posixpath

from sipctl.domain.findings import Finding

LISTED = 20
# Rule -> how many folders up the place is, what the rest are and what to do, in words.
_CROWDS = {
    "unknown-document": (
        1,
        "files that are not documents of this school's framework",
        "move the files out of the repository, or rename each to one of the framework's documents",
    ),
    "school-profile-missing": (
        2,
        "school folders without a school.yaml profile",
        "remove the folders that are not schools; give each school a profile with "
        "`sipctl init SCHOOL --cycle <cycle>`",
    ),
}


def count_crowds(findings: list[Finding]) -> list[Finding]:
    """`findings` (sorted) with every crowd cut to its first LISTED, then a count."""
    seen: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        key = _crowd(finding)
        if key is not None:
            seen.setdefault(key, []).append(finding)
    crowds = {key: group for key, group in seen.items() if len(group) > LISTED}
    if not crowds:
        return findings
    last_listed = {id(group[LISTED - 1]): key for key, group in crowds.items()}
    dropped = {id(f) for group in crowds.values() for f in group[LISTED:]}
    out: list[Finding] = []
    for finding in findings:
        if id(finding) in dropped:
            continue
        out.append(finding)
        key = last_listed.get(id(finding))
        if key is not None:
            out.append(_count(key, crowds[key]))
    return out


def _crowd(finding: Finding) -> tuple[str, str] | None:
    if finding.rule not in _CROWDS or finding.file is None:
        return None
    up = _CROWDS[finding.rule][0]
    folder = finding.file
    for _ in range(up):
        folder = posixpath.dirname(folder)
    return finding.rule, folder


def _count(key: tuple[str, str], group: list[Finding]) -> Finding:
    rule, folder = key
    _up, what, hint = _CROWDS[rule]
    first = group[0]
    same = {(f.school, f.cycle) for f in group}
    school, cycle = next(iter(same)) if len(same) == 1 else (None, None)
    return Finding(
        rule=rule,
        severity=first.severity,
        message=f"and {len(group) - LISTED:,} more {what} in {folder}/ "
        f"({len(group):,} in all; the first {LISTED} are listed)",
        file=folder,
        school=school,
        cycle=cycle,
        hint=hint,
        extra={"count": len(group)},
    )
