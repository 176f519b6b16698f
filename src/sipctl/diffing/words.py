"""Word-level diff of long text: what a reviewer reads instead of two paragraphs.

Text is compared as a sequence of words (difflib on `str.split()`), so re-wrapping a
folded paragraph or changing line breaks is not a change of words.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

# Longer than this, or on several lines, a text value is shown as a word diff.
LONG_TEXT = 80
# Past a million word pairs (1,000 words against 1,000: a tenth of a second), the words
# between the common beginning and end are not matched one by one; see `word_diff`.
MAX_WORD_PAIRS = 1_000_000
# Words of unchanged text kept on each side of a change; the rest is elided.
CONTEXT_WORDS = 4

Op = Literal["equal", "delete", "insert"]


@dataclass(frozen=True)
class WordRun:
    """A run of words that is unchanged, deleted or inserted."""

    op: Op
    text: str


def is_long(value: object) -> bool:
    return isinstance(value, str) and (len(value) > LONG_TEXT or "\n" in value.strip())


def word_diff(old: str, new: str) -> tuple[WordRun, ...]:
    """Runs of words: equal, then deleted before inserted where words were replaced.

    difflib's matcher takes time in proportion to the words of one side times the words
    of the other when words repeat, as "the" and "students" do in any plan: two fields
    of 100,000 characters took 25 seconds. So the common beginning and end are found
    first, in one pass, and when what lies between is more than MAX_WORD_PAIRS words
    times words, it is shown replaced whole: still a true description of the change.
    """
    a, b = old.split(), new.split()
    head = _common_head(a, b)
    tail = _common_head(a[head:][::-1], b[head:][::-1])
    if (len(a) - head - tail) * (len(b) - head - tail) <= MAX_WORD_PAIRS:
        return _matched(a, b)
    middle = [
        WordRun("equal", " ".join(a[:head])),
        WordRun("delete", " ".join(a[head : len(a) - tail])),
        WordRun("insert", " ".join(b[head : len(b) - tail])),
        WordRun("equal", " ".join(a[len(a) - tail :])),
    ]
    return tuple(run for run in middle if run.text)


def _common_head(a: list[str], b: list[str]) -> int:
    """How many words `a` and `b` share from their start."""
    count = 0
    for left, right in zip(a, b, strict=False):
        if left != right:
            break
        count += 1
    return count


def _matched(a: list[str], b: list[str]) -> tuple[WordRun, ...]:
    runs: list[WordRun] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            runs.append(WordRun("equal", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            runs.append(WordRun("delete", " ".join(a[i1:i2])))
        if j2 > j1:
            runs.append(WordRun("insert", " ".join(b[j1:j2])))
    return tuple(runs)


def elide(runs: tuple[WordRun, ...], context: int = CONTEXT_WORDS) -> list[WordRun | None]:
    """The runs with long unchanged stretches cut to `context` words each side;
    None marks where words were left out."""
    out: list[WordRun | None] = []
    last = len(runs) - 1
    for index, run in enumerate(runs):
        if run.op != "equal":
            out.append(run)
            continue
        words = run.text.split()
        keep_head = context if index > 0 else 0  # words after the previous change
        keep_tail = context if index < last else 0  # words before the next change
        if len(words) <= keep_head + keep_tail:
            out.append(run)
            continue
        if keep_head:
            out.append(WordRun("equal", " ".join(words[:keep_head])))
        out.append(None)
        if keep_tail:
            out.append(WordRun("equal", " ".join(words[-keep_tail:])))
    return out
