"""Plan text in GitHub-flavoured Markdown: shown exactly as typed, with no markup of its own.

Every Markdown output (`diff --format markdown`, `status --format markdown`, `render --format
md`) puts text through this module, and each function escapes only what GFM would read as
markup *in that position*, so the raw Markdown a reviewer reads stays plain:
`Grade 3 reading: 45% -> 60% (ELA), K-5` needs no backslash anywhere.

- `inline`: text inside a line. Backslash escapes (CommonMark allows one before any ASCII
  punctuation) for what starts a code span, emphasis, strikethrough, a link, math (GitHub
  renders `$...$`), an entity, raw HTML or an `<autolink>`. `_` between two letters or digits
  and `<` before a space are left alone: GFM reads neither as markup there.
- `text`: text that may start a line or a list item (a paragraph, a list item, a quote):
  `inline`, plus what would start a block there (`#`, `>`, `-`, `+`, `1.`, a `===` line).
- `heading`: text at the end of an ATX heading, whose trailing `#`s would be dropped.
- `cell`: text in a table cell: `inline`, plus `|`, which would end the cell.
- `code`: a code span, with a fence longer than any backtick run inside.
- `html_text`: text inside raw HTML (the diff's `<summary>` line), where Markdown is not read.
- `user_markdown`: text a person wrote in a plan's text field, whose Markdown is kept (the
  render's Markdown pages) while its HTML, unsafe links and images are made inert.

Whitespace runs become one space in every position but `user_markdown` with `block`: a line
break typed in a plan could otherwise end a table row or start a block.

Raw HTML is what makes Markdown unsafe (a `<script>` or `<img onerror=...>` would reach the
page when the renderer allows HTML, as `cmark-gfm --unsafe` does), so every `<` that could open
a tag is escaped. Bare `www.` and `https://` addresses stay as GFM's autolinks: their text is
shown as typed and they only lead to web pages.

GitHub turns `@name` (even escaped as `\\@name`) into a mention that notifies that person or
team, and a plan's text must not page anyone from a pull-request comment or a digest: a
zero-width space goes after an `@` that could start a mention.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote

LINK_SCHEMES = ("http://", "https://", "mailto:")
_INLINE = re.compile(
    r"""
      [`*~$\[\]]                            # code span, emphasis, strikethrough, math, link
    | \\(?=[!-/:-@\[-`{-~]|$)               # a backslash that would escape what follows it
    | <(?=\S)                               # raw HTML, an autolink
    | &(?=\#?[A-Za-z0-9]+;)                 # an entity or a character reference
    | _+                                    # emphasis, unless inside a word (see _underscores)
    """,
    re.VERBOSE,
)
# What starts a block at the start of a line; the group is the character to escape.
_BLOCK_START = re.compile(
    r"""^(?:
      (\#)\#{0,5}(?=\s|$)                   # ATX heading
    | (>)                                   # block quote
    | ([-+])(?=\s|$)                        # bullet list item
    | \d{1,9}([.)])(?=\s|$)                 # ordered list item
    | (=)=*$                                # setext heading underline
    | (-)[-\s]*$                            # setext underline or thematic break
    )""",
    re.VERBOSE,
)
_MENTION = re.compile(r"(?<!\w)@(?=[A-Za-z0-9])")
_HEADING_CLOSE = re.compile(r"(?:^|(?<=\s))(#+)$")


def _one_line(value: object) -> str:
    return " ".join(str(value).split())


def _escape(match: re.Match[str]) -> str:
    found = match.group(0)
    if found[0] != "_":
        return "\\" + found
    # CommonMark: a `_` run between two letters or digits can neither open nor close emphasis.
    line, start, end = match.string, match.start(), match.end()
    if start > 0 and end < len(line) and line[start - 1].isalnum() and line[end].isalnum():
        return found
    return "\\_" * len(found)


def _quiet(text: str) -> str:
    return _MENTION.sub("@\u200b", text)


def inline(value: object) -> str:
    """Text inside a line of Markdown, after something else on that line."""
    return _quiet(_INLINE.sub(_escape, _one_line(value)))


def text(value: object) -> str:
    """Text that may start a line: a paragraph, a list item's text, a quote's."""
    escaped = inline(value)
    match = _BLOCK_START.match(escaped)
    if match is None:
        return escaped
    at = next(match.start(g) for g in range(1, 7) if match.group(g) is not None)
    return escaped[:at] + "\\" + escaped[at:]


def heading(value: object) -> str:
    """Text that ends an ATX heading (`### text`): a closing `#` run would be dropped."""
    return _HEADING_CLOSE.sub(r"\\\1", inline(value))


def cell(value: object) -> str:
    """Text in a GFM table cell: one line, and no `|` that would end the cell."""
    return inline(value).replace("|", "\\|")


def code(value: object, *, table: bool = False) -> str:
    """A code span showing `value` as typed: Markdown and HTML are not read inside one."""
    body = _one_line(value)
    if not body:
        return ""
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * (longest + 1)
    # A space each side keeps a backtick at either end from joining the fence; it is dropped.
    padded = f" {body} " if body[0] == "`" or body[-1] == "`" else body
    if table:
        # GFM splits a row on pipes before reading code spans; `\|` is a pipe in the span.
        padded = padded.replace("|", "\\|")
    return f"{fence}{padded}{fence}"


def html_text(value: object) -> str:
    """Text inside raw HTML on one line: only `&`, `<` and `>` mean anything there."""
    return _quiet(html.escape(_one_line(value), quote=False))


def link_target(path: str) -> str:
    """A link target sipctl made (a page's path), percent-encoded where Markdown would stop."""
    return quote(path, safe="/:#?&=%+.-_~")


# --- text a person wrote, with its Markdown kept -------------------------------------------------
_MD_LINK = re.compile(r"\]\(\s*<?([^)\s>]*)")
_MD_DEFINITION = re.compile(r"^( {0,3})\[", re.MULTILINE)
_MD_HEADING = re.compile(r"^( {0,3})(#{1,6})(?=[ \t]|$)", re.MULTILINE)
_MD_UNDERLINE = re.compile(r"(?<=\S)(\n {0,3})(=+|-+)(?=[ \t]*(?:\n|$))")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)((?:\\\\)*)\|")


def safe_link(url: str) -> bool:
    """Links in text fields go to web pages and e-mail addresses only."""
    return url.strip().lower().startswith(LINK_SCHEMES)


def user_markdown(value: str, *, block: bool = False, table: bool = False) -> str:
    """A text field's Markdown, kept, with what the HTML pages refuse made inert: raw HTML and
    entities (shown as typed), links to anything but the web or e-mail, reference definitions
    (they could point any link anywhere), images (a page loads nothing from outside) and
    headings (they would break the page's outline).

    `block` false puts it on one line, for a list item's or a table's line; `table` also
    escapes the pipes that would end the cell. `<` becomes `&lt;` rather than `\\<`: a
    backslash typed just before it would otherwise escape the backslash and free the `<`.
    """
    value = re.sub(r"&(?=#?[A-Za-z0-9]+;)", "&amp;", value).replace("<", "&lt;")
    value = _MD_LINK.sub(_inert_link, value)
    value = value.replace("![", "!\\[")
    value = _MD_DEFINITION.sub(r"\1\\[", value)
    value = _MD_HEADING.sub(r"\1\\\2", value)
    value = _MD_UNDERLINE.sub(r"\1\\\2", value)
    if not block:
        value = _one_line(value)
    if table:
        # An odd run of backslashes before a pipe already escapes it for the table.
        value = _UNESCAPED_PIPE.sub(r"\1\\|", value)
    return value.strip()


def _inert_link(match: re.Match[str]) -> str:
    return match.group(0) if safe_link(match.group(1)) else "]\\(" + match.group(0)[2:]
