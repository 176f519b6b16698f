"""SARIF 2.1.0 for GitHub code scanning: the findings as alerts on the pull request's diff.

One run; `tool.driver.rules` is the whole rule catalogue in its order, so a rule's
`ruleIndex` never depends on what this check happened to find. GitHub's rules for the
file are in "SARIF support for code scanning"
(https://docs.github.com/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning):
every result needs a location whose `artifactLocation.uri` is relative to the
repository root, with a `region.startLine`, and GitHub keeps an alert across runs by
`partialFingerprints.primaryLocationLineHash`.

Two of those rules need a choice (docs/sarif.md says the same to users):

- A finding about a file that is not there (`document-missing`, `school-profile-missing`,
  `cycle-missing`) cannot point at it: GitHub shows an alert only on a file of the
  repository. A missing document is placed on line 1 of its school's `school.yaml`, in the
  folder that the school's reviewers own; a missing `school.yaml` or cycle file, or a
  missing document of a school whose `school.yaml` is missing too, on line 1 of
  `sipctl.yaml`, which every district has. The result keeps the real path in
  `properties.file` and the message names it.
- A finding about a whole file (no line: a file that is not UTF-8, too large) is placed
  on line 1, column 1 of that file.

The fingerprint is sipctl's own identity of a finding, not a hash of the line's text:
the rule, the file, the data path (`levers[L2].evidence`) and the stage. An alert then
follows its finding when lines move above it, and a `deadline-missed` whose message
counts the days overdue stays one alert. The output has no times and is sorted, so the
same district gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Any, TextIO
from urllib.parse import quote

from sipctl import __version__
from sipctl.domain.findings import Finding, Severity
from sipctl.domain.root import CONFIG_NAME
from sipctl.names import visible_json
from sipctl.rules.catalogue import CATALOGUE, RuleInfo
from sipctl.services.check import CheckResult

SARIF_VERSION = "2.1.0"
# The OASIS schema of SARIF 2.1.0 with its errata (tests/data/sarif-schema-2.1.0.json).
SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
# The project's repository, as in services/init.py (HOOKS_REPOSITORY).
PROJECT_URL = "https://github.com/sipctl/sipctl"
RULES_DOC = f"{PROJECT_URL}/blob/main/docs/rules.md"
# GitHub resolves relative uris against the repository root; %SRCROOT% is the name it
# and CodeQL use for that base.
SRCROOT = "%SRCROOT%"

LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# GitHub's `problem.severity` for rules that are not security rules.
PROBLEM_SEVERITY = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "recommendation",
}
# Rules about a file that is absent: its path cannot carry the alert.
ABSENT_FILE_RULES = frozenset({"document-missing", "school-profile-missing", "cycle-missing"})


def report(result: CheckResult, out: TextIO) -> None:
    out.write(dumps(sarif_log(result)))


def dumps(log: dict[str, Any]) -> str:
    """The log as UTF-8-ready JSON text. A file name that is not UTF-8 reaches a finding
    as lone surrogates (Python's surrogateescape); they are written as JSON escapes, which
    any reader decodes, rather than as characters no UTF-8 stream can hold, and so are
    the invisible characters of any name (`names.visible_json`)."""
    return visible_json(json.dumps(log, indent=2, ensure_ascii=False, default=str)) + "\n"


def sarif_log(result: CheckResult) -> dict[str, Any]:
    rules = list(CATALOGUE)
    index = {info.id: i for i, info in enumerate(rules)}
    findings = sorted(result.findings, key=Finding.sort_key)
    # A rule id missing from the catalogue is a bug the catalogue tests catch; the log
    # still says which rule it was rather than failing.
    for rule_id in sorted({f.rule for f in findings} - set(index)):
        index[rule_id] = len(rules)
        rules.append(RuleInfo(rule_id, Severity.ERROR, "uncatalogued", "", rule_id))
    anchors = _Anchors(findings)
    seen: Counter[str] = Counter()
    results = []
    for finding in findings:
        identity = _identity(finding, rules[index[finding.rule]].group)
        seen[identity] += 1
        results.append(
            _result(finding, index[finding.rule], anchors, f"{identity}:{seen[identity]}")
        )
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "sipctl",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": PROJECT_URL,
                "rules": [_descriptor(info) for info in rules],
            }
        },
        # The check ran to its end: sipctl writes no report when it cannot (exit 2).
        "invocations": [
            {
                "executionSuccessful": True,
                "toolExecutionNotifications": [
                    {"level": "note", "message": {"text": note}} for note in result.notes
                ],
            }
        ],
        "originalUriBaseIds": {
            SRCROOT: {
                "description": {
                    "text": "The root of the district repository, the folder holding sipctl.yaml."
                }
            }
        },
        "columnKind": "unicodeCodePoints",  # columns count characters, from 1
        "results": results,
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def help_uri(rule_id: str) -> str:
    """The rule's section of docs/rules.md (each rule has a heading "### `rule-id`")."""
    return f"{RULES_DOC}#{rule_id}"


def _descriptor(info: RuleInfo) -> dict[str, Any]:
    full = info.summary + (f" ({info.varies})" if info.varies else "")
    if info.source:
        full += f". Source: {info.source}."
    uri = help_uri(info.id)
    return {
        "id": info.id,
        "name": "".join(part.capitalize() for part in info.id.split("-")),
        "shortDescription": {"text": info.summary},
        "fullDescription": {"text": full},
        "help": {
            "text": f"{full} What to do, with an example: {uri}",
            "markdown": f"{full}\n\nWhat to do, with an example: [`{info.id}`]({uri})",
        },
        "helpUri": uri,
        "defaultConfiguration": {"level": LEVEL[info.severity]},
        "properties": {
            "tags": [info.group],
            "problem.severity": PROBLEM_SEVERITY[info.severity],
        },
    }


def _result(
    finding: Finding, rule_index: int, anchors: _Anchors, fingerprint: str
) -> dict[str, Any]:
    text = finding.message + (f"\nhint: {finding.hint}" if finding.hint else "")
    uri, line, column = anchors.place(finding)
    properties = {
        key: value
        for key, value in finding.to_json().items()
        if key not in ("rule", "severity", "message", "line", "column", "hint")
        and value is not None
    }
    return {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": LEVEL[finding.severity],
        "message": {"text": text},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(uri), "uriBaseId": SRCROOT},
                    "region": {"startLine": line, "startColumn": column},
                }
            }
        ],
        "partialFingerprints": {"primaryLocationLineHash": fingerprint},
        "properties": properties,
    }


class _Anchors:
    """Where each finding is shown: its own file and position, or, for a file that is not
    there, the nearest file that is (the module docstring says which)."""

    def __init__(self, findings: list[Finding]) -> None:
        # the schools whose school.yaml this check found missing, or could not reach
        self._no_profile = {
            f.school
            for f in findings
            if f.school
            and (f.rule == "school-profile-missing" or f.file == _school_folder(f.school))
        }

    def place(self, finding: Finding) -> tuple[str, int, int]:
        if finding.file and finding.rule not in ABSENT_FILE_RULES:
            if finding.line is None:
                return finding.file, 1, 1
            return finding.file, finding.line, finding.column or 1
        school = finding.school
        if finding.rule == "document-missing" and school and school not in self._no_profile:
            return f"{_school_folder(school)}/school.yaml", 1, 1
        return CONFIG_NAME, 1, 1


def _school_folder(slug: str) -> str:
    return f"schools/{slug}"  # the layout of domain/district.py


def _identity(finding: Finding, group: str) -> str:
    """What makes two findings of two runs the same finding: not the line, which moves
    when text is added above it, nor the message, which counts days."""
    parts = [finding.rule, finding.file or "", finding.path or "", finding.stage or ""]
    parts.append(str(finding.extra.get("commit", "")))  # approved-changed: one per edit
    # A structure finding without a data path (a YAML syntax error, say) is where the
    # parser stopped: its position is all that tells two of them apart.
    if group == "structure" and not finding.path:
        parts += [str(finding.line or 0), str(finding.column or 0)]
    digest = hashlib.sha256("\0".join(parts).encode("utf-8", "surrogateescape"))
    return digest.hexdigest()[:16]


def _uri(path: str) -> str:
    """A relative URI reference: spaces, `#`, `%` and non-ASCII percent-encoded as UTF-8,
    and a file name that is not UTF-8 as its own bytes."""
    return quote(path, safe="/", errors="surrogateescape")
