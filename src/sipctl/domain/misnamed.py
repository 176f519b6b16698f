"""Folders and files whose names sipctl cannot use: a school folder that is not a slug or
looks like another, a cycle file not named by a school year.

A school's folder name is its slug (DESIGN.md section 2: lowercase `[a-z0-9-]+`), and the
slug is what every report, link and page name is made of. A folder named otherwise
(`Maple`, `maple\u200b`, `maple\u202e`) is reported here and is no school for any other
command: its plans are not checked, listed, logged or published until it is renamed,
so no report shows a page or a heading under a name that could forge one.

Two folders that a person cannot tell apart (`maple` and `Maple`, `maple` and `maple`
with a zero-width space, a full-width `ｍａｐｌｅ`) are reported too, naming both: one of
them is not the school its reviewers think it is.

A cycle file is named by the school year it plans (`cycles/2022-23.yaml`); the name
becomes the cycle of every report and the folder of the published site. A file named
otherwise is reported and not read, so it can neither become the latest cycle nor name
a folder of pages.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

from sipctl.domain.district import CYCLE, SLUG
from sipctl.domain.findings import Finding
from sipctl.domain.validation import Place
from sipctl.names import invisible, visible


def is_slug(name: str) -> bool:
    return SLUG.match(name) is not None


def folder_findings(folders: list[str], only: set[str] | None = None) -> list[Finding]:
    """A finding for each school folder in `folders` (or, given `only`, each in both)
    whose name is not a slug or looks like another folder's name."""
    findings = []
    for name in folders:
        if (only is None or name in only) and not is_slug(name):
            findings.append(_not_a_slug(name))
    by_look: dict[str, list[str]] = defaultdict(list)
    for name in folders:
        by_look[look(name)].append(name)
    for names in by_look.values():
        if len(names) < 2:
            continue
        # The slug, if one of them is, is the school; each other folder is the look-alike.
        first = min(names, key=lambda n: (not is_slug(n), n))
        for name in names:
            if name != first and (only is None or name in only or first in only):
                findings.append(_look_alike(name, first))
    return findings


def look(name: str) -> str:
    """What a reader sees of `name`: no invisible characters, no case, compatibility
    forms folded (full-width letters, ligatures)."""
    if SLUG.match(name):
        return name  # a slug is all a reader sees of it already
    seen = "".join(char for char in name if not invisible(char))
    return unicodedata.normalize("NFKC", seen).casefold()


def suggested_slug(name: str) -> str:
    """A slug a person would make of `name`: `Maple Elementary` -> `maple-elementary`."""
    folded = unicodedata.normalize("NFKD", look(name)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-") or "school-name"


def cycle_file_findings(stems: list[str]) -> list[Finding]:
    """A finding for each file `cycles/<stem>.yaml` whose stem is not a school year."""
    return [_not_a_cycle(stem) for stem in stems if CYCLE.match(stem) is None]


def _not_a_cycle(stem: str) -> Finding:
    shown = f"cycles/{visible(stem)}.yaml"
    return Place(f"cycles/{stem}.yaml").finding(
        "cycle-file-name",
        f'the cycle file "{shown}" is not named by a school year like 2022-23, so it is not read',
        hint="rename it to the school year in its `cycle:` key, e.g. cycles/2022-23.yaml",
    )


def _not_a_slug(name: str) -> Finding:
    shown = f"schools/{visible(name)}"
    return Place(f"schools/{name}").finding(
        "school-folder-name",
        f'the school folder "{shown}" is not named with lowercase letters, digits and '
        "hyphens, so its plans are not checked, listed or published",
        hint=f"rename the folder to schools/{suggested_slug(name)}",
    )


def _look_alike(name: str, other: str) -> Finding:
    shown, other_shown = f"schools/{visible(name)}", f"schools/{visible(other)}"
    return Place(f"schools/{name}").finding(
        "school-folder-confusable",
        f'the school folder "{shown}" looks the same as "{other_shown}": they differ only '
        "by capital letters or characters that cannot be seen",
        hint=f'keep one school folder: move what "{shown}" holds into "{other_shown}"',
    )
