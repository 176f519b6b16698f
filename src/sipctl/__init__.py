"""sipctl: school improvement plans as YAML documents in git."""

from __future__ import annotations

__version__ = "0.1.0"
