"""Text pools: the example plans' own text (every string value by its key, and their
sentences), varied for another school: its name, its principal, percentages moved."""

from __future__ import annotations

import datetime as dt
import random
import re
from typing import TYPE_CHECKING

import yaml

from .cycle import CYCLE, EXAMPLE, Data

if TYPE_CHECKING:
    from .schools import School


def _load_examples() -> dict[str, list[Data]]:
    """doc id -> the example documents (oak-hill first), parsed."""
    out: dict[str, list[Data]] = {}
    for school in ("oak-hill", "maple", "birch"):
        folder = EXAMPLE / "schools" / school / CYCLE
        for path in sorted(folder.glob("*.yaml")):
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
            out.setdefault(path.stem, []).append(data)
    return out


def _strings(value: object, key: str | None, into: dict[str, list[str]]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _strings(v, str(k), into)
    elif isinstance(value, list):
        for item in value:
            _strings(item, key, into)
    elif isinstance(value, str) and key is not None and not value.startswith("TODO"):
        bucket = into.setdefault(key, [])
        text = " ".join(value.split())
        if text not in bucket:
            bucket.append(text)


_SENTENCE_END = re.compile(r"(?<=[a-z0-9%)][.!?])\s+(?=[A-Z\"(])")

EXAMPLES = _load_examples()
POOL: dict[str, list[str]] = {}
for _docs in EXAMPLES.values():
    for _doc in _docs:
        _strings(_doc, None, POOL)
SENTENCES: list[str] = sorted(
    {
        sentence
        for values in POOL.values()
        for value in values
        if len(value) >= 60
        for sentence in _SENTENCE_END.split(value)
        if 40 <= len(sentence) <= 400 and sentence.endswith((".", ")"))
    }
)

EXAMPLE_NAMES = (
    "Oak Hill Middle School",
    "Maple Street Elementary School",
    "Birch Avenue",
    "Oak Hill",
    "Maple Street",
    "Oak Street",
)
EXAMPLE_PEOPLE = ("Marcus Whitfield", "Angela Whitcomb")


def vary(text: str, rng: random.Random, school: School) -> str:
    """The example text for another school: its name, and percentages moved a little."""
    for name in EXAMPLE_NAMES:
        if name in text:
            text = text.replace(name, school.short)
    for person in EXAMPLE_PEOPLE:
        if person in text:
            text = text.replace(person, school.principal[0])
    return re.sub(
        r"\b(\d{1,2})%",
        lambda m: f"{min(99, max(1, int(m.group(1)) + rng.randint(-6, 6)))}%",
        text,
    )


def text_of(key: str, rng: random.Random, school: School, extra: tuple[int, int] = (0, 0)) -> str:
    """One value of field `key` as the examples write it, plus `extra` sentences."""
    pool = POOL.get(key) or SENTENCES
    parts = [vary(rng.choice(pool), rng, school)]
    count = rng.randint(*extra)
    if count:
        parts.extend(vary(s, rng, school) for s in rng.sample(SENTENCES, count))
    return " ".join(" ".join(parts).split())


def day(start: dt.date, rng: random.Random, span: int) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, span)))
