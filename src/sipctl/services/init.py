"""`sipctl init`: scaffold a school's cycle, and the district's files when the district is new.

Everything is decided and rendered in memory first: the options are checked,
every target path is checked to stay inside the repository, and the run stops
with nothing written if a school document already exists (unless `force`).
Only then is each file written atomically. The service never prints; it
returns an `InitResult` for the command to show.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

import sipctl
from sipctl.domain.district import CONFIG_NAME, CYCLE, SLUG, District
from sipctl.domain.framework import (
    FrameworkDocument,
    available_frameworks,
    load_framework,
)
from sipctl.errors import ConfigurationError, UnsafePath, UsageError, WouldOverwrite
from sipctl.git.worktree import toplevel
from sipctl.models.district import CycleConfig, DistrictConfig, DocumentDeadlines, SchoolProfile
from sipctl.services.scaffold import (
    Carried,
    carry_over,
    due_summary,
    framework_deadlines,
    render,
    scaffold_document,
)
from sipctl.services.schema import write_schemas
from sipctl.writing import safe_target, write_atomic

DISTRICT_PLACEHOLDER = "TODO: district name"
SCHOOL_NAME_PLACEHOLDER = "TODO: the school's full name"
# The repository that ships `.pre-commit-hooks.yaml`, for the district's pre-commit config.
HOOKS_REPOSITORY = "https://github.com/sipctl/sipctl"

# What CODEOWNERS accepts as an owner: @user or @org/team (GitHub's name rules).
_REVIEWER = re.compile(r"@[A-Za-z0-9][A-Za-z0-9-]{0,38}(?:/[A-Za-z0-9][A-Za-z0-9_.-]*)?")
# The CI kit of a new district: target path -> template under templates/district/.
KIT = {
    ".github/workflows/sipctl.yml": "workflow.yml.j2",
    ".github/sipctl-requirements.txt": "sipctl-requirements.txt.j2",
    ".github/pull_request_template.md": "pull_request_template.md.j2",
    "CODEOWNERS": "CODEOWNERS.j2",
    ".gitignore": "gitignore.j2",
    "README.md": "README.md.j2",
    ".pre-commit-config.yaml": "pre-commit-config.yaml.j2",
    # The editor workspace: VS Code reads plans as YAML 1.1, as check does, so an unquoted
    # `no` in a text field is flagged while it is typed (docs/init.md, "The editor").
    ".vscode/settings.json": "vscode-settings.json.j2",
    ".vscode/extensions.json": "vscode-extensions.json.j2",
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass
class InitOptions:
    school: str
    cycle: str
    cwd: Path
    repo: Path | None = None
    framework: str | None = None
    name: str | None = None
    grades: str | None = None
    district: str | None = None
    reviewers: list[str] = field(default_factory=list)  # a new district's CODEOWNERS
    from_cycle: str | None = None
    force: bool = False


@dataclass(frozen=True)
class DocumentDue:
    """Who owns a scaffolded document and when it is due, for init's report: the files
    hold no comments, so this is where a principal first reads it."""

    doc_id: str
    title: str
    owner: str
    when: str  # "draft due Friday, May 6, 2022, 4:00 pm Eastern; final due ..."


@dataclass
class InitResult:
    root: Path
    school: str
    cycle: str
    frameworks: list[str]
    new_district: bool = False
    written: list[str] = field(default_factory=list)
    rewritten: list[str] = field(default_factory=list)  # existing files replaced under --force
    reused: list[str] = field(default_factory=list)  # district files init read and left alone
    kept: list[str] = field(default_factory=list)  # kit files that already existed
    schemas: list[str] = field(default_factory=list)
    carried: dict[str, list[str]] = field(default_factory=dict)
    due: list[DocumentDue] = field(default_factory=list)
    due_from: str = ""  # the cycle file the dates come from
    notes: list[str] = field(default_factory=list)


@dataclass
class _Target:
    rel: str
    text: str
    exists: bool


# checking the options -------------------------------------------------------------------------
def _check_options(options: InitOptions) -> None:
    if not SLUG.match(options.school):
        raise UsageError(
            f"{options.school!r} cannot be a school's folder name",
            hint="use lowercase letters, digits and single dashes, e.g. maple or oak-hill"
            + (f" (try {options.school.lower()!r})" if SLUG.match(options.school.lower()) else ""),
        )
    _check_cycle(options.cycle, "--cycle")
    if options.from_cycle is not None:
        _check_cycle(options.from_cycle, "--from")
        if options.from_cycle >= options.cycle:
            raise UsageError(
                f"--from {options.from_cycle} is not earlier than --cycle {options.cycle}",
                hint="carry content forward from an earlier cycle, e.g. --from 2021-22",
            )
    if options.framework is not None and options.framework not in available_frameworks():
        raise UsageError(
            f"unknown framework {options.framework!r}",
            hint="choose one of: " + ", ".join(available_frameworks()),
        )
    for flag, value in (("--name", options.name), ("--district", options.district)):
        if value is not None and (not value.strip() or _CONTROL.search(value)):
            raise UsageError(f"{flag} must be one line of text", hint=f'e.g. {flag} "Maple"')
    for reviewer in options.reviewers:
        if not _REVIEWER.fullmatch(reviewer):
            raise UsageError(
                f"--reviewer {reviewer!r} is not a GitHub user or team",
                hint="write @user or @org/team, e.g. --reviewer @riverbend/school-planning",
            )
    if options.grades is not None:
        try:
            SchoolProfile(school=options.school, name="-", grades=options.grades)
        except ValidationError:
            raise UsageError(
                f"--grades {options.grades!r} is not a grade span",
                hint='use a span like "K-5", "6-8", "9-12" or "PK-8"',
            ) from None


def _check_cycle(value: str, flag: str) -> None:
    start, _, end = value.partition("-")
    if not CYCLE.match(value) or (int(start) + 1) % 100 != int(end):
        raise UsageError(
            f"{flag} {value!r} is not a school year",
            hint="name the school year planned as YYYY-YY with consecutive years, e.g. 2022-23",
        )


def _district_root(options: InitOptions) -> Path:
    if options.repo is not None:
        root = (options.cwd / options.repo).resolve()
        if root.exists() and not root.is_dir():
            raise UsageError(f"--repo {options.repo} is a file, not a folder")
        return root
    # A new district has no sipctl.yaml yet: the current folder becomes its root,
    # unless it sits inside an existing district.
    here = options.cwd.resolve()
    return next((f for f in (here, *here.parents) if (f / CONFIG_NAME).is_file()), here)


def _open_district(root: Path, options: InitOptions) -> tuple[District, bool]:
    config_path = root / CONFIG_NAME
    if config_path.is_file():
        return District.open(root), False
    if config_path.exists() or config_path.is_symlink():
        raise UnsafePath(f"{config_path} exists but is not a regular file")
    config = DistrictConfig(
        district=options.district or DISTRICT_PLACEHOLDER,
        framework=options.framework or "sezp",
        reviewers=list(dict.fromkeys(options.reviewers)),
    )
    return District(root, config), True


def _frameworks(district: District, cycle: CycleConfig | None, options: InitOptions) -> list[str]:
    profile = district.school_profile(options.school).model
    if cycle is None:
        return [options.framework or district.config.framework]
    if options.framework is None:
        return district.frameworks_for(options.cycle, profile)
    if options.framework not in cycle.frameworks:
        raise UsageError(
            f"cycle {options.cycle} uses {', '.join(cycle.frameworks)}, not {options.framework}",
            hint=f"add {options.framework} to `framework:` in cycles/{options.cycle}.yaml, "
            "or leave out --framework",
        )
    return [options.framework]


# the run ----------------------------------------------------------------------------------------
def run_init(options: InitOptions) -> InitResult:
    _check_options(options)
    root = _district_root(options)
    district, new_district = _open_district(root, options)
    cycle_rel = f"cycles/{options.cycle}.yaml"
    # The school's folder is read below (its profile): refuse a link out of the repository first.
    safe_target(root / "schools" / options.school / "school.yaml", root)
    cycle_loaded = district.cycle(options.cycle)
    if cycle_loaded.model is None and cycle_loaded.findings:
        first = cycle_loaded.findings[0]
        raise ConfigurationError(
            f"{first.location}: {first.message}", hint="fix the cycle file, then run init again"
        )
    cycle = cycle_loaded.model
    frameworks = _frameworks(district, cycle, options)
    result = InitResult(root, options.school, options.cycle, frameworks, new_district)
    if not new_district and options.district and options.district != district.config.district:
        result.notes.append(f"{CONFIG_NAME} exists and was kept: --district was not applied")
    if not new_district and options.reviewers:
        result.notes.append(
            f"{CONFIG_NAME} exists and was kept: --reviewer was not applied (list reviewers "
            "under `reviewers:` there and in CODEOWNERS)"
        )
    if new_district and not options.reviewers:
        result.notes.append(
            "CODEOWNERS names no reviewers yet, so GitHub asks nobody to review plans: "
            "fill in its commented lines, or start with --reviewer @org/team"
        )
    zone = (cycle.timezone if cycle else None) or district.config.timezone
    # The report shows the cycle file's dates: the district may have changed them.
    deadlines: dict[str, DocumentDeadlines] = {}
    if cycle is not None:
        deadlines = dict(cycle.documents)
    else:
        for name in frameworks:
            deadlines.update(framework_deadlines(load_framework(name), int(options.cycle[:4])))

    targets: list[_Target] = []
    if new_district:
        targets.extend(_kit_targets(district, options, result))
    if cycle is None:
        targets.append(_cycle_target(options, frameworks[0], zone))
    else:
        result.reused.append(cycle_rel)
    profile_target = _profile_target(district, options, frameworks, cycle, result)
    if profile_target is not None:
        targets.append(profile_target)

    docs = [d for n in frameworks for d in load_framework(n).documents]
    doc_rels = {d.id: f"schools/{options.school}/{options.cycle}/{d.id}.yaml" for d in docs}
    _preflight(root, [t.rel for t in targets] + list(doc_rels.values()), new_district)
    existing = [rel for rel in doc_rels.values() if _exists(root / rel)]
    if existing and not options.force:
        raise WouldOverwrite(
            f"schools/{options.school}/{options.cycle}/ already has documents; nothing was "
            "written:\n" + "\n".join(f"  {rel}" for rel in existing),
            paths=existing,
            hint="keep editing them, or pass --force to rewrite this school's documents and "
            "school.yaml from the templates (their content is lost)",
        )

    carried = Carried()
    if options.from_cycle is not None:
        carried = carry_over(district, options.school, options.from_cycle, docs)
        result.notes.extend(carried.notes)
    result.due_from = cycle_rel
    for doc in docs:
        text = _scaffold(doc, options, carried)
        rel = doc_rels[doc.id]
        targets.append(_Target(rel, text, _exists(root / rel)))
        when = due_summary(deadlines.get(doc.id), zone, cycle_rel)
        result.due.append(DocumentDue(doc.id, doc.title, doc.owner, when))
    result.carried = {k: v for k, v in carried.fields.items() if v}

    _write(root, targets, new_district, result)
    if options.force and (not new_district or cycle is not None):
        result.notes.append(
            f"--force rewrote the school's documents and school.yaml only; {CONFIG_NAME}, "
            f"{cycle_rel} and the CI kit are never rewritten by init (edit them by hand)"
        )
    result.notes.extend(_git_notes(root))
    return result


def _exists(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def _preflight(root: Path, rels: list[str], new_district: bool) -> None:
    """Refuse any target that would leave the repository, before anything is written."""
    probes = [*rels, "schemas/district.schema.json"] if new_district else rels
    for rel in probes:
        path = root / rel
        safe_target(path, root)
        if path.is_dir():
            raise UnsafePath(f"refusing to write {rel}: a folder of that name is in the way")
        for folder in path.relative_to(root).parents:
            if (root / folder).exists() and not (root / folder).is_dir():
                raise UnsafePath(f"refusing to write {rel}: {folder} is a file, not a folder")


def _kit_targets(district: District, options: InitOptions, result: InitResult) -> list[_Target]:
    config = district.config
    named = config.district != DISTRICT_PLACEHOLDER
    context = {
        "district": config,
        "district_name": config.district if named else None,
        "version": sipctl.__version__,
        "hooks_repository": HOOKS_REPOSITORY,
        "example_school": options.school,
        "example_cycle": options.cycle,
    }
    targets = [_Target(CONFIG_NAME, render("district/sipctl.yaml.j2", **context), False)]
    for rel, template in KIT.items():
        if _exists(district.root / rel):
            result.kept.append(rel)
        else:
            targets.append(_Target(rel, render(f"district/{template}", **context), False))
    return targets


def _cycle_target(options: InitOptions, framework_name: str, zone: str) -> _Target:
    start_year = int(options.cycle[:4])
    framework = load_framework(framework_name)
    deadlines = framework_deadlines(framework, start_year)
    phases = [
        (phase, [(doc, deadlines[doc.id]) for doc in framework.documents if doc.phase == phase.id])
        for phase in framework.phases
    ]
    milestones = [(m, *m.resolve(start_year)) for m in framework.milestones]
    text = render(
        "district/cycle.yaml.j2",
        cycle=options.cycle,
        framework=framework,
        timezone=zone,
        phases=phases,
        milestones=milestones,
    )
    return _Target(f"cycles/{options.cycle}.yaml", text, False)


def _profile_target(
    district: District,
    options: InitOptions,
    frameworks: list[str],
    cycle: CycleConfig | None,
    result: InitResult,
) -> _Target | None:
    rel = f"schools/{options.school}/school.yaml"
    loaded = district.school_profile(options.school)
    exists = _exists(district.root / rel)
    if exists and not options.force:
        result.reused.append(rel)
        if options.name or options.grades:
            result.notes.append(f"{rel} exists and was kept: --name and --grades were not applied")
        return None
    # --force keeps the name and grades of a readable profile unless new ones are given.
    old = loaded.model
    chosen = frameworks if cycle is not None and len(cycle.frameworks) > 1 else []
    text = render(
        "district/school.yaml.j2",
        school=options.school,
        name=options.name or (old.name if old else SCHOOL_NAME_PLACEHOLDER),
        grades=options.grades or (old.grades if old else None),
        frameworks=chosen,
    )
    return _Target(rel, text, exists)


def _scaffold(doc: FrameworkDocument, options: InitOptions, carried: Carried) -> str:
    fields = carried.fields.get(doc.id, [])
    # A document with a `carried_over` field (dese-sip's annual renewal) lists what was carried.
    receives = bool(carried.values) and "carried_over" in doc.model_class.model_fields
    return scaffold_document(
        f"documents/{doc.id}.yaml.j2",
        carried,
        with_summary=receives,
        doc=doc,
        school=options.school,
        cycle=options.cycle,
        status="in-progress" if fields or receives else "not-started",
    )


def _write(root: Path, targets: list[_Target], new_district: bool, result: InitResult) -> None:
    # sipctl.yaml goes last: a run cut short leaves no half-made district behind it.
    ordered = sorted(targets, key=lambda t: t.rel == CONFIG_NAME)
    if new_district:
        result.schemas = write_schemas(root / "schemas", check_only=False).written
    for target in ordered:
        write_atomic(root / target.rel, target.text, root=root)
        (result.rewritten if target.exists else result.written).append(target.rel)


def _git_notes(root: Path) -> list[str]:
    start = 'git init -b main && git add . && git commit -m "Start planning"'
    top = toplevel(root)
    if top is None:
        return [f"{root} is not a git repository yet; start one with: {start}"]
    if top != root.resolve():
        return [
            f"{root} is inside the git repository {top} but not at its top: its history does "
            "not date the plans, so `sipctl check` judges deadlines by status only"
        ]
    return []
