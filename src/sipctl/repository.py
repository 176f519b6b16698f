"""The district repository on disk: where its files are, and loading each one.

Layout (DESIGN.md section 2):

    sipctl.yaml                         the district
    cycles/<cycle>.yaml                 one planning cycle
    schools/<slug>/school.yaml          a school's profile
    schools/<slug>/<cycle>/<doc>.yaml   one plan document
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from sipctl.errors import ConfigurationError, RepositoryNotFound
from sipctl.findings import Finding
from sipctl.framework import FrameworkDocument, load_framework
from sipctl.models import PlanDocument
from sipctl.models.district import CycleConfig, DistrictConfig, SchoolProfile
from sipctl.validation import Place, validate
from sipctl.yamlsource import LoadedYaml, YamlLoadError, YamlProblem, load_yaml_file

CONFIG_NAME = "sipctl.yaml"
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
CYCLE = re.compile(r"^[0-9]{4}-[0-9]{2}$")

M = TypeVar("M", bound=BaseModel)


@dataclass
class Loaded(Generic[M]):
    """One file: its parsed data (if it parsed), its model (if it validated), its findings."""

    rel: str
    place: Place
    source: LoadedYaml | None = None
    model: M | None = None
    findings: list[Finding] = field(default_factory=list)


def find_root(start: Path | None) -> Path:
    """The folder holding sipctl.yaml: `start` itself if given, else the nearest parent of cwd."""
    if start is not None:
        if not (start / CONFIG_NAME).is_file():
            raise RepositoryNotFound(
                f"{start} is not a sipctl district: it has no {CONFIG_NAME}",
                hint="pass the folder that holds sipctl.yaml, or start one with `sipctl init`",
            )
        return start.resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise RepositoryNotFound(
        f"no {CONFIG_NAME} in {here} or any folder above it",
        hint="run sipctl inside a district repository, pass --repo DIR, or start one with "
        "`sipctl init SCHOOL --cycle 2022-23`",
    )


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

    @classmethod
    def open(cls, repo: Path | None) -> District:
        root = find_root(repo)
        loaded = load_model(root / CONFIG_NAME, CONFIG_NAME, DistrictConfig, Place(CONFIG_NAME))
        if loaded.model is None:
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
        return path.relative_to(self.root).as_posix()

    def inside(self, path: Path) -> bool:
        """False for a link that leads out of the repository: such files are never read."""
        try:
            return path.resolve().is_relative_to(self.root)
        except OSError:
            return False

    # cycles -------------------------------------------------------------------------------
    def cycle_ids(self) -> list[str]:
        folder = self.root / "cycles"
        found = {p.stem for p in folder.glob("*.yaml")} if folder.is_dir() else set()
        return sorted(found | {c for s in self.schools() for c in self.school_cycles(s)})

    def cycle(self, cycle_id: str) -> Loaded[CycleConfig]:
        if cycle_id not in self._cycles:
            rel = f"cycles/{cycle_id}.yaml"
            path = self.root / rel
            place = Place(rel, cycle=cycle_id)
            if path.exists() or path.is_symlink():
                loaded = load_model(path, rel, CycleConfig, place)
                if loaded.model is not None and loaded.model.cycle != cycle_id:
                    line, column = loaded.source.position(("cycle",)) if loaded.source else (1, 1)
                    loaded.findings.append(
                        place.finding(
                            "path-mismatch",
                            f"says cycle {loaded.model.cycle!r} but the file is named {cycle_id}",
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
        folder = self.root / "schools"
        if not folder.is_dir():
            return []
        return sorted(p.name for p in folder.iterdir() if p.is_dir() and self.inside(p))

    def school_profile(self, slug: str) -> Loaded[SchoolProfile]:
        rel = f"schools/{slug}/school.yaml"
        place = Place(rel, school=slug)
        path = self.root / rel
        if not path.exists():
            return Loaded(rel=rel, place=place)
        return load_model(path, rel, SchoolProfile, place)

    def school_cycles(self, slug: str) -> list[str]:
        folder = self.root / "schools" / slug
        return sorted(p.name for p in folder.iterdir() if p.is_dir() and CYCLE.match(p.name))

    def document_files(self, slug: str, cycle_id: str) -> list[Path]:
        folder = self.root / "schools" / slug / cycle_id
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))

    def load_document(
        self, path: Path, slug: str, cycle_id: str, entry: FrameworkDocument | None
    ) -> Loaded[PlanDocument]:
        rel = self.rel(path)
        place = Place(rel, school=slug, cycle=cycle_id, document=path.stem)
        if not self.inside(path):
            result: Loaded[PlanDocument] = Loaded(rel=rel, place=place)
            result.findings.append(
                place.problem(
                    YamlProblem(
                        "path-outside",
                        "is a link to a file outside the district repository; it was not read",
                        hint="replace the link with the file itself",
                    )
                )
            )
            return result
        model = entry.model_class if entry else PlanDocument
        return load_model(path, rel, model, place)

    def iter_school_documents(self, slug: str) -> Iterator[tuple[str, Path]]:
        for cycle_id in self.school_cycles(slug):
            for path in self.document_files(slug, cycle_id):
                yield cycle_id, path
