"""Diff reporters by name: `sipctl diff --format text|markdown|json`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO
from zoneinfo import ZoneInfo

from sipctl.diffing.changes import DiffReport

DiffReporter = Callable[[DiffReport, TextIO, ZoneInfo], None]


def _text(report: DiffReport, out: TextIO, tz: ZoneInfo) -> None:
    from sipctl.reporters.diff_text import render

    render(report, out, tz)


def _markdown(report: DiffReport, out: TextIO, tz: ZoneInfo) -> None:
    from sipctl.reporters.diff_markdown import render

    out.write(render(report, tz))


def _json(report: DiffReport, out: TextIO, tz: ZoneInfo) -> None:
    from sipctl.reporters.diff_json import render

    out.write(render(report, tz))


DIFF_REPORTERS: dict[str, DiffReporter] = {"text": _text, "markdown": _markdown, "json": _json}
