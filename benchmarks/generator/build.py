"""``generate()``: the district into a new git repository, from the schools and their
history to the fast-import stream and the work tree, and the figures of what it wrote."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cycle import (
    CYCLE,
    DISTRICT_STAFF,
    DOCUMENTS,
    EXAMPLE,
    SCAFFOLD_TIME,
    SCHEMAS,
    STATUSES,
    aware,
    load_deadlines,
)
from .documents import final_content
from .fastimport import Stream, fast_import, git
from .history import Commit, allocate, commit_author, commit_message, plan_school
from .schools import School, build_schools
from .versions import version
from .yamltext import document_text, profile_text

Marks = dict[tuple[int, str, str, int], int]  # (school, doc, status, variant) -> blob
Files = list[tuple[str, int]]  # (path, blob mark)


@dataclass
class Stats:
    schools: int = 0
    commits: int = 0
    documents: int = 0
    document_bytes: int = 0
    blobs: int = 0
    blob_bytes: int = 0
    head_status: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    sizes: list[int] = field(default_factory=list)  # HEAD document sizes (bytes)

    def as_dict(self) -> dict[str, Any]:
        sizes = sorted(self.sizes)
        return {
            "schools": self.schools,
            "commits": self.commits,
            "plan_documents": self.documents,
            "plan_document_bytes": self.document_bytes,
            "document_size_bytes": {
                "min": sizes[0] if sizes else 0,
                "median": sizes[len(sizes) // 2] if sizes else 0,
                "max": sizes[-1] if sizes else 0,
            },
            "blob_versions": self.blobs,
            "blob_bytes": self.blob_bytes,
            "head_status": dict(sorted(self.head_status.items())),
            "seconds": round(self.seconds, 2),
        }


def generate(out: Path, schools: int, commits: int, seed: int = 1) -> Stats:
    """Write the district repository into `out` (new or empty) and return its figures."""
    if commits < 1:
        raise ValueError("--commits must be at least 1 (the scaffold)")
    started = time.perf_counter()
    new_repository(out)
    school_list = build_schools(schools, seed)
    planned = plan(school_list, commits - 1, seed)
    history = sorted(
        (commit for school_commits in planned for commit in school_commits),
        key=lambda c: (c.time, c.school.index),
    )
    stats = Stats(schools=schools, commits=1 + len(history))
    with fast_import(out) as stream:
        scaffold = district_files(stream)
        files, marks, last = write_versions(stream, school_list, planned, seed, stats)
        stream.commit(
            DISTRICT_STAFF,
            aware(SCAFFOLD_TIME),
            f"Scaffold the {CYCLE} cycle for {schools} schools\n",
            scaffold + files,
        )
        write_commits(stream, history, marks, seed)
    git(out, "reset", "-q", "--hard", "main")
    count_head(out, school_list, last, stats)
    stats.seconds = time.perf_counter() - started
    return stats


def new_repository(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty")
    git(out, "init", "-q", "-b", "main")
    git(out, "config", "gc.auto", "0")
    git(out, "config", "core.quotepath", "false")


def plan(school_list: list[School], commits: int, seed: int) -> list[list[Commit]]:
    """Each school's commits, `commits` in all, shared by the schools' weights."""
    deadlines = load_deadlines()
    counts = allocate(school_list, commits)
    return [
        plan_school(school, count, deadlines, seed)
        for school, count in zip(school_list, counts, strict=True)
    ]


def district_files(stream: Stream) -> Files:
    """The district's own files: its configuration, the cycle and the schemas."""
    files: Files = [
        ("sipctl.yaml", stream.blob((EXAMPLE / "sipctl.yaml").read_text(encoding="utf-8"))),
        (
            f"cycles/{CYCLE}.yaml",
            stream.blob((EXAMPLE / "cycles" / f"{CYCLE}.yaml").read_text(encoding="utf-8")),
        ),
    ]
    for schema in sorted(SCHEMAS.glob("*.json")):
        files.append((f"schemas/{schema.name}", stream.blob(schema.read_text("utf-8"))))
    return files


def document_path(school: School, doc: str) -> str:
    return f"schools/{school.slug}/{CYCLE}/{doc}.yaml"


def write_versions(
    stream: Stream, school_list: list[School], planned: list[list[Commit]], seed: int, stats: Stats
) -> tuple[Files, Marks, dict[tuple[int, str], tuple[str, int]]]:
    """Every version of every document, consecutive per file so that they delta well.
    Returns the scaffold's school files (profiles and blank documents), the blob of each
    version, and the (status, variant) each document ends with."""
    files: Files = []
    marks: Marks = {}
    last: dict[tuple[int, str], tuple[str, int]] = {}
    for school, school_commits in zip(school_list, planned, strict=True):
        files.append((f"schools/{school.slug}/school.yaml", stream.blob(profile_text(school))))
        wanted: dict[str, set[tuple[str, int]]] = {doc: set() for doc in DOCUMENTS}
        for commit in school_commits:
            for doc, key in commit.changes.items():
                wanted[doc].add(key)
                last[(school.index, doc)] = key
        for doc in DOCUMENTS:
            keys = sorted(wanted[doc] | {("not-started", 0)}, key=_version_order)
            write_document(stream, school, doc, keys, seed, marks, stats)
            files.append((document_path(school, doc), marks[(school.index, doc, "not-started", 0)]))
    return files, marks, last


def write_document(
    stream: Stream,
    school: School,
    doc: str,
    keys: list[tuple[str, int]],
    seed: int,
    marks: Marks,
    stats: Stats,
) -> None:
    """The versions `keys` ((status, variant), in order) of one document, as blobs."""
    final = final_content(school, doc, seed)
    for status, variant in keys:
        body = version(final, doc, school, status, variant, seed)
        text = document_text(school, doc, status, body)
        marks[(school.index, doc, status, variant)] = stream.blob(text)
        stats.blobs += 1
        stats.blob_bytes += len(text.encode("utf-8"))


def write_commits(stream: Stream, history: list[Commit], marks: Marks, seed: int) -> None:
    """The history's commits after the scaffold, in time order."""
    author_rng = random.Random(f"sipctl-bench:{seed}:authors")
    for commit in history:
        files = [
            (
                document_path(commit.school, doc),
                marks[(commit.school.index, doc, status, variant)],
            )
            for doc, (status, variant) in commit.changes.items()
        ]
        stream.commit(
            commit_author(commit, author_rng),
            aware(commit.time),
            commit_message(commit),
            files,
        )


def count_head(
    out: Path,
    school_list: list[School],
    last: dict[tuple[int, str], tuple[str, int]],
    stats: Stats,
) -> None:
    """The figures of the work tree at HEAD: statuses, document sizes."""
    for school in school_list:
        for doc in DOCUMENTS:
            status, _ = last.get((school.index, doc), ("not-started", 0))
            stats.head_status[status] = stats.head_status.get(status, 0) + 1
            size = (out / "schools" / school.slug / CYCLE / f"{doc}.yaml").stat().st_size
            stats.sizes.append(size)
            stats.documents += 1
            stats.document_bytes += size


def _version_order(key: tuple[str, int]) -> tuple[int, int]:
    return STATUSES.index(key[0]), key[1]
