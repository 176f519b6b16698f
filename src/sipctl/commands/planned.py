"""Commands that later versions fill in. They say what they will do and fail honestly."""

from __future__ import annotations

from typing import NoReturn

from sipctl.errors import UsageError


def not_built(command: str, what: str) -> NoReturn:
    raise UsageError(
        f"`sipctl {command}` is not available in this version yet: it will {what}.",
        hint="see the README's command reference for what works today",
    )
