"""The rule modules, imported for their registrations (see docs/rules.md)."""

from __future__ import annotations

from sipctl.rules import (  # noqa: F401
    benchmarks,
    completeness,
    dese,
    links,
    outcomes,
    planning,
    sezp,
)
