"""JUnit XML: one test suite per school, one test case per document.

Errors are failures; warnings and info go to the case's system-out so that
readers which only count failures still show them.

Every element has a `time`, in seconds, measured by the check: a case's is the time
spent reading and validating its file (0 for a document that is missing); a school's
suite's is its whole check (its files and its rules), so it bounds the sum of its
cases; the `testsuites` time is the whole check's wall clock, deadlines (judged for
the district at once, from git history) included. Times are cut, not rounded, to the
microsecond, so the sums still hold as written. Schools checked side by side by
worker processes overlap in time: their suites may then add up to more than the total.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TextIO
from xml.etree import ElementTree as ET

from sipctl.domain.findings import Finding, Severity
from sipctl.names import visible
from sipctl.services.check import CheckResult


def _line(f: Finding) -> str:
    return f"{visible(f.location)}: {f.severity.value} [{f.rule}] {f.message}"


def _seconds(value: float) -> str:
    us = max(0, int(value * 1_000_000))  # cut, never rounded up past a sum it is part of
    return f"{us // 1_000_000}.{us % 1_000_000:06d}"


def report(result: CheckResult, out: TextIO) -> None:
    suites: dict[str, dict[str, list[Finding]]] = defaultdict(lambda: defaultdict(list))
    for f in result.findings:
        # XML 1.0 cannot hold most control characters at all: names are shown escaped.
        suite_name = visible(f.school or "district")
        case_name = visible(f"{f.cycle}/{f.document}" if f.document else (f.file or "district"))
        suites[suite_name][case_name].append(f)
    for slug in result.checked_documents:
        for checked in result.checked_documents[slug]:
            suites[slug].setdefault(checked, [])
    root = ET.Element("testsuites", name="sipctl check")
    total_failures = total_tests = 0
    for suite_name in sorted(suites):
        cases = suites[suite_name]
        failures = sum(1 for fs in cases.values() if any(f.severity is Severity.ERROR for f in fs))
        school = suite_name if suite_name in result.school_seconds else None  # None: district
        spent = result.file_seconds.get(school, {})
        case_seconds = {name: spent.get(name, 0.0) for name in cases}
        suite_seconds = max(result.school_seconds.get(suite_name, 0.0), sum(case_seconds.values()))
        suite = ET.SubElement(
            root,
            "testsuite",
            name=suite_name,
            tests=str(len(cases)),
            failures=str(failures),
            time=_seconds(suite_seconds),
        )
        for case_name in sorted(cases):
            found = cases[case_name]
            case = ET.SubElement(
                suite,
                "testcase",
                classname=suite_name,
                name=case_name,
                time=_seconds(case_seconds[case_name]),
            )
            errors = [f for f in found if f.severity is Severity.ERROR]
            if errors:
                failure = ET.SubElement(
                    case, "failure", message=errors[0].message, type=errors[0].rule
                )
                failure.text = "\n".join(_line(f) for f in errors)
            others = [f for f in found if f.severity is not Severity.ERROR]
            if others:
                ET.SubElement(case, "system-out").text = "\n".join(_line(f) for f in others)
        total_failures += failures
        total_tests += len(cases)
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    root.set("time", _seconds(result.seconds))
    ET.indent(root)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode"))
    out.write("\n")
