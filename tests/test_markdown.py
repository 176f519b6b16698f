"""Plan text in every Markdown output is shown as typed: checked with GitHub's renderer.

`cmark-gfm` is the C library GitHub renders Markdown with. The tests run it with `--unsafe`
(raw HTML kept: anything not escaped would reach the page) and with GitHub's extensions
(tables, strikethrough, autolinks, the tag filter), then read the HTML back with
`html.parser` and compare the text a reader sees with what was typed in the plan.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from html.parser import HTMLParser

import pytest

from sipctl.reporters import markdown

CMARK = shutil.which("cmark-gfm")
needs_cmark = pytest.mark.skipif(
    CMARK is None,
    reason="cmark-gfm, GitHub's Markdown renderer, is not installed (apt-get install cmark-gfm)",
)


def require_cmark() -> None:
    """Skip the calling test, saying why, when cmark-gfm is not installed."""
    if CMARK is None:
        pytest.skip(needs_cmark.kwargs["reason"])


GFM = ("-e", "table", "-e", "strikethrough", "-e", "autolink", "-e", "tagfilter")
HOSTILE = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "<details open><summary>x</summary>",
)
# Elements a browser would run, load or open: none may come from plan text.
LIVE = ("script", "img", "details", "summary", "iframe", "svg", "object", "embed", "a")


def cmark(text: str, *, extensions: bool = True) -> str:
    """HTML from GitHub's renderer, raw HTML let through as an unsafe renderer would."""
    assert CMARK is not None
    args = [CMARK, "--unsafe", *(GFM if extensions else ())]
    return subprocess.run(args, input=text, capture_output=True, text=True, check=True).stdout


class Page(HTMLParser):
    """The elements of a rendered page and the text a reader sees, by element."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.open: list[str] = []
        self.texts: dict[str, list[str]] = {}
        self.current: dict[str, list[str]] = {}
        self.all = ""
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in ("br", "hr", "input", "img"):
            self.open.append(tag)
            self.current.setdefault(tag, [])
            self.texts.setdefault(tag, [])
            self.current[tag].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            while self.open and self.open.pop() != tag:
                pass
            self.texts[tag].append(self.current[tag].pop())

    def handle_data(self, data: str) -> None:
        self.all += data
        for tag in set(self.open):
            self.current[tag][-1] += data

    @property
    def text(self) -> str:
        return "".join(self.texts.get("p", [])) + "".join(self.texts.get("li", []))

    def elements(self, *names: str) -> list[str]:
        return [tag for tag, _attrs in self.tags if tag in names]

    def links(self) -> list[str]:
        return [attrs.get("href") or "" for tag, attrs in self.tags if tag == "a"]


def shown(value: str) -> str:
    """What a reader should see: the text as typed, on one line."""
    return " ".join(value.split())


TRICKY = (
    "Grade 3 reading: 45% -> 60% (ELA), K-5",
    *HOSTILE,
    "</details>",
    "<!-- a comment -->",
    "<?php echo 1; ?>",
    "<!DOCTYPE html>",
    "<![CDATA[x]]>",
    "<https://example.org/plan>",
    "<tlt@example.org>",
    "&amp; &lt; &#60; &#x3C; &copy; AT&T & co &;",
    "*bold* **strong** _em_ __strong__ snake_case_name _lead trail_ a__b",
    "~strike~ ~~strike~~ ~5 students",
    "`code` ``double`` ```fence and a lone ` backtick",
    "[link](https://x.org) [ref][1] ![image](x.png) [^note] [ ] task",
    "[1]: https://evil.example",
    "\\ backslash \\* \\\\ C:\\Users\\plan and a trailing \\",
    "\\<script>alert(3)\\</script>",
    "a | b || c |",
    "# heading",
    "## closed ##",
    "#hashtag and #123",
    "> quote",
    "- item",
    "+ item",
    "* item",
    "1. first",
    "2) second",
    "1986. A fine year",
    "===",
    "---",
    "--",
    "- - -",
    "***",
    "___",
    "```python",
    "~~~",
    "    indented code",
    "line one\nline two",
    "text\n===",
    "a\n\n- b",
    "| a | b |\n|---|---|\n| c | d |",
    "$x^2$ and $5,000 {braces} (parens) 100%!",
    "x<y and a < b and a<=b and <5 and <",
    "Ms. O'Brien's \"TLT\" meets at 3:15 pm; see www.example.org or https://example.org.",
    "e-mail tlt@example.org",
    ":+1: emoji",
    "a\u00a0non-breaking space",
)
POSITIONS: dict[str, tuple[Callable[[str], str], str]] = {
    # name: (how the text is placed, the element its text is read from)
    "paragraph": (lambda s: markdown.text(s) + "\n", "p"),
    "list item": (lambda s: f"- {markdown.text(s)}\n- second\n", "li"),
    "quote": (lambda s: f"> {markdown.text(s)}\n", "p"),
    "mid-line": (lambda s: f"Before: {markdown.inline(s)} after.\n", "p"),
    "strong": (lambda s: f"- **{markdown.inline(s)}**: rest\n", "strong"),
    "heading": (lambda s: f"### {markdown.heading(s)}\n", "h3"),
    "code span": (lambda s: f"Path {markdown.code(s)} here.\n", "code"),
    "table code span": (lambda s: f"| a |\n|---|\n| {markdown.code(s, table=True)} |\n", "code"),
}


def expected(position: str, value: str) -> str:
    text = shown(value)
    return {"mid-line": f"Before: {text} after.", "list item": text}.get(position, text)


@needs_cmark
@pytest.mark.parametrize(
    ("position", "extensions"),
    # Plain CommonMark too, for a renderer without GitHub's extensions; it has no tables.
    [(p, e) for p in POSITIONS for e in (True, False) if e or not p.startswith("table")],
    ids=lambda v: {True: "gfm", False: "commonmark"}.get(v, v) if isinstance(v, bool) else v,
)
def test_text_is_shown_exactly_as_typed(position: str, extensions: bool) -> None:
    place, element = POSITIONS[position]
    for value in TRICKY:
        page = Page(cmark(place(value), extensions=extensions))
        texts = page.texts.get(element, [])
        assert texts and texts[0] == expected(position, value), (value, place(value))
        assert page.elements(*LIVE[:-1]) == [], value
        # Only GFM's autolinks make links, to the web or e-mail, showing their address.
        assert all(href.startswith(markdown.LINK_SCHEMES) for href in page.links()), value
        structure = {"p", "ul", "li", "blockquote", "strong", "h3", "code", "a"}
        structure |= {"table", "thead", "tbody", "tr", "th", "td"}
        assert {tag for tag, _attrs in page.tags} <= structure, (value, place(value))


@needs_cmark
def test_a_table_keeps_one_row_per_value_and_each_cell_shows_it() -> None:
    header = "| Field | Before | After |\n|---|---|---|\n"
    rows = "".join(
        f"| {n} | {markdown.cell(value)} | {markdown.code(value, table=True)} |\n"
        for n, value in enumerate(TRICKY)
    )
    page = Page(cmark(header + rows))
    assert len(page.texts["tr"]) == len(TRICKY) + 1
    cells = page.texts["td"]
    for n, value in enumerate(TRICKY):
        assert cells[3 * n : 3 * n + 3] == [str(n), shown(value), shown(value)], value
    assert page.elements(*LIVE[:-1]) == []


def test_plain_text_gets_no_backslash() -> None:
    plain = (
        "Grade 3 reading: 45% -> 60% (ELA), K-5",
        "Maple Elementary · Priority Levers Form (2022-23): 2 changes",
        "Ms. O'Brien's TLT met on May 6, 2022 at 4:00 pm; 12 of 14 voted yes.",
        "student_group: ELL, SWD (grades 3-5) + 10% #1 priority",
        "a < b, c > d, AT&T, 100%!",
    )
    for value in plain:
        for escape in (markdown.inline, markdown.text, markdown.cell, markdown.heading):
            assert escape(value) == value, (escape.__name__, value)


def test_each_position_escapes_only_what_it_must() -> None:
    assert markdown.inline("# not a heading here") == "# not a heading here"
    assert markdown.text("# a heading at a line's start") == "\\# a heading at a line's start"
    assert markdown.text("1. first") == "1\\. first"
    assert markdown.text("-- a rule") == "-- a rule" and markdown.text("--") == "\\--"
    assert markdown.inline("a | b") == "a | b" and markdown.cell("a | b") == "a \\| b"
    assert markdown.heading("Plan #") == "Plan \\#" and markdown.inline("Plan #") == "Plan #"
    assert markdown.inline("snake_case and _this_") == "snake_case and \\_this\\_"
    assert markdown.inline("<b>*x*</b> [a](b) `c` $d$ ~~e~~") == (
        r"\<b>\*x\*\</b> \[a\](b) \`c\` \$d\$ \~\~e\~\~"
    )
    assert markdown.code("a `b` c") == "``a `b` c``" and markdown.code("`x`") == "`` `x` ``"
    assert markdown.html_text("<b>Tom & Jerry's</b>") == "&lt;b&gt;Tom &amp; Jerry's&lt;/b&gt;"


def test_a_mention_notifies_nobody() -> None:
    # GitHub links `@name` (even `\@name`) and notifies; a zero-width space stops it.
    for escape in (markdown.inline, markdown.text, markdown.cell, markdown.html_text):
        assert escape("ask @riverbend/everyone") == "ask @\u200briverbend/everyone"
    assert markdown.inline("tlt@example.org") == "tlt@example.org"  # an address, no mention


@needs_cmark
def test_text_a_person_wrote_keeps_its_markdown_and_loses_its_html() -> None:
    typed = (
        "We **met** on [the site](https://example.org) and `<b>` [x](javascript:alert(1))\n"
        "# Not a heading\n\nAlso\n===\n\n![pixel](https://evil.example/p.png)\n\n"
        + "\n".join(HOSTILE)
        + "\n\n[evil]: javascript:alert(2)\n"
    )
    page = Page(cmark(markdown.user_markdown(typed, block=True)))
    assert page.elements(*LIVE[:-1], "h1", "h2") == []
    # The image is text; its address, bare, is only GFM's autolink to a web page.
    assert page.links() == ["https://example.org", "https://evil.example/p.png"]
    assert page.elements("strong", "code") == ["strong", "code"]
    for value in HOSTILE:
        assert value in page.text
    assert "[evil]: javascript:alert(2)" in page.text


@needs_cmark
def test_text_a_person_wrote_stays_in_its_table_cell() -> None:
    typed = ("a | b", "a \\| b", "a \\\\| b", "line\nbreak | <img src=x onerror=alert(1)>")
    rows = "".join(f"| {markdown.user_markdown(t, table=True)} | end |\n" for t in typed)
    page = Page(cmark("| Text | End |\n|---|---|\n" + rows))
    assert len(page.texts["tr"]) == len(typed) + 1
    assert page.texts["td"][1::2] == ["end"] * len(typed)
    assert page.elements(*LIVE) == []


def assert_inert(text: str, *, details: int = 0, shown: tuple[str, ...] = HOSTILE) -> None:
    """`text`, rendered by GitHub's renderer with raw HTML let through, with and without
    GitHub's extensions, runs and loads nothing: no `<script>` or `<img>` element, no
    `<details>` but the report's own `details` sections, and each of `shown` as text."""
    for extensions in (True, False):
        page = Page(cmark(text, extensions=extensions))
        assert page.elements("script", "img", "iframe", "svg") == []
        assert len(page.elements("details")) == len(page.elements("summary")) == details
        for value in shown:
            assert value in page.all, (value, extensions)
