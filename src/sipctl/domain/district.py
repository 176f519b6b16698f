"""The district repository on disk: where its files are, and loading each one.

Layout (DESIGN.md section 2):

    sipctl.yaml                         the district
    cycles/<cycle>.yaml                 one planning cycle
    schools/<slug>/school.yaml          a school's profile
    schools/<slug>/<cycle>/<doc>.yaml   one plan document
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from sipctl.domain.findings import Finding
from sipctl.domain.framework import FrameworkDocument, available_frameworks, load_framework
from sipctl.domain.root import CONFIG_NAME, find_root
from sipctl.domain.validation import Place, validate
from sipctl.errors import ConfigurationError, UsageError
from sipctl.models import PlanDocument
from sipctl.models.district import CycleConfig, DistrictConfig, SchoolProfile
from sipctl.names import visible
from sipctl.source.datapaths import Path_, format_path
from sipctl.source.files import YamlLoadError, YamlProblem
from sipctl.source.positions import LoadedYaml, load_yaml_file

# \Z, not $: `$` also matches before a final line break, and `maple\n` is no slug.
SLUG = re.compile(r"\A[a-z0-9]+(-[a-z0-9]+)*\Z")
CYCLE = re.compile(r"\A[0-9]{4}-[0-9]{2}\Z")

M = TypeVar("M", bound=BaseModel)


@dataclass
class Loaded(Generic[M]):
    """One file: its parsed data (if it parsed), its model (if it validated), its findings."""

    rel: str
    place: Place
    source: LoadedYaml | None = None
    model: M | None = None
    findings: list[Finding] = field(default_factory=list)


def load_model(path: Path, rel: str, model: type[M], place: Place) -> Loaded[M]:
    """Read, parse and validate one file; every problem becomes a finding."""
    result: Loaded[M] = Loaded(rel=rel, place=place)
    try:
        source = load_yaml_file(path)
    except YamlLoadError as exc:
        result.findings.append(place.problem(exc.problem))
        return result
    result.source = source
    result.findings.extend(place.problem(p) for p in source.problems)
    if source.data is None:
        result.findings.append(
            place.finding(
                "yaml-empty", "is empty", line=1, column=1, hint="fill it in or delete it"
            )
        )
        return result
    result.model, errors = validate(model, source, place)
    result.findings.extend(errors)
    return result


class District:
    """A district repository: its root folder and its configuration."""

    def __init__(self, root: Path, config: DistrictConfig) -> None:
        self.root = root
        self.config = config
        self._cycles: dict[str, Loaded[CycleConfig]] = {}
        self._folders: dict[Path, Path] = {}  # folder -> its real path, for link_problem
        self._folder_inside: dict[str, bool] = {}  # for _link_problem: one resolve a folder
        # Cycle folders of schools that could not be listed (chmod 000), by their rel path:
        # check reports each once, instead of every document in it as missing.
        self.unreadable: dict[str, YamlProblem] = {}
        self._prefix = os.path.join(str(root), "")

    @classmethod
    def open(cls, repo: Path | None) -> District:
        """The district at `repo` (or above the current folder); a sipctl.yaml that cannot
        be trusted whole (a link out of the repository, a duplicate key, an unknown
        framework) is a configuration error naming its file, line and column."""
        return cls.at(find_root(repo))

    @classmethod
    def at(cls, root: Path) -> District:
        """The district whose root (found by `find_root`) is `root`."""
        place = Place(CONFIG_NAME)
        problem = link_problem(root / CONFIG_NAME, root)
        if problem is not None:
            raise ConfigurationError(problem.message, file=CONFIG_NAME, hint=problem.hint)
        loaded = load_model(root / CONFIG_NAME, CONFIG_NAME, DistrictConfig, place)
        if loaded.model is not None and loaded.source is not None:
            loaded.findings.extend(
                _unknown_frameworks(loaded.source, place, "framework", [loaded.model.framework])
            )
        if loaded.model is None or loaded.findings:
            first = loaded.findings[0]
            raise ConfigurationError(
                f"{first.location}: {first.message}",
                hint=first.hint or "fix sipctl.yaml; `sipctl schema` documents its keys",
            )
        return cls(root, loaded.model)

    @property
    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self.config.timezone)

    def rel(self, path: Path) -> str:
        text = str(path)  # the usual case, a path built on the root, without pathlib's parse
        if text.startswith(self._prefix):
            return text[len(self._prefix) :].replace(os.sep, "/")
        return path.relative_to(self.root).as_posix()

    def _link_problem(self, path: Path) -> YamlProblem | None:
        """`link_problem` for a file or folder in a district folder, in the usual case
        (no link, in a folder that is inside) with one lstat and no pathlib: a check asks
        this of every file and school folder. Anything else takes the full answer."""
        text = str(path)
        folder, name = os.path.split(text)
        inside = self._folder_inside.get(folder)
        if inside is None:
            inside = link_problem(path.parent, self.root, "folder", folders=self._folders) is None
            self._folder_inside[folder] = inside
        if inside and name not in ("", ".", "..") and not os.path.islink(text):
            return None
        return link_problem(path, self.root, folders=self._folders)

    def inside(self, path: Path) -> bool:
        """False for a link that leads out of the repository (or loops): never read."""
        return self._link_problem(path) is None

    # cycles -------------------------------------------------------------------------------
    def cycle_ids(self) -> list[str]:
        """Every cycle named by a school year, in `cycles/` or a school's folder; a cycle
        file with any other name is a finding of `check` (`misnamed.py`)."""
        found = {stem for stem in self.cycle_file_stems() if CYCLE.match(stem)}
        return sorted(found | {c for s in self.schools() for c in self.school_cycles(s)})

    def cycle_file_stems(self) -> list[str]:
        """The name, without `.yaml`, of every file in `cycles/`, whatever it is."""
        folder = self.root / "cycles"
        return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []

    def cycle(self, cycle_id: str) -> Loaded[CycleConfig]:
        if cycle_id not in self._cycles:
            rel = f"cycles/{cycle_id}.yaml"
            path = self.root / rel
            place = Place(rel, cycle=cycle_id)
            try:
                exists = path.exists() or path.is_symlink()
                problem = link_problem(path, self.root) if exists else None
            except OSError as exc:  # cycles/ itself cannot be opened
                exists, problem = True, _unreadable(exc, "file")
            loaded: Loaded[CycleConfig]
            if problem is not None:
                loaded = Loaded(rel=rel, place=place, findings=[place.problem(problem)])
            elif exists:
                loaded = load_model(path, rel, CycleConfig, place)
                unknown = []
                if loaded.model is not None and loaded.source is not None:
                    names = loaded.model.frameworks
                    unknown = _unknown_frameworks(loaded.source, place, "framework", names)
                if unknown:  # its documents and deadlines cannot be known: as if invalid
                    loaded.findings.extend(unknown)
                    loaded.model = None
                if loaded.model is not None and loaded.model.cycle != cycle_id:
                    line, column = loaded.source.position(("cycle",)) if loaded.source else (1, 1)
                    loaded.findings.append(
                        place.finding(
                            "path-mismatch",
                            f"says cycle {loaded.model.cycle!r} but the file is named "
                            f"{visible(cycle_id)}",
                            line=line,
                            column=column,
                            hint="make the file name and the `cycle:` key agree",
                        )
                    )
            else:
                loaded = Loaded(rel=rel, place=place)
            self._cycles[cycle_id] = loaded
        return self._cycles[cycle_id]

    def frameworks_for(self, cycle_id: str, profile: SchoolProfile | None = None) -> list[str]:
        """The frameworks a school follows in a cycle: the school's choice among the cycle's."""
        cycle = self.cycle(cycle_id).model
        names = cycle.frameworks if cycle else [self.config.framework]
        if profile is not None and profile.frameworks:
            chosen = [n for n in names if n in profile.frameworks]
            names = chosen or names
        return names

    def framework_documents(self, frameworks: list[str]) -> list[FrameworkDocument]:
        return [doc for name in frameworks for doc in load_framework(name).documents]

    # schools ------------------------------------------------------------------------------
    def schools(self) -> list[str]:
        """Every school folder named by a slug, a link out of the repository included: its
        profile says so (a school that silently vanished from the check would pass it).
        A folder with any other name is a finding of `check` (`misnamed.py`)."""
        return [name for name in self.school_folders() if SLUG.match(name)]

    def school_folders(self) -> list[str]:
        """Every folder in `schools/`, whatever its name."""
        folder = self.root / "schools"
        if not folder.is_dir():
            return []
        try:
            return _entries(folder, _is_dir)
        except OSError as exc:  # no school can be checked: the district cannot be
            raise ConfigurationError(
                f"schools/ cannot be read: {exc.strerror}",
                hint="whoever runs sipctl must be able to open the schools folder; check its "
                "permissions (e.g. `chmod a+rx schools`)",
            ) from None

    def school_profile(self, slug: str) -> Loaded[SchoolProfile]:
        rel = f"schools/{slug}/school.yaml"
        place = Place(rel, school=slug)
        path = self.root / rel
        folder = link_problem(path.parent, self.root, "folder", folders=self._folders)
        if folder is not None:
            where = Place(f"schools/{slug}", school=slug)
            return Loaded(rel=rel, place=where, findings=[where.problem(folder)])
        try:
            exists = path.exists() or path.is_symlink()
        except OSError as exc:  # the school's folder cannot be opened (chmod 000)
            where = Place(f"schools/{slug}", school=slug)
            return Loaded(rel=rel, place=where, findings=[where.problem(_unreadable(exc))])
        if not exists:
            return Loaded(rel=rel, place=place)
        problem = self._link_problem(path)
        if problem is not None:
            return Loaded(rel=rel, place=place, findings=[place.problem(problem)])
        loaded = load_model(path, rel, SchoolProfile, place)
        if loaded.model is not None and loaded.source is not None:
            names = loaded.model.frameworks
            unknown = _unknown_frameworks(loaded.source, place, "frameworks", names)
            loaded.findings.extend(unknown)
        return loaded

    # which school, which cycle: the one place a command's SCHOOL and --cycle are checked --
    def require_school(self, slug: str) -> None:
        """A usage error naming the schools there are, unless `slug` is one of them."""
        schools = self.schools()
        if slug not in schools:
            raise UsageError(
                f"no school {slug!r} in {self.root}",
                hint="schools: " + (", ".join(schools) or "(none yet)"),
            )

    def school_cycle(self, slug: str, cycle: str | None = None) -> str:
        """The cycle `cycle` of school `slug`, or its latest when None; a usage error when
        there is no such school or the school has no such cycle folder."""
        self.require_school(slug)
        cycles = self.school_cycles(slug)
        if not cycles:
            raise UsageError(f"school {slug!r} has no cycle folders yet")
        cycle_id = cycles[-1] if cycle is None else cycle
        if cycle_id not in cycles:
            raise UsageError(
                f"school {slug!r} has no cycle {cycle_id!r}",
                hint="its cycles: " + ", ".join(cycles),
            )
        return cycle_id

    def district_cycle(self, cycle: str | None = None) -> str:
        """The district's cycle `cycle`, or its latest when None; a usage error when the
        district has no such cycle."""
        known = self.cycle_ids()
        if not known:
            raise UsageError(
                f"{self.root} has no planning cycle yet",
                hint="start one with `sipctl init SCHOOL --cycle 2022-23`",
            )
        if cycle is None:
            return known[-1]
        if cycle not in known:
            raise UsageError(
                f"no cycle {cycle!r} in {self.root}", hint="cycles: " + ", ".join(known)
            )
        return cycle

    def school_cycles(self, slug: str) -> list[str]:
        folder = self.root / "schools" / slug
        if not self.inside(folder):  # reported by school_profile, never read
            return []
        try:
            return _entries(folder, _is_cycle_folder)
        except OSError:  # reported by school_profile
            return []

    def document_files(self, slug: str, cycle_id: str) -> list[Path]:
        folder = self.root / "schools" / slug / cycle_id
        if not folder.is_dir():
            return []
        try:
            names = _entries(folder, lambda e: os.path.splitext(e.name)[1] in (".yaml", ".yml"))
        except OSError as exc:
            self.unreadable[f"schools/{slug}/{cycle_id}"] = _unreadable(exc)
            return []
        return [folder / name for name in names]

    def load_document(
        self, path: Path, slug: str, cycle_id: str, entry: FrameworkDocument | None
    ) -> Loaded[PlanDocument]:
        rel = self.rel(path)
        place = Place(rel, school=slug, cycle=cycle_id, document=path.stem)
        problem = self._link_problem(path)
        if problem is not None:
            return Loaded(rel=rel, place=place, findings=[place.problem(problem)])
        model = entry.model_class if entry else PlanDocument
        return load_model(path, rel, model, place)

    def iter_school_documents(self, slug: str) -> Iterator[tuple[str, Path]]:
        for cycle_id in self.school_cycles(slug):
            for path in self.document_files(slug, cycle_id):
                yield cycle_id, path


def _entries(folder: Path, keep: Callable[[os.DirEntry[str]], bool]) -> list[str]:
    """The sorted names in `folder` that `keep` accepts (one scandir: no stat for a name
    that its type already decides)."""
    with os.scandir(folder) as entries:
        return sorted(entry.name for entry in entries if keep(entry))


def _unreadable(exc: OSError, kind: str = "folder") -> YamlProblem:
    """A file or folder the operating system will not let sipctl open (chmod 000)."""
    nothing = "nothing in it was read" if kind == "folder" else "it was not read"
    return YamlProblem(
        "file-unreadable",
        f"cannot be read: {exc.strerror}; {nothing}",
        hint=f"whoever runs sipctl must be able to read the {kind}; check its permissions",
    )


def _is_cycle_folder(entry: os.DirEntry[str]) -> bool:
    return CYCLE.match(entry.name) is not None and _is_dir(entry)


def _is_dir(entry: os.DirEntry[str]) -> bool:
    """Like Path.is_dir: a link to a folder counts; a broken or looping link does not."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def link_problem(
    path: Path, root: Path, kind: str = "file", *, folders: dict[Path, Path] | None = None
) -> YamlProblem | None:
    """Why `path` (a file or a folder) must not be read: a link that leads out of
    `root`, or one that loops.

    `folders` caches the real path of each folder, for a caller that asks about every
    file of a folder: a file that is no link then costs one lstat, not a full resolve.
    """
    nothing = "nothing in it was read" if kind == "folder" else "it was not read"
    try:
        real = _real_path(path, folders)
    except (OSError, RuntimeError):  # Python 3.11 raises RuntimeError on a loop
        return YamlProblem(
            "file-unreadable",
            f"is a symbolic link that leads back to itself; {nothing}",
            hint=f"replace the link with the {kind} itself",
        )
    if real.is_relative_to(root):
        return None
    return YamlProblem(
        "path-outside",
        f"is a link to a {kind} outside the district repository; {nothing}",
        hint=f"replace the link with the {kind} itself",
    )


def _real_path(path: Path, folders: dict[Path, Path] | None) -> Path:
    if folders is None or path.name in ("", ".", "..") or path.is_symlink():
        return path.resolve()
    folder = path.parent
    if folder not in folders:
        folders[folder] = folder.resolve()
    return folders[folder] / path.name


def _unknown_frameworks(
    source: LoadedYaml, place: Place, key: str, names: list[str]
) -> list[Finding]:
    """A framework name sipctl does not ship (`key: name` or `key: [names]`): a finding at
    its place in the file. Only a shipped framework's documents and deadlines are known."""
    known = available_frameworks()
    listed = isinstance(source.data, dict) and isinstance(source.data.get(key), list)
    findings = []
    for index, name in enumerate(names):
        if name in known:
            continue
        path: Path_ = (key, index) if listed else (key,)
        line, column = source.position(path)
        findings.append(
            place.finding(
                "schema",
                f"{format_path(path, source.data)}: {name!r} is not a framework sipctl knows",
                line=line,
                column=column,
                path=format_path(path, source.data),
                hint="choose one of: " + ", ".join(known),
            )
        )
    return findings
