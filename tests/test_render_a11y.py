"""Rendered pages are accessible: language, landmarks, heading order, table headers,
text alternatives and colour contrast, checked on every page of the demo district, and
axe-core in a real browser over every page of every example district.

The W3C Nu checker (test_render.py) checks that the HTML is valid; these check what
a screen-reader user and a reader with low vision need, which valid HTML can still miss.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import subprocess
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from test_render import REPO, _chromium, demo, every_site, site  # noqa: F401  (fixtures)

LANDMARKS = ("header", "nav", "main", "footer")
# Elements that are landmarks when named (a <section> with a name is a region), and the
# elements whose text names them here.
LANDMARK_ROLES = {"section": "region", "nav": "navigation", "aside": "complementary"}
NAMING_TAGS = ("h1", "h2", "h3", "caption")


class Outline(HTMLParser):
    """What an accessibility audit looks at, collected from one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang: str | None = None
        self.tags: dict[str, int] = {}
        self.headings: list[int] = []
        self.th_without_scope = 0
        self.img_without_alt = 0
        self.svg_unlabelled = 0
        self.links_without_text: list[str] = []
        self.style = ""
        self._in_style = False
        self._link: tuple[str, list[str]] | None = None
        self.landmark_labels: list[tuple[str, str]] = []  # (role, aria-label or #ids)
        self.texts: dict[str, str] = {}  # id -> text, of headings and captions
        self._open: list[tuple[str, str, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags[tag] = self.tags.get(tag, 0) + 1
        role = found.get("role") or LANDMARK_ROLES.get(tag)
        label = found.get("aria-label") or "#" + (found.get("aria-labelledby") or "")
        if role in LANDMARK_ROLES.values() and label != "#":
            self.landmark_labels.append((role, label))
        if found.get("id") and tag in NAMING_TAGS:
            self._open.append((tag, found["id"] or "", []))
        if tag == "html":
            self.lang = found.get("lang")
        elif re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag == "th" and found.get("scope") not in ("col", "row", "colgroup", "rowgroup"):
            self.th_without_scope += 1
        elif tag == "img" and found.get("alt") is None:
            self.img_without_alt += 1
        elif tag == "svg" and not (
            found.get("aria-label") or found.get("aria-labelledby") or found.get("aria-hidden")
        ):  # a drawing is named, or hidden as decoration beside its text
            self.svg_unlabelled += 1
        elif tag == "style":
            self._in_style = True
        elif tag == "a":
            self._link = (found.get("href") or "", [found.get("aria-label") or ""])

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1][0] == tag:
            _tag, ident, parts = self._open.pop()
            self.texts[ident] = " ".join("".join(parts).split())
        if tag == "style":
            self._in_style = False
        elif tag == "a" and self._link is not None:
            href, text = self._link
            if not "".join(text).strip():
                self.links_without_text.append(href)
            self._link = None

    def handle_data(self, data: str) -> None:
        for _tag, _ident, parts in self._open:
            parts.append(data)
        if self._in_style:
            self.style += data
        if self._link is not None:
            self._link[1].append(data)

    def landmark_names(self) -> list[tuple[str, str]]:
        """Each named landmark's role and accessible name (aria-labelledby resolved)."""
        return [
            (role, " ".join(self.texts.get(i, f"#{i}") for i in label[1:].split()))
            if label.startswith("#")
            else (role, label)
            for role, label in self.landmark_labels
        ]


def outline(path: Path) -> Outline:
    parser = Outline()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def pages(site: Path) -> list[Path]:  # noqa: F811
    found = sorted(site.rglob("*.html"))
    assert len(found) >= 4  # the index and a page per school
    return found


def test_every_page_has_its_language_landmarks_and_one_title(site: Path) -> None:  # noqa: F811
    for path in pages(site):
        page = outline(path)
        assert page.lang == "en", path
        for landmark in LANDMARKS:
            assert page.tags.get(landmark, 0) >= 1, (path, landmark)
        assert page.tags["main"] == 1, path
        assert page.headings[:1] == [1] and page.headings.count(1) == 1, path


def test_no_two_landmarks_of_a_role_share_a_name(site: Path) -> None:  # noqa: F811
    # A screen reader's landmark list shows role and name: two "Documents by school"
    # regions cannot be told apart (axe-core's landmark-unique, run below in a browser).
    for path in pages(site):
        names = outline(path).landmark_names()
        assert len(names) >= 4, (path, names)
        shared = sorted(name for name, count in Counter(names).items() if count > 1)
        assert shared == [], path


def test_headings_never_skip_a_level(site: Path) -> None:  # noqa: F811
    for path in pages(site):
        levels = outline(path).headings
        jumps = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
        assert jumps == [], (path, jumps)


def test_tables_images_figures_and_links_are_named(site: Path) -> None:  # noqa: F811
    for path in pages(site):
        page = outline(path)
        assert page.tags.get("th", 0) > 0, path
        assert page.th_without_scope == 0, path
        assert page.img_without_alt == 0, path
        assert page.svg_unlabelled == 0, path
        assert page.links_without_text == [], path


# --- colour contrast (WCAG 2.1, 1.4.3: 4.5:1 for text) ----------------------------------------
def luminance(colour: str) -> float:
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_helper_matches_known_values() -> None:
    assert contrast("#000", "#fff") == pytest.approx(21.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def test_text_colours_meet_wcag_aa_on_their_backgrounds(site: Path) -> None:  # noqa: F811
    css = outline(site / "index.html").style
    var = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{3,6})", css))
    text_on_white = ["ink", "muted", "accent", "ok", "late", "missed", "soon"]
    pairs = [(var[name], "#ffffff", name) for name in text_on_white]
    pairs += [(var[name], var["soft"], f"{name} on soft") for name in text_on_white]
    pairs += [("#ffffff", var["accent"], "masthead"), (var["accent"], var["accent-soft"], "tag")]
    # every `background: X; color: Y` rule with literal colours (the status chips)
    for background, colour in re.findall(
        r"background:\s*(#[0-9a-fA-F]{3,6});\s*color:\s*(#[0-9a-fA-F]{3,6})", css
    ):
        pairs.append((colour, background, f"chip {colour} on {background}"))
    assert len(pairs) >= 20
    low = [(name, round(contrast(fg, bg), 2)) for fg, bg, name in pairs if contrast(fg, bg) < 4.5]
    assert low == []


# --- axe-core in Chromium ----------------------------------------------------------------------
AXE_PAGES = REPO / "tests" / "js" / "axe_pages.mjs"
NODE_MODULES = REPO / "node_modules"


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("axe-core runs in Node.js, which is not installed (Debian: nodejs)")
    for package in ("axe-core", "playwright-core"):
        if not (NODE_MODULES / package / "package.json").is_file():
            pytest.skip(f"node_modules/{package} is missing: run `npm ci` (as .ci/run does)")
    return node


def test_axe_core_finds_no_violation_on_any_page(every_site: Path) -> None:  # noqa: F811
    # axe's default rules: WCAG 2.x A and AA and its best practices (landmark-unique,
    # region, heading-order...), in the browser readers use, on every page of the demo
    # district, the three examples and the XSS district.
    node, chromium = _node(), _chromium()
    pages = sorted(every_site.rglob("*.html"))
    proc = subprocess.run(
        [node, str(AXE_PAGES), *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "HOME": str(every_site.parent), "CHROMIUM": chromium},
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(proc.stdout)
    assert report["axe"] == "4.14.1"  # package-lock.json's; a new axe may bring new rules
    assert [r["page"] for r in report["pages"]] == [str(p) for p in pages]
    found = [
        f"{v['id']} ({v['impact']}) on {Path(r['page']).relative_to(every_site)} at "
        f"{' '.join(n['target'])}: {v['help']}"
        for r in report["pages"]
        for v in r["violations"]
        for n in v["nodes"]
    ]
    assert found == [], "\n".join(found)
