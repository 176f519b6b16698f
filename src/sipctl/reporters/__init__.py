"""Reporters turn a check result into output; they are picked by name."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from sipctl.services.check import CheckResult

Reporter = Callable[[CheckResult, TextIO], None]


def _text(result: CheckResult, out: TextIO) -> None:
    from sipctl.reporters.text import report

    report(result, out)


def _json(result: CheckResult, out: TextIO) -> None:
    from sipctl.reporters.jsonout import report

    report(result, out)


def _github(result: CheckResult, out: TextIO) -> None:
    from sipctl.reporters.github import report

    report(result, out)


def _junit(result: CheckResult, out: TextIO) -> None:
    from sipctl.reporters.junit import report

    report(result, out)


def _sarif(result: CheckResult, out: TextIO) -> None:
    from sipctl.reporters.sarif import report

    report(result, out)


CHECK_REPORTERS: dict[str, Reporter] = {
    "text": _text,
    "json": _json,
    "github": _github,
    "junit": _junit,
    "sarif": _sarif,
}
