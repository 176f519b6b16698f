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
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from sipctl.concurrency import batches, forked_map, workers
from sipctl.errors import SipctlError, WouldOverwrite
from sipctl.git.own_folder import folder_problem, own_folder
from sipctl.progress import Progress
from sipctl.reporters.ical import feed_ics
from sipctl.reporters.render import home_text, index_text, plan_text, render_pages
from sipctl.services.calendar import Feed
from sipctl.services.render import HomePage, Site
from sipctl.source.files import YamlLoadError, read_text
from sipctl.writing import (
    Staging,
    encoded,
    finish_interrupted,
    refuse_linked_folder,
    safe_target,
    write_atomic,
)

# Render's manifest: the hash of each page it wrote into an --out folder, so that a later
# render replaces its own pages but nothing else. It is kept out of --out, which is
# published as it is: in the district repository's git folder, one file per --out
# folder (named by the hash of its absolute path); without a usable repository, beside
# --out as `.<name of --out>.sipctl-render.json`.
MANIFEST = ".sipctl-render.json"
# Until manifests moved out of the site, render kept one inside --out: a render that finds
# no manifest of its own reads that one, and removes it once its successor is written.
LEGACY_MANIFEST = MANIFEST
_MANIFEST_FOLDER = ("sipctl", "render")
_KEEP_MANIFESTS = 32  # --out folders remembered per repository; the oldest are forgotten


@dataclass
class RenderResult:
    out: Path
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def write_site(
    site: Site,
    fmt: str,
    out: Path,
    *,
    force: bool = False,
    jobs: int = 1,
    progress: Progress | None = None,
    within: Iterable[Path] = (),
) -> RenderResult:
    """Render each page of `site` as `fmt` and publish them into `out`, with `jobs` worker
    processes for a large district; `progress` hears of each page. `out` must be no
    symbolic link, nor be reached through one inside `within` (the district)."""
    refuse_linked_folder(out, within=within)
    manifest = manifest_path(out, site.git_dir)
    # With workers, each school's calendar is made beside its page (icalendar's writer
    # costs a few milliseconds a feed); here, the district's and, without workers, all.
    parallel = workers(jobs, len(site.plans)) > 0
    with _rendered(site, fmt, jobs) as pages:
        home = [] if site.home is None else [_home(site.home, fmt, out)]
        feeds = (_feed(f) for f in site.feeds if not (parallel and f.school is not None))
        everything = itertools.chain(pages, home, feeds)
        return publish(out, everything, force=force, manifest=manifest, progress=progress)


def _home(home: HomePage, fmt: str, out: Path) -> tuple[str, str]:
    """The front page, listing the cycle published now and those whose index is already in
    `out` from earlier renders (each render publishes one cycle)."""
    published = [
        cycle
        for cycle in home.cycles
        if cycle == home.cycle or (out / cycle / home.index_name).is_file()
    ]
    return home_text(home, fmt, published)


def manifest_path(out: Path, git_dir: Path | None) -> Path | None:
    """Where render keeps the manifest of the pages it writes into `out`: never inside
    `out`. None when there is nowhere to keep it (`out` is the file system's root)."""
    where = out.resolve()
    if git_dir is not None:
        key = hashlib.sha256(os.fsencode(where)).hexdigest()[:32]
        return git_dir.joinpath(*_MANIFEST_FOLDER, f"{key}.json")
    if not where.name:
        return None
    return where.parent / f".{where.name}{MANIFEST}"


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
    feeds = {feed.school: feed for feed in site.feeds}
    made = []
    for i in plans:
        made.append(plan_text(site.plans[i], fmt))
        if (feed := feeds.get(site.plans[i].school)) is not None:
            made.append(_feed(feed))
    return made


def _feed(feed: Feed) -> tuple[str, str]:
    return feed.path, feed_ics(feed).decode("utf-8")


# --- publishing ----------------------------------------------------------------------------------
def publish(
    out: Path,
    files: Iterable[tuple[str, str]],
    *,
    force: bool,
    manifest: Path | None,
    progress: Progress | None = None,
) -> RenderResult:
    """Write `files` (relative path, text) inside `out`, all together, as they come.

    Each file is staged as soon as it is made, so memory holds one page at a time,
    and the pages move into place only once every one is made and none would replace
    a file render did not write: the `manifest` file (see `manifest_path`) keeps the
    hash of every file render wrote, so a later render replaces its own pages but
    never a file someone else put there or edited since (unless `force`). Render never
    deletes a file, except the manifest it used to keep inside `out`, and its own
    staging folders. A render killed outright during its moves is finished first
    (`sipctl.writing.finish_interrupted`): `out` then holds its old site or its new one.
    """
    result = RenderResult(out=out)
    where = str(out.resolve())
    known = _read_manifest(manifest, where) if manifest is not None else None
    legacy = _read_manifest(out / LEGACY_MANIFEST, None) if known is None else None
    hashes = known if known is not None else legacy or {}
    # A render killed outright while it moved its pages into place: finish its moves
    # first, so --out holds its whole site, and remember those pages as render's.
    finished = [r for r in finish_interrupted(out) if isinstance(r, dict)]
    for record in finished:
        hashes.update({str(k): str(v) for k, v in record.items()})
    if finished and manifest is not None:
        _save_manifest(manifest, where, hashes, result)
    blocked: list[str] = []
    saved: list[bool] = []
    with Staging(out) as staging:
        for rel, text in files:
            data, target = encoded(out / rel, text), out / rel
            if out.exists():
                target = safe_target(target, out)
            current = _current(target)
            if current == data:
                result.unchanged.append(rel)
            elif current is None or force or _digest(current) == hashes.get(rel):
                if not blocked:  # once a file is in the way, nothing will be written
                    staging.stage(target, data, mode=0o644)  # readable by the web server
                result.written.append(rel)
            else:
                blocked.append(rel)
            hashes[rel] = _digest(data)
            if progress:
                progress(1)
        if blocked:
            blocked.sort()
            raise WouldOverwrite(
                f"{out} already has files that render did not write: " + ", ".join(blocked),
                paths=blocked,
                hint="render into another --out folder, move those files away, or pass --force",
            )

        def keep_manifest() -> None:
            # With the pages, signals still held: a manifest that is not written leaves
            # render knowing too little, so it asks for --force; never too much.
            saved.append(manifest is not None and _save_manifest(manifest, where, hashes, result))

        staging.commit(record=hashes, then=keep_manifest)
    if legacy is not None and saved and saved[0]:
        with contextlib.suppress(OSError):
            (out / LEGACY_MANIFEST).unlink()  # no longer published with the site
    result.written.sort()
    result.unchanged.sort()
    return result


def _current(target: Path) -> bytes | None:
    """What `target` holds now; None if nothing is there, b"" if it is not a file."""
    if not target.exists():
        return None
    return target.read_bytes() if target.is_file() else b""


def _read_manifest(path: Path, out: str | None) -> dict[str, str] | None:
    """The hashes `path` holds for the folder `out` (a legacy manifest, inside the folder,
    names none), or None when it holds none: missing, damaged, or another folder's."""
    if _in_git_folder(path) and folder_problem(path.parents[2], *_MANIFEST_FOLDER[1:]):
        return None  # .git/sipctl is a link (or a FIFO, a file): nothing there is ours
    try:
        # Read like a plan file (non-blocking, regular files only, bounded): a FIFO or a
        # device named like the manifest must not hang the run.
        data = json.loads(read_text(path))
    except (YamlLoadError, ValueError):
        return None
    if not isinstance(data, dict) or (out is not None and data.get("out") != out):
        return None
    files = data.get("files")
    return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else None


def _save_manifest(path: Path, out: str, hashes: dict[str, str], result: RenderResult) -> bool:
    """Write the manifest (True), or add a note to `result` that it could not (False)."""
    payload = {"version": 2, "out": out, "files": dict(sorted(hashes.items()))}
    text = json.dumps(payload, indent=2) + "\n"
    try:
        if _in_git_folder(path):  # never through a link where .git/sipctl belongs
            own_folder(path.parents[2], *_MANIFEST_FOLDER[1:])
        write_atomic(path, text, root=path.parent)
    except SipctlError as exc:  # the pages are in place: say what the next render will do
        result.notes.append(
            f"could not keep the list of pages render wrote ({exc.message}); the next render "
            "into this folder will ask for --force before it replaces a page"
        )
        return False
    if _in_git_folder(path):
        _forget_oldest(path.parent)
    return True


def _in_git_folder(path: Path) -> bool:
    """Whether `path` is a manifest in the repository's git folder (`manifest_path`)."""
    return path.parent.parts[-2:] == _MANIFEST_FOLDER


def _forget_oldest(folder: Path) -> None:
    """Keep the manifests of the most recently rendered --out folders: a temporary
    folder rendered once should not stay in the repository's git folder for ever."""
    with contextlib.suppress(OSError):
        kept = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime)
        for stale in kept[:-_KEEP_MANIFESTS]:
            stale.unlink()


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def report_site(result: RenderResult, notes: list[str], out: TextIO, err: TextIO) -> None:
    """What render wrote, on `out`; its notes (no history, a shallow clone) on `err`."""
    for note in [*notes, *result.notes]:
        err.write(f"note: {note}\n")
    files = [*result.written, *result.unchanged]
    feeds = sum(1 for rel in files if rel.endswith(".ics"))
    made = _count(len(files) - feeds, "page") + (
        f" and {_count(feeds, 'calendar')}" if feeds else ""
    )
    unchanged = f" ({len(result.unchanged)} unchanged)" if result.unchanged else ""
    lines = [f"rendered {made} into {result.out}{unchanged}"]
    lines += [f"  wrote {rel}" for rel in result.written]
    out.write("".join(line + "\n" for line in lines))


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"
