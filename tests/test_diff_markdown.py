"""`sipctl diff --format markdown` renders as intended on a CommonMark renderer.

markdown-it-py in CommonMark mode, with the two GitHub extensions the output uses
(tables and ~~strikethrough~~) and raw HTML allowed, as GitHub allows `<details>`;
and GitHub's own renderer, cmark-gfm, for what plan text may not do (test_markdown).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from cli import sipctl
from test_diff import DRAFT, FINAL, LEVERS, OAK_GOALS, REFLECTION, district, goals, levers, submit
from test_markdown import HOSTILE, assert_inert, needs_cmark

SCRIPT = "<script>alert('plan')</script>"


def renderer() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def markdown_of_pull_request(tmp_path: Path) -> str:
    repo = district(tmp_path)
    submit(repo, LEVERS, levers("draft"), DRAFT)
    base = repo.head()
    hostile = REFLECTION.replace("reviewed", f"reviewed {SCRIPT}") + " | **not bold** [x](y)"
    final = levers("final", reflection=hostile).replace(
        "Family engagement", "Family | engagement <img src=x onerror=alert(1)>"
    )
    repo.write(LEVERS, final)
    repo.write(OAK_GOALS, goals("draft", 20, school="oak-hill"))
    head = repo.commit("Final levers", date=FINAL)
    run = sipctl("diff", "--from", base, "--to", head, "--repo", repo.path, "--format", "markdown")
    assert run.code == 0, run.err
    return run.out


def test_markdown_has_one_details_section_per_document(tmp_path: Path) -> None:
    text = markdown_of_pull_request(tmp_path)
    tokens = renderer().parse(text)
    blocks = [t.content for t in tokens if t.type == "html_block"]
    assert [b.splitlines()[0] for b in blocks if b.startswith("<details")] == ["<details>"] * 2
    summaries = [b.splitlines()[1] for b in blocks if b.startswith("<details")]
    assert summaries == [
        "<summary><b>Maple Elementary · Priority Levers Form (2022-23)</b>: 2 changes</summary>",
        "<summary><b>Oak Hill Middle · Priority Lever Goals Form (2022-23)</b>: 1 change</summary>",
    ]
    assert sum(b.strip() == "</details>" for b in blocks) == 2


def test_markdown_tables_render_with_escaped_cells(tmp_path: Path) -> None:
    html = renderer().render(markdown_of_pull_request(tmp_path))
    # The versions table and one changes table per document.
    assert html.count("<table>") == 3
    assert (
        "<tr>\n<td>changed</td>\n<td>Lever L2 › Lever<br><code>levers[L2].lever</code></td>\n"
        "<td>Family engagement</td>\n"
        "<td>Family | engagement &lt;img src=x onerror=alert(1)&gt;</td>\n</tr>"
    ) in html


def test_markdown_marks_changed_words_and_escapes_plan_text(tmp_path: Path) -> None:
    html = renderer().render(markdown_of_pull_request(tmp_path))
    assert "<script>" not in html and "<img" not in html
    assert (
        "<li><strong>Reflection</strong> (<code>reflection</code>): The TLT reviewed "
        "<strong>&lt;script&gt;alert('plan')&lt;/script&gt;</strong> the mid-year Roadmap in …"
    ) in html
    # Markdown typed in the plan shows as typed; the added words are marked, once.
    assert ("in ELA. <strong>| **not bold** [x](y)</strong></li>") in html
    assert "<s>" not in html  # nothing was removed
    # Unchanged text is not repeated: the middle of the paragraph is elided.
    assert "with the Zone empowerment coach" not in html


def test_markdown_word_diff_deletions(tmp_path: Path) -> None:
    repo = district(tmp_path)
    submit(repo, LEVERS, levers("draft"), DRAFT)
    submit(repo, LEVERS, levers("final", reflection=REFLECTION.replace("reviewed", "read")), FINAL)
    run = sipctl("diff", "maple", "priority-levers", "--repo", repo.path, "--format", "markdown")
    assert run.code == 0, run.err
    html = renderer().render(run.out)
    # markdown-it writes ~~words~~ as <s>; GitHub as <del>.
    assert "The TLT <s>reviewed</s> <strong>read</strong> the mid-year Roadmap in …" in html
    assert "<details open>" in html  # a single document is shown open
    assert (
        "<p><strong>Maple Elementary submitted the final Priority Levers Form.</strong></p>" in html
    )


def test_markdown_stays_within_a_comment(monkeypatch: pytest.MonkeyPatch) -> None:
    from zoneinfo import ZoneInfo

    from sipctl.diffing.changes import DiffMode, DiffReport, DocumentDiff, DocumentState, Side
    from sipctl.reporters import diff_markdown

    docs = [
        DocumentDiff("maple", "Maple", "2022-23", f"doc-{n}", f"Doc {n}", None, "f", state)
        for n, state in enumerate([DocumentState.ADDED] * 30)
    ]
    report = DiffReport(DiffMode.REVISIONS, "t", Side("a"), Side("b"), docs)
    monkeypatch.setattr(diff_markdown, "BUDGET", 2000)
    text = diff_markdown.render(report, ZoneInfo("America/New_York"))
    assert len(text) < 4000
    html = renderer().render(text)
    shown = html.count("<details>")
    assert 0 < shown < 30
    assert f"…and {30 - shown} more document(s), too long for one comment:" in html
    assert "<li>Maple · Doc 29 (2022-23): new document</li>" in html


@needs_cmark
def test_html_in_plan_text_is_text_on_github(tmp_path: Path) -> None:
    """The three hostile strings in a school's name (the `<summary>` line and the headline),
    a lever (a table cell), the reflection (a word diff) and a commit subject (the versions
    table): GitHub's renderer, even letting raw HTML through, makes no element of them."""
    repo = district(tmp_path)
    script, img, details = HOSTILE
    repo.write("schools/maple/school.yaml", f"school: maple\nname: '{details}'\ngrades: K-5\n")
    submit(repo, LEVERS, levers("draft"), DRAFT)
    base = repo.head()
    final = levers("final", reflection=REFLECTION.replace("reviewed", f"reviewed {script}"))
    repo.write(LEVERS, final.replace("Family engagement", f"'{img} | {details}'"))
    head = repo.commit(f"Final levers {script} {img}", date=FINAL)
    run = sipctl("diff", "--from", base, "--to", head, "--repo", repo.path, "--format", "markdown")
    assert run.code == 0, run.err
    assert_inert(run.out, details=1)  # the document's own section, and no other
    # Plain text reads as typed in the raw Markdown too: no backslash in the changed words.
    assert "the mid-year Roadmap in" in run.out and "Data-driven instruction" not in run.out
