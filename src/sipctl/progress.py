"""A progress bar for long work, on a terminal only.

Never in CI logs or when output is piped: there it would be noise (and
GitHub's log would keep every redraw).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Progress = Callable[[int], None]  # told how many more items are done

# Below this much work the answer comes before a bar would be worth drawing.
MIN_ITEMS = 25


def wanted(total: int) -> bool:
    return (
        total >= MIN_ITEMS
        and sys.stderr.isatty()
        and not os.environ.get("CI")
        and os.environ.get("TERM") != "dumb"
    )


@contextmanager
def progress_bar(label: str, total: int, unit: str) -> Iterator[Progress | None]:
    """Yields `advance(n)` while a bar shows on stderr, or None when no bar is wanted."""
    if not wanted(total):
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress(
        f"[bold]{label}[/bold]",
        BarColumn(),
        MofNCompleteColumn(),
        unit,
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)
