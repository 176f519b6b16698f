"""Every rule id `sipctl check` can emit: its default severity, its source, what it checks.

Rule ids are stable: CI configurations, reporters and people's habits depend on
them. docs/rules.md documents each one with an example of the fix; the tests
fail when a rule emitted anywhere in the source is missing here, or a rule here
is missing from docs/rules.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from sipctl.domain.findings import Severity

ERROR, WARNING = Severity.ERROR, Severity.WARNING

SAFE_YAML = "DESIGN.md 7: safe YAML"
LAYOUT = "DESIGN.md 2: repository layout"
AUDIT = "DESIGN.md 4: git audit trail"
SEZP = "seed 000: SEZP 2022-23"
PFS = "seed 001: Planning for Success"
DESE = "seeds 002-004: DESE SIP"
ALL = "issue 5: all frameworks"
REMINDERS = "issue 29: reminder emails"


@dataclass(frozen=True)
class RuleInfo:
    id: str
    severity: Severity  # the default; `varies` says when it differs
    group: str  # structure, completeness, links, sezp, planning-for-success, dese-sip, ...
    source: str
    summary: str
    varies: str | None = None


CATALOGUE: tuple[RuleInfo, ...] = (
    # Structure: the files themselves -------------------------------------------------------
    RuleInfo("yaml-syntax", ERROR, "structure", SAFE_YAML, "the file is not valid YAML"),
    RuleInfo(
        "yaml-duplicate-key", ERROR, "structure", SAFE_YAML, "a key appears twice in a mapping"
    ),
    RuleInfo(
        "yaml-alias", ERROR, "structure", SAFE_YAML, "anchors, aliases and merge keys are refused"
    ),
    RuleInfo("yaml-tag", ERROR, "structure", SAFE_YAML, "a YAML tag (!!python/..., !x) is refused"),
    RuleInfo("yaml-date", ERROR, "structure", SAFE_YAML, "a date that does not exist (2022-02-30)"),
    RuleInfo("yaml-too-deep", ERROR, "structure", SAFE_YAML, "nesting deeper than any plan needs"),
    RuleInfo("yaml-empty", ERROR, "structure", SAFE_YAML, "the file holds nothing"),
    RuleInfo("file-encoding", ERROR, "structure", SAFE_YAML, "the file is not UTF-8 text"),
    RuleInfo(
        "file-too-large", ERROR, "structure", SAFE_YAML, "the file is over 1 MiB and is not read"
    ),
    RuleInfo("file-unreadable", ERROR, "structure", SAFE_YAML, "a folder, pipe or unreadable file"),
    RuleInfo("path-outside", ERROR, "structure", LAYOUT, "a link to a file outside the repository"),
    RuleInfo(
        "schema", ERROR, "structure", LAYOUT, "a value or key the document model does not allow"
    ),
    RuleInfo(
        "path-mismatch",
        ERROR,
        "structure",
        LAYOUT,
        "document/school/cycle keys disagree with the path",
    ),
    RuleInfo("unknown-document", ERROR, "structure", LAYOUT, "a file the framework does not know"),
    RuleInfo("document-missing", ERROR, "structure", LAYOUT, "a framework document is not there"),
    RuleInfo("school-profile-missing", ERROR, "structure", LAYOUT, "a school without school.yaml"),
    RuleInfo(
        "school-folder-name", ERROR, "structure", LAYOUT, "a school folder not named by a slug"
    ),
    RuleInfo(
        "school-folder-confusable",
        ERROR,
        "structure",
        LAYOUT,
        "two school folders that look the same",
    ),
    RuleInfo(
        "cycle-missing", WARNING, "structure", LAYOUT, "a cycle folder without its cycle file"
    ),
    RuleInfo(
        "cycle-file-name", ERROR, "structure", LAYOUT, "a cycle file not named by a school year"
    ),
    # Contacts: who deadline reminders reach -----------------------------------------------
    RuleInfo(
        "contact-missing",
        WARNING,
        "contacts",
        REMINDERS,
        "the principal or a TLT member in school.yaml has no usable email address",
        varies="not reported while every document of the school is not-started",
    ),
    # Completeness and links ----------------------------------------------------------------
    RuleInfo(
        "incomplete",
        ERROR,
        "completeness",
        ALL,
        "required fields still blank or TODO/TBD, listed in one finding per document",
        varies="info while not-started or in-progress; error from draft on",
    ),
    RuleInfo("link-unresolved", ERROR, "links", ALL, "a reference by id names nothing"),
    RuleInfo(
        "link-unused", WARNING, "links", ALL, "a lever or objective that nothing is planned under"
    ),
    RuleInfo("duplicate-id", ERROR, "links", ALL, "two items of one list share an id"),
    # SEZP ----------------------------------------------------------------------------------
    RuleInfo(
        "lever-count",
        ERROR,
        "sezp",
        SEZP,
        "the Priority Levers Form names exactly 2 levers",
        varies="info while fewer than 2 and the form is not yet a draft",
    ),
    RuleInfo(
        "tlt-vote",
        ERROR,
        "sezp",
        SEZP + "; SEA-SEZP agreement Art. 23",
        "working conditions record a passing TLT vote dated before the final deadline",
    ),
    RuleInfo(
        "calendar-days",
        ERROR,
        "sezp",
        "603 CMR 27.03",
        "the student calendar schedules at least 185 school days",
    ),
    RuleInfo(
        "calendar-hours",
        ERROR,
        "sezp",
        "603 CMR 27.04",
        "structured learning time: 900 hours elementary, 990 secondary",
        varies="info when school.yaml has no grades, so the minimum is unknown",
    ),
    RuleInfo(
        "tlt-members",
        ERROR,
        "sezp",
        SEZP + "; SEA-SEZP agreement Art. 22",
        "TLT forms name each member with a role and a term",
        varies="info while not-started or in-progress",
    ),
    RuleInfo(
        "strategy-dates",
        ERROR,
        "sezp",
        SEZP,
        "strategies start and end inside the school year, start before end",
    ),
    # Planning for Success ------------------------------------------------------------------
    RuleInfo(
        "objective-count", WARNING, "planning-for-success", PFS, "3 to 5 strategic objectives"
    ),
    RuleInfo(
        "smart-outcome",
        ERROR,
        "planning-for-success",
        PFS + "; " + DESE,
        "outcomes are SMART: metric, dated baseline and target, interim targets toward it",
        varies="missing parts: info while not-started or in-progress",
    ),
    RuleInfo(
        "benchmark-incomplete",
        ERROR,
        "planning-for-success",
        PFS,
        "each implementation benchmark says what, process or early-evidence, who and by when",
        varies="info while not-started or in-progress",
    ),
    # DESE SIP ------------------------------------------------------------------------------
    RuleInfo("team-size", WARNING, "dese-sip", DESE, "a planning team of more than 20 members"),
    # Progress monitoring -------------------------------------------------------------------
    RuleInfo(
        "benchmark-overdue",
        WARNING,
        "monitoring",
        PFS + "; " + DESE,
        "a benchmark or action step past its date without a status update since",
    ),
    # Deadlines and approval ----------------------------------------------------------------
    RuleInfo(
        "deadline-missed",
        ERROR,
        "deadlines",
        SEZP + "; " + AUDIT,
        "a deadline passed, not submitted",
    ),
    RuleInfo(
        "deadline-late", WARNING, "deadlines", SEZP + "; " + AUDIT, "submitted after the deadline"
    ),
    RuleInfo(
        "deadline-soon", WARNING, "deadlines", SEZP + "; " + AUDIT, "due within the warning window"
    ),
    RuleInfo(
        "approved-changed",
        ERROR,
        "deadlines",
        AUDIT,
        "an approved document changed without its status set back",
    ),
    RuleInfo(
        "history-replaced",
        Severity.INFO,
        "deadlines",
        AUDIT,
        "replace refs or grafts were set aside: deadlines follow the recorded commits",
    ),
    RuleInfo(
        "history-renamed",
        Severity.INFO,
        "deadlines",
        AUDIT,
        "a document moved between several school folders in one commit: its deadline is not judged",
    ),
)

RULES: dict[str, RuleInfo] = {info.id: info for info in CATALOGUE}


def describe(rule_id: str) -> RuleInfo | None:
    """The catalogue entry of a rule id, for reporters that show a summary or source."""
    return RULES.get(rule_id)
