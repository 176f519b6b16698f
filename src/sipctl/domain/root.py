"""Finding the district root (the folder holding sipctl.yaml) without importing the
models: `check` starts reading git history as soon as it knows where to look."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sipctl.errors import ConfigurationError, RepositoryNotFound

CONFIG_NAME = "sipctl.yaml"
# Files whose change concerns every school: the district's settings and the cycle files.
DISTRICT_WIDE = (CONFIG_NAME, "cycles/")


def find_root(start: Path | None) -> Path:
    """The folder holding sipctl.yaml: `start` itself if given, else the nearest parent of cwd."""
    if start is not None:
        config = start / CONFIG_NAME
        if not config.is_file() and (config.exists() or config.is_symlink()):
            raise ConfigurationError(
                "is not a regular file (a folder, pipe, device or broken link); it was not read",
                file=str(config),
                hint="replace it with the district's YAML file",
            )
        if not config.is_file():
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


def schools_of(paths: Iterable[str]) -> set[str] | None:
    """The schools these paths (relative to the district root, with `/`) belong to; None
    when one of them is district-wide (sipctl.yaml or a cycle file): every school is then
    concerned. Other paths (the README, the schemas) concern no school."""
    schools: set[str] = set()
    for path in paths:
        if path.startswith(DISTRICT_WIDE):
            return None
        parts = path.split("/")
        if parts[0] == "schools" and len(parts) > 1 and parts[1]:
            schools.add(parts[1])
    return schools
