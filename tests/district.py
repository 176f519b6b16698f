"""Build small district repositories on disk for tests."""

from __future__ import annotations

from pathlib import Path

from sipctl.domain.framework import load_framework

DISTRICT = "district: Riverbend Empowerment Zone\ntimezone: America/New_York\nframework: sezp\n"
CYCLE = "cycle: 2022-23\nframework: sezp\ntimezone: America/New_York\n"
# A cycle file with priority-levers' deadlines only: a draft by May 6, a final by May 27.
DEADLINES = """cycle: 2022-23
framework: sezp
timezone: America/New_York
documents:
  priority-levers: {draft_due: "2022-05-06T16:00", final_due: "2022-05-27T16:00"}
"""


def header(
    doc_id: str, school: str = "maple", cycle: str = "2022-23", status: str = "not-started"
) -> str:
    return (
        f"# yaml-language-server: $schema=../../../schemas/{doc_id}.schema.json\n"
        f"document: {doc_id}\nschool: {school}\ncycle: {cycle}\nstatus: {status}\n"
    )


def write_district(
    root: Path,
    files: dict[str, str] | None = None,
    *,
    schools: tuple[str, ...] = ("maple",),
    framework: str = "sezp",
) -> Path:
    """A valid district with header-only documents; `files` adds or replaces files."""
    content = {"sipctl.yaml": DISTRICT, "cycles/2022-23.yaml": CYCLE.replace("sezp", framework)}
    for slug in schools:
        # the principal's address last, so the lines above keep their numbers; without it
        # every started plan would warn contact-missing
        content[f"schools/{slug}/school.yaml"] = (
            f"school: {slug}\nname: {slug.title()} School\ngrades: K-5\n"
            f"principal:\n  name: {slug.title()} Principal\n  email: principal@{slug}.example.org\n"
        )
        for doc in load_framework(framework).documents:
            content[f"schools/{slug}/2022-23/{doc.id}.yaml"] = header(doc.id, slug)
    content.update(files or {})
    for rel, text in content.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return root
