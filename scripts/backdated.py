"""Backdated git commits: a clean environment, scripted identities and dates.

The tests (``tests/gitrepo.py``), the demo (``scripts/build_demo.py``) and the benchmark's
generator (``benchmarks/generator/``) all write git histories dated in the past by people
who do not exist. They build git's environment, its dates and its identities here:

- ``git_env``: the caller's environment without ``GIT_*`` variables (a calling hook's
  ``GIT_DIR`` or ``GIT_INDEX_FILE``) and without the user's or the system's git
  configuration, so that a developer's settings never change a commit;
- ``git_date`` and ``raw_date``: git's internal date format (``"<epoch> +HHMM"``) from an
  ISO-8601 datetime with its UTC offset, or from an aware ``datetime``;
- ``split_author`` and ``identity_env``: ``"Name <email>"`` apart, and the
  ``GIT_AUTHOR_*`` / ``GIT_COMMITTER_*`` variables of one dated commit;
- ``ident``: the ``Name <email> <epoch> +HHMM`` of a fast-import ``author`` or
  ``committer`` line.

Standard library only, so that every script and test can import it without installing
anything: ``scripts/`` is on ``sys.path`` when a script there runs, and ``tests/gitrepo.py``
and the benchmark's packages add it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path


def git_env(home: Path | None = None) -> dict[str, str]:
    """An environment for git that ignores the user's and the system's configuration.

    With ``home``, ``HOME`` and ``XDG_CONFIG_HOME`` point there too, so that git reads no
    user-wide ignore or attributes file either (the tests use a folder of their own).
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    if home is not None:
        env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"))
    env.update(
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_TERMINAL_PROMPT="0",
        LC_ALL="C",
    )
    return env


def raw_date(moment: datetime) -> str:
    """An aware datetime as git's internal date format (``"<epoch> +HHMM"``)."""
    offset = moment.utcoffset()
    if offset is None:
        raise ValueError(f"date needs a UTC offset: {moment.isoformat()!r}")
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{int(moment.timestamp())} {sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def git_date(date: str) -> str:
    """An ISO-8601 datetime with offset as git's internal date format ("<epoch> +HHMM")."""
    moment = datetime.fromisoformat(date)
    if moment.utcoffset() is None:
        raise ValueError(f"date needs a UTC offset: {date!r}")
    return raw_date(moment)


def split_author(author: str) -> tuple[str, str]:
    """``"Name <email>"`` as ``(name, email)``."""
    match = re.fullmatch(r"\s*(.+?)\s*<([^<>]*)>\s*", author)
    if match is None:
        raise ValueError(f"author must look like 'Name <email>': {author!r}")
    return match.group(1), match.group(2)


def identity_env(env: Mapping[str, str], name: str, email: str, date: str) -> dict[str, str]:
    """``env`` plus the author and committer of one commit, both ``name <email>`` at
    ``date`` (an ISO-8601 datetime with offset)."""
    when = git_date(date)
    dated = dict(env)
    dated.update(
        GIT_AUTHOR_NAME=name,
        GIT_AUTHOR_EMAIL=email,
        GIT_COMMITTER_NAME=name,
        GIT_COMMITTER_EMAIL=email,
        GIT_AUTHOR_DATE=when,
        GIT_COMMITTER_DATE=when,
    )
    return dated


def ident(name: str, email: str, moment: datetime) -> str:
    """What follows ``author`` or ``committer`` in a fast-import stream."""
    return f"{name} <{email}> {raw_date(moment)}"
