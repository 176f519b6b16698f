"""`sipctl fmt`: rewrite plan documents in the canonical form the browser editor writes.

A file is rewritten only when its canonical text reads back as the same data: the
rewrite is checked by reading it again with the loader before anything is written, so
`fmt` can move keys, requote text and drop comments, never change a value. A file that
does not parse, repeats a key or names no known document is left as it is and reported.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sipctl.domain.district import District, link_problem
from sipctl.domain.layout import document_layouts
from sipctl.errors import UsageError
from sipctl.source.canonical import NotCanonical, canonical_text
from sipctl.source.files import YamlLoadError, YamlProblem, read_text
from sipctl.source.positions import load_yaml
from sipctl.writing import write_atomic


@dataclass(frozen=True)
class Unformatted:
    """A file left untouched, and why: what reading it found (`YamlProblem`), or a reason
    of fmt's own (`CannotFormat`), which is no finding of `check`."""

    rel: str
    problem: YamlProblem | CannotFormat

    @property
    def location(self) -> str:
        where = [str(n) for n in (self.problem.line, self.problem.column) if n is not None]
        return ":".join([self.rel, *where])


@dataclass  # not frozen: raising sets the exception's traceback
class CannotFormat(Exception):
    """Why fmt leaves a file that reads well: it names no known document, or (a bug, never
    a lost value) its canonical text would read back differently."""

    message: str
    hint: str | None = None
    line: int | None = 1
    column: int | None = 1


@dataclass
class FmtResult:
    changed: list[str] = field(default_factory=list)  # rewritten (or, with --check, stale)
    unchanged: list[str] = field(default_factory=list)
    failed: list[Unformatted] = field(default_factory=list)


def format_documents(
    district: District, files: list[Path] | None = None, *, check_only: bool = False
) -> FmtResult:
    """Put `files` (default: every plan document of the district) in canonical form."""
    paths = _given(district, files) if files else _every_document(district)
    result = FmtResult()
    for path in paths:
        rel = district.rel(path)
        try:
            text, canonical = _canonical(district, path)
        except YamlLoadError as exc:
            result.failed.append(Unformatted(rel, exc.problem))
            continue
        except CannotFormat as exc:
            result.failed.append(Unformatted(rel, exc))
            continue
        if text == canonical:
            result.unchanged.append(rel)
            continue
        if not check_only:
            write_atomic(path, canonical, root=district.root)
        result.changed.append(rel)
    return result


def canonical_document(text: str) -> str:
    """The canonical form of a document's text; YamlLoadError if it does not read,
    CannotFormat if it has no canonical form."""
    data = _read(text)
    try:
        canonical = canonical_text(data, document_layouts())
    except NotCanonical as exc:
        raise CannotFormat(str(exc)) from None
    if _comparable(_read(canonical)) != _comparable(data):  # a bug here, never a lost value
        raise CannotFormat(
            "cannot be written in canonical form without changing a value",
            hint="please report it, with the file",
            line=None,
            column=None,
        )
    return canonical


def _canonical(district: District, path: Path) -> tuple[str, str]:
    problem = link_problem(path, district.root)
    if problem is not None:
        raise YamlLoadError(problem)
    text = read_text(path)
    return text, canonical_document(text)


def _read(text: str) -> Any:
    loaded = load_yaml(text)
    if loaded.problems:  # a repeated key: rewriting would silently drop its other value
        raise YamlLoadError(loaded.problems[0])
    return loaded.data


def _comparable(value: Any) -> Any:
    """Data as the model reads it: a date in quotes where a date belongs is written as a
    date (see canonical.py), so dates compare as their text."""
    if isinstance(value, dict):
        return {key: _comparable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_comparable(item) for item in value]
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    return value


def _every_document(district: District) -> list[Path]:
    return [
        path for slug in district.schools() for _cycle, path in district.iter_school_documents(slug)
    ]


def _given(district: District, files: list[Path]) -> list[Path]:
    """The files named on the command line: plan documents inside the district, where the
    modeline's `../../../schemas/` leads to the district's schemas."""
    paths = []
    root = district.root.resolve()
    for file in files:
        path = file.absolute()
        if not path.is_file():
            raise UsageError(f"{file}: no such file")
        try:
            parts = path.parent.resolve().relative_to(root).parts
        except ValueError:
            raise UsageError(
                f"{file} is outside the district repository {district.root}",
                hint="run fmt inside the district, or name it with --repo",
            ) from None
        if len(parts) != 3 or parts[0] != "schools" or path.suffix not in (".yaml", ".yml"):
            raise UsageError(
                f"{file} is not a plan document (schools/<school>/<cycle>/<document>.yaml)",
                hint="sipctl fmt formats plan documents only; sipctl.yaml, cycle and school "
                "files keep their own layout",
            )
        paths.append(district.root / Path(*parts) / path.name)
    return paths
