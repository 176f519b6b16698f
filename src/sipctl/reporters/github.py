"""GitHub Actions workflow commands: annotations on the pull request, the text report in the log.

GitHub shows at most 10 annotations of each severity per step and drops the rest
silently, so sipctl prints the first 10 of each and a notice with the count of
the others (yamllint and conftest do the same).
https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions
"""

from __future__ import annotations

import hashlib
import io
from typing import TextIO

from sipctl.domain.findings import Finding
from sipctl.names import visible
from sipctl.reporters.text import report as text_report
from sipctl.services.check import CheckResult

MAX_PER_SEVERITY = 10
_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    props = []
    if finding.file:
        props.append(f"file={escape_property(visible(finding.file))}")
        if finding.line:
            props.append(f"line={finding.line}")
            props.append(f"col={finding.column or 1}")
    props.append(f"title={escape_property(f'sipctl {finding.rule}')}")
    message = finding.message + (f"\nhint: {finding.hint}" if finding.hint else "")
    return f"::{_COMMAND[finding.severity.value]} {','.join(props)}::{escape_data(message)}"


def report(result: CheckResult, out: TextIO) -> None:
    shown = {"error": 0, "warning": 0, "info": 0}
    hidden = {"error": 0, "warning": 0, "info": 0}
    for finding in result.findings:
        level = finding.severity.value
        if shown[level] < MAX_PER_SEVERITY:
            shown[level] += 1
            out.write(annotation(finding) + "\n")
        else:
            hidden[level] += 1
    if any(hidden.values()):
        parts = [f"{n} more {level}(s)" for level, n in hidden.items() if n]
        out.write(
            "::notice title=sipctl::"
            + escape_data(
                f"GitHub shows {MAX_PER_SEVERITY} annotations per severity; "
                f"{', '.join(parts)} are in the full report in this log"
            )
            + "\n"
        )
    # File names and plan text in the full report may hold a line break followed by
    # `::error ...`: stop-commands keeps every line of it from running as a command.
    # The token is the report's own digest, so the report cannot contain it.
    full = io.StringIO()
    text_report(result, full)
    text = full.getvalue()
    token = "sipctl-" + hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:32]
    out.write("::group::sipctl check: full report\n")
    out.write(f"::stop-commands::{token}\n")
    out.write(text if text.endswith("\n") or not text else text + "\n")
    out.write(f"::{token}::\n")
    out.write("::endgroup::\n")
