"""Writing the rendered site: each page made (in worker processes for a large district)
and published into `--out` all together, never over a file render did not write.

The render service builds the views (`sipctl.services.render`), `sipctl.reporters.render`
turns each into HTML or Markdown, and this module writes them, as `check`'s reporters
write its result.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from sipctl.concurrency import batches, forked_map, workers
from sipctl.errors import WouldOverwrite
from sipctl.progress import Progress
from sipctl.reporters.render import index_text, plan_text, render_pages
from sipctl.services.render import Site
from sipctl.source.files import YamlLoadError, read_text
from sipctl.writing import Staging, encoded, safe_target

MANIFEST = ".sipctl-render.json"


@dataclass
class RenderResult:
    out: Path
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def write_site(
    site: Site,
    fmt: str,
    out: Path,
    *,
    force: bool = False,
    jobs: int = 1,
    progress: Progress | None = None,
) -> RenderResult:
    """Render each page of `site` as `fmt` and publish them into `out`, with `jobs` worker
    processes for a large district; `progress` hears of each page."""
    with _rendered(site, fmt, jobs) as pages:
        return publish(out, pages, force=force, progress=progress)


_SITE: tuple[Site, str] | None = None  # what forked render workers inherit


@contextlib.contextmanager
def _rendered(site: Site, fmt: str, jobs: int) -> Iterator[Iterator[tuple[str, str]]]:
    """The pages of `site`, in order: made here one at a time, or for a large district
    by `jobs` forked workers, a batch of schools each, while this process writes
    them out (and makes the index)."""
    jobs = workers(jobs, len(site.plans))
    if not jobs:
        yield render_pages(site, fmt)
        return
    global _SITE
    _SITE = (site, fmt)  # inherited by the forked workers
    try:
        indices = range(len(site.plans))
        with forked_map(_render_batch, batches(indices, jobs, 16), jobs) as made:
            index = [] if site.index is None else [index_text(site.index, fmt)]
            yield itertools.chain(itertools.chain.from_iterable(made), index)
    finally:
        _SITE = None


def _render_batch(plans: Sequence[int]) -> list[tuple[str, str]]:
    assert _SITE is not None
    site, fmt = _SITE
    return [plan_text(site.plans[i], fmt) for i in plans]


# --- publishing ----------------------------------------------------------------------------------
def publish(
    out: Path,
    files: Iterable[tuple[str, str]],
    *,
    force: bool,
    progress: Progress | None = None,
) -> RenderResult:
    """Write `files` (relative path, text) inside `out`, all together, as they come.

    Each file is staged as soon as it is made, so memory holds one page at a time,
    and the pages move into place only once every one is made and none would replace
    a file render did not write: a manifest keeps the hash of every file render
    wrote, so a later render replaces its own pages but never a file someone else put
    there or edited since (unless `force`). Render never deletes a file.
    """
    result = RenderResult(out=out)
    manifest = _read_manifest(out)
    blocked: list[str] = []
    with Staging(out) as staging:
        for rel, text in files:
            data, target = encoded(out / rel, text), out / rel
            if out.exists():
                target = safe_target(target, out)
            current = _current(target)
            if current == data:
                result.unchanged.append(rel)
            elif current is None or force or _digest(current) == manifest.get(rel):
                if not blocked:  # once a file is in the way, nothing will be written
                    staging.stage(target, data, mode=0o644)  # readable by the web server
                result.written.append(rel)
            else:
                blocked.append(rel)
            manifest[rel] = _digest(data)
            if progress:
                progress(1)
        if blocked:
            blocked.sort()
            raise WouldOverwrite(
                f"{out} already has files that render did not write: " + ", ".join(blocked),
                paths=blocked,
                hint="render into another --out folder, move those files away, or pass --force",
            )
        payload = json.dumps({"version": 1, "files": dict(sorted(manifest.items()))}, indent=2)
        staging.stage(out / MANIFEST, (payload + "\n").encode("utf-8"))
        staging.commit()
    result.written.sort()
    result.unchanged.sort()
    return result


def _current(target: Path) -> bytes | None:
    """What `target` holds now; None if nothing is there, b"" if it is not a file."""
    if not target.exists():
        return None
    return target.read_bytes() if target.is_file() else b""


def _read_manifest(out: Path) -> dict[str, str]:
    try:
        # Read like a plan file (non-blocking, regular files only, bounded): a FIFO or a
        # device named like the manifest in --out must not hang the run.
        data = json.loads(read_text(out / MANIFEST))
    except (YamlLoadError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def report_site(result: RenderResult, notes: list[str], out: TextIO, err: TextIO) -> None:
    """What render wrote, on `out`; its notes (no history, a shallow clone) on `err`."""
    for note in notes:
        err.write(f"note: {note}\n")
    count = len(result.written) + len(result.unchanged)
    unchanged = f" ({len(result.unchanged)} unchanged)" if result.unchanged else ""
    lines = [f"rendered {count} page{'s' if count != 1 else ''} into {result.out}{unchanged}"]
    lines += [f"  wrote {rel}" for rel in result.written]
    out.write("".join(line + "\n" for line in lines))
